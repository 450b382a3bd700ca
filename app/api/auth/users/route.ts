import { created, readJson, route } from "@/server/api/handler";
import { recordAudit } from "@/server/audit/audit";
import { createUser, listUsers } from "@/server/auth/users";
import { getDb } from "@/server/db/client";

// GET /api/auth/users – { users }: every user (administrators only); never a password hash
export const GET = route(async () => ({ users: await listUsers(getDb()) }));

// POST /api/auth/users – { email, password, name?, role? } creates a user (administrators only)
export const POST = route(async (req, _p, ctx) => {
  const db = getDb();
  const user = await createUser(db, await readJson(req, 64 * 1024));
  await recordAudit(db, { actor: ctx.actor, action: "user.create", target: user.id, details: { email: user.email, role: user.role } });
  return created({ user });
});
