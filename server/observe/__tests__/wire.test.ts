import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { startWireEndpoint, type WireEndpoint } from "../wire/server";
import { getMetricData, lambdaMetricSpecs } from "../collectors/metrics";
import { listStackResources, stackBindings } from "../environment";
import { classifyAwsError } from "../aws-errors";
import { assignLogicalIds } from "../../iac/ir/logical-ids";
import { parseTopologyOrThrow } from "../../model/validate";

let wire: WireEndpoint;
const creds = { accessKeyId: "test", secretAccessKey: "test" };
before(async () => {
  wire = await startWireEndpoint();
});
after(async () => {
  await wire.stop();
});
const cw = () => new CloudWatchClient({ region: "us-east-1", endpoint: wire.endpoint, credentials: creds, maxAttempts: 1 });
const cfn = () => new CloudFormationClient({ region: "us-east-1", endpoint: wire.endpoint, credentials: creds, maxAttempts: 1 });

test("GetMetricData over JSON 1.0: aggregation per period, paging with NextToken", async () => {
  const t0 = Date.parse("2026-03-01T10:00:00Z");
  for (let i = 0; i < 600; i++) wire.metrics.put("AWS/Lambda", "Invocations", { FunctionName: "orders" }, t0 + i * 1000, 1);
  for (let i = 0; i < 10; i++) wire.metrics.put("AWS/Lambda", "IteratorAge", [{ Name: "FunctionName", Value: "orders" }], t0 + i * 60_000, i * 100);
  wire.pageSize = 3;
  const before = wire.totalCalls("GetMetricData");
  const out = await getMetricData(cw(), lambdaMetricSpecs("orders"), t0, t0 + 600_000, 60);
  assert.equal(out.Invocations.length, 10);
  assert.deepEqual(
    out.Invocations.map((p) => p.v),
    Array(10).fill(60),
  );
  assert.equal(out.Invocations[0].t, "2026-03-01T10:00:00.000Z");
  assert.deepEqual(
    out.IteratorAge.map((p) => p.v),
    [0, 100, 200, 300, 400, 500, 600, 700, 800, 900],
  );
  assert.deepEqual(out.Throttles, []);
  // 20 datapoints at 3 per page: 7 pages.
  assert.equal(wire.totalCalls("GetMetricData") - before, 7);
  wire.pageSize = 100_800;
});

test("GetMetricData throttling and access denied reach the SDK as AWS errors", async () => {
  wire.faults.throttleNext.GetMetricData = 1;
  const t0 = Date.now() - 60_000;
  await assert.rejects(getMetricData(cw(), lambdaMetricSpecs("x"), t0, t0 + 60_000, 60), (e: unknown) => {
    const p = classifyAwsError(e, "cloudwatch:GetMetricData");
    assert.equal(p.kind, "throttled");
    return true;
  });
  wire.faults.deny.add("GetMetricData");
  await assert.rejects(getMetricData(cw(), lambdaMetricSpecs("x"), t0, t0 + 60_000, 60), (e: unknown) => {
    const p = classifyAwsError(e, "cloudwatch:GetMetricData");
    assert.equal(p.kind, "access-denied");
    assert.equal(p.missingAction, "cloudwatch:GetMetricData");
    return true;
  });
  wire.faults.deny.clear();
  const ok = await getMetricData(cw(), lambdaMetricSpecs("x"), t0, t0 + 60_000, 60);
  assert.deepEqual(ok.Invocations, []);
});

test("ListStackResources over the query protocol: paging, exporter logical ids → node bindings, errors", async () => {
  const topology = parseTopologyOrThrow({
    schemaVersion: 1,
    name: "Shop",
    nodes: [
      { id: "fn-a", kind: "function", name: "Place order" },
      { id: "q-a", kind: "queue", name: "Orders" },
      { id: "s-a", kind: "stream", name: "Clicks" },
    ],
    edges: [{ id: "e1", kind: "trigger", source: "q-a", target: "fn-a" }],
  });
  const ids = assignLogicalIds(topology);
  const resources = [
    { LogicalResourceId: ids.get("fn-a")!, PhysicalResourceId: "shop-PlaceOrder-AbC123", ResourceType: "AWS::Lambda::Function" },
    { LogicalResourceId: ids.get("q-a")!, PhysicalResourceId: "https://sqs.eu-west-1.amazonaws.com/123456789012/shop-Orders-XyZ", ResourceType: "AWS::SQS::Queue" },
    { LogicalResourceId: ids.get("s-a")!, PhysicalResourceId: "shop-Clicks-Q1", ResourceType: "AWS::Kinesis::Stream" },
    ...Array.from({ length: 7 }, (_, i) => ({ LogicalResourceId: `Extra${i}`, PhysicalResourceId: `x${i}`, ResourceType: "AWS::IAM::Role" })),
  ];
  wire.stacks.set("shop", resources);
  wire.stackPageSize = 3;
  const n0 = wire.totalCalls("ListStackResources");
  const read = await listStackResources(cfn(), "shop");
  assert.equal(read.length, 10);
  assert.equal(wire.totalCalls("ListStackResources") - n0, 4);
  const b = stackBindings(topology, read, "eu-west-1");
  assert.deepEqual(b["fn-a"], { functionName: "shop-PlaceOrder-AbC123", logGroupName: "/aws/lambda/shop-PlaceOrder-AbC123" });
  assert.deepEqual(b["q-a"], { queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/shop-Orders-XyZ", queueName: "shop-Orders-XyZ" });
  assert.deepEqual(b["s-a"], { streamName: "shop-Clicks-Q1", streamArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/shop-Clicks-Q1" });
  await assert.rejects(listStackResources(cfn(), "nope"), /Stack with id nope does not exist/);
  wire.faults.deny.add("ListStackResources");
  await assert.rejects(listStackResources(cfn(), "shop"), (e: unknown) => {
    assert.equal(classifyAwsError(e, "cloudformation:ListStackResources").missingAction, "cloudformation:ListStackResources");
    return true;
  });
  wire.faults.deny.clear();
});

test("AWS error classification: throttling, access denied with the action from the message, not found, no credentials", () => {
  assert.equal(classifyAwsError({ name: "ProvisionedThroughputExceededException", message: "Rate exceeded for shard" }, "kinesis:GetRecords").kind, "throttled");
  const denied = classifyAwsError(
    { name: "AccessDeniedException", message: "User: arn:aws:iam::1:user/x is not authorized to perform: logs:FilterLogEvents on resource: arn:aws:logs:…" },
    "logs:FilterLogEvents",
  );
  assert.deepEqual([denied.kind, denied.code, denied.missingAction], ["access-denied", "TOPO-E127", "logs:FilterLogEvents"]);
  assert.equal(classifyAwsError({ name: "AWS.SimpleQueueService.NonExistentQueue", message: "The specified queue does not exist." }, "sqs:GetQueueAttributes").kind, "not-found");
  const creds = classifyAwsError({ name: "CredentialsProviderError", message: "Could not load credentials from any providers" }, "logs:FilterLogEvents");
  assert.match(creds.message, /CredentialsProviderError: Could not load credentials/);
  assert.match(creds.fix ?? "", /AWS_PROFILE/);
  assert.equal(classifyAwsError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }), "sqs:GetQueueAttributes").kind, "unreachable");
});
