import { route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { checkBindings } from "@/server/observe/bindings-check";
import { forgetStack, resolveEnvironment } from "@/server/observe/environment";

type P = { id: string; envId: string };

// POST /api/projects/:id/environments/:envId/bindings/check – per node: found / not-found / access-denied (missing action) / …
export const POST = route<P>(async (_req, { id, envId }) => {
  forgetStack(envId); // re-read the stack: a check is when someone just deployed or fixed something
  return checkBindings(await resolveEnvironment(getDb(), id, envId, { fresh: true }));
});
