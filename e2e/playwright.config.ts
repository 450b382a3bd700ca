/**
 * End-to-end tests: the built app (`next start`) in Debian's Chromium. Each run gets a fresh
 * SQLite database (and a fresh PostgreSQL database when DATABASE_URL_PG is set), migrated and
 * seeded by scripts/e2e-server.mjs, so specs see the three examples.
 */
import { defineConfig, devices } from "@playwright/test";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// package.json says "type": "module", so there is no __dirname here.
const root = fileURLToPath(new URL("..", import.meta.url));
const tmp = process.env.TOPO_TEST_TMP || join(root, ".tmp", "test");
const chromium = process.env.TOPO_CHROMIUM || "/usr/bin/chromium";
const pg = process.env.DATABASE_URL_PG;
const SQLITE_PORT = Number(process.env.TOPO_E2E_PORT || 3123);
const PG_PORT = SQLITE_PORT + 1;
// A third server with sign-in on (TOPO_AUTH=on), its own database, for e2e/auth.spec.ts only.
const AUTH_PORT = SQLITE_PORT + 2;

const use = {
  ...devices["Desktop Chrome"],
  viewport: { width: 1440, height: 900 },
  launchOptions: {
    executablePath: chromium,
    // Chromium's own look-ups of Google hosts fail on this closed network; keep it to loopback.
    args: ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"],
  },
  trace: "retain-on-failure" as const,
  screenshot: "only-on-failure" as const,
};

const server = (port: number, databaseUrl: string, name: string, extraEnv: Record<string, string> = {}) => ({
  command: `node scripts/e2e-server.mjs ${port}`,
  cwd: root,
  url: `http://127.0.0.1:${port}/api/projects`,
  timeout: 120_000,
  reuseExistingServer: false,
  env: { DATABASE_URL: databaseUrl, TOPO_E2E_NAME: name, NEXT_TELEMETRY_DISABLED: "1", ...extraEnv },
  stdout: "ignore" as const,
  stderr: "pipe" as const,
});

export default defineConfig({
  testDir: ".",
  outputDir: join(tmp, "playwright-results"),
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  projects: [
    { name: "sqlite", testIgnore: /auth\.spec\.ts/, use: { ...use, baseURL: `http://127.0.0.1:${SQLITE_PORT}` } },
    { name: "auth", testMatch: /auth\.spec\.ts/, use: { ...use, baseURL: `http://127.0.0.1:${AUTH_PORT}` } },
    ...(pg ? [{ name: "postgres", testMatch: /(api|projects)\.spec\.ts/, use: { ...use, baseURL: `http://127.0.0.1:${PG_PORT}` } }] : []),
  ],
  webServer: [
    server(SQLITE_PORT, `file:${join(tmp, "e2e.db")}`, "sqlite"),
    // The API answers 401 to anonymous callers here, so readiness is checked on a public route.
    { ...server(AUTH_PORT, `file:${join(tmp, "e2e-auth.db")}`, "auth", { TOPO_AUTH: "on" }), url: `http://127.0.0.1:${AUTH_PORT}/api/auth/setup` },
    ...(pg ? [server(PG_PORT, pg.replace(/\/[^/?]*(\?|$)/, `/topograph_e2e_${process.pid}$1`), "postgres")] : []),
  ],
});
