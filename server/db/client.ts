/**
 * One Prisma client per process. SQLite and PostgreSQL need two generated clients (Prisma's
 * provider is fixed per schema); DATABASE_URL's scheme picks one at start. Both expose the
 * same models, so the rest of the code is typed against the SQLite client.
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PgClient } from "./generated/pg/client";
import { resolveDbConfig, type DbConfig } from "./config";

export type Db = SqliteClient;

export function createDb(config: DbConfig = resolveDbConfig()): Db {
  if (config.provider === "sqlite") {
    // timeout: wait for a concurrent writer (another tab, the CLI) instead of failing with SQLITE_BUSY.
    return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: config.file, timeout: 10_000 }) });
  }
  return new PgClient({ adapter: new PrismaPg({ connectionString: config.url, max: 10 }) }) as unknown as Db;
}

// In development Next re-evaluates modules on every change; keeping the client on globalThis
// stops each reload from opening another connection pool.
const g = globalThis as unknown as { __topographDb?: Db };

/** The process-wide client, created on first use from DATABASE_URL. */
export function getDb(): Db {
  g.__topographDb ??= createDb();
  return g.__topographDb;
}
