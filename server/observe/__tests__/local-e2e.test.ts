/**
 * End to end against the real local sandbox (fauxqs, kinesalite, our logs endpoint), through the API routes:
 * N messages → the snapshot counts N invocations, cold starts, poison in the DLQ; function and trigger details;
 * bindings and their check. Responses are validated against the shared schemas.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveDbConfig } from "../../db/config";
import { migrateDatabase } from "../../db/migrate";
import { createDb } from "../../db/client";
import { createProject } from "../../db/projects";
import { listEnvironments } from "../../db/environments";
import { runningSandbox, startProjectSandbox, stopAllSandboxes } from "../../sandbox/manager";
import { FunctionDetailSchema, SnapshotSchema, TriggerDetailSchema } from "../types";

const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-obs-"));
const config = resolveDbConfig(`file:${join(dir, "test.db")}`);
process.env.DATABASE_URL = config.url;

const doc = {
  schemaVersion: 1,
  name: "Observed",
  nodes: [
    { id: "in", kind: "queue", name: "In", visibilityTimeoutSeconds: 1, redrive: { deadLetterQueueId: "in-dlq", maxReceiveCount: 1 } },
    { id: "in-dlq", kind: "queue", name: "In DLQ" },
    { id: "worker", kind: "function", name: "obs-worker", simulate: { latencyMs: 5, initMs: 40, poisonMarker: "POISON" } },
    { id: "clicks", kind: "stream", name: "Clicks", shardCount: 1 },
    { id: "counter", kind: "function", name: "obs-counter", logFormat: "JSON", simulate: { latencyMs: 1, initMs: 10 } },
  ],
  edges: [
    { id: "in-worker", kind: "trigger", source: "in", target: "worker", batchSize: 1 },
    { id: "clicks-counter", kind: "trigger", source: "clicks", target: "counter", batchSize: 10, startingPosition: "TRIM_HORIZON" },
  ],
};

after(async () => {
  await stopAllSandboxes();
  const { getPollerHub } = await import("../poller");
  const { getDb } = await import("../../db/client");
  await getPollerHub(getDb()).stop();
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
}

test("local sandbox → observe API: invocations, cold starts, errors, DLQ depth, lag; details; bindings check", async () => {
  await migrateDatabase(config);
  const db = createDb(config);
  const project = await createProject(db, { name: "Observed", document: doc });
  const id = project.id;
  const snapshotRoute = await import("../../../app/api/projects/[id]/environments/[envId]/observe/route");
  const fnRoute = await import("../../../app/api/projects/[id]/environments/[envId]/observe/functions/[nodeId]/route");
  const trRoute = await import("../../../app/api/projects/[id]/environments/[envId]/observe/triggers/[edgeId]/route");
  const bindingsRoute = await import("../../../app/api/projects/[id]/environments/[envId]/bindings/route");
  const checkRoute = await import("../../../app/api/projects/[id]/environments/[envId]/bindings/check/route");
  const call = async (h: (req: Request, ctx: any) => Promise<Response>, params: Record<string, string>, query = "", method = "GET") => {
    const res = await h(new Request(`http://localhost/x${query}`, { method }), { params: Promise.resolve({ id, ...params }) });
    return { status: res.status, json: await res.json() };
  };

  // No sandbox yet: the local environment does not exist → create it the way the manager would after start.
  await startProjectSandbox(id, { db, dbConfig: config, sandbox: { pollWaitSeconds: 1, kinesisPollIntervalMs: 50 } });
  const env = (await listEnvironments(db, id)).find((e) => e.name === "local")!;
  assert.ok(env, "the manager created the local environment");
  const p = { envId: env.id };

  const bad = await call(snapshotRoute.GET, p, "?window=2h");
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, "TOPO-E124");

  const bindings = await call(bindingsRoute.GET, p);
  assert.equal(bindings.status, 200);
  assert.equal(bindings.json.bindings.worker.functionName, "obs-worker");
  assert.equal(bindings.json.bindings.worker.logGroupName, "/aws/lambda/obs-worker");
  assert.equal(bindings.json.bindings.worker.source, "sandbox");
  assert.match(bindings.json.bindings.in.queueUrl, /^http:\/\/[^/]+:\d+\/\d{12}\/in$/);

  const sb = runningSandbox(id)!.sb;
  const N = 12;
  for (let i = 0; i < N; i++) await sb.send("in", JSON.stringify({ n: i }));
  await sb.send("in", "POISON pill");
  for (let i = 0; i < 5; i++) await sb.send("clicks", JSON.stringify({ click: i }));

  const snap = await waitFor("the snapshot to count every invocation and the dead letter", async () => {
    const s = await call(snapshotRoute.GET, p, "?window=5m");
    assert.equal(s.status, 200, JSON.stringify(s.json));
    const w = s.json.functions.worker;
    const c = s.json.functions.counter;
    // 12 good messages once each; the poison message once (maxReceiveCount 1) before it moves to the DLQ.
    return w.invocations === N + 1 && s.json.queues["in-dlq"].depth === 1 && c.invocations >= 1 ? s.json : undefined;
  });
  SnapshotSchema.parse(snap);
  const w = snap.functions.worker;
  assert.equal(w.errors, 1);
  assert.equal(w.timeouts, 0);
  assert.ok(w.coldStarts >= 1 && w.coldStarts <= 5, `cold starts ${w.coldStarts}`);
  assert.ok(w.initP95Ms >= 40, `init p95 ${w.initP95Ms}`);
  assert.ok(w.p95Ms >= 5);
  assert.equal(w.memorySizeMb, 128);
  assert.equal(w.freshness.state, "fresh");
  assert.equal(snap.functions.counter.errors, 0);
  assert.equal(snap.queues["in-dlq"].isDeadLetterQueue, true);
  assert.equal(snap.queues.in.isDeadLetterQueue, false);
  assert.equal(snap.triggers["in-worker"].kind, "queue");
  assert.equal(snap.triggers["in-worker"].lagUnit, "messages");
  assert.equal(snap.triggers["clicks-counter"].lagUnit, "ms");
  assert.equal(snap.health.status, "degraded");
  assert.ok(snap.health.reasons.some((r: string) => r.includes("in-dlq")));

  const detail = await call(fnRoute.GET, { ...p, nodeId: "worker" }, "?window=5m");
  assert.equal(detail.status, 200);
  FunctionDetailSchema.parse(detail.json);
  assert.equal(detail.json.functionName, "obs-worker");
  assert.equal(detail.json.series.reduce((a: number, b: { invocations: number }) => a + b.invocations, 0), N + 1);
  assert.equal(detail.json.latest.length, N + 1);
  assert.equal(detail.json.latest.filter((i: { status: string }) => i.status !== "success").length, 1);
  const notFn = await call(fnRoute.GET, { ...p, nodeId: "in" });
  assert.equal(notFn.status, 404);
  assert.equal(notFn.json.error.code, "TOPO-E125");

  const trig = await call(trRoute.GET, { ...p, edgeId: "in-worker" }, "?window=5m");
  assert.equal(trig.status, 200);
  TriggerDetailSchema.parse(trig.json);
  assert.ok(trig.json.series.length >= 1);

  const check = await call(checkRoute.POST, p, "", "POST");
  assert.equal(check.status, 200);
  const byNode = Object.fromEntries(check.json.checks.map((c: { nodeId: string; status: string }) => [c.nodeId, c.status]));
  assert.deepEqual(byNode, { in: "found", "in-dlq": "found", worker: "found", clicks: "found", counter: "found" });

  // A hand-edited binding wins, and the check says what is wrong with it.
  const { updateEnvironment } = await import("../../db/environments");
  const qurl = bindings.json.bindings.in.queueUrl as string;
  await updateEnvironment(db, id, env.id, { bindings: { in: { queueUrl: qurl.replace(/[^/]+$/, "missing-queue") }, worker: { functionName: "nope" } } });
  const check2 = await call(checkRoute.POST, p, "", "POST");
  const c2 = Object.fromEntries(check2.json.checks.map((c: { nodeId: string; status: string; binding: { source: string } }) => [c.nodeId, [c.status, c.binding?.source]]));
  assert.deepEqual(c2.in, ["not-found", "manual"]);
  assert.deepEqual(c2.worker, ["not-found", "manual"]);
  await updateEnvironment(db, id, env.id, { bindings: {} });

  await stopAllSandboxes();
  (await import("../environment")).forgetResolved(); // resolutions are cached for a second
  const gone = await call(snapshotRoute.GET, p);
  assert.equal(gone.status, 409);
  assert.equal(gone.json.error.code, "TOPO-E120");
  assert.match(gone.json.error.message, /press Run locally/);
  await db.$disconnect();
});
