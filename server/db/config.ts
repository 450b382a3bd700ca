/**
 * Which database to use. DATABASE_URL decides: a postgres:// or postgresql:// URL selects
 * PostgreSQL; `file:<path>` (or nothing) selects the embedded SQLite file, by default
 * ./data/topograph.db relative to the working directory.
 */
import { resolve } from "node:path";

export type DbConfig = { provider: "sqlite"; url: string; file: string } | { provider: "postgresql"; url: string };

export const DEFAULT_SQLITE_URL = "file:./data/topograph.db";

export function resolveDbConfig(url: string | undefined = process.env.DATABASE_URL): DbConfig {
  const u = (url ?? "").trim() || DEFAULT_SQLITE_URL;
  if (/^postgres(ql)?:\/\//i.test(u)) return { provider: "postgresql", url: u };
  if (u.startsWith("file:")) {
    const file = resolve(u.slice("file:".length).replace(/^\/\/(?=\/)/, ""));
    return { provider: "sqlite", url: `file:${file}`, file };
  }
  throw new Error(`DATABASE_URL must be file:<path> or postgres://…, got "${u.replace(/\/\/[^@]*@/, "//***@")}"`);
}
