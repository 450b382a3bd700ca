/**
 * The sandbox manager: one local sandbox per project inside this (Next server) process.
 *
 * - The registry lives on globalThis, so Next's dev reloads (which re-evaluate modules) find the running sandboxes.
 * - `startProjectSandbox` runs the project's latest revision. Starting again with the same revision is idempotent
 *   (the running sandbox is returned); a newer revision restarts it. Concurrent starts share one promise.
 * - Logs are persisted under the data directory next to the SQLite file (`<dir of the db>/sandbox/<projectId>`),
 *   or under the OS temp dir when the database is PostgreSQL, so a restart loses no log line.
 * - While a sandbox runs, the `Meta` row `sandbox:<projectId>` holds where it is found (the agreed contract:
 *   pid, startedAt, revision, region, endpoints, functionNames, logGroups, queueUrls, streamArns, kafka); it is
 *   deleted on stop. A row whose pid is not alive is stale (`readSandboxMeta` ignores it).
 * - The project gets an environment named `local` (kind "local") when it has none.
 * - Traffic runs (rate, duration, poison fraction) are tracked with their progress.
 * - SIGINT / SIGTERM stop every sandbox (freeing ports, deleting the Meta rows), then the signal takes its course.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { TopoError } from "../errors";
import type { Db } from "../db/client";
import { resolveDbConfig, type DbConfig } from "../db/config";
import { getRevisionOrThrow } from "../db/projects";
import { createEnvironment, listEnvironments } from "../db/environments";
import type { Topology } from "../model/schema";
import { REGION, startSandbox, type Sandbox, type SandboxOptions, type SandboxSummary } from "./sandbox";
import { startTraffic, SENDABLE_KINDS } from "./traffic";
import { startMetricsFeed, type MetricsFeed } from "./metrics-feed";
import { MetricStore } from "../observe/wire/metric-store";
import { startWireEndpoint, type WireEndpoint } from "../observe/wire/server";

export interface SandboxMeta {
  pid: number;
  startedAt: string;
  revision: number;
  region: string;
  endpoints: { sqs: string; kinesis: string; logs: string; cloudwatch: string | null; http: string };
  functionNames: Record<string, string>;
  logGroups: Record<string, string>;
  queueUrls: Record<string, string>;
  streamArns: Record<string, string>;
  kafka: Record<string, string>;
}

export interface TrafficRunSpec {
  nodeId: string;
  ratePerSec: number;
  durationSec: number;
  poisonFraction: number;
}

export interface TrafficRun extends TrafficRunSpec {
  id: string;
  state: "running" | "done" | "stopped";
  startedAt: string;
  endedAt?: string;
  sent: number;
  poison: number;
  failed: number;
  /** 0–1: elapsed / duration (1 when ended). */
  progress: number;
}

export interface SandboxStatus {
  projectId: string;
  running: boolean;
  /** Set while a start is in progress. */
  starting: boolean;
  meta: SandboxMeta | null;
  traffic: TrafficRun[];
}

interface Entry {
  projectId: string;
  revision: number;
  topology: Topology;
  sb: Sandbox;
  meta: SandboxMeta;
  db: Db;
  /** Our CloudWatch GetMetricData endpoint for this sandbox, fed once a second from its counters. */
  cloudwatch: { wire: WireEndpoint; feed: MetricsFeed };
  runs: Map<string, { run: TrafficRun; t0: number; timer?: NodeJS.Timeout; stop: () => Promise<void>; complete: () => Promise<void>; stats: () => { sent: number; poison: number; failed: number } }>;
}

interface Registry {
  entries: Map<string, Entry>;
  starting: Map<string, Promise<Entry>>;
  hooks: boolean;
}

const g = globalThis as unknown as { __topographSandboxes?: Registry };
function registry(): Registry {
  g.__topographSandboxes ??= { entries: new Map(), starting: new Map(), hooks: false };
  return g.__topographSandboxes;
}

/** How many traffic runs one sandbox keeps (finished ones beyond this are forgotten, oldest first). */
const MAX_RUNS_KEPT = 20;
/** At most this many traffic runs at the same time per sandbox. */
export const MAX_CONCURRENT_RUNS = 4;

export const metaKey = (projectId: string) => `sandbox:${projectId}`;

/** Where a project's sandbox persists its logs: next to the SQLite file, or in the OS temp dir for PostgreSQL. */
export function sandboxDataDir(projectId: string, config: DbConfig = resolveDbConfig()): string {
  const root = config.provider === "sqlite" ? join(dirname(config.file), "sandbox") : join(tmpdir(), "topograph-sandbox");
  return join(root, projectId.replace(/[^A-Za-z0-9_-]/g, "_"));
}

export interface StartOptions {
  /** The database the project lives in. */
  db: Db;
  /** Which DB config decides the data directory (default: DATABASE_URL). */
  dbConfig?: DbConfig;
  /** Overrides for the sandbox (tests: shorter poll waits, scaled schedules). */
  sandbox?: Omit<SandboxOptions, "dataDir" | "onReport">;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The Meta row of a running sandbox, or null when there is none or it is stale (its process is gone). */
export async function readSandboxMeta(db: Db, projectId: string): Promise<SandboxMeta | null> {
  const row = await db.meta.findUnique({ where: { key: metaKey(projectId) } });
  if (!row) return null;
  try {
    const meta = JSON.parse(row.value) as SandboxMeta;
    return typeof meta.pid === "number" && isAlive(meta.pid) ? meta : null;
  } catch {
    return null;
  }
}

function buildMeta(sb: Sandbox, topology: Topology, revision: number, cloudwatch: string): SandboxMeta {
  const functionNames: Record<string, string> = {};
  const logGroups: Record<string, string> = {};
  for (const [id, rt] of sb.runtimes) {
    functionNames[id] = rt.fn.name;
    logGroups[id] = rt.logGroupName;
  }
  const kafka: Record<string, string> = {};
  for (const n of topology.nodes) if (n.kind === "kafka-topic") kafka[n.id] = n.topic;
  return {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    revision,
    region: REGION,
    endpoints: { ...sb.endpoints, cloudwatch },
    functionNames,
    logGroups,
    queueUrls: Object.fromEntries(sb.queueUrls),
    streamArns: Object.fromEntries(sb.streamArns),
    kafka,
  };
}

async function ensureLocalEnvironment(db: Db, projectId: string) {
  const envs = await listEnvironments(db, projectId);
  if (envs.some((e) => e.name === "local")) return;
  try {
    await createEnvironment(db, projectId, { name: "local", kind: "local" });
  } catch (e) {
    if (!(e instanceof TopoError && e.code === "TOPO-E022")) throw e; // created concurrently: fine
  }
}

function installHooks(reg: Registry) {
  if (reg.hooks) return;
  reg.hooks = true;
  const onSignal = (signal: NodeJS.Signals) => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    void Promise.race([stopAllSandboxes(), new Promise((r) => setTimeout(r, 3_000).unref())]).finally(() => {
      // Let the signal take its usual course unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // On a plain exit nothing asynchronous can run: the ports close with the process and the Meta rows become
  // stale (their pid is gone), which readers ignore.
}

/** Starts (or returns) the project's sandbox on its latest revision. */
export async function startProjectSandbox(projectId: string, opts: StartOptions): Promise<SandboxStatus> {
  const reg = registry();
  installHooks(reg);
  const inflight = reg.starting.get(projectId);
  if (inflight) {
    await inflight;
    return sandboxStatus(projectId);
  }
  const latest = await getRevisionOrThrow(opts.db, projectId, "latest");
  const current = reg.entries.get(projectId);
  if (current && current.revision === latest.number) return sandboxStatus(projectId);
  const p = (async () => {
    if (current) await stopEntry(current);
    const dataDir = sandboxDataDir(projectId, opts.dbConfig);
    mkdirSync(dataDir, { recursive: true });
    let sb: Sandbox;
    try {
      sb = await startSandbox(latest.document, { ...opts.sandbox, dataDir });
    } catch (e) {
      if (e instanceof TopoError) throw e; // e.g. an invalid filter pattern (TOPO-E105) names the edge
      throw new TopoError("TOPO-E101", `the sandbox for revision ${latest.number} did not start: ${(e as Error).message}`);
    }
    let cloudwatch: Entry["cloudwatch"];
    try {
      const wire = await startWireEndpoint({ metrics: new MetricStore() });
      cloudwatch = { wire, feed: startMetricsFeed(sb, latest.document, wire.metrics) };
    } catch (e) {
      await sb.stop();
      throw new TopoError("TOPO-E101", `the sandbox's metrics endpoint did not start: ${(e as Error).message}`);
    }
    const meta = buildMeta(sb, latest.document, latest.number, cloudwatch.wire.endpoint);
    const entry: Entry = { projectId, revision: latest.number, topology: latest.document, sb, meta, db: opts.db, runs: new Map(), cloudwatch };
    try {
      await opts.db.meta.upsert({ where: { key: metaKey(projectId) }, create: { key: metaKey(projectId), value: JSON.stringify(meta) }, update: { value: JSON.stringify(meta) } });
      await ensureLocalEnvironment(opts.db, projectId);
    } catch (e) {
      cloudwatch.feed.stop();
      await cloudwatch.wire.stop();
      await sb.stop();
      await opts.db.meta.deleteMany({ where: { key: metaKey(projectId) } }).catch(() => {});
      throw e;
    }
    reg.entries.set(projectId, entry);
    return entry;
  })();
  reg.starting.set(projectId, p);
  try {
    await p;
  } finally {
    reg.starting.delete(projectId);
  }
  return sandboxStatus(projectId);
}

async function stopEntry(e: Entry) {
  const reg = registry();
  if (reg.entries.get(e.projectId) === e) reg.entries.delete(e.projectId);
  for (const r of e.runs.values()) await finishRun(r, "stopped");
  e.cloudwatch.feed.stop();
  await e.cloudwatch.wire.stop();
  await e.sb.stop();
  await e.db.meta.deleteMany({ where: { key: metaKey(e.projectId) } }).catch(() => {});
}

/** Stops the project's sandbox (frees its ports, deletes its Meta row). False when none was running. */
export async function stopProjectSandbox(projectId: string): Promise<boolean> {
  const reg = registry();
  await reg.starting.get(projectId)?.catch(() => {});
  const e = reg.entries.get(projectId);
  if (!e) return false;
  await stopEntry(e);
  return true;
}

export async function stopAllSandboxes(): Promise<void> {
  const reg = registry();
  await Promise.all([...reg.starting.values()].map((p) => p.catch(() => {})));
  await Promise.all([...reg.entries.values()].map((e) => stopEntry(e)));
}

/** The running sandbox of a project (for tests and the observers in this process). */
export function runningSandbox(projectId: string): { sb: Sandbox; topology: Topology; revision: number } | undefined {
  const e = registry().entries.get(projectId);
  return e && { sb: e.sb, topology: e.topology, revision: e.revision };
}

export function sandboxStatus(projectId: string): SandboxStatus {
  const reg = registry();
  const e = reg.entries.get(projectId);
  return {
    projectId,
    running: !!e,
    starting: reg.starting.has(projectId),
    meta: e?.meta ?? null,
    traffic: e ? [...e.runs.values()].map((r) => refreshRun(r)).reverse() : [],
  };
}

/** Status and the sandbox summary (per function counts, per queue depth, per trigger lag). */
export async function sandboxSummary(projectId: string): Promise<SandboxStatus & { summary: SandboxSummary | null }> {
  const e = registry().entries.get(projectId);
  const summary = e ? await e.sb.summary().catch(() => null) : null;
  return { ...sandboxStatus(projectId), summary };
}

type RunState = Entry["runs"] extends Map<string, infer R> ? R : never;

function refreshRun(r: RunState): TrafficRun {
  const s = r.stats();
  r.run.sent = s.sent;
  r.run.poison = s.poison;
  r.run.failed = s.failed;
  if (r.run.state === "running") r.run.progress = Math.min(1, (Date.now() - r.t0) / (r.run.durationSec * 1000));
  return { ...r.run };
}

async function finishRun(r: RunState, state: "done" | "stopped") {
  if (r.run.state !== "running") return;
  clearTimeout(r.timer);
  r.run.state = state;
  await (state === "done" ? r.complete() : r.stop());
  refreshRun(r);
  r.run.endedAt = new Date().toISOString();
  if (state === "done") r.run.progress = 1;
}

/** Starts a traffic run: `ratePerSec` events/s to `nodeId` for `durationSec`, a `poisonFraction` of them poison. */
export function startTrafficRun(projectId: string, spec: TrafficRunSpec): TrafficRun {
  const e = registry().entries.get(projectId);
  if (!e) throw new TopoError("TOPO-E100", `the local sandbox of project "${projectId}" is not running`);
  const node = e.topology.nodes.find((n) => n.id === spec.nodeId);
  if (!node) throw new TopoError("TOPO-E102", `no node "${spec.nodeId}" in revision ${e.revision}`, { details: [{ code: "TOPO-E102", path: "nodeId", message: "unknown node" }] });
  if (!(SENDABLE_KINDS as readonly string[]).includes(node.kind))
    throw new TopoError("TOPO-E102", `the sandbox cannot send events to a ${node.kind} node`, { details: [{ code: "TOPO-E102", path: "nodeId", message: `not a traffic source (${node.kind})` }] });
  const running = [...e.runs.values()].filter((r) => r.run.state === "running").length;
  if (running >= MAX_CONCURRENT_RUNS) throw new TopoError("TOPO-E103", `${running} traffic runs are already running in this sandbox`);
  const t = startTraffic(e.sb, e.topology, { nodeId: spec.nodeId, perSecond: spec.ratePerSec, poisonFraction: spec.poisonFraction, total: Math.floor(spec.ratePerSec * spec.durationSec) });
  const run: TrafficRun = { ...spec, id: `run-${randomBytes(4).toString("hex")}`, state: "running", startedAt: new Date().toISOString(), sent: 0, poison: 0, failed: 0, progress: 0 };
  const state: RunState = { run, t0: Date.now(), stop: () => t.stop(), complete: () => t.complete(), stats: () => t.stats() };
  state.timer = setTimeout(() => void finishRun(state, "done"), spec.durationSec * 1000);
  state.timer.unref?.();
  e.runs.set(run.id, state);
  // Forget the oldest finished runs.
  for (const [id, r] of e.runs) {
    if (e.runs.size <= MAX_RUNS_KEPT) break;
    if (r.run.state !== "running") e.runs.delete(id);
  }
  return refreshRun(state);
}

/** Stops one traffic run, or every running one; returns how many were stopped. */
export async function stopTrafficRuns(projectId: string, runId?: string): Promise<number> {
  const e = registry().entries.get(projectId);
  if (!e) throw new TopoError("TOPO-E100", `the local sandbox of project "${projectId}" is not running`);
  let n = 0;
  for (const r of e.runs.values()) {
    if ((runId && r.run.id !== runId) || r.run.state !== "running") continue;
    await finishRun(r, "stopped");
    n++;
  }
  if (runId && n === 0 && !e.runs.has(runId)) throw new TopoError("TOPO-E104", `no traffic run "${runId}" in this sandbox`);
  return n;
}
