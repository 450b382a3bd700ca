/**
 * `crash-saves`: the server is killed (SIGKILL) in the middle of saves, 20 times over; then the
 * database must pass its integrity check and hold every acknowledged save (acknowledged = the
 * client got 201). Each round starts the server (the app's route handlers, a process of their
 * own, see route-server.ts), lets a few clients save continuously, and kills it at a random
 * moment; requests in flight at the kill have an unknown outcome and are only counted.
 *
 * Checks at the end, straight on the database: SQLite `PRAGMA integrity_check` = ok and
 * `foreign_key_check` empty; PostgreSQL: no revision without its project, no duplicate
 * (project, number); both: revision numbers 1..N without gaps, and every acknowledged save stored
 * with exactly the document its client sent. SQLite, and PostgreSQL when DATABASE_URL_PG is set.
 * TOPO_CRASH_KILLS and TOPO_CRASH_CLIENTS change the 20 kills and 4 clients.
 */
import Database from "better-sqlite3";
import pg from "pg";
import type { DbConfig } from "../../db/config";
import { testDatabases } from "../../db/__tests__/databases";
import { Rng } from "../../fuzz/rng";
import { clientDocument, startServerProcess } from "./concurrent-saves";

export interface CrashResult {
  provider: DbConfig["provider"];
  kills: number;
  acknowledged: number;
  present: number;
  lost: number;
  /** Saves whose request was cut by the kill: stored or not, nobody was told either way. */
  inFlightAtKill: number;
  /** …of which the database holds (they committed before the process died). */
  inFlightStored: number;
  rejected409: number;
  revisions: number;
  gaps: number;
  integrity: string;
  wrongDocuments: number;
  seconds: number;
  problems: string[];
}

interface Ack {
  /** Unknown when the 201 arrived but its body was cut by the kill. */
  number?: number;
  c: number;
  k: number;
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

/**
 * Runs `kills` rounds of save-then-SIGKILL against a migrated database and checks it.
 * @example await runCrashSaves(config, { kills: 3 }) // { acknowledged: 41, present: 41, lost: 0, integrity: "ok", … }
 */
export async function runCrashSaves(config: DbConfig, opts: { kills?: number; clients?: number; seed?: number; minMs?: number; maxMs?: number } = {}): Promise<CrashResult> {
  const kills = opts.kills ?? 20;
  const clients = opts.clients ?? 4;
  const rng = new Rng(opts.seed ?? 1);
  const problems: string[] = [];
  const acks: Ack[] = [];
  const inFlight: { c: number; k: number }[] = [];
  let rejected409 = 0;
  let projectId = "";
  const next = Array(clients).fill(0) as number[];
  const t0 = performance.now();

  for (let round = 0; round < kills; round++) {
    const server = await startServerProcess(config.url);
    if (!projectId) {
      const res = await post(`${server.url}/api/projects`, { name: `crash-saves-${Date.now().toString(36)}` });
      if (res.status !== 201) throw new Error(`cannot create the project: ${res.status} ${await res.text()}`);
      projectId = (await res.json()).project.id;
    }
    const base = `${server.url}/api/projects/${projectId}`;
    let dead = false;
    const workers = Array.from({ length: clients }, async (_, c) => {
      while (!dead) {
        const k = next[c];
        let baseRevision: number;
        try {
          const latest = await fetch(`${base}/revisions/latest`);
          baseRevision = (await latest.json()).revision.number;
        } catch {
          return; // the server is gone
        }
        let res: Response;
        try {
          res = await post(`${base}/revisions`, { baseRevision, document: clientDocument(c, k), message: `client ${c} save ${k}`, author: `client-${c}` });
        } catch {
          inFlight.push({ c, k });
          next[c]++; // its fate is unknown; the next save gets a fresh number so documents stay unique
          return;
        }
        if (res.status === 201) {
          try {
            acks.push({ number: (await res.json()).revision.number, c, k });
          } catch {
            // The 201 arrived but its body was cut by the kill: the client saw the status, so it counts as acknowledged.
            acks.push({ c, k });
          }
          next[c]++;
        } else if (res.status === 409) {
          rejected409++;
          await res.arrayBuffer().catch(() => undefined);
        } else {
          problems.push(`client ${c} save ${k}: ${res.status} ${(await res.text().catch(() => "")).slice(0, 200)}`);
          next[c]++;
        }
      }
    });
    // Kill at a random moment once saves are flowing (the first acknowledgement of the round, or 10 s).
    const before = acks.length;
    for (let waited = 0; acks.length === before && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    const delay = rng.int(opts.minMs ?? 0, opts.maxMs ?? 1_500);
    await new Promise((r) => setTimeout(r, delay));
    dead = true;
    await server.stop("SIGKILL");
    await Promise.all(workers);
  }

  const check = config.provider === "sqlite" ? checkSqlite(config.file, projectId) : await checkPg(config.url, projectId);
  // Every (client, save) is stored at most once (a save is retried only after a 409, which stores nothing), so the message finds it.
  const byMessage = new Map(check.revisions.map((r) => [r.message, r]));
  let present = 0;
  let wrongDocuments = 0;
  for (const a of acks) {
    const row = byMessage.get(`client ${a.c} save ${a.k}`);
    if (!row) {
      if (problems.length < 20) problems.push(`client ${a.c} save ${a.k} (revision ${a.number ?? "?"}) was acknowledged and is missing`);
      continue;
    }
    if (row.document === JSON.stringify(clientDocument(a.c, a.k)) && row.author === `client-${a.c}` && (a.number === undefined || a.number === row.number)) present++;
    else {
      wrongDocuments++;
      if (problems.length < 20) problems.push(`revision ${a.number} acknowledged to client ${a.c} save ${a.k} holds "${row.message}" by ${row.author}`);
    }
  }
  const stored = new Set(check.revisions.map((r) => r.message));
  const inFlightStored = inFlight.filter((f) => stored.has(`client ${f.c} save ${f.k}`)).length;
  let gaps = 0;
  check.revisions.forEach((r, i) => {
    if (r.number !== i + 1) gaps++;
  });
  return {
    provider: config.provider,
    kills,
    acknowledged: acks.length,
    present,
    lost: acks.length - present - wrongDocuments,
    inFlightAtKill: inFlight.length,
    inFlightStored,
    rejected409,
    revisions: check.revisions.length,
    gaps,
    integrity: check.integrity,
    wrongDocuments,
    seconds: Math.round(performance.now() - t0) / 1000,
    problems: [...problems, ...check.problems].slice(0, 20),
  };
}

interface Check {
  integrity: string;
  revisions: { number: number; document: string; author: string; message: string }[];
  problems: string[];
}

function checkSqlite(file: string, projectId: string): Check {
  const db = new Database(file, { readonly: false });
  try {
    const integrity = (db.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
    const fk = db.prepare("PRAGMA foreign_key_check").all();
    const revisions = db.prepare(`SELECT number, document, author, message FROM "TopologyRevision" WHERE "projectId" = ? ORDER BY number`).all(projectId) as Check["revisions"];
    return { integrity: fk.length ? `${integrity}; ${fk.length} foreign key violations` : integrity, revisions, problems: [] };
  } finally {
    db.close();
  }
}

async function checkPg(url: string, projectId: string): Promise<Check> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const problems: string[] = [];
    const orphans = await c.query(`SELECT count(*)::int AS n FROM "TopologyRevision" r LEFT JOIN "Project" p ON p.id = r."projectId" WHERE p.id IS NULL`);
    if (orphans.rows[0].n) problems.push(`${orphans.rows[0].n} revisions without their project`);
    const dups = await c.query(`SELECT count(*)::int AS n FROM (SELECT "projectId", number FROM "TopologyRevision" GROUP BY 1, 2 HAVING count(*) > 1) d`);
    if (dups.rows[0].n) problems.push(`${dups.rows[0].n} duplicate revision numbers`);
    // Constraints the schema declares are still there and valid.
    const invalid = await c.query(`SELECT conname FROM pg_constraint WHERE conrelid = '"TopologyRevision"'::regclass AND NOT convalidated`);
    if (invalid.rows.length) problems.push(`constraints not validated: ${invalid.rows.map((r) => r.conname).join(", ")}`);
    const revisions = (await c.query(`SELECT number, document, author, message FROM "TopologyRevision" WHERE "projectId" = $1 ORDER BY number`, [projectId])).rows as Check["revisions"];
    return { integrity: problems.length ? problems.join("; ") : "ok", revisions, problems };
  } finally {
    await c.end();
  }
}

export async function run() {
  const kills = Number(process.env.TOPO_CRASH_KILLS ?? 20);
  const clients = Number(process.env.TOPO_CRASH_CLIENTS ?? 4);
  const out: Record<string, unknown> = {};
  for (const target of testDatabases()) {
    if (target.skip) {
      out[target.name] = { skipped: target.skip };
      continue;
    }
    const { db, config, close } = await target.open();
    await db.$disconnect();
    try {
      out[target.name] = await runCrashSaves(config, { kills, clients, seed: Date.now() % 100_000 });
    } finally {
      await close();
    }
  }
  return out;
}
