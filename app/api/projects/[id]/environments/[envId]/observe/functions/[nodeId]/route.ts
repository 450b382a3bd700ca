import { route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { resolveEnvironment } from "@/server/observe/environment";
import { getPollerHub } from "@/server/observe/poller";
import { buildFunctionDetail, parseWindow } from "@/server/observe/snapshot";

type P = { id: string; envId: string; nodeId: string };

// GET /api/projects/:id/environments/:envId/observe/functions/:nodeId?window= – series and latest invocations (FunctionDetailSchema)
export const GET = route<P>(async (req, { id, envId, nodeId }) => {
  const q = new URL(req.url).searchParams;
  const range = parseWindow({ window: q.get("window"), from: q.get("from"), to: q.get("to") });
  const db = getDb();
  return buildFunctionDetail(getPollerHub(db), await resolveEnvironment(db, id, envId), nodeId, range);
});
