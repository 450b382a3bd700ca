import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveDbConfig } from "../../db/config";
import { migrateDatabase } from "../../db/migrate";
import { createDb } from "../../db/client";
import { createProject } from "../../db/projects";
import { runningSandbox, startProjectSandbox, stopAllSandboxes } from "../../sandbox/manager";
import { main } from "../../cli/main";
import { capture } from "../../cli/__tests__/helpers";

const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-obs-cli-"));
const config = resolveDbConfig(`file:${join(dir, "test.db")}`);
process.env.DATABASE_URL = config.url;
after(async () => {
  await stopAllSandboxes();
  rmSync(dir, { recursive: true, force: true });
});

const doc = {
  schemaVersion: 1,
  name: "CLI observed",
  nodes: [
    { id: "jobs", kind: "queue", name: "Jobs", visibilityTimeoutSeconds: 1, redrive: { deadLetterQueueId: "jobs-dlq", maxReceiveCount: 1 } },
    { id: "jobs-dlq", kind: "queue", name: "Jobs DLQ" },
    { id: "worker", kind: "function", name: "cli-worker", simulate: { latencyMs: 2, initMs: 30, poisonMarker: "BAD" } },
  ],
  edges: [{ id: "jobs-worker", kind: "trigger", source: "jobs", target: "worker", batchSize: 1 }],
};

test("topo observe --project --env local --json prints per function, trigger and DLQ figures", async () => {
  await migrateDatabase(config);
  const db = createDb(config);
  const project = await createProject(db, { name: "CLI observed", document: doc });

  // Before Run locally: no environment yet, then no sandbox.
  let io = capture();
  assert.equal(await main(["observe", "--project", "CLI observed", "--env", "local", "--json"], io), 2);
  assert.equal(JSON.parse(io.stdout.join("")).error.code, "TOPO-E020");

  await startProjectSandbox(project.id, { db, dbConfig: config, sandbox: { pollWaitSeconds: 1 } });
  const sb = runningSandbox(project.id)!.sb;
  for (let i = 0; i < 6; i++) await sb.send("jobs", `job ${i}`);
  await sb.send("jobs", "BAD job");
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    const s = await sb.summary();
    if (s.functions.worker.invocations === 7 && s.queues["jobs-dlq"].depth === 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  io = capture();
  const code = await main(["observe", "--project", project.id, "--env", "local", "--json"], io);
  assert.equal(code, 0, io.stderr.join("\n") + io.stdout.join("\n"));
  const out = JSON.parse(io.stdout.join(""));
  assert.equal(out.projectId, project.id);
  assert.equal(out.window.kind, "5m");
  const w = out.functions.worker;
  assert.deepEqual([w.invocations, w.errors, w.freshness], [7, 1, "fresh"]);
  assert.ok(w.coldStarts >= 1, JSON.stringify(w));
  assert.ok(w.initP95Ms >= 30 && w.p95Ms >= 2, JSON.stringify(w));
  assert.deepEqual(out.dlqs, { "jobs-dlq": { depth: 1, oldestAgeSec: null } });
  assert.equal(out.triggers["jobs-worker"].lagUnit, "messages");
  assert.equal(typeof out.triggers["jobs-worker"].lag, "number");
  assert.equal(out.health.status, "degraded");

  io = capture();
  assert.equal(await main(["observe", "--project", "CLI observed", "--env", "local"], io), 0);
  const text = io.stdout.join("\n");
  assert.match(text, /worker\s+7 inv\s+1 err/);
  assert.match(text, /jobs-dlq\s+depth 1/);

  io = capture();
  assert.equal(await main(["observe", "--project", "CLI observed", "--env", "prod", "--json"], io), 2);
  assert.match(JSON.parse(io.stdout.join("")).error.fix, /local/);

  await stopAllSandboxes();
  (await import("../environment")).forgetResolved(); // resolutions are cached for a second
  io = capture();
  assert.equal(await main(["observe", "--project", "CLI observed", "--env", "local", "--json"], io), 2);
  assert.equal(JSON.parse(io.stdout.join("")).error.code, "TOPO-E120");
  await db.$disconnect();
});
