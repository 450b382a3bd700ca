import { created, readJson, route } from "@/server/api/handler";
import { recordAudit } from "@/server/audit/audit";
import { addMember, listMembers } from "@/server/auth/users";
import { getDb } from "@/server/db/client";

type P = { id: string };

// GET /api/projects/:id/members – { members, you }: who has which role on the project
export const GET = route<P>(async (_req, { id }, ctx) => ({ members: await listMembers(getDb(), id), you: { role: ctx.role, local: !!ctx.user?.local } }));

// POST /api/projects/:id/members – { email, role, password? }: adds or re-roles a member; a Topograph administrator may create the user with a first password
export const POST = route<P>(async (req, { id }, ctx) => {
  const db = getDb();
  const { member, createdUser } = await addMember(db, id, await readJson(req, 64 * 1024), { mayCreateUser: ctx.user?.globalRole === "admin" });
  await recordAudit(db, { actor: ctx.actor, projectId: id, action: "member.add", target: member.email, details: { role: member.role, ...(createdUser ? { createdUser: true } : {}) } });
  return created({ member });
});
