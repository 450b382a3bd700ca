import { readFile } from "node:fs/promises";
import type { RegisterCommand } from "./index";
import { TopoError } from "../../errors";
import { EXIT, reportError } from "../io";
import { restoreDatabase } from "../../db/backup";
import { createDb } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { databaseConfig } from "./backup";

/**
 * `topo restore <file> [--database-url url] [--force] [--json]`: restores a `topo backup` file into
 * the database (migrating it first). Checks the whole file (gzip, checksum, row counts, schema)
 * before writing; refuses a database that holds data unless --force (which replaces everything);
 * all or nothing. Exit 0 restored, 2 refused (damaged file, newer schema, not empty), 1 failed.
 */
export const registerRestore: RegisterCommand = (program, io, setExit) => {
  program
    .command("restore")
    .description("restore a `topo backup` file into the database (all or nothing)")
    .argument("<file>", "a file written by `topo backup`")
    .option("--database-url <url>", "database to restore into (default: DATABASE_URL, else file:./data/topograph.db)")
    .option("--force", "replace what the database holds (default: refuse a database that is not empty)")
    .option("--json", "machine-readable output")
    .action(async (file: string, opts: { databaseUrl?: string; force?: boolean; json?: boolean }) => {
      const json = !!opts.json;
      try {
        const config = databaseConfig(opts.databaseUrl);
        let bytes: Uint8Array;
        try {
          bytes = await readFile(file);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          throw new TopoError("TOPO-E031", `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`);
        }
        await migrateDatabase(config);
        const db = createDb(config);
        try {
          const s = await restoreDatabase(db, config, bytes, { force: opts.force });
          if (json) io.out(JSON.stringify({ ok: true, ...s }));
          else {
            io.out(`restored ${s.rows} rows into ${config.provider === "sqlite" ? config.file : "PostgreSQL"} from a ${s.from.provider} backup of ${s.from.createdAt}${s.replaced ? ` (replaced ${s.replaced} rows)` : ""}`);
            io.out(`  ${s.tables.map((t) => `${t.name} ${t.rows}`).join(", ")}`);
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
