#!/usr/bin/env node
// `npm test`: unit + integration tests (node's test runner, through tsx) and end-to-end tests
// (Playwright in Debian's Chromium against the built app), against SQLite and, when
// DATABASE_URL_PG is set, PostgreSQL too. Prints one closing line `N passed, N failed, N skipped`.
//   npm test            everything
//   npm test -- unit    only node tests        npm test -- e2e   only Playwright
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv[2];
const tmp = join(root, ".tmp", "test");
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TOPO_TEST_TMP: tmp };
const totals = { passed: 0, failed: 0, skipped: 0 };
const log = (s) => console.error(`\n[test] ${s}`);

function run(cmd, argv, extraEnv = {}) {
  return spawnSync(cmd, argv, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } }).status ?? 1;
}

// Generated clients must exist before anything imports the database layer.
if (run(process.execPath, [join(root, "scripts", "setup.mjs"), "--no-db"]) !== 0) process.exit(1);

function findTests(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".") || e.name === "generated") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) findTests(p, out);
    else if (/\.test\.tsx?$/.test(e.name) && dirname(p).endsWith("__tests__")) out.push(relative(root, p));
  }
  return out;
}

if (!only || only === "unit") {
  const files = ["server", "components", "scripts"].filter((d) => existsSync(join(root, d))).flatMap((d) => findTests(join(root, d))).sort();
  log(`node tests: ${files.length} files`);
  const tap = join(tmp, "node-tests.tap");
  const status = run(process.execPath, [
    "--import", "tsx",
    "--test", "--test-concurrency=2",
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=tap", `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  const count = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)$`, "m"))?.[1] ?? 0);
  totals.passed += count("pass");
  totals.failed += count("fail") + count("cancelled");
  totals.skipped += count("skipped") + count("todo");
  if (status !== 0 && count("fail") + count("cancelled") === 0) totals.failed += 1; // crashed before reporting
}

if (!only || only === "e2e") {
  // Build once if the sources changed since the last build, then let Playwright start servers.
  const buildId = join(root, ".next", "BUILD_ID");
  const newest = (d) => (existsSync(d) ? Math.max(0, ...readdirSync(d, { withFileTypes: true }).filter((e) => !e.name.startsWith(".") && e.name !== "generated" && e.name !== "__tests__").map((e) => (e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs))) : 0);
  const src = Math.max(...["app", "components", "server", "public"].map((d) => newest(join(root, d))));
  if (!existsSync(buildId) || statSync(buildId).mtimeMs < src) {
    log("building the app (next build)");
    if (run(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "build"]) !== 0) {
      totals.failed += 1;
      finish();
    }
  }
  const report = join(tmp, "playwright.json");
  log(`e2e: Playwright in ${process.env.TOPO_CHROMIUM || "/usr/bin/chromium"}${process.env.DATABASE_URL_PG ? " (SQLite and PostgreSQL)" : " (SQLite; set DATABASE_URL_PG to add PostgreSQL)"}`);
  const status = run(process.execPath, [join(root, "node_modules", "@playwright", "test", "cli.js"), "test", "--config", join(root, "e2e", "playwright.config.ts"), "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  let stats;
  try {
    stats = JSON.parse(readFileSync(report, "utf8")).stats;
  } catch {
    stats = undefined;
  }
  if (stats) {
    totals.passed += stats.expected + (stats.flaky ?? 0);
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
  }
  if (status !== 0 && (!stats || stats.unexpected === 0)) totals.failed += 1; // e.g. the web server did not start
}

finish();

function finish() {
  console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed > 0 ? 1 : 0);
}
