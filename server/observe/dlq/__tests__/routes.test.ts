/**
 * The DLQ routes end to end against the real local sandbox (fauxqs behind the sandbox manager): poison messages
 * fill the DLQ; list, peek (nothing consumed), redrive (copy-delete: fauxqs has no message-move API) with its task
 * polled to the end and the messages processed again, delete one, purge; each destructive action audited;
 * bad input refused with its code.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveDbConfig } from "../../../db/config";
import { migrateDatabase } from "../../../db/migrate";
import { createDb } from "../../../db/client";
import { createProject } from "../../../db/projects";
import { listEnvironments } from "../../../db/environments";
import { runningSandbox, startProjectSandbox, stopAllSandboxes } from "../../../sandbox/manager";
import { DlqListSchema, DlqPeekSchema, MoveTaskSchema } from "../../types";
import { waitFor } from "./helpers";

const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-dlq-"));
const config = resolveDbConfig(`file:${join(dir, "test.db")}`);
process.env.DATABASE_URL = config.url;

const doc = {
  schemaVersion: 1,
  name: "Dead letters",
  nodes: [
    { id: "in", kind: "queue", name: "In", visibilityTimeoutSeconds: 1, redrive: { deadLetterQueueId: "in-dlq", maxReceiveCount: 1 } },
    { id: "in-dlq", kind: "queue", name: "In DLQ" },
    { id: "worker", kind: "function", name: "dlq-worker", simulate: { latencyMs: 1, initMs: 5, poisonMarker: "POISON" } },
  ],
  edges: [{ id: "in-worker", kind: "trigger", source: "in", target: "worker", batchSize: 1 }],
};

after(async () => {
  await stopAllSandboxes();
  const { getDb } = await import("../../../db/client");
  await getDb().$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

test("DLQ routes against the local sandbox: list, peek, redrive, delete, purge; audited", async () => {
  await migrateDatabase(config);
  const db = createDb(config);
  const { id } = await createProject(db, { name: "Dead letters", document: doc });
  await startProjectSandbox(id, { db, dbConfig: config, sandbox: { pollWaitSeconds: 1 } });
  const env = (await listEnvironments(db, id)).find((e) => e.name === "local")!;
  const base = `http://127.0.0.1/api/projects/${id}/environments/${env.id}/observe/dlq`;
  const R = "../../../../app/api/projects/[id]/environments/[envId]/observe/dlq";
  const list = (await import(`${R}/route`)) as Record<string, Handler>;
  const messages = (await import(`${R}/[nodeId]/messages/route`)) as Record<string, Handler>;
  const redrive = (await import(`${R}/[nodeId]/redrive/route`)) as Record<string, Handler>;
  const task = (await import(`${R}/[nodeId]/redrive/[taskId]/route`)) as Record<string, Handler>;
  const purge = (await import(`${R}/[nodeId]/purge/route`)) as Record<string, Handler>;
  const call = async (h: Handler, path: string, params: Record<string, string> = {}, init: { method?: string; body?: unknown } = {}) => {
    const res = await h(
      new Request(base + path, { method: init.method ?? "GET", headers: init.body === undefined ? {} : { "content-type": "application/json" }, body: init.body === undefined ? undefined : JSON.stringify(init.body) }),
      { params: Promise.resolve({ id, envId: env.id, ...params }) },
    );
    return { status: res.status, json: res.status === 204 ? null : await res.json() };
  };
  const depth = async () => (await call(list.GET, "")).json.dlqs[0].depth as number;
  const invocations = () => runningSandbox(id)!.sb.runtimes.get("worker")!.stats.invocations;

  const sb = runningSandbox(id)!.sb;
  for (let i = 0; i < 5; i++) await sb.send("in", JSON.stringify({ n: i, note: "POISON" }));
  await waitFor("5 dead letters", async () => (await depth()) === 5);

  const l = DlqListSchema.parse((await call(list.GET, "")).json);
  assert.deepEqual(l.dlqs.map((d) => [d.nodeId, d.depth, d.defaultDestinationNodeId]), [["in-dlq", 5, "in"]]);

  const peek = await call(messages.GET, "/in-dlq/messages?max=3", { nodeId: "in-dlq" });
  assert.equal(peek.status, 200);
  const p = DlqPeekSchema.parse(peek.json);
  assert.equal(p.messages.length, 3);
  assert.equal(p.partial, true);
  assert.equal((p.messages[0].json as { note: string }).note, "POISON");
  assert.ok(p.messages.every((m) => m.receiveCount >= 2), "1 failed receive in the source + this peek");
  assert.equal(await depth(), 5, "peeking consumed nothing");

  const bad = await call(messages.GET, "/in-dlq/messages?max=0", { nodeId: "in-dlq" });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, "TOPO-E023");
  const notDlq = await call(messages.GET, "/in/messages", { nodeId: "in" });
  assert.equal(notDlq.status, 404);
  assert.equal(notDlq.json.error.code, "TOPO-E150");

  // Redrive: back into "in", where the worker fails them again (they are poison) and they return to the DLQ.
  const before = invocations();
  const started = await call(redrive.POST, "/in-dlq/redrive", { nodeId: "in-dlq" }, { method: "POST" });
  assert.equal(started.status, 201, JSON.stringify(started.json));
  const t = MoveTaskSchema.parse(started.json.task);
  assert.equal(t.mode, "copy-delete");
  assert.equal(t.total, 5);
  const done = await waitFor("the redrive", async () => {
    const r = await call(task.GET, `/in-dlq/redrive/${t.id}`, { nodeId: "in-dlq", taskId: t.id });
    assert.equal(r.status, 200);
    return r.json.task.status !== "running" && r.json.task;
  });
  assert.equal(done.status, "completed");
  assert.equal(done.moved, 5);
  await waitFor("the redriven messages to be processed again", async () => invocations() >= before + 5);
  await waitFor("them to fail back into the DLQ", async () => (await depth()) === 5);

  const wrongTask = await call(task.GET, "/in-dlq/redrive/nope", { nodeId: "in-dlq", taskId: "nope" });
  assert.equal(wrongTask.status, 400);

  const victim = DlqPeekSchema.parse((await call(messages.GET, "/in-dlq/messages?max=10", { nodeId: "in-dlq" })).json).messages[0];
  const del = await call(messages.DELETE, "/in-dlq/messages", { nodeId: "in-dlq" }, { method: "DELETE", body: { messageId: victim.messageId, receiptHandle: victim.receiptHandle } });
  assert.equal(del.status, 204);
  assert.equal(await depth(), 4);
  const again = await call(messages.DELETE, "/in-dlq/messages", { nodeId: "in-dlq" }, { method: "DELETE", body: { messageId: victim.messageId } });
  assert.equal(again.status, 404);
  assert.equal(again.json.error.code, "TOPO-E152");
  const badDel = await call(messages.DELETE, "/in-dlq/messages", { nodeId: "in-dlq" }, { method: "DELETE", body: { receiptHandle: "x" } });
  assert.equal(badDel.status, 400);

  const purged = await call(purge.POST, "/in-dlq/purge", { nodeId: "in-dlq" }, { method: "POST" });
  assert.equal(purged.status, 200);
  assert.equal(purged.json.purged, 4);
  assert.equal(await depth(), 0);

  const audit = await db.auditEvent.findMany({ where: { projectId: id, action: { startsWith: "dlq." } }, orderBy: { at: "asc" } });
  assert.deepEqual(audit.map((a) => a.action), ["dlq.redrive", "dlq.delete", "dlq.purge"]);
  assert.ok(audit.every((a) => a.actor === "local"));
  assert.equal(audit[1].target, victim.messageId);

  await stopAllSandboxes();
  // Environment resolutions are shared for a moment (server/observe/environment.ts); then the stop shows.
  const gone = await waitFor("the stopped sandbox to show", async () => {
    const r = await call(list.GET, "");
    return r.status !== 200 && r;
  });
  assert.equal(gone.status, 409);
  assert.equal(gone.json.error.code, "TOPO-E120");
  await db.$disconnect();
});
