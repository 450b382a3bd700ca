import { readJson, route } from "@/server/api/handler";
import { parseOrThrow } from "@/server/api/parse";
import { recordAudit } from "@/server/audit/audit";
import { getUser, listUsers, setUserPassword, setUserRole } from "@/server/auth/users";
import { getDb } from "@/server/db/client";
import { TopoError } from "@/server/errors";
import { z } from "zod";

const UserPatch = z.strictObject({ role: z.enum(["admin", "member"]).optional(), password: z.string().optional() });

// PATCH /api/auth/users/:userId – { role?, password? } (administrators only); the last administrator stays one
export const PATCH = route<{ userId: string }>(async (req, { userId }, ctx) => {
  const db = getDb();
  const body = parseOrThrow(UserPatch, await readJson(req, 64 * 1024));
  const u = await getUser(db, userId);
  if (!u) throw new TopoError("TOPO-E179", "no such user");
  if (body.role === "member" && u.role === "admin" && (await db.user.count({ where: { role: "admin" } })) <= 1)
    throw new TopoError("TOPO-E180", "this is the only Topograph administrator", { fix: "Make another user administrator first." });
  if (body.password !== undefined) await setUserPassword(db, u.email, body.password);
  if (body.role) await setUserRole(db, u.email, body.role);
  await recordAudit(db, { actor: ctx.actor, action: "user.update", target: userId, details: { email: u.email, ...(body.role ? { role: body.role } : {}), ...(body.password !== undefined ? { password: "changed" } : {}) } });
  return { user: (await listUsers(db)).find((x) => x.id === userId) };
});
