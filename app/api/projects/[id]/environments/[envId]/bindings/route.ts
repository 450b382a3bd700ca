import { route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { resolveEnvironment } from "@/server/observe/environment";

type P = { id: string; envId: string };

// GET /api/projects/:id/environments/:envId/bindings – every node's resolved binding and where it came from
// (hand-edited, the CloudFormation stack, the local sandbox, or the naming convention). Edit with PATCH on the environment.
export const GET = route<P>(async (_req, { id, envId }) => {
  const r = await resolveEnvironment(getDb(), id, envId);
  return { environmentId: r.env.id, kind: r.kind, region: r.region, revision: r.revision, ...(r.stack ? { stack: r.stack } : {}), bindings: r.bindings };
});
