import { created, readJson, route } from "@/server/api/handler";
import { recordAudit } from "@/server/audit/audit";
import { createUser, countUsers } from "@/server/auth/users";
import { getDb } from "@/server/db/client";
import { TopoError } from "@/server/errors";

// GET /api/auth/setup – { needsSetup }: true until the first user exists
export const GET = route(async () => ({ needsSetup: (await countUsers(getDb())) === 0 }));

// POST /api/auth/setup – { email, password, name? } creates the first administrator; 409 TOPO-E177 once any user exists
export const POST = route(async (req) => {
  const db = getDb();
  const body = await readJson(req, 64 * 1024);
  // Serialised by the unique email and re-checked inside one transaction, so two racing first
  // runs cannot both create an administrator.
  const user = await db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) throw new TopoError("TOPO-E177", "an administrator already exists");
    return createUser(tx as typeof db, { ...(body && typeof body === "object" ? body : {}), role: "admin" });
  });
  await recordAudit(db, { actor: user.email, action: "user.setup", target: user.id, details: { email: user.email } });
  return created({ user });
});
