import { timingSafeEqual, createHash } from "node:crypto";
import { created, readJson, route } from "@/server/api/handler";
import { recordAudit } from "@/server/audit/audit";
import { createUser, countUsers } from "@/server/auth/users";
import { getDb } from "@/server/db/client";
import { TopoError } from "@/server/errors";

const digest = (s: string) => createHash("sha256").update(s).digest();

// GET /api/auth/setup – { needsSetup, tokenRequired }: true until the first user exists; whether TOPO_SETUP_TOKEN guards it
export const GET = route(async () => ({ needsSetup: (await countUsers(getDb())) === 0, tokenRequired: !!process.env.TOPO_SETUP_TOKEN }));

// POST /api/auth/setup – { email, password, name?, setupToken? } creates the first administrator; 409 TOPO-E177 once any
// user exists; with TOPO_SETUP_TOKEN set, 403 TOPO-E182 unless setupToken matches it
export const POST = route(async (req) => {
  const db = getDb();
  const body = await readJson(req, 64 * 1024);
  const { setupToken, ...fields } = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const expected = process.env.TOPO_SETUP_TOKEN;
  if (expected && !(typeof setupToken === "string" && timingSafeEqual(digest(setupToken), digest(expected)))) {
    throw new TopoError("TOPO-E182", "the setup token is missing or wrong", { details: [{ path: "setupToken", message: "not the server's TOPO_SETUP_TOKEN" }] });
  }
  // Serialised by the unique email and re-checked inside one transaction, so two racing first
  // runs cannot both create an administrator.
  const user = await db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) throw new TopoError("TOPO-E177", "an administrator already exists");
    return createUser(tx as typeof db, { ...fields, role: "admin" });
  });
  await recordAudit(db, { actor: user.email, action: "user.setup", target: user.id, details: { email: user.email } });
  return created({ user });
});
