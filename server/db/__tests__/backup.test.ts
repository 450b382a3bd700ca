/**
 * `topo backup` / `topo restore`: a backup restored into a fresh database gives identical rows
 * (SQLite → SQLite, and PostgreSQL → PostgreSQL, SQLite → PostgreSQL, PostgreSQL → SQLite when
 * DATABASE_URL_PG is set); a truncated, corrupted or tampered file is refused with a clear error
 * and writes nothing; a database with data is refused unless --force; a restore that fails
 * half-way leaves the database as it was.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { isTopoError, type ErrorCode } from "../../errors";
import { backupDatabase, modelNames, restoreDatabase, tableCounts } from "../backup";
import type { Db } from "../client";

import { createEnvironment } from "../environments";
import { saveRevision } from "../projects";
import { seedExamples } from "../seed";
import { main } from "../../cli/main";
import { capture } from "../../cli/__tests__/helpers";
import { testDatabases, type TestDatabase } from "./databases";

const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-backup-"));
type Opened = Awaited<ReturnType<TestDatabase["open"]>>;
const targets = testDatabases();
const sqlite = targets.find((t) => t.name === "sqlite")!;
const postgres = targets.find((t) => t.name === "postgresql")!;

/** Something in every table, with dates, nulls, unicode and a large document. */
async function fill(db: Db): Promise<void> {
  await seedExamples(db);
  const [p] = await db.project.findMany({ orderBy: { name: "asc" }, take: 1 });
  const latest = await db.topologyRevision.findFirst({ where: { projectId: p.id }, orderBy: { number: "desc" } });
  const doc = JSON.parse(latest!.document);
  await saveRevision(db, p.id, { baseRevision: latest!.number, document: { ...doc, description: "Ünïcödé ✓ <b>html</b> \"quotes\"" }, message: "second", author: "ana@example.com" });
  await createEnvironment(db, p.id, { name: "prod", kind: "aws", region: "eu-west-1", credentialsRef: "profile:prod", bindings: {} });
  const userId = randomUUID();
  await db.user.create({ data: { id: userId, email: "ana@example.com", name: "Ana", passwordHash: "scrypt$abc", role: "admin" } });
  await db.user.create({ data: { id: randomUUID(), email: "oidc@example.com" } });
  await db.membership.create({ data: { id: randomUUID(), projectId: p.id, userId, role: "editor" } });
  await db.auditEvent.create({ data: { id: randomUUID(), actor: "ana@example.com", projectId: p.id, action: "revision.save", target: "2", details: JSON.stringify({ a: 1 }) } });
  await db.auditEvent.create({ data: { id: randomUUID(), actor: "local", action: "user.create", at: new Date("2026-01-02T03:04:05.678Z") } });
  await db.pollerLease.create({ data: { key: "env/x/metrics", holder: "host-1", expiresAt: new Date("2026-11-24T00:00:00.000Z") } });
  await db.observeSample.create({ data: { key: "env/x/metrics", payload: JSON.stringify({ p95: 12.5 }), readAt: new Date(), error: null } });
  await db.moveTask.create({ data: { id: randomUUID(), projectId: p.id, environmentId: "env", sourceUrl: "http://127.0.0.1/q/dlq", destUrl: "http://127.0.0.1/q/main", status: "done", moved: 3, total: 3, startedBy: "ana@example.com", finishedAt: new Date() } });
}

/** Every row of every table, in primary-key order, dates as ISO strings. */
async function dump(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const m of modelNames()) {
    const d = (db as unknown as Record<string, { findMany(a?: unknown): Promise<Record<string, unknown>[]> }>)[m.charAt(0).toLowerCase() + m.slice(1)];
    const rows = await d.findMany();
    const pk = rows[0] && "id" in rows[0] ? "id" : "key";
    out[m] = JSON.parse(JSON.stringify(rows.sort((a, b) => String(a[pk]).localeCompare(String(b[pk])))));
  }
  return out;
}

function expectRefused(e: unknown, code: ErrorCode, message: RegExp): true {
  assert.ok(isTopoError(e), String(e));
  assert.equal(e.code, code, e.message);
  assert.match(e.message, message);
  assert.ok(e.fix.length > 20);
  return true;
}

/** Rewrites a backup's lines (and, unless `keepChecksum`, its footer) into a new file. */
function rewrite(file: string, edit: (lines: string[]) => string[], opts: { keepChecksum?: boolean } = {}): Uint8Array {
  const lines = gunzipSync(readFileSync(file)).toString("utf8").trimEnd().split("\n");
  const footer = JSON.parse(lines.pop()!);
  const body = edit(lines);
  if (!opts.keepChecksum) {
    const h = createHash("sha256");
    for (const l of body) h.update(`${l}\n`);
    footer.sha256 = h.digest("hex");
    footer.rows = body.length - 1;
  }
  return gzipSync(Buffer.from(`${[...body, JSON.stringify(footer)].join("\n")}\n`));
}

describe("backup and restore", () => {
  let source: Opened;
  let file: string;
  let sourceDump: Record<string, unknown[]>;
  before(async () => {
    source = await sqlite.open();
    await fill(source.db);
    file = join(dir, "sqlite.topobak");
    const s = await backupDatabase(source.db, source.config, file);
    assert.equal(s.tables.find((t) => t.name === "Project")?.rows, 3);
    assert.ok(s.tables.every((t) => t.rows > 0), JSON.stringify(s.tables));
    sourceDump = await dump(source.db);
  });
  after(async () => {
    await source?.close();
  });

  async function fresh(t: TestDatabase, fn: (o: Opened) => Promise<void>) {
    const o = await t.open();
    try {
      await fn(o);
    } finally {
      await o.close();
    }
  }

  test("SQLite → fresh SQLite gives identical rows in every table", async () => {
    await fresh(sqlite, async ({ db, config }) => {
      const r = await restoreDatabase(db, config, readFileSync(file));
      assert.equal(r.replaced, 0);
      assert.deepEqual(await dump(db), sourceDump);
    });
  });

  test("SQLite → PostgreSQL → SQLite: identical rows both ways", { skip: postgres.skip }, async () => {
    await fresh(postgres, async (pgDb) => {
      await restoreDatabase(pgDb.db, pgDb.config, readFileSync(file));
      assert.deepEqual(await dump(pgDb.db), sourceDump);
      const back = join(dir, "pg.topobak");
      await backupDatabase(pgDb.db, pgDb.config, back);
      await fresh(sqlite, async ({ db, config }) => {
        await restoreDatabase(db, config, readFileSync(back));
        assert.deepEqual(await dump(db), sourceDump);
      });
    });
  });

  test("PostgreSQL → fresh PostgreSQL gives identical rows", { skip: postgres.skip }, async () => {
    await fresh(postgres, async (a) => {
      await fill(a.db);
      const f = join(dir, "pg2.topobak");
      await backupDatabase(a.db, a.config, f);
      await fresh(postgres, async (b) => {
        await restoreDatabase(b.db, b.config, readFileSync(f));
        assert.deepEqual(await dump(b.db), await dump(a.db));
      });
    });
  });

  test("a database with data is refused (TOPO-E193) and left as it was; --force replaces it", async () => {
    await fresh(sqlite, async ({ db, config }) => {
      await db.meta.create({ data: { key: "mine", value: "keep me" } });
      await assert.rejects(restoreDatabase(db, config, readFileSync(file)), (e) => expectRefused(e, "TOPO-E193", /the database is not empty \(Meta 1\); nothing was written/));
      assert.deepEqual(await db.meta.findMany(), [{ key: "mine", value: "keep me" }]);
      const r = await restoreDatabase(db, config, readFileSync(file), { force: true });
      assert.equal(r.replaced, 1);
      assert.deepEqual(await dump(db), sourceDump);
    });
  });

  test("truncated, corrupted, tampered or foreign files are refused (TOPO-E191) and write nothing", async () => {
    const good = readFileSync(file);
    const lines = gunzipSync(good).toString("utf8").trimEnd().split("\n");
    const cases: [string, Uint8Array, RegExp][] = [
      ["truncated gzip", good.subarray(0, Math.floor(good.length / 2)), /truncated or corrupted/],
      ["flipped byte", Uint8Array.from(good, (b, i) => (i === Math.floor(good.length / 2) ? b ^ 0xff : b)), /truncated or corrupted|checksum/],
      ["cut at a line boundary", gzipSync(Buffer.from(`${lines.slice(0, -3).join("\n")}\n`)), /ends early/],
      ["a row changed", rewrite(file, (l) => l.map((x) => x.replace("Orders", "Ordres")), { keepChecksum: true }), /checksum does not match/],
      ["a row removed", rewrite(file, (l) => l.filter((_, i) => i !== 5), { keepChecksum: true }), /checksum does not match/],
      ["not gzip", Buffer.from("Resources: {}\n"), /not a gzip file/],
      ["another gzip", gzipSync(Buffer.from('{"hello": 1}\n{"end": true}\n')), /not a Topograph backup/],
      ["empty", new Uint8Array(), /not a gzip file/],
    ];
    await fresh(sqlite, async ({ db, config }) => {
      for (const [what, bytes, message] of cases) {
        await assert.rejects(restoreDatabase(db, config, bytes), (e) => expectRefused(e, "TOPO-E191", message), what);
        assert.ok((await tableCounts(db)).every((t) => t.rows === 0), `${what}: nothing written`);
      }
    });
  });

  test("a backup from a newer schema is refused (TOPO-E192); a row that cannot be written rolls everything back (TOPO-E194)", async () => {
    const newer = rewrite(file, (l) => {
      const h = JSON.parse(l[0]);
      h.migrations.push("20991231000000_future");
      return [JSON.stringify(h), ...l.slice(1)];
    });
    // Two revisions with the same (project, number): the second insert fails after the first rows went in.
    const clash = rewrite(file, (l) => {
      const i = l.findIndex((x) => x.startsWith('{"t":"TopologyRevision"'));
      const row = JSON.parse(l[i]);
      row.r.id = randomUUID();
      const h = JSON.parse(l[0]);
      h.tables.find((t: { name: string }) => t.name === "TopologyRevision").rows++;
      return [JSON.stringify(h), ...l.slice(1, i + 1), JSON.stringify(row), ...l.slice(i + 1)];
    });
    await fresh(sqlite, async ({ db, config }) => {
      await assert.rejects(restoreDatabase(db, config, newer), (e) => expectRefused(e, "TOPO-E192", /migrations not applied here: 20991231000000_future; nothing was written/));
      await assert.rejects(restoreDatabase(db, config, clash), (e) => expectRefused(e, "TOPO-E194", /the restore failed and was rolled back/));
      assert.ok((await tableCounts(db)).every((t) => t.rows === 0), "all or nothing");
      // With --force on a database with data, a failing restore keeps the old data.
      await db.meta.create({ data: { key: "mine", value: "keep me" } });
      await assert.rejects(restoreDatabase(db, config, clash, { force: true }), (e) => expectRefused(e, "TOPO-E194", /rolled back/));
      assert.deepEqual(await db.meta.findMany(), [{ key: "mine", value: "keep me" }]);
      assert.equal(await db.project.count(), 0);
    });
  });

  test("topo backup and topo restore on the command line: exit codes, messages, --json, --format sqlite", async () => {
    const out = join(dir, "cli.topobak");
    const b = capture();
    assert.equal(await main(["backup", out, "--database-url", source.config.url], b), 0, b.stderr.join("\n"));
    assert.match(b.stdout.join("\n"), /backed up \d+ rows from 10 tables to .*cli\.topobak \([\d.]+ KB, sha256 [0-9a-f]{12}…\)/);
    const target = `file:${join(dir, "restored.db")}`;
    const r = capture();
    assert.equal(await main(["restore", out, "--database-url", target, "--json"], r), 0, r.stderr.join("\n"));
    assert.equal(JSON.parse(r.stdout.join("")).ok, true);
    const again = capture();
    assert.equal(await main(["restore", out, "--database-url", target], again), 2);
    assert.match(again.stderr.join("\n"), /TOPO-E193: the database is not empty/);
    assert.match(again.stderr.join("\n"), /fix: .*--force/);
    const forced = capture();
    assert.equal(await main(["restore", out, "--database-url", target, "--force"], forced), 0, forced.stderr.join("\n"));
    assert.match(forced.stdout.join("\n"), /restored \d+ rows .* \(replaced \d+ rows\)/);
    const bad = join(dir, "bad.topobak");
    writeFileSync(bad, readFileSync(out).subarray(0, 100));
    const damaged = capture();
    assert.equal(await main(["restore", bad, "--database-url", `file:${join(dir, "empty.db")}`], damaged), 2);
    assert.match(damaged.stderr.join("\n"), /TOPO-E191: the backup cannot be restored: the file is truncated or corrupted/);
    const copy = capture();
    assert.equal(await main(["backup", join(dir, "copy.db"), "--format", "sqlite", "--database-url", source.config.url], copy), 0, copy.stderr.join("\n"));
    assert.match(copy.stdout.join("\n"), /copied the SQLite database to .*copy\.db/);
  });
});
