/**
 * Snapshot, function detail and trigger detail of one environment: asks the poller hub for each resource's
 * signal (logs per function, attributes per queue, metrics, Kafka lag, the local sandbox's lag figures) and
 * assembles the shapes of ./types. The API routes and `topo observe` both call these.
 */
import { TopoError } from "../errors";
import { deadLetterQueueIds } from "../model/graph";
import type { TopoEdge, TopoNode } from "../model/schema";
import { aggregateFunction, bucketSecondsFor, MAX_CUSTOM_MS, windowRange, type WindowRange } from "./aggregate";
import type { Problem } from "./aws-errors";
import { burrowStatus, kafkajsAdmin, lagTrend, readKafkaLag, type KafkaLagState, type LagSample } from "./collectors/lag";
import { readFunctionLogs, type LogsState } from "./collectors/logs";
import { insightsToFunction, readFunctionInsights, type InsightsFunctionData } from "./collectors/insights";
import { getMetricData, lambdaMetricSpecs, lastOf, maxOf, periodFor, sqsMetricSpecs, sumOf, type MetricPoints } from "./collectors/metrics";
import { readQueue, type QueueState } from "./collectors/queues";
import type { Binding, ResolvedEnvironment } from "./environment";
import { problemThrow, type PollerHub, type PollResult, type PollSpec } from "./poller";
import { liveTailFor, mergeRows } from "./live-tails";
import type { Freshness, FunctionDetail, FunctionStats, ObserveWindow, QueueStats, Snapshot, TriggerDetail, TriggerStats } from "./types";
import { WindowSchema } from "./types";

// ---------------------------------------------------------------------------------------------
// Windows
// ---------------------------------------------------------------------------------------------

/** Parses ?window=5m|1h|24h|custom&from&to (TOPO-E124 on anything else). */
export function parseWindow(q: { window?: string | null; from?: string | null; to?: string | null }, now = Date.now()): WindowRange {
  const kind = WindowSchema.safeParse(q.window ?? "5m");
  if (!kind.success) throw new TopoError("TOPO-E124", `window "${q.window}" is not 5m, 1h, 24h or custom`);
  if (kind.data !== "custom") return windowRange(kind.data, now);
  const from = q.from ? Date.parse(q.from) : NaN;
  const to = q.to ? Date.parse(q.to) : now;
  if (Number.isNaN(from) || Number.isNaN(to)) throw new TopoError("TOPO-E124", "a custom window needs from (and optionally to) as ISO times");
  if (from >= to) throw new TopoError("TOPO-E124", "from must be before to");
  if (to - from > MAX_CUSTOM_MS) throw new TopoError("TOPO-E124", "a custom window spans at most 14 days");
  if (to > now + 60_000) throw new TopoError("TOPO-E124", "to is in the future");
  return { kind: "custom", from, to };
}

// ---------------------------------------------------------------------------------------------
// Poll specs (one poller per environment, resource and signal)
// ---------------------------------------------------------------------------------------------

const HOUR = 3_600_000;

interface Intervals {
  logs: number;
  queue: number;
  metrics: number;
  kafka: number;
  local: number;
}

/** Local: sub-second freshness. AWS: within FilterLogEvents' 5–25 TPS per account and region, 1-min metrics. */
export function intervalsFor(kind: "local" | "aws"): Intervals {
  const scale = Number(process.env.TOPO_OBSERVE_INTERVAL_SCALE || 1) || 1;
  const base = kind === "local" ? { logs: 500, queue: 1_000, metrics: 5_000, kafka: 2_000, local: 1_000 } : { logs: 5_000, queue: 10_000, metrics: 60_000, kafka: 10_000, local: 10_000 };
  return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, Math.max(100, Math.round(v * scale))])) as unknown as Intervals;
}

/** The logs retention class serving a window: 1 h serves 5m/1h, 24 h serves 24h and recent custom windows. */
export function retentionFor(range: WindowRange, now = Date.now()): number {
  const back = now - range.from;
  if (back <= HOUR) return HOUR;
  if (back <= 24 * HOUR) return 24 * HOUR;
  return Math.ceil(back / (24 * HOUR)) * 24 * HOUR;
}

function logsSpec(r: ResolvedEnvironment, nodeId: string, b: Binding, retainMs: number): PollSpec<LogsState> {
  const group = b.logGroupName!;
  const iv = intervalsFor(r.kind);
  return {
    key: `${r.env.id}|fn:${nodeId}|logs:${retainMs}`,
    intervalMs: retainMs > HOUR ? Math.max(iv.logs, 15_000) : iv.logs,
    action: "logs:FilterLogEvents",
    resource: group,
    shared: r.kind === "aws",
    fetch: (prev) => readFunctionLogs(r.clients.logs, group, prev, retainMs),
  };
}

/** Long windows on AWS read Logs Insights aggregates rather than every REPORT line. */
export function usesInsights(r: ResolvedEnvironment, range: WindowRange, now = Date.now()): boolean {
  return r.kind === "aws" && now - range.from > HOUR + 60_000;
}

interface InsightsState extends InsightsFunctionData {
  from: number;
  to: number;
  bucketSeconds: number;
}

function insightsSpec(r: ResolvedEnvironment, nodeId: string, b: Binding, range: WindowRange): PollSpec<InsightsState> {
  const group = b.logGroupName!;
  const span = range.to - range.from;
  const bucketSeconds = bucketSecondsFor(span);
  const fixed = range.kind === "custom";
  return {
    key: `${r.env.id}|fn:${nodeId}|insights:${fixed ? `${range.from}-${range.to}` : range.kind}`,
    intervalMs: Math.max(intervalsFor(r.kind).metrics * 5, 30_000),
    action: "logs:StartQuery",
    resource: group,
    shared: r.kind === "aws",
    fetch: async () => {
      const to = fixed ? range.to : Date.now();
      const from = fixed ? range.from : to - span;
      return { ...(await readFunctionInsights(r.clients.logs, group, from, to, bucketSeconds)), from, to, bucketSeconds };
    },
  };
}

function queueSpec(r: ResolvedEnvironment, nodeId: string, b: Binding | undefined): PollSpec<QueueState> {
  return {
    key: `${r.env.id}|queue:${nodeId}|attributes`,
    intervalMs: intervalsFor(r.kind).queue,
    action: "sqs:GetQueueAttributes",
    shared: r.kind === "aws",
    resource: b?.queueUrl ?? b?.queueName ?? nodeId,
    fetch: (prev) => {
      if (!b || (!b.queueUrl && !b.queueName)) problemThrow("unbound", `queue ${nodeId} is not bound to an SQS queue`, "TOPO-E128", "Bind the node to a queue URL in the environment's bindings.");
      return readQueue(r.clients.sqs, b, prev);
    },
  };
}

interface MetricsState {
  period: number;
  from: number;
  points: Record<string, MetricPoints>;
}

function metricsSpec(r: ResolvedEnvironment, what: "lambda" | "sqs", nodeId: string, name: string, retainMs: number): PollSpec<MetricsState> | undefined {
  const cw = r.clients.cloudwatch;
  if (!cw) return undefined;
  const specs = what === "lambda" ? lambdaMetricSpecs(name) : sqsMetricSpecs(name);
  const period = periodFor(retainMs);
  return {
    key: `${r.env.id}|${what}:${nodeId}|metrics:${retainMs}`,
    intervalMs: intervalsFor(r.kind).metrics,
    action: "cloudwatch:GetMetricData",
    resource: name,
    shared: r.kind === "aws",
    fetch: async () => {
      const now = Date.now();
      const from = now - retainMs;
      return { period, from, points: await getMetricData(cw, specs, from, now, period) };
    },
  };
}

interface LocalLagState {
  edges: Record<string, { lag: number; unit: "messages" | "ms" | "records"; history: LagSample[]; partitions?: Record<string, number> }>;
  throttles: Record<string, number>;
}

/** Local sandbox figures the AWS APIs of the emulators cannot give (Kinesis iterator age, the local Kafka log's lag). */
function localLagSpec(r: ResolvedEnvironment): PollSpec<LocalLagState> {
  return {
    key: `${r.env.id}|sandbox|lag`,
    intervalMs: intervalsFor("local").local,
    action: "sandbox:summary",
    shared: false,
    fetch: async (prev) => {
      const { runningSandbox } = await import("../sandbox/manager");
      const running = runningSandbox(r.env.projectId);
      if (!running) problemThrow("unreachable", "the local sandbox runs in another process; its Kinesis and Kafka lag are not visible here", "TOPO-E120");
      const s = await running.sb.summary();
      const now = Date.now();
      const edges: LocalLagState["edges"] = {};
      for (const [id, t] of Object.entries(s.triggers)) {
        const src = r.topology.nodes.find((n) => n.id === t.source);
        const unit = t.lagUnit === "ms" ? "ms" : src?.kind === "kafka-topic" ? "records" : "messages";
        const partitions = t.partitions;
        const sample: LagSample = { t: now, offset: null, lag: t.lag, ...(partitions ? { partitions } : {}) };
        edges[id] = { lag: t.lag, unit, history: [...(prev?.edges[id]?.history ?? []), sample].slice(-120), ...(partitions ? { partitions } : {}) };
      }
      const throttles = Object.fromEntries(Object.entries(s.functions).map(([id, f]) => [id, (f as { throttles?: number }).throttles ?? 0]));
      return { edges, throttles };
    },
  };
}

function kafkaSpec(r: ResolvedEnvironment, edge: TopoEdge, b: Binding, groupId: string): PollSpec<KafkaLagState> {
  const brokers = b.kafkaBootstrapServers ?? [];
  const topic = b.kafkaTopic!;
  return {
    key: `${r.env.id}|edge:${edge.id}|kafka-lag`,
    intervalMs: intervalsFor(r.kind).kafka,
    action: "kafka-cluster:DescribeGroup",
    resource: `${topic} / ${groupId}`,
    fetch: async (prev) => readKafkaLag(await kafkajsAdmin(brokers), topic, groupId, prev),
  };
}

// ---------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------

const NEVER: Freshness = { readAt: null, state: "never" };

function unavailable(kind: Problem["kind"], message: string): Freshness {
  return { readAt: null, state: "failing", problem: { kind, code: kind === "unbound" ? "TOPO-E128" : "TOPO-E129", message } };
}

/** The worse of two freshness values (failing > stale > never > fresh), keeping the earliest readAt. */
function worst(a: Freshness, b: Freshness | undefined): Freshness {
  if (!b) return a;
  const rank = { fresh: 0, never: 1, stale: 2, failing: 3 } as const;
  return rank[b.state] > rank[a.state] ? { ...b, readAt: b.readAt ?? a.readAt } : a;
}

interface Gathered {
  logs: Map<string, PollResult<LogsState>>;
  insights: Map<string, PollResult<InsightsState>>;
  lambdaMetrics: Map<string, PollResult<MetricsState>>;
  queues: Map<string, PollResult<QueueState>>;
  sqsMetrics: Map<string, PollResult<MetricsState>>;
  kafka: Map<string, PollResult<KafkaLagState>>;
  local?: PollResult<LocalLagState>;
}

function groupIdOf(edge: TopoEdge, b: Binding | undefined): string | undefined {
  return (edge.kind === "trigger" ? edge.consumerGroupId : undefined) ?? b?.kafkaConsumerGroupId;
}

async function gather(hub: PollerHub, r: ResolvedEnvironment, range: WindowRange, only?: { functions?: string[]; edges?: string[] }): Promise<Gathered> {
  const retain = retentionFor(range);
  const g: Gathered = { logs: new Map(), insights: new Map(), lambdaMetrics: new Map(), queues: new Map(), sqsMetrics: new Map(), kafka: new Map() };
  const jobs: Promise<unknown>[] = [];
  const nodes = r.topology.nodes;
  const want = (id: string) => !only?.functions || only.functions.includes(id);
  for (const n of nodes) {
    const b = r.bindings[n.id];
    if (n.kind === "function" && want(n.id) && b?.logGroupName) {
      if (usesInsights(r, range)) {
        jobs.push(hub.get(insightsSpec(r, n.id, b, range)).then((x) => g.insights.set(n.id, x)));
        // The latest invocations of a function's panel still come from its last hour of REPORT lines.
        if (only?.functions) jobs.push(hub.get(logsSpec(r, n.id, b, HOUR)).then((x) => g.logs.set(n.id, x)));
      } else jobs.push(hub.get(logsSpec(r, n.id, b, retain)).then((x) => g.logs.set(n.id, x)));
      const ms = b.functionName ? metricsSpec(r, "lambda", n.id, b.functionName, retain) : undefined;
      if (ms) jobs.push(hub.get(ms).then((x) => g.lambdaMetrics.set(n.id, x)));
    }
    if (n.kind === "queue" && !only) {
      jobs.push(hub.get(queueSpec(r, n.id, b)).then((x) => g.queues.set(n.id, x)));
      const name = b?.queueName;
      const ms = name && r.kind === "aws" ? metricsSpec(r, "sqs", n.id, name, retain) : undefined;
      if (ms) jobs.push(hub.get(ms).then((x) => g.sqsMetrics.set(n.id, x)));
    }
  }
  const edges = r.topology.edges.filter((e) => e.kind === "trigger" && (!only?.edges || only.edges.includes(e.id)));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const e of edges) {
    const src = byId.get(e.source);
    if (!src) continue;
    if (src.kind === "queue" && only) {
      jobs.push(hub.get(queueSpec(r, src.id, r.bindings[src.id])).then((x) => g.queues.set(src.id, x)));
    }
    if (src.kind === "kafka-topic" && r.kind === "aws") {
      const b = r.bindings[src.id];
      const group = groupIdOf(e, b);
      if (b?.kafkaBootstrapServers?.length && b.kafkaTopic && group) jobs.push(hub.get(kafkaSpec(r, e, b, group)).then((x) => g.kafka.set(e.id, x)));
    }
    // Lag of stream and Kafka sources comes from the target's IteratorAge / OffsetLag metrics on AWS.
    if ((src.kind === "stream" || src.kind === "kafka-topic" || src.kind === "table") && !g.lambdaMetrics.has(e.target)) {
      const tb = r.bindings[e.target];
      const ms = tb?.functionName ? metricsSpec(r, "lambda", e.target, tb.functionName, retain) : undefined;
      if (ms) jobs.push(hub.get(ms).then((x) => g.lambdaMetrics.set(e.target, x)));
    }
  }
  if (r.kind === "local" && (edges.length || !only)) jobs.push(hub.get(localLagSpec(r)).then((x) => (g.local = x)));
  await Promise.all(jobs);
  return g;
}

function functionStats(n: TopoNode, g: Gathered, range: WindowRange) {
  const logs = g.logs.get(n.id);
  const metrics = g.lambdaMetrics.get(n.id);
  const local = g.local?.data?.throttles?.[n.id];
  const fromMetrics = metrics?.data ? sumOf(metrics.data.points.Throttles?.filter((p) => Date.parse(p.t) >= range.from - metrics.data!.period * 1000)) : undefined;
  const throttles = fromMetrics ?? local ?? 0;
  const memory = n.kind === "function" ? n.memoryMb : null;
  const ins = g.insights.get(n.id);
  let agg = aggregateFunction(logs?.data?.rows ?? [], logs?.data?.inits ?? [], range, { memorySizeMb: memory, throttles });
  let freshness = logs?.freshness ?? unavailable("unbound", `function ${n.id} has no log group bound`);
  if (ins) {
    freshness = ins.freshness;
    if (ins.data) {
      const x = insightsToFunction(ins.data, ins.data.from, ins.data.to, ins.data.bucketSeconds, throttles);
      agg = { ...agg, stats: { ...x.stats, memorySizeMb: x.stats.memorySizeMb ?? memory }, series: x.series, bucketSeconds: ins.data.bucketSeconds };
    } else {
      agg = { ...agg, stats: { ...agg.stats, invocations: 0 } };
    }
  }
  // Metrics trouble shows only when logs are fine (logs carry the panel's main figures).
  if (freshness.state === "fresh" && metrics?.freshness.state === "failing") freshness = worst(freshness, metrics.freshness);
  return { ...agg, stats: { ...agg.stats, freshness } as FunctionStats };
}

function queueStats(n: TopoNode, g: Gathered, dlqs: Set<string>): QueueStats {
  const q = g.queues.get(n.id);
  const m = g.sqsMetrics.get(n.id);
  const latest = q?.data?.latest;
  const age = m?.data ? lastOf(m.data.points.ApproximateAgeOfOldestMessage) : null;
  return {
    depth: latest ? latest.visible : null,
    inFlight: latest ? latest.inFlight : null,
    oldestAgeSec: age ?? latest?.oldestAgeSec ?? null,
    isDeadLetterQueue: dlqs.has(n.id),
    freshness: q?.freshness ?? NEVER,
  };
}

interface TriggerParts {
  stats: TriggerStats;
  history: { t: number; lag: number | null; partitions?: Record<string, number> }[];
}

function triggerStats(e: TopoEdge, src: TopoNode, g: Gathered, r: ResolvedEnvironment, range: WindowRange, invocationsPerMin: number | null): TriggerParts {
  const base = { source: e.source, target: e.target, kind: src.kind, throughputPerMin: invocationsPerMin };
  const inWindow = <T extends { t: number }>(xs: T[]) => xs.filter((x) => x.t >= range.from && x.t <= range.to);
  const processed = invocationsPerMin === null ? null : invocationsPerMin * ((range.to - range.from) / 60_000);
  const finish = (lag: number | null, lagUnit: TriggerStats["lagUnit"], samples: LagSample[], freshness: Freshness, partitions?: Record<string, number>, lastCommitAt?: number | null): TriggerParts => {
    const win = inWindow(samples);
    return {
      stats: {
        ...base,
        lag,
        lagUnit,
        status: lag === null ? "UNKNOWN" : burrowStatus(win.length ? win : samples.slice(-1), { now: Date.now(), processed, lastCommitAt: lastCommitAt ?? null }),
        trend: lagTrend(win),
        ...(partitions ? { partitions } : {}),
        freshness,
      },
      history: win.map((s) => ({ t: s.t, lag: s.lag, ...(s.partitions ? { partitions: s.partitions } : {}) })),
    };
  };
  if (src.kind === "queue") {
    const q = g.queues.get(src.id);
    const hist = (q?.data?.history ?? []).map((s) => ({ t: s.t, offset: null, lag: s.visible + s.inFlight }));
    const latest = q?.data?.latest;
    return finish(latest ? latest.visible + latest.inFlight : null, "messages", hist, q?.freshness ?? NEVER);
  }
  if (src.kind === "kafka-topic") {
    const k = g.kafka.get(e.id);
    if (k) {
      const lag = k.data ? Object.values(k.data.partitions).reduce((a, b) => a + b, 0) : null;
      const parts = finish(lag, "records", k.data?.history ?? [], k.freshness, k.data?.partitions, k.data?.lastCommitAt);
      return parts;
    }
  }
  if (r.kind === "local" && g.local) {
    const l = g.local.data?.edges[e.id];
    if (l) return finish(l.lag, l.unit, l.history, g.local.freshness, l.partitions);
    if (g.local.freshness.state === "failing") return finish(null, src.kind === "stream" ? "ms" : src.kind === "kafka-topic" ? "records" : "messages", [], g.local.freshness);
  }
  if (src.kind === "stream" || src.kind === "kafka-topic" || src.kind === "table") {
    const m = g.lambdaMetrics.get(e.target);
    const metric = src.kind === "kafka-topic" ? "OffsetLag" : "IteratorAge";
    const unit = src.kind === "kafka-topic" ? "records" : "ms";
    if (!m) return finish(null, unit, [], unavailable("unbound", `no CloudWatch metrics for ${e.target}: ${metric} cannot be read`));
    const pts = m.data?.points[metric] ?? [];
    const samples = pts.map((p) => ({ t: Date.parse(p.t), offset: null, lag: p.v }));
    return finish(pts.length ? lastOf(pts) : m.data ? 0 : null, unit, samples, m.freshness);
  }
  return { stats: { ...base, lag: null, lagUnit: "messages", status: "UNKNOWN", trend: "unknown", freshness: { readAt: new Date().toISOString(), state: "fresh" } }, history: [] };
}

function health(s: Pick<Snapshot, "functions" | "triggers" | "queues">): Snapshot["health"] {
  const reasons: string[] = [];
  let failing = false;
  let degraded = false;
  for (const [id, f] of Object.entries(s.functions)) {
    if (f.freshness.state === "failing") {
      failing = true;
      reasons.push(`${id}: ${f.freshness.problem?.message ?? "cannot be read"}`);
    } else if (f.invocations >= 5 && f.errorRate >= 0.05) {
      degraded = true;
      reasons.push(`${id}: ${(f.errorRate * 100).toFixed(1)} % errors`);
    }
    if (f.throttles > 0) {
      degraded = true;
      reasons.push(`${id}: ${f.throttles} throttled`);
    }
  }
  for (const [id, t] of Object.entries(s.triggers)) {
    if (t.status === "STALL" || t.status === "STOP") {
      degraded = true;
      reasons.push(`${id}: consumer ${t.status === "STOP" ? "stopped" : "stalled"} (lag ${t.lag} ${t.lagUnit})`);
    } else if (t.status === "WARN") {
      degraded = true;
      reasons.push(`${id}: lag rising (${t.lag} ${t.lagUnit})`);
    }
  }
  for (const [id, q] of Object.entries(s.queues)) {
    if (q.isDeadLetterQueue && (q.depth ?? 0) > 0) {
      degraded = true;
      reasons.push(`${id}: ${q.depth} dead letter${q.depth === 1 ? "" : "s"}`);
    }
    if (q.freshness.state === "failing") {
      failing = true;
      reasons.push(`${id}: ${q.freshness.problem?.message ?? "cannot be read"}`);
    }
  }
  const anyData = Object.values(s.functions).some((f) => f.freshness.readAt) || Object.values(s.queues).some((q) => q.freshness.readAt);
  return { status: failing ? "failing" : degraded ? "degraded" : anyData ? "healthy" : "unknown", reasons };
}

/** The whole environment over a window. */
export async function buildSnapshot(hub: PollerHub, r: ResolvedEnvironment, range: WindowRange): Promise<Snapshot> {
  const g = await gather(hub, r, range);
  const functions: Snapshot["functions"] = {};
  for (const n of r.topology.nodes) if (n.kind === "function") functions[n.id] = functionStats(n, g, range).stats;
  const dlqs = deadLetterQueueIds(r.topology);
  const queues: Snapshot["queues"] = {};
  for (const n of r.topology.nodes) if (n.kind === "queue") queues[n.id] = queueStats(n, g, dlqs);
  const triggers: Snapshot["triggers"] = {};
  const byId = new Map(r.topology.nodes.map((n) => [n.id, n]));
  for (const e of r.topology.edges) {
    if (e.kind !== "trigger") continue;
    const src = byId.get(e.source);
    if (!src) continue;
    triggers[e.id] = triggerStats(e, src, g, r, range, functions[e.target]?.perMin ?? null).stats;
  }
  return {
    projectId: r.env.projectId,
    environmentId: r.env.id,
    revision: r.revision,
    window: { kind: range.kind as ObserveWindow, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() },
    readAt: new Date().toISOString(),
    functions,
    triggers,
    queues,
    health: health({ functions, triggers, queues }),
  };
}

const snapshotMemo = new Map<string, { at: number; value: Promise<Snapshot> }>();

/**
 * buildSnapshot shared by every viewer asking for the same environment and window within `ttlMs` (default 250 ms,
 * TOPO_OBSERVE_SNAPSHOT_TTL_MS): the figures come from pollers that read every 0.5–60 s anyway, so fifty viewers
 * polling each second cost one aggregation per quarter second, not fifty.
 */
export function sharedSnapshot(hub: PollerHub, r: ResolvedEnvironment, range: WindowRange, ttlMs = Number(process.env.TOPO_OBSERVE_SNAPSHOT_TTL_MS ?? 250)): Promise<Snapshot> {
  const key = `${r.env.id}|${r.revision}|${range.kind}|${range.kind === "custom" ? `${range.from}-${range.to}` : ""}`;
  const now = Date.now();
  const hit = snapshotMemo.get(key);
  if (hit && now - hit.at < ttlMs) return hit.value;
  const value = buildSnapshot(hub, r, range);
  snapshotMemo.set(key, { at: now, value });
  if (snapshotMemo.size > 200) snapshotMemo.delete(snapshotMemo.keys().next().value!);
  value.catch(() => snapshotMemo.get(key)?.value === value && snapshotMemo.delete(key));
  return value;
}

export async function buildFunctionDetail(hub: PollerHub, r: ResolvedEnvironment, nodeId: string, range: WindowRange): Promise<FunctionDetail> {
  const n = r.topology.nodes.find((x) => x.id === nodeId);
  if (!n || n.kind !== "function") throw new TopoError("TOPO-E125", `"${nodeId}" is not a function of revision ${r.revision}`);
  const g = await gather(hub, r, range, { functions: [nodeId], edges: [] });
  const b = r.bindings[nodeId];
  // An open panel on AWS also tails the log group (1 s updates) between two FilterLogEvents reads.
  const tail = b?.logGroupName ? liveTailFor(r, b.logGroupName) : undefined;
  const polled = g.logs.get(nodeId);
  if (tail && polled?.data) g.logs.set(nodeId, { ...polled, data: { ...polled.data, rows: mergeRows(polled.data.rows, tail.extractor.invocations) } });
  const f = functionStats(n, g, range);
  const m = g.lambdaMetrics.get(nodeId);
  const metrics: FunctionDetail["metrics"] = {};
  if (m?.data) for (const [k, pts] of Object.entries(m.data.points)) metrics[k] = pts.filter((p) => Date.parse(p.t) >= range.from - m.data!.period * 1000 && Date.parse(p.t) <= range.to);
  return {
    nodeId,
    functionName: b?.functionName ?? n.name,
    logGroupName: b?.logGroupName ?? `/aws/lambda/${n.name}`,
    stats: f.stats,
    bucketSeconds: f.bucketSeconds,
    series: f.series,
    metrics,
    latest: f.latest,
  };
}

export async function buildTriggerDetail(hub: PollerHub, r: ResolvedEnvironment, edgeId: string, range: WindowRange): Promise<TriggerDetail> {
  const e = r.topology.edges.find((x) => x.id === edgeId);
  if (!e || e.kind !== "trigger") throw new TopoError("TOPO-E125", `"${edgeId}" is not a trigger edge of revision ${r.revision}`);
  const src = r.topology.nodes.find((n) => n.id === e.source);
  if (!src) throw new TopoError("TOPO-E125", `the source of "${edgeId}" is missing`);
  const g = await gather(hub, r, range, { functions: [e.target], edges: [edgeId] });
  const target = r.topology.nodes.find((n) => n.id === e.target);
  const perMin = target ? functionStats(target, g, range).stats.perMin : null;
  const parts = triggerStats(e, src, g, r, range, perMin);
  const k = g.kafka.get(edgeId);
  const series = parts.history.map((h) => ({ t: new Date(h.t).toISOString(), lag: h.lag, ...(h.partitions ? { partitions: h.partitions } : {}) }));
  if (k?.data && series.length) (series[series.length - 1] as { partitions?: Record<string, number> }).partitions = k.data.partitions;
  return { edgeId, stats: parts.stats, series };
}

export { bucketSecondsFor, maxOf };
