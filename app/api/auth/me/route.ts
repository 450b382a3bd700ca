import { route } from "@/server/api/handler";
import { resolveAuthMode } from "@/server/auth/mode";
import { oidcProvider } from "@/server/auth/options";
import { countUsers, projectRoleOf } from "@/server/auth/users";
import { getDb } from "@/server/db/client";

// GET /api/auth/me[?project=<id>] – { mode, reason, user, needsSetup, providers, projectRole }: whether
// sign-in is on, who is asking, and their role on a project (null when none: the UI hides what they may not do)
export const GET = route(async (req, _params, ctx) => {
  const mode = resolveAuthMode();
  const project = new URL(req.url).searchParams.get("project");
  const projectRole = ctx.user && project ? await projectRoleOf(getDb(), { id: ctx.user.id, role: ctx.user.globalRole }, project.slice(0, 200)) : null;
  const user = ctx.user && { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name, role: ctx.user.globalRole, local: ctx.user.local };
  return {
    mode: mode.kind,
    reason: mode.reason,
    user,
    needsSetup: mode.kind === "sign-in" && (await countUsers(getDb())) === 0,
    providers: ["credentials", ...(oidcProvider() ? ["oidc"] : [])],
    projectRole,
  };
});
