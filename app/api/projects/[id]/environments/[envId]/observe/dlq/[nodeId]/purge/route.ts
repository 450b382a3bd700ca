import { route } from "@/server/api/handler";
import { parseOrThrow } from "@/server/api/parse";
import { getDb } from "@/server/db/client";
import { NodeParamSchema } from "@/server/observe/dlq/schemas";
import { purgeDlq, resolveDlqEnv } from "@/server/observe/dlq/service";

type P = { id: string; envId: string; nodeId: string };

// POST /api/projects/:id/environments/:envId/observe/dlq/:nodeId/purge – PurgeQueue (audited); {purged: approximate count}
export const POST = route<P>(async (_req, { id, envId, nodeId }, ctx) => {
  const db = getDb();
  return purgeDlq(db, await resolveDlqEnv(db, id, envId), ctx.actor, parseOrThrow(NodeParamSchema, nodeId));
});
