import { created, readJson, route } from "@/server/api/handler";
import { TopoError } from "@/server/errors";
import { getDb } from "@/server/db/client";
import { startTrafficFor, stopTrafficFor } from "@/server/sandbox/api";

type P = { id: string };

// POST /api/projects/:id/sandbox/traffic – { nodeId, ratePerSec, durationSec, poisonFraction } starts a traffic run
export const POST = route<P>(async (req, { id }, ctx) => created({ run: await startTrafficFor(getDb(), id, ctx.actor, await readJson(req, 4_096)) }));

// DELETE /api/projects/:id/sandbox/traffic – stop every running run, or { runId } one of them
export const DELETE = route<P>(async (req, { id }) => {
  const text = await req.text();
  let body: unknown = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new TopoError("TOPO-E001", `the request body is not valid JSON: ${(e as Error).message}`);
    }
  }
  return { stopped: await stopTrafficFor(getDb(), id, body) };
});
