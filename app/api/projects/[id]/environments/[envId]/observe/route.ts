import { route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { resolveEnvironment } from "@/server/observe/environment";
import { getPollerHub } from "@/server/observe/poller";
import { parseWindow, sharedSnapshot } from "@/server/observe/snapshot";

type P = { id: string; envId: string };

// GET /api/projects/:id/environments/:envId/observe?window=5m|1h|24h|custom&from&to – one snapshot (SnapshotSchema)
export const GET = route<P>(async (req, { id, envId }) => {
  const q = new URL(req.url).searchParams;
  const range = parseWindow({ window: q.get("window"), from: q.get("from"), to: q.get("to") });
  const db = getDb();
  return sharedSnapshot(getPollerHub(db), await resolveEnvironment(db, id, envId), range);
});
