import { test, after } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection } from "node:net";
import { testDatabases } from "../../db/__tests__/databases";
import { createProject, saveRevision } from "../../db/projects";
import { listEnvironments } from "../../db/environments";
import { metaKey, readSandboxMeta, runningSandbox, sandboxDataDir, stopAllSandboxes } from "../manager";

const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-sbm-"));

const doc = (marker: string) => ({
  schemaVersion: 1,
  name: "Sandboxed",
  nodes: [
    { id: "in", kind: "queue", name: "In", visibilityTimeoutSeconds: 1, redrive: { deadLetterQueueId: "in-dlq", maxReceiveCount: 1 } },
    { id: "in-dlq", kind: "queue", name: "In DLQ" },
    { id: "worker", kind: "function", name: `worker-${marker}`, simulate: { latencyMs: 0, initMs: 0, poisonMarker: "POISON" } },
  ],
  edges: [{ id: "in-worker", kind: "trigger", source: "in", target: "worker", batchSize: 10, reportBatchItemFailures: true }],
});

const portFree = (url: string) =>
  new Promise<boolean>((resolve) => {
    const u = new URL(url);
    const s = createConnection({ host: u.hostname, port: Number(u.port) });
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(true));
  });

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

after(async () => {
  await stopAllSandboxes();
  rmSync(dir, { recursive: true, force: true });
});

for (const target of testDatabases())
test(`sandbox API on ${target.name}: start (idempotent, Meta row, local environment), traffic with poison → exact DLQ depth, restart on a new revision, stop frees ports`, { skip: target.skip }, async () => {
  const { db, config, close } = await target.open();
  // The routes use getDb() (DATABASE_URL, one client per process): point it at this database.
  const g = globalThis as { __topographDb?: unknown };
  const before = { url: process.env.DATABASE_URL, db: g.__topographDb };
  process.env.DATABASE_URL = config.url;
  g.__topographDb = db;
  try {
    const project = await createProject(db, { name: "Sandboxed", document: doc("a") });
    const id = project.id;
    const sandbox = await import("../../../app/api/projects/[id]/sandbox/route");
    const traffic = await import("../../../app/api/projects/[id]/sandbox/traffic/route");
    const params = { params: Promise.resolve({ id }) };
    const call = async (h: (req: Request, ctx: typeof params) => Promise<Response>, method: string, body?: unknown) => {
      const res = await h(new Request(`http://localhost/api/projects/${id}/sandbox`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "content-type": "application/json" } }), { params: Promise.resolve({ id }) });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    };

    // Not running yet.
    let r = await call(sandbox.GET, "GET");
    assert.equal(r.status, 200);
    assert.equal(r.json.sandbox.running, false);
    assert.equal(r.json.sandbox.summary, null);
    r = await call(traffic.POST, "POST", { nodeId: "in", ratePerSec: 10, durationSec: 1 });
    assert.equal(r.status, 409);
    assert.equal(r.json.error.code, "TOPO-E100");

    // Start.
    r = await call(sandbox.POST, "POST");
    assert.equal(r.status, 200);
    const meta = r.json.sandbox.meta;
    assert.equal(r.json.sandbox.running, true);
    assert.equal(meta.revision, 1);
    assert.equal(meta.pid, process.pid);
    assert.equal(meta.region, "us-east-1");
    for (const k of ["sqs", "kinesis", "logs", "cloudwatch", "http"]) assert.match(meta.endpoints[k], /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(meta.functionNames, { worker: "worker-a" });
    assert.deepEqual(meta.logGroups, { worker: "/aws/lambda/worker-a" });
    assert.deepEqual(Object.keys(meta.queueUrls).sort(), ["in", "in-dlq"]);
    const row = await db.meta.findUnique({ where: { key: metaKey(id) } });
    assert.deepEqual(JSON.parse(row!.value), meta);
    assert.deepEqual(await readSandboxMeta(db, id), meta);
    assert.deepEqual((await listEnvironments(db, id)).map((e) => [e.name, e.kind]), [["local", "local"]]);
    assert.ok(existsSync(sandboxDataDir(id, config)), "logs persisted under the data directory");

    // Starting again is idempotent.
    r = await call(sandbox.POST, "POST");
    assert.equal(r.json.sandbox.meta.startedAt, meta.startedAt);
    assert.equal((await listEnvironments(db, id)).length, 1);

    // Bad traffic input.
    r = await call(traffic.POST, "POST", { nodeId: "in", ratePerSec: 5_000, durationSec: 1 });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, "TOPO-E023");
    r = await call(traffic.POST, "POST", { nodeId: "nope", ratePerSec: 5, durationSec: 1 });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, "TOPO-E102");
    r = await call(traffic.POST, "POST", { nodeId: "in", ratePerSec: 5, durationSec: 1, extra: 1 });
    assert.equal(r.status, 400);

    // 40 events in 1 s, a quarter poison: exactly 10 land in the DLQ (maxReceiveCount 1), 30 succeed.
    r = await call(traffic.POST, "POST", { nodeId: "in", ratePerSec: 40, durationSec: 1, poisonFraction: 0.25 });
    assert.equal(r.status, 201);
    assert.equal(r.json.run.state, "running");
    const runId = r.json.run.id;
    await waitFor("the run to finish", async () => (await call(sandbox.GET, "GET")).json.sandbox.traffic[0].state === "done");
    await waitFor("10 messages in the DLQ", async () => (await call(sandbox.GET, "GET")).json.sandbox.summary.queues["in-dlq"].depth === 10);
    r = await call(sandbox.GET, "GET");
    const s = r.json.sandbox;
    assert.deepEqual(
      { id: s.traffic[0].id, sent: s.traffic[0].sent, poison: s.traffic[0].poison, failed: s.traffic[0].failed, progress: s.traffic[0].progress },
      { id: runId, sent: 40, poison: 10, failed: 0, progress: 1 },
    );
    assert.equal(s.summary.queues.in.depth, 0);
    assert.equal(s.summary.queues["in-dlq"].isDeadLetterQueue, true);
    assert.equal(s.summary.functions.worker.throttles, 0);
    assert.equal(s.summary.triggers["in-worker"].driven, true);
    // The same counts through CloudWatch's GetMetricData on the sandbox's metrics endpoint (sampled each second).
    const cw = new CloudWatchClient({ region: "us-east-1", endpoint: meta.endpoints.cloudwatch, credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
    const sumOf = async (name: string) => {
      const out = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(Date.now() - 600_000),
          EndTime: new Date(Date.now() + 60_000),
          MetricDataQueries: [{ Id: "m", MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: name, Dimensions: [{ Name: "FunctionName", Value: "worker-a" }] }, Period: 60, Stat: "Sum" } }],
        }),
      );
      return (out.MetricDataResults?.[0]?.Values ?? []).reduce((a, b) => a + b, 0);
    };
    // (Invocations count batches of up to 10 messages, so they equal the runtime's count, not the 40 messages.)
    const invocations = s.summary.functions.worker.invocations;
    assert.ok(invocations >= 4 && invocations <= 40, `${invocations} invocations for 40 messages`);
    await waitFor("the invocations in CloudWatch", async () => (await sumOf("Invocations")) === invocations);
    assert.equal(await sumOf("Errors"), s.summary.functions.worker.errors);
    assert.equal(await sumOf("Throttles"), 0);
    cw.destroy();
    // Stopping traffic when none runs stops nothing; an unknown run id is a 404.
    r = await call(traffic.DELETE, "DELETE");
    assert.deepEqual(r.json, { stopped: 0 });
    r = await call(traffic.DELETE, "DELETE", { runId: "run-nope" });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, "TOPO-E104");
    // A long run stopped by DELETE.
    r = await call(traffic.POST, "POST", { nodeId: "worker", ratePerSec: 5, durationSec: 60 });
    r = await call(traffic.DELETE, "DELETE");
    assert.deepEqual(r.json, { stopped: 1 });
    assert.equal((await call(sandbox.GET, "GET")).json.sandbox.traffic[0].state, "stopped");

    // A new revision restarts the sandbox on it; the old ports are freed.
    await saveRevision(db, id, { baseRevision: 1, document: doc("b"), message: "rename" });
    r = await call(sandbox.POST, "POST");
    assert.equal(r.json.sandbox.meta.revision, 2);
    assert.deepEqual(r.json.sandbox.meta.functionNames, { worker: "worker-b" });
    for (const url of Object.values(meta.endpoints) as (string | null)[]) if (url) assert.equal(await portFree(url), true, `${url} freed`);
    assert.equal(runningSandbox(id)?.revision, 2);
    const meta2 = r.json.sandbox.meta;

    // Stop: 204, ports freed, Meta row deleted. Stopping again is fine.
    r = await call(sandbox.DELETE, "DELETE");
    assert.equal(r.status, 204);
    for (const url of Object.values(meta2.endpoints) as (string | null)[]) if (url) assert.equal(await portFree(url), true, `${url} freed`);
    assert.equal(await db.meta.findUnique({ where: { key: metaKey(id) } }), null);
    assert.equal((await call(sandbox.DELETE, "DELETE")).status, 204);
    const audit = await db.auditEvent.findMany({ where: { projectId: id }, orderBy: { at: "asc" } });
    assert.deepEqual(
      audit.map((a) => a.action),
      ["sandbox.start", "sandbox.traffic", "sandbox.traffic", "sandbox.start", "sandbox.stop"],
    );

    // Unknown project: 404.
    const res = await sandbox.GET(new Request("http://localhost/x"), { params: Promise.resolve({ id: "p-nope" }) });
    assert.equal(res.status, 404);

    // A stale row (its process is gone) is ignored.
    await db.meta.create({ data: { key: metaKey(id), value: JSON.stringify({ ...meta, pid: 2 ** 22 + 12345 }) } });
    assert.equal(await readSandboxMeta(db, id), null);
    rmSync(sandboxDataDir(id, config), { recursive: true, force: true });
  } finally {
    await stopAllSandboxes();
    g.__topographDb = before.db;
    if (before.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before.url;
    await close();
  }
});
