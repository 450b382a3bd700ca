/**
 * A project running in the local sandbox, for the Observe benchmarks: a fresh SQLite database (DATABASE_URL is
 * pointed at it so the API routes' getDb() use it), a small design (two queues with a DLQ, two functions, a
 * stream), the sandbox started through the manager (Meta row, local environment), and a steady traffic loop.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const OBSERVED_DESIGN = {
  schemaVersion: 1,
  name: "Observed bench",
  nodes: [
    { id: "orders", kind: "queue", name: "Orders", visibilityTimeoutSeconds: 2, redrive: { deadLetterQueueId: "orders-dlq", maxReceiveCount: 2 } },
    { id: "orders-dlq", kind: "queue", name: "Orders DLQ" },
    { id: "place", kind: "function", name: "bench-place", simulate: { latencyMs: 3, initMs: 50, poisonMarker: "POISON" } },
    { id: "clicks", kind: "stream", name: "Clicks" },
    { id: "count", kind: "function", name: "bench-count", logFormat: "JSON", simulate: { latencyMs: 1, initMs: 20 } },
  ],
  edges: [
    { id: "orders-place", kind: "trigger", source: "orders", target: "place", batchSize: 1 },
    { id: "clicks-count", kind: "trigger", source: "clicks", target: "count", batchSize: 10, startingPosition: "TRIM_HORIZON" },
  ],
};

export interface ObservedProject {
  projectId: string;
  environmentId: string;
  send(nodeId: string, body: string): Promise<void>;
  /** Sends `perSec` messages a second to the orders queue and clicks stream until stopped. */
  traffic(perSec: number): () => void;
  stop(): Promise<void>;
}

export async function observedProject(): Promise<ObservedProject> {
  // The benches stand for a server bound to loopback (`next start -H 127.0.0.1`): local admin, no sign-in.
  if (!process.argv.includes("-H")) process.argv.push("-H", "127.0.0.1");
  const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-obs-bench-"));
  const { resolveDbConfig } = await import("../db/config");
  const config = resolveDbConfig(`file:${join(dir, "bench.db")}`);
  process.env.DATABASE_URL = config.url;
  const { migrateDatabase } = await import("../db/migrate");
  await migrateDatabase(config);
  // Several benches in one process: each gets its own database, client and pollers.
  const g = globalThis as { __topographDb?: unknown; __topographPollerHub?: unknown };
  delete g.__topographDb;
  delete g.__topographPollerHub;
  const { getDb } = await import("../db/client");
  const db = getDb();
  const { createProject } = await import("../db/projects");
  const { listEnvironments } = await import("../db/environments");
  const { startProjectSandbox, runningSandbox, stopAllSandboxes } = await import("../sandbox/manager");
  const project = await createProject(db, { name: OBSERVED_DESIGN.name, document: OBSERVED_DESIGN });
  await startProjectSandbox(project.id, { db, dbConfig: config, sandbox: { pollWaitSeconds: 1, kinesisPollIntervalMs: 50 } });
  const env = (await listEnvironments(db, project.id)).find((e) => e.name === "local")!;
  const sb = runningSandbox(project.id)!.sb;
  return {
    projectId: project.id,
    environmentId: env.id,
    send: (nodeId, body) => sb.send(nodeId, body),
    traffic(perSec: number) {
      let i = 0;
      const timer = setInterval(() => {
        i++;
        void sb.send("orders", JSON.stringify({ order: i })).catch(() => {});
        void sb.send("clicks", JSON.stringify({ click: i })).catch(() => {});
      }, 1000 / perSec);
      return () => clearInterval(timer);
    },
    async stop() {
      const { getPollerHub } = await import("./poller");
      await getPollerHub(db).stop();
      delete g.__topographPollerHub;
      await stopAllSandboxes();
      await db.$disconnect();
      delete g.__topographDb;
      (await import("./environment")).forgetResolved();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls a route handler in process, as Next would, and returns status and JSON. */
export async function callRoute(
  handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>,
  params: Record<string, string>,
  query = "",
): Promise<{ status: number; json: any }> {
  const res = await handler(new Request(`http://localhost/api${query}`), { params: Promise.resolve(params) });
  return { status: res.status, json: await res.json() };
}
