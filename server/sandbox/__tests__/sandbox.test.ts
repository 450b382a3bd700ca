import { test } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { TopologySchema, type Topology } from "../../model/schema";
import { startSandbox, type Sandbox, type SandboxOptions } from "../sandbox";
import { parseReportLine, type ParsedReport } from "../report";
import type { InvokeResult } from "../runtime/function-runtime";

function topo(nodes: unknown[], edges: unknown[]): Topology {
  return TopologySchema.parse({ schemaVersion: 1, name: "t", nodes, edges });
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts a sandbox and always stops it, even when the body throws. */
async function withSandbox(t: Topology, opts: SandboxOptions, body: (sb: Sandbox) => Promise<void>) {
  const sb = await startSandbox(t, opts);
  try {
    await body(sb);
  } finally {
    await sb.stop();
  }
}

async function readReports(sb: Sandbox, group: string, filterPattern = "REPORT"): Promise<(ParsedReport & { stream: string })[]> {
  const c = new CloudWatchLogsClient({ endpoint: sb.endpoints.logs, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  try {
    const out: (ParsedReport & { stream: string })[] = [];
    let nextToken: string | undefined;
    do {
      const r = await c.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern, nextToken, limit: 50 }));
      for (const e of r.events ?? []) {
        const p = parseReportLine(e.message!);
        if (p) out.push({ ...p, stream: e.logStreamName! });
      }
      nextToken = r.nextToken;
    } while (nextToken);
    return out;
  } finally {
    c.destroy();
  }
}

test("sandbox: N messages → N successful invocations; first per environment cold, later warm; REPORTs read back through CloudWatch Logs parse to the same numbers", async () => {
  const t = topo(
    [
      { id: "jobs", kind: "queue", name: "Jobs", visibilityTimeoutSeconds: 5 },
      { id: "worker", kind: "function", name: "worker", memoryMb: 256, simulate: { latencyMs: 5, initMs: 40 } },
    ],
    [{ id: "jobs-worker", kind: "trigger", source: "jobs", target: "worker", batchSize: 1 }],
  );
  const results: InvokeResult[] = [];
  await withSandbox(t, { onReport: (_f, r) => results.push(r), defaultSqsConcurrency: 2 }, async (sb) => {
    const N = 12;
    for (let i = 0; i < N; i++) await sb.send("jobs", JSON.stringify({ i }));
    await waitFor("12 invocations", () => results.length >= N);
    await waitFor("empty queue", async () => (await sb.summary()).queues.jobs.inFlight === 0);
    const s = await sb.summary();
    assert.equal(results.length, N);
    assert.equal(s.functions.worker.invocations, N);
    assert.equal(s.functions.worker.errors, 0);
    assert.equal(s.functions.worker.throttles, 0);
    assert.ok(s.functions.worker.coldStarts >= 1 && s.functions.worker.coldStarts <= 2, `coldStarts ${s.functions.worker.coldStarts}`);
    assert.deepEqual(s.queues.jobs, { name: "Jobs", depth: 0, inFlight: 0, isDeadLetterQueue: false });
    assert.equal(s.triggers["jobs-worker"].lag, 0);

    const reports = await readReports(sb, "/aws/lambda/worker");
    assert.equal(reports.length, N);
    // Per environment (log stream): exactly the first REPORT has Init Duration.
    const byStream = new Map<string, ParsedReport[]>();
    for (const r of reports) byStream.set(r.stream, [...(byStream.get(r.stream) ?? []), r]);
    assert.equal(byStream.size, s.functions.worker.coldStarts);
    for (const list of byStream.values()) {
      assert.ok(list[0].initDurationMs! >= 39, `init ${list[0].initDurationMs}`);
      assert.ok(list.slice(1).every((r) => r.initDurationMs === undefined));
    }
    const byId = new Map(results.map((r) => [r.requestId, r]));
    for (const p of reports) {
      const r = byId.get(p.requestId)!;
      assert.ok(r, `REPORT for unknown request ${p.requestId}`);
      assert.equal(p.durationMs, r.durationMs);
      assert.equal(p.initDurationMs, r.initDurationMs);
      assert.equal(p.memorySizeMb, 256);
      assert.equal(p.status, "success");
    }
  });
});

test("sandbox: poison messages reach the DLQ after exactly maxReceiveCount receives; the others are processed once (partial batch response)", async () => {
  const t = topo(
    [
      { id: "orders", kind: "queue", name: "Orders", visibilityTimeoutSeconds: 1, redrive: { deadLetterQueueId: "orders-dlq", maxReceiveCount: 2 } },
      { id: "orders-dlq", kind: "queue", name: "Orders DLQ" },
      { id: "ship", kind: "function", name: "ship", simulate: { latencyMs: 1, initMs: 0, poisonMarker: "POISON" } },
    ],
    [{ id: "orders-ship", kind: "trigger", source: "orders", target: "ship", batchSize: 10, maximumBatchingWindowSeconds: 0.2, reportBatchItemFailures: true }],
  );
  const seen = new Map<string, number>();
  await withSandbox(
    t,
    {
      onReport: (_f, _r, ev) => {
        for (const rec of (ev as { Records: { body: string }[] }).Records) seen.set(rec.body, (seen.get(rec.body) ?? 0) + 1);
      },
    },
    async (sb) => {
      const bodies = ["ok-1", "ok-2", "POISON-1", "ok-3", "ok-4", "POISON-2", "ok-5", "ok-6"];
      for (const b of bodies) await sb.send("orders", b);
      await waitFor("2 messages in the DLQ", async () => (await sb.summary()).queues["orders-dlq"].depth === 2, 15_000);
      await waitFor("source queue drained", async () => {
        const q = (await sb.summary()).queues.orders;
        return q.depth === 0 && q.inFlight === 0;
      });
      for (const b of bodies) assert.equal(seen.get(b), b.startsWith("POISON") ? 2 : 1, b);
      const dlq = await sb.sqs.send(new ReceiveMessageCommand({ QueueUrl: sb.queueUrls.get("orders-dlq")!, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      assert.deepEqual(dlq.Messages?.map((m) => m.Body).sort(), ["POISON-1", "POISON-2"]);
      const s = await sb.summary();
      assert.equal(s.queues["orders-dlq"].isDeadLetterQueue, true);
      assert.equal(s.functions.ship.errors, 0, "partial batch responses are successful invocations");
    },
  );
});

test("sandbox: a timeout shows Status: timeout; the message is not deleted", async () => {
  const t = topo(
    [
      { id: "slow-q", kind: "queue", name: "Slow", visibilityTimeoutSeconds: 30 },
      { id: "slow", kind: "function", name: "slow", logFormat: "Text", timeoutSeconds: 1, simulate: { latencyMs: 2000, initMs: 10 } },
    ],
    [{ id: "q-slow", kind: "trigger", source: "slow-q", target: "slow", batchSize: 1 }],
  );
  await withSandbox(t, {}, async (sb) => {
    await sb.send("slow-q", "x");
    await waitFor("a timeout", () => sb.runtimes.get("slow")!.stats.timeouts === 1, 5_000);
    const r = await readReports(sb, "/aws/lambda/slow", '"Status: timeout"');
    assert.equal(r.length, 1);
    assert.equal(r[0].status, "timeout");
    assert.ok(r[0].durationMs >= 999 && r[0].durationMs < 1500, String(r[0].durationMs));
    assert.ok(r[0].initDurationMs! >= 9);
    const s = await sb.summary();
    assert.deepEqual({ ...s.functions.slow }, { name: "slow", invocations: 1, coldStarts: 1, errors: 1, throttles: 0, timeouts: 1 });
    assert.equal(s.queues["slow-q"].inFlight, 1, "not deleted: it returns after the visibility timeout");
  });
});

test("sandbox: reserved concurrency 1 with a burst shows throttles, and every message is still processed once", async () => {
  const t = topo(
    [
      { id: "burst", kind: "queue", name: "Burst", visibilityTimeoutSeconds: 1 },
      { id: "single", kind: "function", name: "single", reservedConcurrency: 1, simulate: { latencyMs: 50, initMs: 0 } },
    ],
    [{ id: "burst-single", kind: "trigger", source: "burst", target: "single", batchSize: 1, maximumConcurrency: 4 }],
  );
  const ok: string[] = [];
  await withSandbox(t, { onReport: (_f, r, ev) => r.status === "success" && ok.push((ev as { Records: { body: string }[] }).Records[0].body) }, async (sb) => {
    for (let i = 0; i < 6; i++) await sb.send("burst", `m${i}`);
    await waitFor("6 successes", () => ok.length >= 6, 15_000);
    await waitFor("drained", async () => {
      const q = (await sb.summary()).queues.burst;
      return q.depth === 0 && q.inFlight === 0;
    });
    const s = await sb.summary();
    assert.ok(s.functions.single.throttles > 0, "throttles");
    assert.equal(s.functions.single.invocations, 6);
    assert.equal(s.functions.single.coldStarts, 1, "one environment only");
    assert.deepEqual([...ok].sort(), ["m0", "m1", "m2", "m3", "m4", "m5"]);
  });
});

test("sandbox: JSON log format writes platform.report; stop() frees every port", async () => {
  const t = topo(
    [
      { id: "j", kind: "queue", name: "J", fifo: true, visibilityTimeoutSeconds: 5 },
      { id: "jf", kind: "function", name: "jf", logFormat: "JSON", simulate: { latencyMs: 1, initMs: 5 } },
      { id: "st", kind: "stream", name: "St", shardCount: 1 },
    ],
    [{ id: "j-jf", kind: "trigger", source: "j", target: "jf", batchSize: 5 }],
  );
  const sb = await startSandbox(t, {});
  let ports: number[] = [];
  try {
    assert.match(sb.queueUrls.get("j")!, /\/j\.fifo$/);
    for (let i = 0; i < 3; i++) await sb.send("j", `f${i}`);
    await sb.send("st", "record");
    await waitFor("3 records processed", async () => {
      const q = (await sb.summary()).queues.j;
      return q.depth === 0 && q.inFlight === 0;
    });
    const r = await readReports(sb, "/aws/lambda/jf", '{ $.type = "platform.report" }');
    assert.ok(r.length >= 1);
    assert.ok(r.every((x) => x.format === "json" && x.status === "success"));
    assert.equal(r[0].initDurationMs !== undefined, true);
    ports = Object.values(sb.endpoints).map((u) => Number(new URL(u).port));
  } finally {
    await sb.stop();
  }
  const { createServer } = await import("node:net");
  for (const port of ports) {
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => s.close(() => resolve()));
    });
  }
});
