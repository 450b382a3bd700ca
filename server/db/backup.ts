/**
 * Backup and restore of the whole database in a portable format, so a SQLite database can be
 * restored into PostgreSQL and back. A backup is gzip'd JSON lines:
 *
 *   {"format":"topograph-backup","version":1,"createdAt":…,"provider":"sqlite","migrations":[…],"tables":[{"name":"Project","rows":3},…]}
 *   {"t":"Project","r":{"id":"p-…","name":"Orders",…,"createdAt":{"$date":"2026-…"}}}
 *   …one line per row, tables in dependency order (parents first)…
 *   {"end":true,"rows":123,"sha256":"<hex of every line above, each with its \n>"}
 *
 * Backup reads every table inside one transaction (a consistent snapshot: REPEATABLE READ on
 * PostgreSQL, SQLite's read transaction). Restore checks everything before it writes anything
 * (gzip intact, header, checksum, row count, tables and migrations known here), refuses a
 * database that holds data unless `force`, and writes in one transaction: all or nothing.
 * For SQLite, `sqliteCopy` writes a consistent copy of the file with VACUUM INTO.
 */
import { createHash } from "node:crypto";
import { existsSync, renameSync, statSync, writeFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import pg from "pg";
import { TopoError } from "../errors";
import type { Db } from "./client";
import type { DbConfig } from "./config";
import { Prisma } from "./generated/sqlite/client";

export const BACKUP_FORMAT = "topograph-backup";
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  provider: DbConfig["provider"];
  migrations: string[];
  tables: { name: string; rows: number }[];
}

export interface BackupSummary {
  file?: string;
  bytes: number;
  rows: number;
  tables: { name: string; rows: number }[];
  sha256: string;
  migrations: string[];
}

/** Models in schema order, which is parents before children (Project before TopologyRevision, User before Membership). */
export function modelNames(): string[] {
  return Object.values(Prisma.ModelName);
}

type Delegate = {
  findMany(args?: unknown): Promise<Record<string, unknown>[]>;
  createMany(args: { data: Record<string, unknown>[] }): Promise<{ count: number }>;
  deleteMany(args?: unknown): Promise<{ count: number }>;
  count(args?: unknown): Promise<number>;
};

function delegate(db: unknown, model: string): Delegate {
  const d = (db as Record<string, Delegate | undefined>)[model.charAt(0).toLowerCase() + model.slice(1)];
  if (!d) throw new Error(`the database client has no model ${model}`);
  return d;
}

// --- values: Date, BigInt and bytes survive JSON ------------------------------------------------

function encode(v: unknown): unknown {
  if (v instanceof Date) return { $date: v.toISOString() };
  if (typeof v === "bigint") return { $bigint: v.toString() };
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString("base64") };
  return v;
}

function decode(v: unknown): unknown {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.$date === "string") return new Date(o.$date);
    if (typeof o.$bigint === "string") return BigInt(o.$bigint);
    if (typeof o.$bytes === "string") return Buffer.from(o.$bytes, "base64");
  }
  return v;
}

function encodeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row)) out[k] = encode(row[k]);
  return out;
}

function decodeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row)) out[k] = decode(row[k]);
  return out;
}

// --- applied migrations -------------------------------------------------------------------------

/** Names of the migrations applied to the database (Prisma's `_prisma_migrations`). */
export async function appliedMigrations(config: DbConfig): Promise<string[]> {
  const sql = `SELECT migration_name FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL ORDER BY migration_name`;
  if (config.provider === "sqlite") {
    if (!existsSync(config.file)) return [];
    const db = new Database(config.file, { readonly: true, fileMustExist: true });
    try {
      const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
      return has ? (db.prepare(sql).all() as { migration_name: string }[]).map((r) => r.migration_name) : [];
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: config.url });
  await c.connect();
  try {
    const has = await c.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
    if (!has.rows[0].t) return [];
    return (await c.query<{ migration_name: string }>(sql)).rows.map((r) => r.migration_name);
  } finally {
    await c.end();
  }
}

// --- backup -------------------------------------------------------------------------------------

const PAGE = 1_000;

/** Every row of every table, read in one transaction, as the backup's lines (header first, footer last). */
export async function backupLines(db: Db, config: DbConfig): Promise<{ lines: string[]; header: BackupHeader; sha256: string; rows: number }> {
  const migrations = await appliedMigrations(config);
  const models = modelNames();
  const body: string[] = [];
  const tables: { name: string; rows: number }[] = [];
  await db.$transaction(
    async (tx) => {
      for (const model of models) {
        const d = delegate(tx, model);
        let n = 0;
        // Pages in primary-key order (every model has `id` or `key`), so memory stays bounded per page.
        const sample = await d.findMany({ take: 1 });
        const pk = sample[0] && "id" in sample[0] ? "id" : sample[0] && "key" in sample[0] ? "key" : undefined;
        for (let skip = 0; ; skip += PAGE) {
          const rows = pk ? await d.findMany({ orderBy: { [pk]: "asc" }, skip, take: PAGE }) : skip === 0 ? await d.findMany() : [];
          for (const r of rows) body.push(JSON.stringify({ t: model, r: encodeRow(r) }));
          n += rows.length;
          if (!pk || rows.length < PAGE) break;
        }
        tables.push({ name: model, rows: n });
      }
    },
    // REPEATABLE READ: every table read from the same snapshot (SQLite transactions are serializable already).
    { timeout: 600_000, maxWait: 30_000, ...(config.provider === "postgresql" ? { isolationLevel: "RepeatableRead" } : {}) } as never,
  );
  const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), provider: config.provider, migrations, tables };
  const lines = [JSON.stringify(header), ...body];
  const hash = createHash("sha256");
  for (const l of lines) hash.update(`${l}\n`);
  const sha256 = hash.digest("hex");
  lines.push(JSON.stringify({ end: true, rows: body.length, sha256 }));
  return { lines, header, sha256, rows: body.length };
}

/** Writes a backup file (gzip'd JSON lines). */
export async function backupDatabase(db: Db, config: DbConfig, file: string): Promise<BackupSummary> {
  const { lines, header, sha256, rows } = await backupLines(db, config);
  const gz = gzipSync(Buffer.from(`${lines.join("\n")}\n`), { level: 6 });
  try {
    // Write beside, then rename: a crash while writing never leaves a half backup under the final name.
    const tmp = `${file}.partial-${process.pid}`;
    writeFileSync(tmp, gz);
    renameSync(tmp, file);
  } catch (e) {
    throw new TopoError("TOPO-E195", `cannot write ${file}: ${(e as Error).message}`);
  }
  return { file, bytes: gz.length, rows, tables: header.tables, sha256, migrations: header.migrations };
}

/** SQLite only: a consistent copy of the database file (VACUUM INTO), restorable by copying it back. */
export function sqliteCopy(config: DbConfig, file: string): { file: string; bytes: number } {
  if (config.provider !== "sqlite") throw new TopoError("TOPO-E030", "--format sqlite copies a SQLite database; this one is PostgreSQL", { fix: "Use the portable format (the default), which restores into either database." });
  if (existsSync(file)) throw new TopoError("TOPO-E195", `${file} already exists; VACUUM INTO does not overwrite`, { fix: "Choose a new file name, or delete the old copy first." });
  const db = new Database(config.file, { readonly: true, fileMustExist: true });
  try {
    db.prepare("VACUUM INTO ?").run(file);
  } catch (e) {
    throw new TopoError("TOPO-E195", `cannot write ${file}: ${(e as Error).message}`);
  } finally {
    db.close();
  }
  return { file, bytes: statSync(file).size };
}

// --- restore ------------------------------------------------------------------------------------

export interface ParsedBackup {
  header: BackupHeader;
  rows: Map<string, Record<string, unknown>[]>;
  count: number;
  sha256: string;
}

function damaged(what: string): TopoError {
  return new TopoError("TOPO-E191", `the backup cannot be restored: ${what}; nothing was written`);
}

/** Reads and checks a backup completely (gzip, header, checksum, row counts) before anything is written. */
export function parseBackup(gz: Uint8Array): ParsedBackup {
  if (gz.length < 2 || gz[0] !== 0x1f || gz[1] !== 0x8b) throw damaged("it is not a gzip file (a topo backup is gzip'd JSON lines)");
  let text: string;
  try {
    text = gunzipSync(gz).toString("utf8");
  } catch (e) {
    throw damaged(`the file is truncated or corrupted (${(e as Error).message.replace(/\.$/, "")})`);
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length < 2) throw damaged("it has no header and footer");
  let header: BackupHeader;
  let footer: { end?: boolean; rows?: number; sha256?: string };
  try {
    header = JSON.parse(lines[0]);
    footer = JSON.parse(lines[lines.length - 1]);
  } catch {
    throw damaged("its first or last line is not JSON");
  }
  if (header?.format !== BACKUP_FORMAT) throw damaged(`it is not a Topograph backup (format ${JSON.stringify(header?.format ?? null)})`);
  if (header.version !== BACKUP_VERSION) throw new TopoError("TOPO-E192", `the backup is format version ${header.version}; this Topograph reads version ${BACKUP_VERSION}`);
  if (footer?.end !== true || typeof footer.sha256 !== "string") throw damaged("it ends early (no footer line: the file was cut short)");
  const hash = createHash("sha256");
  for (let i = 0; i < lines.length - 1; i++) hash.update(`${lines[i]}\n`);
  const sha256 = hash.digest("hex");
  if (sha256 !== footer.sha256) throw damaged(`its checksum does not match (sha256 ${sha256.slice(0, 12)}…, the footer says ${footer.sha256.slice(0, 12)}…): the file was changed after it was written`);
  const rows = new Map<string, Record<string, unknown>[]>();
  for (let i = 1; i < lines.length - 1; i++) {
    let rec: { t?: unknown; r?: unknown };
    try {
      rec = JSON.parse(lines[i]);
    } catch {
      throw damaged(`line ${i + 1} is not JSON`);
    }
    if (typeof rec.t !== "string" || !rec.r || typeof rec.r !== "object") throw damaged(`line ${i + 1} is not a row`);
    const list = rows.get(rec.t) ?? [];
    list.push(rec.r as Record<string, unknown>);
    rows.set(rec.t, list);
  }
  const count = lines.length - 2;
  if (footer.rows !== count) throw damaged(`the footer counts ${footer.rows} rows, the file holds ${count}`);
  for (const t of header.tables ?? []) {
    if ((rows.get(t.name)?.length ?? 0) !== t.rows) throw damaged(`table ${t.name} should have ${t.rows} rows, the file holds ${rows.get(t.name)?.length ?? 0}`);
  }
  return { header, rows, count, sha256 };
}

export interface RestoreSummary {
  rows: number;
  tables: { name: string; rows: number }[];
  replaced: number;
  from: { provider: string; createdAt: string; sha256: string };
}

/** Row counts of every table; empty means a fresh database. */
export async function tableCounts(db: Db): Promise<{ name: string; rows: number }[]> {
  const out: { name: string; rows: number }[] = [];
  for (const m of modelNames()) out.push({ name: m, rows: await delegate(db, m).count() });
  return out;
}

/**
 * Restores a backup into a migrated database. Checks everything first; refuses a database with
 * data (TOPO-E193) unless `force`, which replaces it; writes in one transaction (TOPO-E194 and
 * nothing written if any row fails).
 */
export async function restoreDatabase(db: Db, config: DbConfig, gz: Uint8Array, opts: { force?: boolean } = {}): Promise<RestoreSummary> {
  const backup = parseBackup(gz);
  const models = modelNames();
  const unknown = [...backup.rows.keys()].filter((t) => !models.includes(t));
  const here = await appliedMigrations(config);
  const missing = (backup.header.migrations ?? []).filter((m) => !here.includes(m));
  if (missing.length || unknown.length) {
    throw new TopoError(
      "TOPO-E192",
      `the backup was written by a newer Topograph: ${missing.length ? `migrations not applied here: ${missing.join(", ")}` : ""}${missing.length && unknown.length ? "; " : ""}${unknown.length ? `tables unknown here: ${unknown.join(", ")}` : ""}; nothing was written`,
    );
  }
  const before = await tableCounts(db);
  const existing = before.filter((t) => t.rows > 0);
  if (existing.length && !opts.force) {
    throw new TopoError("TOPO-E193", `the database is not empty (${existing.map((t) => `${t.name} ${t.rows}`).join(", ")}); nothing was written`);
  }
  try {
    await db.$transaction(
      async (tx) => {
        if (opts.force) for (const m of [...models].reverse()) await delegate(tx, m).deleteMany({});
        for (const m of models) {
          const rows = backup.rows.get(m) ?? [];
          for (let i = 0; i < rows.length; i += 500) await delegate(tx, m).createMany({ data: rows.slice(i, i + 500).map(decodeRow) });
        }
      },
      { timeout: 600_000, maxWait: 30_000 },
    );
  } catch (e) {
    if (e instanceof TopoError) throw e;
    const msg = (e as Error).message.split("\n").filter(Boolean).slice(-1)[0] ?? String(e);
    throw new TopoError("TOPO-E194", `the restore failed and was rolled back: ${msg.slice(0, 300)}`);
  }
  return {
    rows: backup.count,
    tables: models.map((m) => ({ name: m, rows: backup.rows.get(m)?.length ?? 0 })),
    replaced: existing.reduce((a, t) => a + t.rows, 0),
    from: { provider: backup.header.provider, createdAt: backup.header.createdAt, sha256: backup.sha256 },
  };
}
