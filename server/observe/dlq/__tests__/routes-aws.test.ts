/**
 * The DLQ routes on an aws environment, over the wire: SQS is our message-move endpoint (in front of fauxqs) and
 * CloudWatch the Observe wire endpoint, reached through the test-only loopback override. A redrive refused by IAM
 * answers 403 TOPO-E127 naming sqs:StartMessageMoveTask; allowed, it runs as a message move task to the end.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveDbConfig } from "../../../db/config";
import { migrateDatabase } from "../../../db/migrate";
import { createDb, type Db } from "../../../db/client";
import { createProject } from "../../../db/projects";
import { createEnvironment } from "../../../db/environments";
import { startWireEndpoint, type WireEndpoint } from "../../wire/server";
import { startMoveWireEndpoint, type MoveWireEndpoint } from "../wire/server";
import { createPair, depthOf, dlqTopology, fill, startFauxqs, waitFor, type Fauxqs } from "./helpers";

const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-dlq-aws-"));
const config = resolveDbConfig(`file:${join(dir, "test.db")}`);
process.env.DATABASE_URL = config.url;
const saved = { ...process.env };

let fq: Fauxqs;
let sqsWire: MoveWireEndpoint;
let cw: WireEndpoint;
let db: Db;
before(async () => {
  fq = await startFauxqs();
  sqsWire = await startMoveWireEndpoint({ upstream: fq.endpoint, batchDelayMs: 5 });
  cw = await startWireEndpoint();
  process.env.TOPO_AWS_ENDPOINT_OVERRIDE = JSON.stringify({ sqs: sqsWire.endpoint, cloudwatch: cw.endpoint, logs: cw.endpoint, cloudformation: cw.endpoint, kinesis: cw.endpoint });
  process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
  process.env.AWS_SECRET_ACCESS_KEY = "wire-test-secret";
  await migrateDatabase(config);
  db = createDb(config);
});
after(async () => {
  for (const k of ["TOPO_AWS_ENDPOINT_OVERRIDE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) if (saved[k] === undefined) delete process.env[k];
  await db.$disconnect();
  const { getDb } = await import("../../../db/client");
  await getDb().$disconnect();
  await cw.stop();
  await sqsWire.stop();
  await fq.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

test("aws environment: redrive denied by IAM → 403 naming sqs:StartMessageMoveTask; allowed → a message move task", async () => {
  const { source, dlq } = await createPair(fq.sqs, "aws-orders");
  await fill(fq.sqs, dlq, 12);
  const { id } = await createProject(db, { name: "On AWS", document: dlqTopology() });
  const env = await createEnvironment(db, id, { name: "production", kind: "aws", region: "us-east-1", credentialsRef: "default", bindings: { orders: { queueUrl: source }, "orders-dlq": { queueUrl: dlq } } });
  const base = `http://127.0.0.1/api/projects/${id}/environments/${env.id}/observe/dlq`;
  const R = "../../../../app/api/projects/[id]/environments/[envId]/observe/dlq";
  const list = (await import(`${R}/route`)) as Record<string, Handler>;
  const redrive = (await import(`${R}/[nodeId]/redrive/route`)) as Record<string, Handler>;
  const task = (await import(`${R}/[nodeId]/redrive/[taskId]/route`)) as Record<string, Handler>;
  const call = async (h: Handler, path: string, params: Record<string, string> = {}, method = "GET") => {
    const res = await h(new Request(base + path, { method }), { params: Promise.resolve({ id, envId: env.id, ...params }) });
    return { status: res.status, json: await res.json() };
  };

  const l = await call(list.GET, "");
  assert.equal(l.status, 200, JSON.stringify(l.json));
  const od = l.json.dlqs.find((d: { nodeId: string }) => d.nodeId === "orders-dlq");
  assert.equal(od.depth, 12);
  assert.equal(od.queueUrl, dlq);

  sqsWire.setDenied(["StartMessageMoveTask"]);
  const denied = await call(redrive.POST, "/orders-dlq/redrive", { nodeId: "orders-dlq" }, "POST");
  sqsWire.setDenied([]);
  assert.equal(denied.status, 403);
  assert.equal(denied.json.error.code, "TOPO-E127");
  assert.equal(denied.json.error.missingAction, "sqs:StartMessageMoveTask");
  assert.match(denied.json.error.message, /sqs:StartMessageMoveTask/);
  assert.match(denied.json.error.fix, /Allow sqs:StartMessageMoveTask/);
  assert.equal((await depthOf(fq.sqs, dlq)).visible, 12, "nothing moved");

  const started = await call(redrive.POST, "/orders-dlq/redrive", { nodeId: "orders-dlq" }, "POST");
  assert.equal(started.status, 201, JSON.stringify(started.json));
  assert.equal(started.json.task.mode, "message-move-task");
  const t = started.json.task.id as string;
  const done = await waitFor("the move task", async () => {
    const r = await call(task.GET, `/orders-dlq/redrive/${t}`, { nodeId: "orders-dlq", taskId: t });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json.task.status !== "running" && r.json.task;
  });
  assert.equal(done.status, "completed");
  assert.equal(done.moved, 12);
  assert.deepEqual(await depthOf(fq.sqs, dlq), { visible: 0, inFlight: 0 });
  assert.equal((await depthOf(fq.sqs, source)).visible, 12);
  const audit = await db.auditEvent.findMany({ where: { projectId: id, action: "dlq.redrive" } });
  assert.equal(audit.length, 1, "only the redrive that ran is audited");
});
