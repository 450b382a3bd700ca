/**
 * Fresh databases for tests: always a new SQLite file; a new PostgreSQL database too when
 * DATABASE_URL_PG is set (it names a server and a user allowed to create databases).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createDb, type Db } from "../client";
import { resolveDbConfig, type DbConfig } from "../config";
import { migrateDatabase } from "../migrate";

export interface TestDatabase {
  name: "sqlite" | "postgresql";
  /** Why this provider is skipped, when it is. */
  skip?: string;
  open(): Promise<{ db: Db; config: DbConfig; close(): Promise<void> }>;
}

let counter = 0;

export function testDatabases(): TestDatabase[] {
  const pgUrl = process.env.DATABASE_URL_PG;
  return [
    {
      name: "sqlite",
      async open() {
        const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-db-"));
        const config = resolveDbConfig(`file:${join(dir, "test.db")}`);
        await migrateDatabase(config);
        const db = createDb(config);
        return { db, config, close: () => db.$disconnect() };
      },
    },
    {
      name: "postgresql",
      skip: pgUrl ? undefined : "DATABASE_URL_PG is not set (the CI run sets it)",
      async open() {
        const name = `topograph_t${process.pid}_${Date.now().toString(36)}_${counter++}`;
        const base = new URL(pgUrl!);
        const admin = new URL(base);
        admin.pathname = "/postgres";
        const adminClient = new pg.Client({ connectionString: admin.toString() });
        await adminClient.connect();
        await adminClient.query(`CREATE DATABASE "${name}"`);
        await adminClient.end();
        const url = new URL(base);
        url.pathname = `/${name}`;
        const config = resolveDbConfig(url.toString());
        await migrateDatabase(config);
        const db = createDb(config);
        return {
          db,
          config,
          async close() {
            await db.$disconnect();
            const c = new pg.Client({ connectionString: admin.toString() });
            await c.connect();
            await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
            await c.end();
          },
        };
      },
    },
  ];
}
