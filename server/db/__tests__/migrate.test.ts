import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { resolveDbConfig } from "../config";
import { migrateDatabase, migrationsDir } from "../migrate";

const tmp = () => mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-mig-"));

test("migrations apply once, are recorded in Prisma's table, and re-running is a no-op", async () => {
  const config = resolveDbConfig(`file:${join(tmp(), "m.db")}`);
  const first = await migrateDatabase(config);
  assert.ok(first.applied.length >= 1);
  const second = await migrateDatabase(config);
  assert.deepEqual(second.applied, []);
  assert.deepEqual(second.alreadyApplied, first.applied);
  const db = new Database(config.provider === "sqlite" ? config.file : "");
  const rows = db.prepare(`SELECT migration_name, checksum FROM _prisma_migrations`).all() as { migration_name: string; checksum: string }[];
  assert.deepEqual(rows.map((r) => r.migration_name), first.applied);
  assert.match(rows[0].checksum, /^[0-9a-f]{64}$/);
  db.close();
});

test("an applied migration that was edited afterwards is refused", async () => {
  const dir = tmp();
  const migrations = join(dir, "migrations");
  cpSync(migrationsDir("sqlite"), migrations, { recursive: true });
  const config = resolveDbConfig(`file:${join(dir, "d.db")}`);
  await migrateDatabase(config, migrations);
  const file = join(migrations, "20261123000000_init", "migration.sql");
  appendFileSync(file, "\n-- edited\n");
  await assert.rejects(migrateDatabase(config, migrations), /was changed after it was applied/);
});

test("a failing migration leaves nothing half-applied", async () => {
  const dir = tmp();
  const migrations = join(dir, "migrations");
  cpSync(migrationsDir("sqlite"), migrations, { recursive: true });
  const config = resolveDbConfig(`file:${join(dir, "f.db")}`);
  await migrateDatabase(config, migrations);
  cpSync(join(migrations, "20261123000000_init"), join(migrations, "20261124000000_bad"), { recursive: true });
  writeFileSync(join(migrations, "20261124000000_bad", "migration.sql"), `CREATE TABLE "Half" ("id" TEXT);\nTHIS IS NOT SQL;`);
  await assert.rejects(migrateDatabase(config, migrations));
  const db = new Database(config.provider === "sqlite" ? config.file : "");
  const half = db.prepare(`SELECT name FROM sqlite_master WHERE name = 'Half'`).get();
  db.close();
  assert.equal(half, undefined);
});

test("the SQLite and PostgreSQL Prisma schemas describe the same models", () => {
  const models = (path: string) =>
    readFileSync(path, "utf8")
      .split(/\n(?=model |generator |datasource )/)
      .filter((b) => b.startsWith("model "))
      .join("\n")
      .replace(/\s+/g, " ");
  const root = join(migrationsDir("sqlite"), "..");
  assert.equal(models(join(root, "schema.prisma")), models(join(root, "postgres", "schema.prisma")));
});
