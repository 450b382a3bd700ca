/**
 * The aws environment path, over the wire: bindings from a CloudFormation stack (ListStackResources, paged),
 * logs from a CloudWatch Logs endpoint, queues from SQS (fauxqs), metrics from GetMetricData — all reached
 * through TOPO_AWS_ENDPOINT_OVERRIDE (loopback only) with credentials from the default provider chain.
 * Throttling and access denied show up in freshness with the missing action; the last good data stays.
 */
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { startSandbox, type Sandbox } from "../../sandbox/sandbox";
import { startWireEndpoint, type WireEndpoint } from "../wire/server";
import { testDatabases } from "../../db/__tests__/databases";
import { createProject } from "../../db/projects";
import { createEnvironment } from "../../db/environments";
import { assignLogicalIds } from "../../iac/ir/logical-ids";
import { parseTopologyOrThrow } from "../../model/validate";
import { endpointOverride, forgetStack, resolveEnvironment } from "../environment";
import { PollerHub } from "../poller";
import { buildFunctionDetail, buildSnapshot, buildTriggerDetail, parseWindow } from "../snapshot";
import { checkBindings } from "../bindings-check";
import { FunctionDetailSchema, SnapshotSchema, TriggerDetailSchema } from "../types";
import { liveTailCount, stopLiveTails } from "../live-tails";
import { formatReportText } from "../../sandbox/report";

const doc = {
  schemaVersion: 1,
  name: "Shop",
  nodes: [
    { id: "orders", kind: "queue", name: "Orders" },
    { id: "place", kind: "function", name: "Place order" },
    { id: "clicks", kind: "stream", name: "Clicks" },
    { id: "count", kind: "function", name: "Count clicks" },
  ],
  edges: [
    { id: "orders-place", kind: "trigger", source: "orders", target: "place" },
    { id: "clicks-count", kind: "trigger", source: "clicks", target: "count" },
  ],
};

let sb: Sandbox;
let wire: WireEndpoint;
const saved = { ...process.env };
before(async () => {
  // The "AWS account": fauxqs + kinesalite + our logs endpoint (from a sandbox of the same design), and the wire endpoint.
  // Without the edges: nothing consumes the queue or the stream, the figures below stay put.
  sb = await startSandbox(parseTopologyOrThrow({ ...doc, edges: [] }), { pollWaitSeconds: 1 });
  wire = await startWireEndpoint({ stackPageSize: 2 });
  process.env.TOPO_AWS_ENDPOINT_OVERRIDE = JSON.stringify({ logs: sb.endpoints.logs, sqs: sb.endpoints.sqs, kinesis: sb.endpoints.kinesis, cloudwatch: wire.endpoint, cloudformation: wire.endpoint });
  process.env.AWS_ACCESS_KEY_ID = "AKIDTEST";
  process.env.AWS_SECRET_ACCESS_KEY = "secret";
  process.env.TOPO_OBSERVE_INTERVAL_SCALE = "0.02"; // poll every ~100 ms–1.2 s instead of 5 s–60 s
});
after(async () => {
  await sb.stop();
  await wire.stop();
  for (const k of ["TOPO_AWS_ENDPOINT_OVERRIDE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "TOPO_OBSERVE_INTERVAL_SCALE"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

test("the endpoint override is loopback only", () => {
  assert.deepEqual(endpointOverride("http://127.0.0.1:4566"), Object.fromEntries(["sqs", "kinesis", "logs", "cloudwatch", "cloudformation"].map((s) => [s, "http://127.0.0.1:4566"])));
  for (const bad of ["http://169.254.169.254/", "http://10.0.0.1:80", "https://evil.example.com", '{"logs":"http://192.168.1.1"}', "file:///etc/passwd", "http://user:pw@127.0.0.1:1"]) {
    assert.throws(() => endpointOverride(bad), (e: { code?: string }) => e.code === "TOPO-E122", bad);
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const [sqlite] = testDatabases();
test("aws environment: stack bindings, logs + metrics + queue figures, throttling and access denied", async () => {
  const { db, close } = await sqlite.open();
  const hub = new PollerHub(db, { ttlMs: 10_000, maxBackoffMs: 400 });
  try {
    const project = await createProject(db, { name: "Shop", document: doc });
    const env = await createEnvironment(db, project.id, { name: "prod", kind: "aws", region: "us-east-1", credentialsRef: "default", stackName: "shop-prod" });
    const ids = assignLogicalIds(parseTopologyOrThrow(doc));
    wire.stacks.set("shop-prod", [
      { LogicalResourceId: ids.get("place")!, PhysicalResourceId: "shop-prod-PlaceOrder-1A2B", ResourceType: "AWS::Lambda::Function" },
      { LogicalResourceId: ids.get("count")!, PhysicalResourceId: "shop-prod-CountClicks-3C4D", ResourceType: "AWS::Lambda::Function" },
      { LogicalResourceId: ids.get("orders")!, PhysicalResourceId: sb.queueUrls.get("orders")!, ResourceType: "AWS::SQS::Queue" },
      { LogicalResourceId: ids.get("clicks")!, PhysicalResourceId: sb.streamNames.get("clicks")!, ResourceType: "AWS::Kinesis::Stream" },
      { LogicalResourceId: "PlaceOrderRole", PhysicalResourceId: "shop-prod-PlaceOrderRole-X", ResourceType: "AWS::IAM::Role" },
    ]);
    const r = await resolveEnvironment(db, project.id, env.id);
    assert.equal(r.kind, "aws");
    assert.deepEqual(r.stack, { name: "shop-prod", resources: 5 });
    assert.equal(wire.totalCalls("ListStackResources"), 3, "5 resources at 2 per page");
    assert.deepEqual(r.bindings.place, { functionName: "shop-prod-PlaceOrder-1A2B", logGroupName: "/aws/lambda/shop-prod-PlaceOrder-1A2B", source: "stack" });
    assert.equal(r.bindings.orders.queueUrl, sb.queueUrls.get("orders"));
    assert.equal(r.bindings.clicks.streamName, sb.streamNames.get("clicks"));

    // What the deployed functions logged and CloudWatch measured.
    const now = Date.now();
    const group = "/aws/lambda/shop-prod-PlaceOrder-1A2B";
    sb.logs.store.ensureStream(group, "2026/01/01/[$LATEST]abc");
    sb.logs.store.putLogEvents(
      group,
      "2026/01/01/[$LATEST]abc",
      Array.from({ length: 30 }, (_, i) => ({
        timestamp: now - 60_000 + i * 1000,
        message: formatReportText({ requestId: `r-${i}`, durationMs: 10 + i, memorySizeMb: 256, maxMemoryUsedMb: 80, ...(i === 0 ? { initDurationMs: 300 } : {}), ...(i === 5 ? { status: "timeout" as const } : {}) }),
      })),
    );
    for (let i = 0; i < 5; i++) {
      wire.metrics.put("AWS/Lambda", "Throttles", { FunctionName: "shop-prod-PlaceOrder-1A2B" }, now - 120_000 + i * 20_000, 1);
      wire.metrics.put("AWS/Lambda", "IteratorAge", { FunctionName: "shop-prod-CountClicks-3C4D" }, now - 240_000 + i * 60_000, 1000 * (i + 1));
    }
    wire.metrics.put("AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: "orders" }, now - 30_000, 42);
    await sb.sqs.send(new (await import("@aws-sdk/client-sqs")).SendMessageCommand({ QueueUrl: sb.queueUrls.get("orders")!, MessageBody: "x" }));

    const range = parseWindow({ window: "5m" });
    const snap = SnapshotSchema.parse(await buildSnapshot(hub, r, range));
    const place = snap.functions.place;
    assert.deepEqual([place.invocations, place.coldStarts, place.timeouts, place.errors, place.throttles, place.initP95Ms, place.p50Ms], [30, 1, 1, 1, 5, 300, 24]);
    assert.equal(place.freshness.state, "fresh");
    assert.equal(snap.triggers["clicks-count"].lag, 5000);
    assert.equal(snap.triggers["clicks-count"].lagUnit, "ms");
    assert.equal(snap.triggers["clicks-count"].trend, "rising");
    // Lag rising while the consumer logged no invocation in the window: stalled.
    assert.equal(snap.triggers["clicks-count"].status, "STALL");
    assert.deepEqual([snap.queues.orders.depth, snap.queues.orders.inFlight], [1, 0]);
    assert.equal(snap.queues.orders.oldestAgeSec, 42);

    // 24 h: Logs Insights aggregates (StartQuery / GetQueryResults) instead of every REPORT line; same figures.
    const day = SnapshotSchema.parse(await buildSnapshot(hub, r, parseWindow({ window: "24h" })));
    const d = day.functions.place;
    assert.deepEqual([d.invocations, d.coldStarts, d.timeouts, d.errors, d.initP95Ms, d.p50Ms, d.memorySizeMb], [30, 1, 1, 1, 300, 24, 256]);
    assert.equal(d.freshness.state, "fresh");

    const detail = FunctionDetailSchema.parse(await buildFunctionDetail(hub, r, "place", range));
    assert.equal(liveTailCount(), 1, "an open function panel tails its log group");
    // One-minute periods: the five throttles fall in two or three of them.
    assert.equal(detail.metrics.Throttles.reduce((a, p) => a + p.v, 0), 5);
    assert.ok(detail.metrics.Throttles.every((p) => Date.parse(p.t) % 60_000 === 0));
    assert.equal(detail.latest[0].requestId, "r-29");
    const trig = TriggerDetailSchema.parse(await buildTriggerDetail(hub, r, "clicks-count", range));
    assert.deepEqual(trig.series.map((p) => p.lag), [1000, 2000, 3000, 4000, 5000]);

    // Throttled metrics: the function keeps its figures, says "throttled", and polls back off.
    wire.faults.throttleEvery.GetMetricData = 1;
    const throttledBy = Date.now() + 8_000;
    let t = SnapshotSchema.parse(await buildSnapshot(hub, r, range));
    while (t.functions.place.freshness.state !== "failing" && Date.now() < throttledBy) {
      await sleep(100); // the metrics poller reads every 1.2 s here
      t = SnapshotSchema.parse(await buildSnapshot(hub, r, range));
    }
    assert.equal(t.functions.place.invocations, 30);
    assert.equal(t.functions.place.freshness.state, "failing");
    assert.equal(t.functions.place.freshness.problem?.kind, "throttled");
    assert.equal(t.triggers["clicks-count"].lag, 5000, "last good lag kept");
    wire.faults.throttleEvery = {};

    // Access denied on the stack: bindings fall back to the convention, the check names the missing action.
    wire.faults.deny.add("ListStackResources");
    forgetStack(env.id);
    const denied = await resolveEnvironment(db, project.id, env.id);
    assert.equal(denied.stack?.problem?.kind, "access-denied");
    assert.equal(denied.stack?.problem?.missingAction, "cloudformation:ListStackResources");
    assert.equal(denied.bindings.place.functionName, "shop-prod-PlaceOrder-1A2B", "last good stack resources kept");
    wire.faults.deny.clear();
    forgetStack(env.id);
    const fresh = await resolveEnvironment(db, project.id, env.id);
    const report = await checkBindings(fresh);
    const byNode = Object.fromEntries(report.checks.map((c) => [c.nodeId, c.status]));
    assert.deepEqual(byNode, { orders: "found", place: "found", clicks: "found", count: "not-found" });

    // A stack that does not exist.
    const other = await createEnvironment(db, project.id, { name: "staging", kind: "aws", region: "us-east-1", stackName: "shop-staging" });
    const missing = await resolveEnvironment(db, project.id, other.id);
    assert.equal(missing.stack?.problem?.kind, "not-found");
    assert.equal(missing.bindings.place.source, "convention");
    assert.equal(missing.bindings.place.functionName, "Place order");
  } finally {
    stopLiveTails();
    await hub.stop();
    await close();
  }
});
