#!/usr/bin/env node
// `npm start`: everything a fresh clone needs, then serve. Installs what is missing, prepares
// the database (SQLite by default), builds when the sources changed, and serves on
// http://localhost:3000 (PORT and HOSTNAME override).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const step = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

step(process.execPath, [join(root, "scripts", "setup.mjs")]);

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "generated" || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const buildId = join(root, ".next", "BUILD_ID");
const sources = Math.max(
  ...["app", "components", "server", "public"].map((d) => newest(join(root, d))),
  ...["package-lock.json", "next.config.ts", "tsconfig.json"].filter((f) => existsSync(join(root, f))).map((f) => statSync(join(root, f)).mtimeMs),
);
if (!existsSync(buildId) || statSync(buildId).mtimeMs < sources) {
  console.error("[start] building (next build)…");
  step(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "build"]);
}

const port = process.env.PORT || "3000";
const host = process.env.HOSTNAME || "127.0.0.1";
console.error(`[start] Topograph on http://localhost:${port}`);
const server = spawn(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", port, "-H", host], { cwd: root, stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));
