import { route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { listDlqs, resolveDlqEnv } from "@/server/observe/dlq/service";

type P = { id: string; envId: string };

// GET /api/projects/:id/environments/:envId/observe/dlq – every DLQ of the environment: depth, oldest age, sources, latest redrive
export const GET = route<P>(async (_req, { id, envId }) => {
  const db = getDb();
  return listDlqs(db, await resolveDlqEnv(db, id, envId));
});
