/**
 * The built app for browser benchmarks: `next build` when the sources are newer than the build,
 * then `next start` on a free loopback port with a fresh, migrated SQLite database in a
 * temporary directory (the examples seeded only when asked, e.g. for screenshots). `stop()` ends the server's whole process group and
 * deletes the database; servers still running when the process exits are killed too.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "../../db/client";
import { resolveDbConfig } from "../../db/config";
import { migrateDatabase } from "../../db/migrate";
import { seedExamples } from "../../db/seed";

export interface AppServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "generated" || e.name === "__tests__" || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Builds the app unless `.next/BUILD_ID` is newer than every source (as scripts/start.mjs does).
 * @returns how long the build took, or null when none was needed.
 */
export function ensureBuilt(root: string): { buildMs: number | null } {
  const buildId = join(root, ".next", "BUILD_ID");
  const sources = Math.max(...["app", "components", "server", "public"].map((d) => newest(join(root, d))));
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= sources) return { buildMs: null };
  console.error("[bench] building the app (next build)…");
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status}); run it by hand to see why`);
  return { buildMs: Math.round(performance.now() - t0) };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** The first free loopback port from `from` (benchmarks use 3500 and up). */
export async function freePort(from = 3500): Promise<number> {
  for (let p = from; p < from + 200; p++) if (await portIsFree(p)) return p;
  throw new Error(`no free port in ${from}–${from + 199}`);
}

const running = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}
process.once("exit", () => {
  for (const c of running) killGroup(c, "SIGKILL");
});

/**
 * Starts `next start` on a fresh SQLite database and waits until the API answers.
 * @example const app = await startApp(process.cwd()); try { … } finally { await app.stop(); }
 */
export async function startApp(root: string, opts: { port?: number; timeoutMs?: number; seed?: boolean } = {}): Promise<AppServer> {
  const dir = mkdtempSync(join(tmpdir(), "topo-bench-"));
  const databaseUrl = `file:${join(dir, "bench.db")}`;
  const config = resolveDbConfig(databaseUrl);
  await migrateDatabase(config);
  if (opts.seed) {
    const db = createDb(config);
    await seedExamples(db);
    await db.$disconnect();
  }
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true, // its own process group, so stop() ends next-server's children too
  });
  running.add(child);
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    killGroup(child, "SIGTERM");
    const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 5_000).unref());
    if ((await Promise.race([exited, timeout])) === "timeout") killGroup(child, "SIGKILL");
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/api/projects`);
      if (res.ok) return { url, port, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`the app did not start on ${url}: ${stderr.trim() || "no output"}`);
}
