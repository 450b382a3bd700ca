import type { RegisterCommand } from "./index";
import { TopoError } from "../../errors";
import { EXIT, reportError, type Io } from "../io";
import type { Db } from "../../db/client";
import type { Snapshot } from "../../observe/types";

/**
 * `topo observe --project <id|name> --env <name> [--window 5m|1h|24h] [--json] [--full]`: one snapshot of an
 * environment from the same collectors as the Observe tab (and the same pollers: when a server instance already
 * polls a resource, its shared result in the database is used instead of calling AWS again).
 * Prints per function invocations, errors, coldStarts, p95Ms, initP95Ms; per trigger lag; per DLQ depth
 * (`--full`: the whole snapshot). Exit 0, 1 when the environment is failing, 2 on bad input.
 */
export const registerObserve: RegisterCommand = (program, io, setExit) => {
  program
    .command("observe")
    .description("print one Observe snapshot of an environment (local sandbox or AWS)")
    .requiredOption("--project <id|name>", "project id or name")
    .requiredOption("--env <name>", "environment name (e.g. local)")
    .option("--window <window>", "5m, 1h or 24h", "5m")
    .option("--json", "print JSON")
    .option("--full", "with --json: the whole snapshot (SnapshotSchema)")
    .action(async (opts: { project: string; env: string; window: string; json?: boolean; full?: boolean }) => {
      const json = !!opts.json;
      const { getDb } = await import("../../db/client");
      const db = getDb();
      const { PollerHub } = await import("../../observe/poller");
      const hub = new PollerHub(db, { ttlMs: 60_000, firstWaitMs: 10_000 });
      try {
        const snap = await observeOnce(db, hub, opts.project, opts.env, opts.window);
        if (json) io.out(JSON.stringify(opts.full ? snap : compactSnapshot(snap), null, 2));
        else printHuman(io, snap);
        setExit(snap.health.status === "failing" ? EXIT.findings : EXIT.ok);
      } catch (e) {
        setExit(reportError(e, io, json));
      } finally {
        await hub.stop();
        await db.$disconnect().catch(() => {});
      }
    });
};

async function observeOnce(db: Db, hub: import("../../observe/poller").PollerHub, project: string, envName: string, window: string): Promise<Snapshot> {
  const { listProjects } = await import("../../db/projects");
  const { listEnvironments } = await import("../../db/environments");
  const { resolveEnvironment } = await import("../../observe/environment");
  const { buildSnapshot, parseWindow } = await import("../../observe/snapshot");
  if (window === "custom") throw new TopoError("TOPO-E124", "topo observe takes 5m, 1h or 24h");
  const range = parseWindow({ window });
  const projects = await listProjects(db);
  const p = projects.find((x) => x.id === project) ?? projects.find((x) => x.name === project) ?? projects.find((x) => x.name.toLowerCase() === project.toLowerCase());
  if (!p) throw new TopoError("TOPO-E020", `no project "${project}"`, { fix: "Use a project id or name from the project list." });
  const envs = await listEnvironments(db, p.id);
  const env = envs.find((e) => e.name === envName) ?? envs.find((e) => e.id === envName);
  if (!env) {
    throw new TopoError("TOPO-E020", `project "${p.name}" has no environment "${envName}"`, {
      fix: envs.length ? `Use one of: ${envs.map((e) => e.name).join(", ")}.` : "Run the project locally once (it creates the local environment), or add an environment in Settings.",
    });
  }
  return buildSnapshot(hub, await resolveEnvironment(db, p.id, env.id), range);
}

/** The figures `topo observe --json` prints: per function, per trigger, per DLQ. */
export function compactSnapshot(s: Snapshot) {
  return {
    projectId: s.projectId,
    environmentId: s.environmentId,
    revision: s.revision,
    window: s.window,
    readAt: s.readAt,
    health: s.health,
    functions: Object.fromEntries(
      Object.entries(s.functions).map(([id, f]) => [
        id,
        { invocations: f.invocations, errors: f.errors, coldStarts: f.coldStarts, p95Ms: f.p95Ms, initP95Ms: f.initP95Ms, freshness: f.freshness.state, ...(f.freshness.problem ? { problem: f.freshness.problem.message } : {}) },
      ]),
    ),
    triggers: Object.fromEntries(Object.entries(s.triggers).map(([id, t]) => [id, { lag: t.lag, lagUnit: t.lagUnit, status: t.status, trend: t.trend }])),
    dlqs: Object.fromEntries(
      Object.entries(s.queues)
        .filter(([, q]) => q.isDeadLetterQueue)
        .map(([id, q]) => [id, { depth: q.depth, oldestAgeSec: q.oldestAgeSec }]),
    ),
  };
}

function printHuman(io: Io, s: Snapshot) {
  const fmt = (v: number | null, unit = "") => (v === null ? "–" : `${Math.round(v * 10) / 10}${unit}`);
  io.out(`environment ${s.environmentId}, revision ${s.revision}, window ${s.window.kind} (${s.window.from} → ${s.window.to})`);
  io.out(`health: ${s.health.status}${s.health.reasons.length ? ` — ${s.health.reasons.join("; ")}` : ""}`);
  io.out("functions:");
  for (const [id, f] of Object.entries(s.functions)) {
    io.out(
      `  ${id.padEnd(24)} ${String(f.invocations).padStart(6)} inv  ${String(f.errors).padStart(4)} err  ${String(f.coldStarts).padStart(4)} cold  p95 ${fmt(f.p95Ms, " ms").padStart(10)}  init p95 ${fmt(f.initP95Ms, " ms").padStart(10)}  ${f.freshness.state}${f.freshness.problem ? ` (${f.freshness.problem.message})` : ""}`,
    );
  }
  if (Object.keys(s.triggers).length) io.out("triggers:");
  for (const [id, t] of Object.entries(s.triggers)) io.out(`  ${id.padEnd(24)} lag ${fmt(t.lag)} ${t.lagUnit}  ${t.status}  ${t.trend}`);
  const dlqs = Object.entries(s.queues).filter(([, q]) => q.isDeadLetterQueue);
  if (dlqs.length) io.out("dead-letter queues:");
  for (const [id, q] of dlqs) io.out(`  ${id.padEnd(24)} depth ${fmt(q.depth)}`);
}
