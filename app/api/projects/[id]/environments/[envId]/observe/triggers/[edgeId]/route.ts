import { route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { resolveEnvironment } from "@/server/observe/environment";
import { getPollerHub } from "@/server/observe/poller";
import { buildTriggerDetail, parseWindow } from "@/server/observe/snapshot";

type P = { id: string; envId: string; edgeId: string };

// GET /api/projects/:id/environments/:envId/observe/triggers/:edgeId?window= – lag over time (TriggerDetailSchema)
export const GET = route<P>(async (req, { id, envId, edgeId }) => {
  const q = new URL(req.url).searchParams;
  const range = parseWindow({ window: q.get("window"), from: q.get("from"), to: q.get("to") });
  const db = getDb();
  return buildTriggerDetail(getPollerHub(db), await resolveEnvironment(db, id, envId), edgeId, range);
});
