/**
 * `concurrent-saves`: 20 clients × 25 saves on one project, over HTTP, against a real server
 * (the app's route handlers in a process of their own, on a fresh SQLite database, and on a fresh
 * PostgreSQL database when DATABASE_URL_PG is set; TOPO_BENCH_URL=http://… targets a server you
 * started instead, e.g. `npm start`). Each client saves its own documents in order; on 409 it
 * re-reads the latest revision and saves again on top of it, as a user who chose "keep mine" would.
 *
 * Counted: accepted (201), rejected (409 TOPO-E021), silent overwrites (an accepted save whose
 * stored document is not what its client sent, or two clients told the same revision number:
 * must be 0), lost (an accepted save not stored: must be 0), out of order (a client's accepted
 * saves stored in another order than it made them: must be 0), gaps (revision numbers not 1..N),
 * unexpected (any other status).
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { validateTopology } from "../../model/validate";
import type { Topology } from "../../model/schema";
import { testDatabases } from "../../db/__tests__/databases";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export interface SavesResult {
  clients: number;
  savesPerClient: number;
  accepted: number;
  rejected: number;
  silentOverwrites: number;
  lost: number;
  outOfOrder: number;
  gaps: number;
  unexpected: number;
  revisions: number;
  wallMs: number;
  savesPerSec: number;
  p95SaveMs: number;
  maxAttempts: number;
  problems: string[];
}

/** Client c's k-th document: canonical (defaults filled), so the stored form must equal it exactly. */
export function clientDocument(c: number, k: number): Topology {
  const r = validateTopology({
    schemaVersion: 1,
    name: "Concurrent saves",
    description: `client ${c}, save ${k}`,
    contexts: [{ id: "ctx", name: "Orders" }],
    nodes: [
      { id: "q", kind: "queue", name: `Queue of client ${c}`, contextId: "ctx", visibilityTimeoutSeconds: 30 + k },
      { id: "fn", kind: "function", name: `Handler ${c}.${k}`, contextId: "ctx", memoryMb: 128 + c, timeoutSeconds: 1 + (k % 30) },
    ],
    edges: [{ id: "e", kind: "trigger", source: "q", target: "fn", batchSize: 1 + k }],
  });
  if (!r.ok) throw new Error(`bench document invalid: ${r.problems[0].message}`);
  return r.topology;
}

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}

/** Runs the clients against `url` and checks what was stored. */
export async function runConcurrentSaves(url: string, opts: { clients?: number; saves?: number; maxAttempts?: number } = {}): Promise<SavesResult> {
  const clients = opts.clients ?? 20;
  const saves = opts.saves ?? 25;
  const maxAttempts = opts.maxAttempts ?? 2_000;
  const problems: string[] = [];
  const note = (s: string) => problems.length < 20 && problems.push(s);

  const created = await fetch(`${url}/api/projects`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `concurrent-saves-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`, document: { schemaVersion: 1, name: "Concurrent saves" } }),
  });
  if (created.status !== 201) throw new Error(`cannot create the project: ${created.status} ${JSON.stringify(await json(created))}`);
  const projectId = ((await json(created)).project as { id: string }).id;
  const base = `${url}/api/projects/${projectId}`;

  let accepted = 0;
  let rejected = 0;
  let unexpected = 0;
  let attemptsMax = 0;
  const durations: number[] = [];
  /** revision number → who was told they got it. */
  const acks = new Map<number, { c: number; k: number }[]>();
  const perClient: number[][] = Array.from({ length: clients }, () => []);

  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let k = 0; k < saves; k++) {
        const document = clientDocument(c, k);
        let attempts = 0;
        for (;;) {
          attempts++;
          if (attempts > maxAttempts) {
            unexpected++;
            note(`client ${c} save ${k}: not accepted after ${maxAttempts} attempts`);
            break;
          }
          const latest = await fetch(`${base}/revisions/latest`);
          if (latest.status !== 200) {
            unexpected++;
            note(`GET latest: ${latest.status}`);
            continue;
          }
          const baseRevision = ((await json(latest)).revision as { number: number }).number;
          const s0 = performance.now();
          const res = await fetch(`${base}/revisions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ baseRevision, document, message: `client ${c} save ${k}`, author: `client-${c}` }),
          });
          const body = await json(res);
          durations.push(performance.now() - s0);
          if (res.status === 201) {
            accepted++;
            const n = (body.revision as { number: number }).number;
            if (n !== baseRevision + 1) note(`client ${c} save ${k}: based on ${baseRevision}, stored as ${n}`);
            acks.set(n, [...(acks.get(n) ?? []), { c, k }]);
            perClient[c].push(n);
            break;
          }
          if (res.status === 409 && (body.error as { code?: string })?.code === "TOPO-E021") {
            rejected++;
            // A person (or the editor's autosave) does not retry in the same millisecond: a little jitter.
            await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempts * 2)));
            continue;
          }
          unexpected++;
          note(`client ${c} save ${k}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        attemptsMax = Math.max(attemptsMax, attempts);
      }
    }),
  );
  const wallMs = performance.now() - t0;

  // What was stored.
  const list = await fetch(`${base}/revisions`);
  const revisions = ((await json(list)).revisions as { number: number; author: string; message: string }[]).sort((a, b) => a.number - b.number);
  let gaps = 0;
  revisions.forEach((r, i) => {
    if (r.number !== i + 1) gaps++;
  });
  let silentOverwrites = 0;
  let lost = 0;
  const stored = new Set(revisions.map((r) => r.number));
  for (const [n, who] of acks) {
    if (who.length > 1) {
      silentOverwrites += who.length - 1;
      note(`revision ${n} was acknowledged to ${who.length} clients`);
    }
    if (!stored.has(n)) {
      lost += who.length;
      note(`revision ${n} acknowledged to client ${who[0].c} is missing`);
      continue;
    }
    const res = await fetch(`${base}/revisions/${n}`);
    const rev = (await json(res)).revision as { document: Topology; author: string; message: string };
    const { c, k } = who[0];
    if (JSON.stringify(rev.document) !== JSON.stringify(clientDocument(c, k)) || rev.author !== `client-${c}` || rev.message !== `client ${c} save ${k}`) {
      silentOverwrites++;
      note(`revision ${n}: stored "${rev.message}" by ${rev.author}, acknowledged to client ${c} save ${k}`);
    }
  }
  let outOfOrder = 0;
  for (const ns of perClient) for (let i = 1; i < ns.length; i++) if (ns[i] <= ns[i - 1]) outOfOrder++;
  // Every stored revision after the first is someone's acknowledged save.
  const unclaimed = revisions.filter((r) => r.number > 1 && !acks.has(r.number)).length;
  if (unclaimed) note(`${unclaimed} stored revisions were acknowledged to nobody`);

  durations.sort((a, b) => a - b);
  return {
    clients,
    savesPerClient: saves,
    accepted,
    rejected,
    silentOverwrites,
    lost,
    outOfOrder,
    gaps,
    unexpected: unexpected + unclaimed,
    revisions: revisions.length,
    wallMs: Math.round(wallMs),
    savesPerSec: Math.round((accepted / (wallMs / 1000)) * 10) / 10,
    p95SaveMs: Math.round(durations[Math.floor(durations.length * 0.95)] ?? 0),
    maxAttempts: attemptsMax,
    problems,
  };
}

/** Starts the route server in a child process on `databaseUrl`; resolves with its URL and a stop(). */
export async function startServerProcess(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<{ url: string; pid: number; stop(signal?: NodeJS.Signals): Promise<void>; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "server", "api", "__tests__", "route-server.ts"), "--port", "0", "-H", "127.0.0.1"], {
    cwd: ROOT,
    // Local admin on loopback (no sign-in): what is measured is saving, not signing in.
    env: { ...process.env, DATABASE_URL: databaseUrl, TOPO_AUTH: "", NEXTAUTH_SECRET: "", AUTH_SECRET: "", TOPO_OIDC_ISSUER: "", NODE_ENV: "production", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (b: Buffer) => (err = (err + b.toString()).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start in 60 s: ${err}`)), 60_000);
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening: ${err}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    exited,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export async function run() {
  const clients = Number(process.env.TOPO_SAVES_CLIENTS ?? 20);
  const saves = Number(process.env.TOPO_SAVES_PER_CLIENT ?? 25);
  const out: Record<string, unknown> = {};
  if (process.env.TOPO_BENCH_URL) {
    out.external = await runConcurrentSaves(process.env.TOPO_BENCH_URL.replace(/\/$/, ""), { clients, saves });
    return out;
  }
  for (const target of testDatabases()) {
    if (target.skip) {
      out[target.name] = { skipped: target.skip };
      continue;
    }
    const { db, config, close } = await target.open();
    await db.$disconnect();
    const server = await startServerProcess(config.url);
    try {
      out[target.name] = await runConcurrentSaves(server.url, { clients, saves });
    } finally {
      await server.stop();
      await close();
    }
  }
  return out;
}
