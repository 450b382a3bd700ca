/**
 * Applies the SQL migrations in Prisma's folder layout (prisma/migrations/<stamp>_<name>/migration.sql,
 * and prisma/postgres/migrations for PostgreSQL) without Prisma's schema engine, which cannot be
 * downloaded on offline machines. Applied migrations are recorded in Prisma's own
 * `_prisma_migrations` table, with Prisma's checksum (sha256 of the file), so `prisma migrate deploy`
 * on a machine that has the engine sees the same history. Safe to run concurrently: SQLite takes an
 * immediate write lock, PostgreSQL an advisory lock.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { DbConfig } from "./config";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

const ROOT = join(dirname(new URL(import.meta.url).pathname), "..", "..");

export function migrationsDir(provider: DbConfig["provider"]): string {
  return join(ROOT, "prisma", ...(provider === "postgresql" ? ["postgres"] : []), "migrations");
}

export function listMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const PRISMA_TABLE_SQLITE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME, "migration_name" TEXT NOT NULL,
  "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

const PRISMA_TABLE_PG = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Applies every migration not yet recorded; each in its own transaction, so a failure leaves nothing half-done. */
export async function migrateDatabase(config: DbConfig, dir = migrationsDir(config.provider)): Promise<MigrateResult> {
  const files = listMigrations(dir);
  return config.provider === "sqlite" ? migrateSqlite(config.file, files) : migratePg(config.url, files);
}

function checkDrift(done: Map<string, string>, files: MigrationFile[]) {
  for (const f of files) {
    const sum = done.get(f.name);
    if (sum && sum !== f.checksum)
      throw new Error(`migration ${f.name} was changed after it was applied (checksum differs); add a new migration instead of editing an applied one`);
  }
}

function migrateSqlite(file: string, files: MigrationFile[]): MigrateResult {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 10000");
    db.pragma("foreign_keys = ON");
    db.exec(PRISMA_TABLE_SQLITE);
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const f of files) {
      // Re-read inside the write lock: another process may have applied it meanwhile.
      const tx = db.transaction(() => {
        const row = db.prepare(`SELECT checksum FROM "_prisma_migrations" WHERE migration_name = ? AND rolled_back_at IS NULL AND finished_at IS NOT NULL`).get(f.name) as { checksum: string } | undefined;
        if (row) {
          checkDrift(new Map([[f.name, row.checksum]]), [f]);
          result.alreadyApplied.push(f.name);
          return;
        }
        const started = new Date().toISOString();
        db.exec(f.sql);
        db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`).run(randomUUID(), f.checksum, new Date().toISOString(), f.name, started);
        result.applied.push(f.name);
      });
      tx.immediate();
    }
    return result;
  } finally {
    db.close();
  }
}

async function migratePg(url: string, files: MigrationFile[]): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(72707369)"); // any constant: one migrator at a time
    await client.query(PRISMA_TABLE_PG);
    const rows = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL`,
    );
    const done = new Map(rows.rows.map((r) => [r.migration_name, r.checksum]));
    checkDrift(done, files);
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const f of files) {
      if (done.has(f.name)) {
        result.alreadyApplied.push(f.name);
        continue;
      }
      await client.query("BEGIN");
      try {
        const started = new Date();
        await client.query(f.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), f.checksum, f.name, started],
        );
        await client.query("COMMIT");
        result.applied.push(f.name);
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${f.name} failed and was rolled back: ${(e as Error).message}`);
      }
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock(72707369)").catch(() => {});
    await client.end();
  }
}
