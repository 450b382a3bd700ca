#!/usr/bin/env node
// Prepares a checkout to run: installs dependencies if missing, generates the Prisma clients,
// applies database migrations and seeds the examples (once). Idempotent and quick when nothing
// is missing. `--no-seed` skips the examples; `--no-db` stops after generating the clients.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const log = (s) => console.error(`[setup] ${s}`);

function run(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    log(`failed: ${cmd} ${argv.join(" ")} (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

// 1. Dependencies. `npm ci` reproduces the lockfile exactly; its install scripts are allowed in package.json.
const lockHash = createHash("sha1").update(readFileSync(join(root, "package-lock.json"))).digest("hex");
const stamp = join(root, "node_modules", ".topograph-lock");
if (!existsSync(join(root, "node_modules")) || !existsSync(stamp) || readFileSync(stamp, "utf8") !== lockHash) {
  log("installing dependencies (npm ci)…");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
  writeFileSync(stamp, lockHash);
}

// 2. Prisma clients, one per provider. Prisma's CLI wants its schema engine even to generate,
//    and that binary cannot be downloaded offline; `generate` does not use it, so any existing
//    file satisfies the check (see README, "Prisma offline").
const engine = process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath;
for (const [schema, out] of [
  ["prisma/schema.prisma", "server/db/generated/sqlite"],
  ["prisma/postgres/schema.prisma", "server/db/generated/pg"],
]) {
  const hash = createHash("sha1").update(readFileSync(join(root, schema))).update(lockHash).digest("hex");
  const marker = join(root, out, ".schema-hash");
  if (existsSync(marker) && readFileSync(marker, "utf8") === hash) continue;
  log(`generating Prisma client from ${schema}…`);
  run(process.execPath, [join(root, "node_modules", "prisma", "build", "index.js"), "generate", "--schema", schema], {
    PRISMA_SCHEMA_ENGINE_BINARY: engine,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  });
  writeFileSync(marker, hash);
}
if (args.has("--no-db")) process.exit(0);

// 3 + 4. Migrations and examples (TypeScript, through tsx).
run(process.execPath, ["--import", "tsx", join(root, "scripts", "db-setup.ts"), ...(args.has("--no-seed") ? ["--no-seed"] : [])]);
