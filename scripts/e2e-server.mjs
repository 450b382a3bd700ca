#!/usr/bin/env node
// Starts the built app for end-to-end tests on a fresh database: creates it (PostgreSQL),
// migrates and seeds it, then serves. Used by e2e/playwright.config.ts.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = process.argv[2] || "3123";
const url = process.env.DATABASE_URL;
if (url?.startsWith("file:")) rmSync(url.slice(5), { force: true });
if (url && /^postgres/.test(url)) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts", "pg-fresh.ts"), url], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const setup = spawnSync(process.execPath, ["--import", "tsx", join(root, "scripts", "db-setup.ts")], { cwd: root, stdio: "inherit", env: process.env });
if (setup.status !== 0) process.exit(setup.status ?? 1);
const server = spawn(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", port, "-H", "127.0.0.1"], { cwd: root, stdio: "inherit", env: process.env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));
