import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../main";
import { capture } from "./helpers";
import { parseTrafficSpec } from "../../sandbox/traffic";

const dir = mkdtempSync(join(tmpdir(), "topo-sandbox-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));


const doc = {
  schemaVersion: 1,
  name: "CLI sandbox",
  nodes: [
    { id: "jobs", kind: "queue", name: "Jobs", visibilityTimeoutSeconds: 1, redrive: { deadLetterQueueId: "jobs-dlq", maxReceiveCount: 1 } },
    { id: "jobs-dlq", kind: "queue", name: "Jobs DLQ" },
    { id: "worker", kind: "function", name: "worker", simulate: { latencyMs: 2, initMs: 10, poisonMarker: "BAD" } },
  ],
  edges: [{ id: "jobs-worker", kind: "trigger", source: "jobs", target: "worker", batchSize: 1 }],
};

test("topo sandbox --duration --traffic --json: runs, generates traffic, prints the summary", async () => {
  const file = join(dir, "t.json");
  writeFileSync(file, JSON.stringify(doc));
  const io = capture();
  const code = await main(["sandbox", file, "--duration", "1.5", "--traffic", "jobs:20:0.25", "--json"], io);
  assert.equal(code, 0, io.stderr.join("\n"));
  const s = JSON.parse(io.stdout.join("\n"));
  const t = s.traffic[0];
  assert.equal(t.nodeId, "jobs");
  // 20/s for 1.5 s; a loaded machine may fire the end timer a little late.
  assert.ok(t.sent >= 20 && t.sent <= 45, `sent ${t.sent}`);
  assert.equal(t.poison, Math.floor(t.sent * 0.25));
  assert.equal(t.failed, 0);
  const f = s.functions.worker;
  assert.ok(f.invocations >= 1 && f.invocations <= t.sent, JSON.stringify(f));
  assert.equal(f.throttles, 0);
  assert.ok(f.errors <= t.poison, "only poison messages fail");
  assert.equal(s.queues["jobs-dlq"].isDeadLetterQueue, true);
  assert.deepEqual(Object.keys(s.triggers), ["jobs-worker"]);
  assert.equal(s.triggers["jobs-worker"].driven, true);
});

test("topo sandbox: human output; bad usage exits 2", async () => {
  const file = join(dir, "h.json");
  writeFileSync(file, JSON.stringify(doc));
  const io = capture();
  assert.equal(await main(["sandbox", file, "--duration", "0.3"], io), 0);
  assert.match(io.stdout.join("\n"), /worker: 0 invocations, 0 cold starts/);
  assert.match(io.stdout.join("\n"), /jobs-dlq \(DLQ\): depth 0/);

  const bad = capture();
  assert.equal(await main(["sandbox", file, "--traffic", "jobs:fast"], bad), 2);
  assert.match(bad.stderr.join("\n"), /TOPO-E030/);
  const missing = capture();
  assert.equal(await main(["sandbox", file, "--duration", "1", "--traffic", "nope:5"], missing), 2);
  const nofile = capture();
  assert.equal(await main(["sandbox", join(dir, "none.json")], nofile), 2);
  assert.throws(() => parseTrafficSpec("x:1:2"));
  assert.deepEqual(parseTrafficSpec("orders:50:0.1"), { nodeId: "orders", perSecond: 50, poisonFraction: 0.1 });
});

test("topo sandbox <project name>: runs the project's latest revision from DATABASE_URL's database", async () => {
  const { resolveDbConfig } = await import("../../db/config");
  const { migrateDatabase } = await import("../../db/migrate");
  const { createDb } = await import("../../db/client");
  const { createProject } = await import("../../db/projects");
  const config = resolveDbConfig(`file:${join(dir, "cli.db")}`);
  await migrateDatabase(config);
  const db = createDb(config);
  const project = await createProject(db, { name: "CLI project", document: { ...doc, name: "CLI project" } });
  await db.$disconnect();
  const before = process.env.DATABASE_URL;
  process.env.DATABASE_URL = config.url;
  try {
    for (const ref of ["CLI project", project.id]) {
      const io = capture();
      assert.equal(await main(["sandbox", ref, "--duration", "0.3", "--json"], io), 0, io.stderr.join("\n"));
      assert.deepEqual(Object.keys(JSON.parse(io.stdout.join("\n")).functions), ["worker"]);
    }
    const none = capture();
    assert.equal(await main(["sandbox", "No such project", "--duration", "0.3"], none), 2);
    assert.match(none.stderr.join("\n"), /TOPO-E031/);
  } finally {
    if (before === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = before;
  }
});
