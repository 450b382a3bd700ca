import { route } from "@/server/api/handler";
import { resolveAuthMode } from "@/server/auth/mode";
import { oidcProvider } from "@/server/auth/options";
import { countUsers } from "@/server/auth/users";
import { getDb } from "@/server/db/client";

// GET /api/auth/me – { mode, reason, user, needsSetup, providers }: whether sign-in is on and who is asking
export const GET = route(async (_req, _params, ctx) => {
  const mode = resolveAuthMode();
  const user = ctx.user && { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name, role: ctx.user.globalRole, local: ctx.user.local };
  return {
    mode: mode.kind,
    reason: mode.reason,
    user,
    needsSetup: mode.kind === "sign-in" && (await countUsers(getDb())) === 0,
    providers: ["credentials", ...(oidcProvider() ? ["oidc"] : [])],
  };
});
