import { noContent, readJson, route } from "@/server/api/handler";
import { recordAudit } from "@/server/audit/audit";
import { removeMember, updateMember } from "@/server/auth/users";
import { getDb } from "@/server/db/client";

type P = { id: string; userId: string };

// PATCH /api/projects/:id/members/:userId – { role }; the project's last admin cannot be demoted (409 TOPO-E180)
export const PATCH = route<P>(async (req, { id, userId }, ctx) => {
  const db = getDb();
  const member = await updateMember(db, id, userId, await readJson(req, 64 * 1024));
  await recordAudit(db, { actor: ctx.actor, projectId: id, action: "member.update", target: member.email, details: { role: member.role } });
  return { member };
});

// DELETE /api/projects/:id/members/:userId – removes the membership; the last admin stays (409 TOPO-E180)
export const DELETE = route<P>(async (_req, { id, userId }, ctx) => {
  const db = getDb();
  const member = await removeMember(db, id, userId);
  await recordAudit(db, { actor: ctx.actor, projectId: id, action: "member.remove", target: member.email, details: { role: member.role } });
  return noContent();
});
