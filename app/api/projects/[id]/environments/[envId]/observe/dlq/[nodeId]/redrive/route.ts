import { created, route } from "@/server/api/handler";
import { parseOrThrow } from "@/server/api/parse";
import { getDb } from "@/server/db/client";
import { NodeParamSchema, readOptionalJson, RedriveSchema } from "@/server/observe/dlq/schemas";
import { resolveDlqEnv, startRedrive } from "@/server/observe/dlq/service";

type P = { id: string; envId: string; nodeId: string };

// POST /api/projects/:id/environments/:envId/observe/dlq/:nodeId/redrive {destinationNodeId?, maxPerSecond?} – start (or resume) a redrive; 201 {task, resumed}
export const POST = route<P>(async (req, { id, envId, nodeId }, ctx) => {
  const body = parseOrThrow(RedriveSchema, await readOptionalJson(req));
  const db = getDb();
  return created(await startRedrive(db, await resolveDlqEnv(db, id, envId), ctx.actor, parseOrThrow(NodeParamSchema, nodeId), body));
});
