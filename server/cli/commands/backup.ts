import { resolve } from "node:path";
import type { RegisterCommand } from "./index";
import { TopoError } from "../../errors";
import { EXIT, reportError } from "../io";
import { backupDatabase, sqliteCopy } from "../../db/backup";
import { createDb } from "../../db/client";
import { resolveDbConfig, type DbConfig } from "../../db/config";

/** DATABASE_URL, or --database-url; a malformed URL is bad usage (TOPO-E030). */
export function databaseConfig(url: string | undefined): DbConfig {
  try {
    return resolveDbConfig(url ?? process.env.DATABASE_URL);
  } catch (e) {
    throw new TopoError("TOPO-E030", (e as Error).message, { fix: "Set DATABASE_URL (or --database-url) to file:<path> or postgres://…" });
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(n < 10_240 ? 1 : 0)} KB`;

/**
 * `topo backup <file> [--database-url url] [--format portable|sqlite] [--json]`: the whole database
 * in one file. `portable` (default): gzip'd JSON lines of every table with the migrations and a
 * checksum, restorable into SQLite or PostgreSQL by `topo restore`. `sqlite`: a consistent copy of
 * the SQLite file (VACUUM INTO).
 */
export const registerBackup: RegisterCommand = (program, io, setExit) => {
  program
    .command("backup")
    .description("write the whole database to a file (portable: restores into SQLite or PostgreSQL)")
    .argument("<file>", "backup file to write, e.g. topograph-2026-11-24.topobak")
    .option("--database-url <url>", "database to back up (default: DATABASE_URL, else file:./data/topograph.db)")
    .option("--format <format>", "portable (gzip'd JSON lines, default) or sqlite (a copy of the SQLite file)", "portable")
    .option("--json", "machine-readable output")
    .action(async (file: string, opts: { databaseUrl?: string; format: string; json?: boolean }) => {
      const json = !!opts.json;
      try {
        const config = databaseConfig(opts.databaseUrl);
        const out = resolve(file);
        if (opts.format === "sqlite") {
          const copy = sqliteCopy(config, out);
          io.out(json ? JSON.stringify({ ok: true, format: "sqlite", ...copy }) : `copied the SQLite database to ${copy.file} (${kb(copy.bytes)}); restore by stopping the server and copying it back`);
          setExit(EXIT.ok);
          return;
        }
        if (opts.format !== "portable") throw new TopoError("TOPO-E030", `unknown backup format "${opts.format}"`, { fix: "Use --format portable or --format sqlite." });
        const db = createDb(config);
        try {
          const s = await backupDatabase(db, config, out);
          if (json) io.out(JSON.stringify({ ok: true, format: "portable", ...s }));
          else {
            io.out(`backed up ${s.rows} rows from ${s.tables.filter((t) => t.rows > 0).length} tables to ${s.file} (${kb(s.bytes)}, sha256 ${s.sha256.slice(0, 12)}…)`);
            io.out(`  ${s.tables.map((t) => `${t.name} ${t.rows}`).join(", ")}`);
            io.out(`  schema: ${s.migrations.length} migrations, the last ${s.migrations[s.migrations.length - 1] ?? "none"}`);
          }
        } finally {
          await db.$disconnect();
        }
        setExit(EXIT.ok);
      } catch (e) {
        setExit(reportError(e, io, json));
      }
    });
};
