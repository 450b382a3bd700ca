import { route } from "@/server/api/handler";
import { parseOrThrow } from "@/server/api/parse";
import { getDb } from "@/server/db/client";
import { NodeParamSchema, TaskParamSchema } from "@/server/observe/dlq/schemas";
import { getRedriveTask, resolveDlqEnv } from "@/server/observe/dlq/service";

type P = { id: string; envId: string; nodeId: string; taskId: string };

// GET /api/projects/:id/environments/:envId/observe/dlq/:nodeId/redrive/:taskId – a redrive's progress {task}
export const GET = route<P>(async (_req, { id, envId, nodeId, taskId }) => {
  const db = getDb();
  return { task: await getRedriveTask(db, await resolveDlqEnv(db, id, envId), parseOrThrow(NodeParamSchema, nodeId), parseOrThrow(TaskParamSchema, taskId)) };
});
