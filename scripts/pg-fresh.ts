/** Drops and re-creates the PostgreSQL database named in the URL (tests only: a fresh database per run). */
import pg from "pg";

const url = new URL(process.argv[2]);
const name = url.pathname.slice(1);
if (!/^topograph_[a-z0-9_]+$/.test(name)) {
  console.error(`refusing to recreate "${name}": test databases are named topograph_*`);
  process.exit(2);
}
const admin = new URL(url);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
await client.query(`CREATE DATABASE "${name}"`);
await client.end();
