import { test } from "node:test";
import assert from "node:assert/strict";
import { FunctionNodeSchema, type FunctionNode } from "../../model/schema";
import { LogStore } from "../logs/store";
import { FunctionRuntime } from "../runtime/function-runtime";
import { parseReportLine } from "../report";

const fn = (o: Record<string, unknown>): FunctionNode => FunctionNodeSchema.parse({ id: "f", kind: "function", name: "Worker", ...o });

function reports(logs: LogStore, group: string) {
  return logs.filterLogEvents({ logGroupName: group, filterPattern: "REPORT" }).events.map((e) => parseReportLine(e.message)!);
}

test("runtime: first invocation is cold (Init Duration ≈ initMs), later ones warm; concurrency growth adds a cold environment", async () => {
  const logs = new LogStore();
  const rt = new FunctionRuntime(fn({ simulate: { latencyMs: 5, initMs: 30 } }), { logs });
  const a = await rt.invoke({ n: 1 });
  const b = await rt.invoke({ n: 2 });
  assert.equal(a.status, "success");
  assert.equal(a.coldStart, true);
  assert.ok(a.initDurationMs! >= 29, `init ${a.initDurationMs}`);
  assert.equal(b.coldStart, false);
  const [c, d] = await Promise.all([rt.invoke({}), rt.invoke({})]);
  assert.deepEqual([c.coldStart, d.coldStart].sort(), [false, true]);
  assert.deepEqual(rt.stats, { invocations: 4, coldStarts: 2, errors: 0, throttles: 0, timeouts: 0 });
  const r = reports(logs, "/aws/lambda/Worker");
  assert.equal(r.length, 4);
  assert.equal(r.filter((x) => x.initDurationMs !== undefined).length, 2);
  const byId = new Map([a, b, c, d].map((x) => [x.requestId, x]));
  for (const p of r) {
    const inv = byId.get(p.requestId)!;
    assert.equal(p.durationMs, inv.durationMs);
    assert.equal(p.initDurationMs, inv.initDurationMs);
    assert.equal(p.memorySizeMb, 128);
  }
  // START/END/REPORT per invocation, in one stream per environment.
  const streams = logs.describeLogStreams({ logGroupName: "/aws/lambda/Worker" }).logStreams;
  assert.equal(streams.length, 2);
  assert.match(streams[0].logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
});

test("runtime: an idle environment past the TTL is retired (cold start again)", async () => {
  const logs = new LogStore();
  const rt = new FunctionRuntime(fn({ simulate: { latencyMs: 0, initMs: 0 } }), { logs, idleTtlMs: 20 });
  assert.equal((await rt.invoke({})).coldStart, true);
  assert.equal((await rt.invoke({})).coldStart, false);
  await new Promise((r) => setTimeout(r, 40));
  assert.equal((await rt.invoke({})).coldStart, true);
  assert.equal(rt.environments, 1);
});

test("runtime: timeout writes Status: timeout and discards the environment; poison and failures are errors", async () => {
  const logs = new LogStore();
  const rt = new FunctionRuntime(fn({ timeoutSeconds: 1, simulate: { latencyMs: 1500, initMs: 0 } }), { logs });
  const t = await rt.invoke({});
  assert.equal(t.status, "timeout");
  assert.ok(t.durationMs >= 999 && t.durationMs < 1300, String(t.durationMs));
  const line = logs.filterLogEvents({ logGroupName: "/aws/lambda/Worker", filterPattern: '"Status: timeout"' }).events;
  assert.equal(line.length, 1);
  assert.equal(parseReportLine(line[0].message)!.status, "timeout");
  assert.deepEqual(rt.stats, { invocations: 1, coldStarts: 1, errors: 1, throttles: 0, timeouts: 1 });

  const logs2 = new LogStore();
  const p = new FunctionRuntime(fn({ logFormat: "JSON", simulate: { latencyMs: 0, initMs: 0, poisonMarker: "POISON" } }), { logs: logs2 });
  assert.equal((await p.invoke({ body: "fine" })).status, "success");
  const bad = await p.invoke({ body: "POISON pill" });
  assert.equal(bad.status, "error");
  assert.equal(bad.errorType, "Function.Unhandled");
  const partial = await p.invoke({ Records: [{ messageId: "m1", body: "ok" }, { messageId: "m2", body: "POISON" }] }, { partialBatch: true });
  assert.deepEqual(partial.response, { batchItemFailures: [{ itemIdentifier: "m2" }] });
  const json = logs2.filterLogEvents({ logGroupName: "/aws/lambda/Worker", filterPattern: '{ $.type = "platform.report" && $.record.status = "error" }' }).events;
  assert.equal(json.length, 1);
  assert.equal(parseReportLine(json[0].message)!.errorType, "Function.Unhandled");
});

test("runtime: reserved concurrency 1 with a burst throttles; 0 throttles everything; failureRate is seeded", async () => {
  const logs = new LogStore();
  const rt = new FunctionRuntime(fn({ reservedConcurrency: 1, simulate: { latencyMs: 30, initMs: 0 } }), { logs });
  const burst = await Promise.all(Array.from({ length: 5 }, () => rt.invoke({})));
  assert.equal(burst.filter((r) => r.status === "success").length, 1);
  assert.equal(burst.filter((r) => r.status === "throttled").length, 4);
  assert.equal(rt.stats.throttles, 4);
  assert.equal(reports(logs, "/aws/lambda/Worker").length, 1, "throttles write no REPORT");
  const zero = new FunctionRuntime(fn({ reservedConcurrency: 0 }), { logs });
  assert.equal((await zero.invoke({})).status, "throttled");

  const run = async () => {
    const f = new FunctionRuntime(fn({ simulate: { latencyMs: 0, initMs: 0, failureRate: 0.5 } }), { logs: new LogStore(), seed: 42 });
    const out: string[] = [];
    for (let i = 0; i < 20; i++) out.push((await f.invoke({})).status);
    return out;
  };
  const x = await run();
  assert.deepEqual(await run(), x);
  assert.ok(x.includes("error") && x.includes("success"));
});

test("runtime: inlineSource runs as an ES module handler", async () => {
  const logs = new LogStore();
  const src = "let calls = 0;\nexport async function handler(event, context) { calls++; if (event.fail) throw new Error('boom'); return { calls, id: context.awsRequestId, x: event.x * 2 }; }";
  const rt = new FunctionRuntime(fn({ inlineSource: src, simulate: { initMs: 0 } }), { logs });
  const a = await rt.invoke({ x: 21 });
  assert.deepEqual(a.response, { calls: 1, id: a.requestId, x: 42 });
  const b = await rt.invoke({ x: 1 });
  assert.equal((b.response as { calls: number }).calls, 2, "warm environment keeps module state");
  const c = await rt.invoke({ fail: true });
  assert.equal(c.status, "error");
  assert.equal(c.errorMessage, "boom");
  rt.close();
});

test("runtime: inlineSource runs in a worker thread; console lines reach the log stream; a timeout terminates the worker", async () => {
  const logs = new LogStore();
  const src = `
    import { threadId } from "node:worker_threads";
    export async function handler(event, context) {
      console.log("hello", event.n);
      if (event.spin) { const end = Date.now() + 5000; while (Date.now() < end) {} }
      return { threadId, remaining: context.getRemainingTimeInMillis() > 0 };
    }`;
  const rt = new FunctionRuntime(fn({ inlineSource: src, timeoutSeconds: 1, simulate: { initMs: 0 } }), { logs });
  try {
    const a = await rt.invoke({ n: 1 });
    assert.equal(a.status, "success");
    const r = a.response as { threadId: number; remaining: boolean };
    assert.ok(r.threadId > 0, "not the main thread");
    assert.equal(r.remaining, true);
    const lines = logs.filterLogEvents({ logGroupName: "/aws/lambda/Worker", filterPattern: "hello" }).events;
    assert.equal(lines.length, 1);
    assert.match(lines[0].message, new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${a.requestId}\\tINFO\\thello 1$`));
    // A busy loop cannot be interrupted in process; in a worker the timeout terminates it.
    const t0 = Date.now();
    const b = await rt.invoke({ n: 2, spin: true });
    assert.equal(b.status, "timeout");
    assert.ok(Date.now() - t0 < 2_000);
    const c = await rt.invoke({ n: 3 });
    assert.equal(c.coldStart, true, "a new environment after the timeout");
    assert.notEqual((c.response as { threadId: number }).threadId, r.threadId);
  } finally {
    rt.close();
  }
});
