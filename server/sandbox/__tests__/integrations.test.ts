import { test } from "node:test";
import { createHash } from "node:crypto";
import assert from "node:assert/strict";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { TopologySchema, type Topology } from "../../model/schema";
import { startSandbox, type Sandbox, type SandboxOptions } from "../sandbox";
import { matchesPattern, parsePattern } from "../filter-pattern";
import { busEventFor, labelEventTypes } from "../integrations";
import type { InvokeResult } from "../runtime/function-runtime";
import { isTopoError } from "../../errors";

const topo = (nodes: unknown[], edges: unknown[]): Topology => TopologySchema.parse({ schemaVersion: 1, name: "t", nodes, edges });
const fast = { latencyMs: 0, initMs: 0 };

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function withSandbox(t: Topology, opts: SandboxOptions, body: (sb: Sandbox) => Promise<void>) {
  const sb = await startSandbox(t, { pollWaitSeconds: 0.2 as number, ...opts });
  try {
    await body(sb);
  } finally {
    await sb.stop();
  }
}

async function drain(sb: Sandbox, queueId: string, n: number): Promise<string[]> {
  const out: string[] = [];
  await waitFor(`${n} messages on ${queueId}`, async () => {
    const r = await sb.sqs.send(new ReceiveMessageCommand({ QueueUrl: sb.queueUrls.get(queueId)!, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
    for (const m of r.Messages ?? []) out.push(m.Body!);
    return out.length >= n;
  });
  return out;
}

/** Records every invocation: function id → [event, result]. */
function recorder() {
  const calls = new Map<string, { event: unknown; r: InvokeResult }[]>();
  return {
    calls,
    of: (id: string) => calls.get(id) ?? [],
    onReport: (fn: { id: string }, r: InvokeResult, event: unknown) => {
      if (!calls.has(fn.id)) calls.set(fn.id, []);
      calls.get(fn.id)!.push({ event, r });
    },
  };
}

test("filter patterns: exact, prefix, suffix, numeric ranges, exists, anything-but, arrays, nesting, $or; invalid → TOPO-E105", () => {
  const p = (s: unknown) => parsePattern(JSON.stringify(s), "test");
  const ev = { type: "order", region: "eu-west-1", amount: 42, tags: ["a", "vip"], detail: { state: "new" }, nothing: null };
  assert.equal(matchesPattern(p({ type: ["order"] }), ev), true);
  assert.equal(matchesPattern(p({ type: ["refund"] }), ev), false);
  assert.equal(matchesPattern(p({ region: [{ prefix: "eu-" }] }), ev), true);
  assert.equal(matchesPattern(p({ region: [{ suffix: "-2" }] }), ev), false);
  assert.equal(matchesPattern(p({ amount: [{ numeric: [">", 10, "<=", 42] }] }), ev), true);
  assert.equal(matchesPattern(p({ amount: [{ numeric: [">", 42] }] }), ev), false);
  assert.equal(matchesPattern(p({ amount: [42] }), ev), true);
  assert.equal(matchesPattern(p({ missing: [{ exists: false }] }), ev), true);
  assert.equal(matchesPattern(p({ missing: [{ exists: true }] }), ev), false);
  assert.equal(matchesPattern(p({ type: [{ exists: true }] }), ev), true);
  assert.equal(matchesPattern(p({ type: [{ "anything-but": ["refund", "cancel"] }] }), ev), true);
  assert.equal(matchesPattern(p({ type: [{ "anything-but": "order" }] }), ev), false);
  assert.equal(matchesPattern(p({ region: [{ "anything-but": { prefix: "eu-" } }] }), ev), false);
  assert.equal(matchesPattern(p({ tags: ["vip"] }), ev), true, "an array in the event matches when one element does");
  assert.equal(matchesPattern(p({ detail: { state: ["new", "open"] } }), ev), true);
  assert.equal(matchesPattern(p({ detail: { state: ["closed"] } }), ev), false);
  assert.equal(matchesPattern(p({ nothing: [null] }), ev), true);
  assert.equal(matchesPattern(p({ type: [{ "equals-ignore-case": "ORDER" }] }), ev), true);
  assert.equal(matchesPattern(p({ region: [{ wildcard: "eu-*-1" }] }), ev), true);
  assert.equal(matchesPattern(p({ $or: [{ type: ["x"] }, { amount: [{ numeric: ["<", 50] }] }] }), ev), true);
  assert.equal(matchesPattern(p({ type: ["order"], amount: [1] }), ev), false, "every key must match");
  for (const bad of ['{"a": "x"}', '{"a": [{"numeric": [">"]}]}', '{"a": [{"regex": "x"}]}', "[1]", "nope"]) {
    assert.throws(
      () => parsePattern(bad, "trigger x"),
      (e: unknown) => isTopoError(e) && e.code === "TOPO-E105" && e.message.startsWith("trigger x"),
    );
  }
});

test("SQS filter criteria: only matching messages invoke; filtered-out ones are deleted, none left on the queue", async () => {
  const rec = recorder();
  const t = topo(
    [
      { id: "q", kind: "queue", name: "Q", visibilityTimeoutSeconds: 1 },
      { id: "f", kind: "function", name: "f", simulate: fast },
    ],
    [{ id: "q-f", kind: "trigger", source: "q", target: "f", batchSize: 1, filterCriteria: { patterns: ['{"body": {"type": ["order"], "amount": [{"numeric": [">", 10, "<=", 100]}]}}'] } }],
  );
  await withSandbox(t, { onReport: rec.onReport }, async (sb) => {
    const bodies = [{ type: "order", amount: 50 }, { type: "order", amount: 5 }, { type: "refund", amount: 50 }, { type: "order", amount: 100 }, "not json"];
    for (const b of bodies) await sb.send("q", typeof b === "string" ? b : JSON.stringify(b));
    await waitFor("2 invocations and an empty queue", async () => {
      const s = await sb.summary();
      return rec.of("f").length === 2 && s.queues.q.depth === 0 && s.queues.q.inFlight === 0;
    });
    await new Promise((r) => setTimeout(r, 1_300)); // past the visibility timeout: nothing comes back
    const s = await sb.summary();
    assert.deepEqual([s.queues.q.depth, s.queues.q.inFlight, rec.of("f").length], [0, 0, 2]);
    const seen = rec.of("f").map((c) => JSON.parse((c.event as { Records: { body: string }[] }).Records[0].body).amount).sort((a, b) => a - b);
    assert.deepEqual(seen, [50, 100]);
  });
});

test("call and produce edges: sync → direct invoke (its failure fails the caller), async → retries then the on-failure destination, produce → the queue, writes → the table", async () => {
  const rec = recorder();
  const t = topo(
    [
      { id: "a", kind: "function", name: "a", simulate: fast, asyncInvoke: { maximumRetryAttempts: 0 } },
      { id: "b", kind: "function", name: "b", simulate: { ...fast, poisonMarker: "SYNCFAIL" } },
      { id: "c", kind: "function", name: "c", simulate: { ...fast, poisonMarker: "BAD" }, asyncInvoke: { maximumRetryAttempts: 1, onFailureDestinationId: "c-failed" } },
      { id: "c-failed", kind: "queue", name: "C failures" },
      { id: "out", kind: "queue", name: "Out" },
      { id: "log", kind: "table", name: "Log", partitionKey: { name: "x", type: "S" } },
      { id: "seen", kind: "table", name: "Seen" },
    ],
    [
      { id: "a-b", kind: "call", source: "a", target: "b", mode: "sync" },
      { id: "a-c", kind: "call", source: "a", target: "c", mode: "async" },
      { id: "a-out", kind: "produce", source: "a", target: "out" },
      { id: "a-log", kind: "access", source: "a", target: "log", mode: "write" },
      { id: "a-seen", kind: "access", source: "a", target: "seen", mode: "read" },
    ],
  );
  await withSandbox(t, { onReport: rec.onReport, asyncRetryDelaysMs: [50] }, async (sb) => {
    for (const x of [1, "BAD", "SYNCFAIL"]) await sb.send("a", JSON.stringify({ x }));
    const [record] = await drain(sb, "c-failed", 1);
    await waitFor("all invocations", () => rec.of("a").length === 3 && rec.of("b").length === 3 && rec.of("c").length === 3);
    const s = await sb.summary();
    assert.deepEqual([s.functions.a.invocations, s.functions.a.errors], [3, 1]);
    assert.deepEqual([s.functions.b.invocations, s.functions.b.errors], [3, 1]);
    assert.deepEqual([s.functions.c.invocations, s.functions.c.errors], [3, 2]);
    const failedA = rec.of("a").find((c) => c.r.status === "error")!;
    assert.deepEqual(failedA.event, { x: "SYNCFAIL" });
    assert.match(failedA.r.errorMessage!, /^b \(RequestResponse\) failed: simulated failure/);
    assert.deepEqual(rec.of("c").map((c) => c.event).filter((e) => JSON.stringify(e).includes("BAD")).length, 2);
    const d = JSON.parse(record);
    assert.equal(d.requestContext.condition, "RetriesExhausted");
    assert.equal(d.requestContext.approximateInvokeCount, 2);
    assert.deepEqual(d.requestPayload, { x: "BAD" });
    assert.equal(d.responseContext.functionError, "Unhandled");
    // The produce edge forwards what a passed on; the failed invocation (its sync call threw first) sent nothing.
    assert.deepEqual((await drain(sb, "out", 2)).sort(), ['{"x":"BAD"}', '{"x":1}']);
    // A writing access edge puts the payload into the table; a reading one writes nothing.
    assert.equal(sb.tables.get("log")!.size, 2);
    assert.deepEqual(sb.tables.get("log")!.get({ x: "BAD" }), { x: "BAD" });
    assert.equal(sb.tables.get("seen")!.size, 0);
    const sum = await sb.summary();
    assert.deepEqual(sum.tables, { log: { name: "Log", items: 2 }, seen: { name: "Seen", items: 0 } });
    assert.deepEqual(sum.buckets, {});
  });
});

test("SNS: a topic fans out to a function (filter policy on message attributes, Lambda's SNS event) and to a queue (the notification envelope)", async () => {
  const rec = recorder();
  const t = topo(
    [
      { id: "orders", kind: "sns-topic", name: "Orders" },
      { id: "f", kind: "function", name: "f", simulate: fast },
      { id: "audit", kind: "queue", name: "Audit" },
    ],
    [
      { id: "orders-f", kind: "trigger", source: "orders", target: "f", snsFilterPolicy: '{"kind": ["order"], "total": [{"numeric": [">=", 10]}]}' },
      { id: "orders-audit", kind: "produce", source: "orders", target: "audit" },
    ],
  );
  await withSandbox(t, { onReport: rec.onReport }, async (sb) => {
    await sb.send("orders", JSON.stringify({ Message: "m1", Subject: "New", MessageAttributes: { kind: "order", total: { DataType: "Number", StringValue: "12" } } }));
    await sb.send("orders", JSON.stringify({ Message: "m2", MessageAttributes: { kind: "refund", total: 12 } }));
    await sb.send("orders", "plain text");
    const bodies = (await drain(sb, "audit", 3)).map((b) => JSON.parse(b));
    await waitFor("the subscription's invocation", () => rec.of("f").length === 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(rec.of("f").length, 1);
    const e = rec.of("f")[0].event as { Records: { EventSource: string; EventSubscriptionArn: string; Sns: Record<string, unknown> }[] };
    assert.equal(e.Records.length, 1);
    assert.equal(e.Records[0].EventSource, "aws:sns");
    assert.equal(e.Records[0].EventSubscriptionArn, "arn:aws:sns:us-east-1:000000000000:orders:orders-f");
    assert.equal(e.Records[0].Sns.Message, "m1");
    assert.equal(e.Records[0].Sns.Subject, "New");
    assert.equal(e.Records[0].Sns.Type, "Notification");
    assert.deepEqual(e.Records[0].Sns.MessageAttributes, { kind: { Type: "String", Value: "order" }, total: { Type: "Number", Value: "12" } });
    assert.deepEqual(bodies.map((b) => b.Message).sort(), ["m1", "m2", "plain text"]);
    for (const b of bodies) {
      assert.equal(b.Type, "Notification");
      assert.equal(b.TopicArn, "arn:aws:sns:us-east-1:000000000000:orders");
    }
  });
});

test("EventBridge: rules match their patterns (constant input replaces the event), targets of produce edges get every event", async () => {
  const rec = recorder();
  const t = topo(
    [
      { id: "bus", kind: "event-bus", name: "Shop bus", busName: "shop" },
      { id: "big", kind: "function", name: "big", simulate: fast },
      { id: "orders", kind: "function", name: "orders", simulate: fast },
      { id: "archive", kind: "queue", name: "Archive" },
    ],
    [
      { id: "bus-big", kind: "trigger", source: "bus", target: "big", eventPattern: '{"source": ["shop"], "detail": {"total": [{"numeric": [">=", 100]}]}}' },
      { id: "bus-orders", kind: "trigger", source: "bus", target: "orders", eventPattern: '{"detail-type": [{"prefix": "Order"}]}', input: '{"fixed": true}' },
      { id: "bus-archive", kind: "produce", source: "bus", target: "archive" },
    ],
  );
  await withSandbox(t, { onReport: rec.onReport }, async (sb) => {
    await sb.send("bus", JSON.stringify({ source: "shop", "detail-type": "OrderPlaced", detail: { total: 150 } }));
    await sb.send("bus", JSON.stringify({ Source: "shop", DetailType: "OrderPlaced", Detail: JSON.stringify({ total: 50 }) }));
    await sb.send("bus", JSON.stringify({ source: "other", "detail-type": "Refund", detail: { total: 500 } }));
    const archived = (await drain(sb, "archive", 3)).map((b) => JSON.parse(b));
    await waitFor("rule invocations", () => rec.of("big").length === 1 && rec.of("orders").length === 2);
    const big = rec.of("big")[0].event as Record<string, unknown>;
    assert.equal(big.source, "shop");
    assert.equal(big["detail-type"], "OrderPlaced");
    assert.deepEqual(big.detail, { total: 150 });
    assert.equal(big.version, "0");
    assert.equal(big.account, "000000000000");
    assert.match(big.time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(rec.of("orders").map((c) => c.event), [{ fixed: true }, { fixed: true }]);
    assert.deepEqual(archived.map((e) => e.detail.total).sort((a, b) => a - b), [50, 150, 500]);
  });
});

test("S3: object-created notifications honour event types and prefix/suffix filters; a bucket → queue notification carries the record", async () => {
  const rec = recorder();
  const t = topo(
    [
      { id: "uploads", kind: "bucket", name: "Uploads" },
      { id: "f", kind: "function", name: "f", simulate: fast },
      { id: "removed", kind: "function", name: "removed", simulate: fast },
      { id: "q", kind: "queue", name: "Q" },
    ],
    [
      { id: "uploads-f", kind: "trigger", source: "uploads", target: "f", s3Events: ["s3:ObjectCreated:*"], s3Filter: { prefix: "in/", suffix: ".csv" } },
      { id: "uploads-removed", kind: "trigger", source: "uploads", target: "removed", s3Events: ["s3:ObjectRemoved:*"] },
      { id: "uploads-q", kind: "produce", source: "uploads", target: "q" },
    ],
  );
  await withSandbox(t, { onReport: rec.onReport }, async (sb) => {
    await sb.send("uploads", JSON.stringify({ key: "in/a.csv", body: "1,2" }));
    await sb.send("uploads", JSON.stringify({ key: "in/b.txt", body: "x" }));
    await sb.send("uploads", JSON.stringify({ key: "out/c.csv", body: "x" }));
    const queued = (await drain(sb, "q", 3)).map((b) => JSON.parse(b).Records[0].s3.object.key);
    await waitFor("one notification", () => rec.of("f").length === 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(rec.of("f").length, 1);
    assert.equal(rec.of("removed").length, 0);
    const r = (rec.of("f")[0].event as { Records: Record<string, any>[] }).Records[0];
    assert.equal(r.eventSource, "aws:s3");
    assert.equal(r.eventName, "ObjectCreated:Put");
    assert.equal(r.s3.configurationId, "uploads-f");
    assert.equal(r.s3.bucket.arn, "arn:aws:s3:::uploads");
    assert.deepEqual([r.s3.object.key, r.s3.object.size], ["in/a.csv", 3]);
    assert.equal(r.s3.object.eTag, createHash("md5").update("1,2").digest("hex"));
    assert.deepEqual(queued.sort(), ["in/a.csv", "in/b.txt", "out/c.csv"]);
    assert.equal(sb.buckets.get("uploads")!.get("in/a.csv")!.body, "1,2");
    assert.deepEqual((await sb.summary()).buckets, { uploads: { name: "Uploads", objects: 3 } });
  });
});

test("an SQS trigger paused keeps its messages on the queue; resumed, it processes them", async () => {
  const rec = recorder();
  const t = topo(
    [
      { id: "q", kind: "queue", name: "Q" },
      { id: "f", kind: "function", name: "f", simulate: fast },
    ],
    [{ id: "q-f", kind: "trigger", source: "q", target: "f", batchSize: 10 }],
  );
  await withSandbox(t, { onReport: rec.onReport }, async (sb) => {
    assert.equal(sb.setTriggerPaused("q-f", true), true);
    assert.equal(sb.setTriggerPaused("nope", true), false);
    for (let i = 0; i < 3; i++) await sb.send("q", String(i));
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual([rec.of("f").length, (await sb.summary()).queues.q.depth], [0, 3]);
    sb.setTriggerPaused("q-f", false);
    await waitFor("3 messages processed", () => rec.of("f").reduce((n, c) => n + (c.event as { Records: unknown[] }).Records.length, 0) === 3);
    assert.equal((await sb.summary()).queues.q.depth, 0);
  });
});

test("default handlers name their bus events after the produce edge's label, with a source the bus's rules listen to", () => {
  assert.deepEqual(labelEventTypes("CustomerRegistered, CustomerEmailChanged"), ["CustomerRegistered", "CustomerEmailChanged"]);
  assert.deepEqual(labelEventTypes("first box"), []);
  assert.deepEqual(labelEventTypes(undefined), []);
  const rules = [{ source: ["shop.billing"], "detail-type": ["InvoicePaid"] }, { source: ["shop.customers"], "detail-type": ["CustomerRegistered"] }];
  assert.deepEqual(JSON.parse(busEventFor('{"id":1}', "CustomerRegistered, CustomerEmailChanged", rules, "fn-x")), { source: "shop.customers", "detail-type": "CustomerRegistered", detail: { id: 1 } });
  assert.deepEqual(JSON.parse(busEventFor("text", "Shipped", rules, "fn-x")), { source: "topograph.fn-x", "detail-type": "Shipped", detail: { body: "text" } });
  const already = JSON.stringify({ source: "a", "detail-type": "B", detail: {} });
  assert.equal(busEventFor(already, "CustomerRegistered", rules, "fn-x"), already);
  assert.equal(busEventFor('{"id":1}', "free text label", rules, "fn-x"), '{"id":1}');
});
