/**
 * The DLQ operations as the routes run them: over fauxqs (no message-move API → copy-delete) and over our SQS
 * message-move wire endpoint (StartMessageMoveTask / ListMessageMoveTasks, and access denied naming the IAM action).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { CreateQueueCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { testDatabases } from "../../../db/__tests__/databases";
import type { Db } from "../../../db/client";
import { TopoError } from "../../../errors";
import { DlqListSchema, DlqPeekSchema, MoveTaskSchema } from "../../types";
import { deleteDeadLetter, getRedriveTask, listDlqs, peekDlq, purgeDlq, startRedrive, type DlqEnv } from "../service";
import { startMoveWireEndpoint, type MoveWireEndpoint } from "../wire/server";
import { createPair, depthOf, drainNumbers, dlqTopology, fill, lossAndDuplicates, startFauxqs, waitFor, type Fauxqs } from "./helpers";

let fq: Fauxqs;
let wire: MoveWireEndpoint;
let db: Db;
let closeDb: () => Promise<void>;
let n = 0;

before(async () => {
  fq = await startFauxqs();
  wire = await startMoveWireEndpoint({ upstream: fq.endpoint, batchDelayMs: 5 });
  const o = await testDatabases()[0].open();
  db = o.db;
  closeDb = o.close;
});
after(async () => {
  await wire.stop();
  await closeDb();
  await fq.stop();
});

/** Fresh queues for the test topology, and an env pointing at `endpoint` (fauxqs or the wire endpoint). */
async function makeEnv(endpoint: string): Promise<DlqEnv & { urls: Record<string, string> }> {
  const p = `t${n++}`;
  const { source, dlq } = await createPair(fq.sqs, `${p}-orders`);
  const replay = (await fq.sqs.send(new CreateQueueCommand({ QueueName: `${p}-replay` }))).QueueUrl!;
  const fnDlq = (await fq.sqs.send(new CreateQueueCommand({ QueueName: `${p}-fn-dlq` }))).QueueUrl!;
  const urls = { orders: source, "orders-dlq": dlq, replay, "fn-dlq": fnDlq };
  return {
    projectId: "proj",
    environmentId: `env-${p}`,
    kind: "local",
    revision: 3,
    topology: dlqTopology(),
    bindings: Object.fromEntries(Object.entries(urls).map(([k, v]) => [k, { queueUrl: v }])),
    sqs: fq.client(endpoint),
    cloudwatch: null,
    urls,
  };
}

const code = (c: string) => (e: unknown) => e instanceof TopoError && e.code === c;

async function audit(action: string) {
  return db.auditEvent.findMany({ where: { action }, orderBy: { at: "asc" } });
}

test("list: every DLQ of the model with its sources, depth, and the oldest age from the last peek", async () => {
  const env = await makeEnv(fq.endpoint);
  await fill(fq.sqs, env.urls["orders-dlq"], 4);
  let list = DlqListSchema.parse(await listDlqs(db, env));
  assert.deepEqual(list.dlqs.map((d) => d.nodeId), ["orders-dlq", "fn-dlq"]);
  const od = list.dlqs[0];
  assert.equal(od.depth, 4);
  assert.equal(od.inFlight, 0);
  assert.deepEqual(od.sources, [{ nodeId: "orders", name: "Orders", relation: "redrive", maxReceiveCount: 2 }]);
  assert.equal(od.defaultDestinationNodeId, "orders");
  assert.equal(od.oldestAgeSec, null, "no peek yet and no CloudWatch locally");
  assert.equal(od.freshness.state, "fresh");
  assert.deepEqual(list.dlqs[1].sources, [{ nodeId: "worker", name: "Worker", relation: "function-dlq" }]);
  assert.equal(list.dlqs[1].defaultDestinationNodeId, null);
  await peekDlq(env, "orders-dlq", 10);
  await new Promise((r) => setTimeout(r, 2_100)); // the list shares queue states for 2 s
  list = DlqListSchema.parse(await listDlqs(db, env));
  assert.equal(list.dlqs[0].oldestAgeSource, "peek");
  assert.ok(list.dlqs[0].oldestAgeSec! >= 2);
});

test("list: an unbound DLQ is shown failing with its code, the others still load", async () => {
  const env = await makeEnv(fq.endpoint);
  delete env.bindings["fn-dlq"];
  const list = await listDlqs(db, env);
  const fn = list.dlqs.find((d) => d.nodeId === "fn-dlq")!;
  assert.equal(fn.freshness.state, "failing");
  assert.equal(fn.freshness.problem?.code, "TOPO-E151");
  assert.equal(list.dlqs.find((d) => d.nodeId === "orders-dlq")!.freshness.state, "fresh");
});

test("peek: decoded letters, the receive-count notice, limits and non-DLQ nodes refused", async () => {
  const env = await makeEnv(fq.endpoint);
  await fq.sqs.send(
    new SendMessageCommand({
      QueueUrl: env.urls["fn-dlq"],
      MessageBody: '{"order":"o-1","<b>":"</script>"}',
      MessageAttributes: {
        RequestID: { DataType: "String", StringValue: "req-1" },
        ErrorCode: { DataType: "Number", StringValue: "200" },
        ErrorMessage: { DataType: "String", StringValue: "poison order" },
      },
    }),
  );
  const peek = DlqPeekSchema.parse(await peekDlq(env, "fn-dlq", 5));
  assert.equal(peek.messages.length, 1);
  const m = peek.messages[0];
  assert.deepEqual(m.json, { order: "o-1", "<b>": "</script>" });
  assert.equal(m.receiveCount, 1);
  assert.equal(m.failure?.source, "async-dlq");
  assert.equal(m.failure?.errorMessage, "poison order");
  assert.equal(m.failure?.requestId, "req-1");
  assert.match(peek.notice, /raises every shown message's receive count/);
  assert.equal(peek.partial, false);
  await assert.rejects(peekDlq(env, "fn-dlq", 0), code("TOPO-E159"));
  await assert.rejects(peekDlq(env, "fn-dlq", 101), code("TOPO-E159"));
  await assert.rejects(peekDlq(env, "orders", 5), code("TOPO-E150"));
  await assert.rejects(peekDlq(env, "nope", 5), code("TOPO-E150"));
});

test("redrive over fauxqs: copy-delete, progress to completion, depth drops to 0, audited", async () => {
  const env = await makeEnv(fq.endpoint);
  await fill(fq.sqs, env.urls["orders-dlq"], 30);
  const { task, resumed } = await startRedrive(db, env, "admin@test", "orders-dlq", { copy: { visibilitySeconds: 2 } });
  MoveTaskSchema.parse(task);
  assert.equal(resumed, false);
  assert.equal(task.mode, "copy-delete");
  assert.equal(task.total, 30);
  assert.equal(task.destUrl, env.urls.orders);
  const done = await waitFor("the move", async () => {
    const t = await getRedriveTask(db, env, "orders-dlq", task.id);
    return t.status !== "running" && t;
  });
  assert.equal(done.status, "completed");
  assert.equal(done.moved, 30);
  assert.deepEqual(await depthOf(fq.sqs, env.urls["orders-dlq"]), { visible: 0, inFlight: 0 });
  assert.deepEqual(lossAndDuplicates(30, await drainNumbers(fq.sqs, env.urls.orders)), { lost: 0, duplicates: 0 });
  const rows = (await audit("dlq.redrive")).filter((r) => r.target === env.urls["orders-dlq"]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].actor, "admin@test");
  assert.equal(JSON.parse(rows[0].details).mode, "copy-delete");
});

test("redrive over the wire endpoint: StartMessageMoveTask, progress from ListMessageMoveTasks", async () => {
  const env = await makeEnv(wire.endpoint);
  await fill(fq.sqs, env.urls["orders-dlq"], 40);
  const before = wire.calls.get("StartMessageMoveTask") ?? 0;
  const { task } = await startRedrive(db, env, "admin@test", "orders-dlq");
  assert.equal(task.mode, "message-move-task");
  assert.equal(task.id.startsWith("mmt-"), true);
  assert.equal(wire.calls.get("StartMessageMoveTask"), before + 1);
  // One task per queue: a second redrive while it runs is refused.
  await assert.rejects(startRedrive(db, env, "admin@test", "orders-dlq"), code("TOPO-E155"));
  const done = await waitFor("the move task", async () => {
    const t = await getRedriveTask(db, env, "orders-dlq", task.id);
    return t.status !== "running" && t;
  });
  assert.equal(done.status, "completed");
  assert.equal(done.moved, 40);
  assert.equal(done.total, 40);
  assert.ok((wire.calls.get("ListMessageMoveTasks") ?? 0) >= 1);
  assert.deepEqual(lossAndDuplicates(40, await drainNumbers(fq.sqs, env.urls.orders)), { lost: 0, duplicates: 0 });
});

test("redrive denied by IAM: TOPO-E127 names sqs:StartMessageMoveTask; nothing started, nothing audited", async () => {
  const env = await makeEnv(wire.endpoint);
  await fill(fq.sqs, env.urls["orders-dlq"], 3);
  wire.setDenied(["StartMessageMoveTask"]);
  try {
    const err = await startRedrive(db, env, "admin@test", "orders-dlq").then(
      () => assert.fail("expected access denied"),
      (e: unknown) => e as TopoError,
    );
    assert.equal(err.code, "TOPO-E127");
    assert.equal(err.status, 403);
    assert.equal(err.extra?.missingAction, "sqs:StartMessageMoveTask");
    assert.match(err.fix, /sqs:StartMessageMoveTask/);
  } finally {
    wire.setDenied([]);
  }
  assert.equal(await db.moveTask.count({ where: { environmentId: env.environmentId } }), 0);
  assert.equal((await audit("dlq.redrive")).filter((r) => r.target === env.urls["orders-dlq"]).length, 0);
  assert.equal((await depthOf(fq.sqs, env.urls["orders-dlq"])).visible, 3);
});

test("a function's DLQ: no single source → TOPO-E153; to a chosen queue it is copy-delete even where SQS could move", async () => {
  const env = await makeEnv(wire.endpoint);
  await fill(fq.sqs, env.urls["fn-dlq"], 5);
  await assert.rejects(startRedrive(db, env, "admin@test", "fn-dlq"), code("TOPO-E153"));
  await assert.rejects(startRedrive(db, env, "admin@test", "fn-dlq", { destinationNodeId: "fn-dlq" }), code("TOPO-E154"));
  await assert.rejects(startRedrive(db, env, "admin@test", "fn-dlq", { destinationNodeId: "worker" }), code("TOPO-E154"));
  const { task } = await startRedrive(db, env, "admin@test", "fn-dlq", { destinationNodeId: "replay", copy: { visibilitySeconds: 2 } });
  assert.equal(task.mode, "copy-delete");
  const done = await waitFor("the move", async () => {
    const t = await getRedriveTask(db, env, "fn-dlq", task.id);
    return t.status !== "running" && t;
  });
  assert.equal(done.moved, 5);
  assert.deepEqual(lossAndDuplicates(5, await drainNumbers(fq.sqs, env.urls.replay)), { lost: 0, duplicates: 0 });
  await assert.rejects(getRedriveTask(db, env, "orders-dlq", task.id), code("TOPO-E156"));
  await assert.rejects(getRedriveTask(db, env, "fn-dlq", "mv-nope"), code("TOPO-E156"));
});

test("an interrupted redrive is resumed by the next redrive of that DLQ", async () => {
  const env = await makeEnv(fq.endpoint);
  await fill(fq.sqs, env.urls["orders-dlq"], 20);
  const { createMoveTask } = await import("../move");
  // A task whose worker died before doing anything: its heartbeat is stale.
  const t = await createMoveTask(db, { mode: "copy-delete", projectId: "proj", environmentId: env.environmentId, sourceUrl: env.urls["orders-dlq"], destUrl: env.urls.orders, startedBy: "admin@test", total: 20 });
  await db.moveTask.update({ where: { id: t.id }, data: { moved: 0 } });
  await new Promise((r) => setTimeout(r, 350));
  const r = await startRedrive(db, env, "admin@test", "orders-dlq", { copy: { visibilitySeconds: 2, leaseMs: 300 } });
  assert.equal(r.resumed, true);
  assert.equal(r.task.id, t.id);
  const done = await waitFor("the resumed move", async () => {
    const x = await getRedriveTask(db, env, "orders-dlq", t.id);
    return x.status === "completed" && x;
  });
  assert.equal(done.moved, 20);
});

test("delete one message and purge: done, and audited with the actor", async () => {
  const env = await makeEnv(fq.endpoint);
  await fill(fq.sqs, env.urls["orders-dlq"], 6);
  const peek = await peekDlq(env, "orders-dlq", 10);
  const victim = peek.messages.find((m) => (m.json as { n: number }).n === 4)!;
  assert.deepEqual(await deleteDeadLetter(db, env, "admin@test", "orders-dlq", { messageId: victim.messageId, receiptHandle: victim.receiptHandle }), { deleted: victim.messageId });
  assert.equal((await depthOf(fq.sqs, env.urls["orders-dlq"])).visible, 5);
  await assert.rejects(deleteDeadLetter(db, env, "admin@test", "orders-dlq", { messageId: victim.messageId }), code("TOPO-E152"));
  const del = (await audit("dlq.delete")).filter((r) => r.target === victim.messageId);
  assert.equal(del.length, 1);
  assert.equal(del[0].projectId, "proj");
  assert.deepEqual(await purgeDlq(db, env, "root@test", "orders-dlq"), { purged: 5 });
  assert.deepEqual(await depthOf(fq.sqs, env.urls["orders-dlq"]), { visible: 0, inFlight: 0 });
  const pur = (await audit("dlq.purge")).filter((r) => r.target === env.urls["orders-dlq"]);
  assert.equal(pur.length, 1);
  assert.equal(pur[0].actor, "root@test");
});

test("aws path: the oldest age from CloudWatch's ApproximateAgeOfOldestMessage (GetMetricData over the wire)", async () => {
  const { CloudWatchClient } = await import("@aws-sdk/client-cloudwatch");
  const { startWireEndpoint } = await import("../../wire/server");
  const cw = await startWireEndpoint();
  const client = new CloudWatchClient({ endpoint: cw.endpoint, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" }, maxAttempts: 1 });
  try {
    const env = await makeEnv(wire.endpoint);
    await fill(fq.sqs, env.urls["orders-dlq"], 2);
    const queueName = env.urls["orders-dlq"].split("/").at(-1)!;
    cw.metrics.put("AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: queueName }, Date.now() - 120_000, 3_000);
    cw.metrics.put("AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: queueName }, Date.now() - 30_000, 3_600);
    const list = await listDlqs(db, { ...env, kind: "aws", cloudwatch: client });
    const d = list.dlqs.find((x) => x.nodeId === "orders-dlq")!;
    assert.equal(d.oldestAgeSource, "cloudwatch");
    assert.equal(d.oldestAgeSec, 3_600, "the latest minute's maximum");
    assert.equal(cw.totalCalls("GetMetricData"), 1);
    // Denied: the DLQ still lists its depth; the age is simply unknown.
    cw.faults.deny.add("GetMetricData");
    await new Promise((r) => setTimeout(r, 2_100));
    const denied = (await listDlqs(db, { ...env, kind: "aws", cloudwatch: client })).dlqs.find((x) => x.nodeId === "orders-dlq")!;
    assert.equal(denied.depth, 2);
    assert.equal(denied.oldestAgeSec, null);
    assert.equal(denied.freshness.state, "fresh", "the depth was read");
    assert.equal(denied.freshness.problem?.code, "TOPO-E127");
    assert.equal(denied.freshness.problem?.missingAction, "cloudwatch:GetMetricData");
  } finally {
    client.destroy();
    await cw.stop();
  }
});
