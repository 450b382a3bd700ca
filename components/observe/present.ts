/**
 * Words, numbers and tones the Observe tab prints: node chips, edge labels, freshness lines, the
 * health summary. Pure, so every label is tested without a browser; numbers are formatted in
 * en-US whatever the viewer's locale, so screenshots and tests are stable.
 */
import type { Freshness, FunctionStats, LagStatus, QueueStats, Snapshot, TriggerStats } from "@/server/observe/types";

export type Tone = "neutral" | "ok" | "warn" | "bad" | "muted";

export interface Chip {
  key: string;
  text: string;
  /** The long form, for tooltips and screen readers. */
  title: string;
  tone: Tone;
}

const en = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/**
 * A count, short: 950, 9.5k, 12k, 1.2M.
 * @example formatCount(12_345) // "12k"
 */
export function formatCount(n: number): string {
  const a = Math.abs(n);
  if (a < 1_000) return en(n, a < 10 && !Number.isInteger(n) ? 1 : 0);
  if (a < 10_000) return `${en(n / 1_000, 1)}k`;
  if (a < 1_000_000) return `${en(Math.round(n / 1_000))}k`;
  return `${en(n / 1_000_000, 1)}M`;
}

/**
 * Per-minute rate: "0/min", "0.4/min", "142/min", "1.2k/min".
 * @example formatRate(0.35) // "0.4/min"
 */
export function formatRate(perMin: number | null): string {
  if (perMin === null || !Number.isFinite(perMin)) return "–/min";
  if (perMin > 0 && perMin < 0.05) return "<0.1/min";
  return `${formatCount(perMin < 10 ? Math.round(perMin * 10) / 10 : Math.round(perMin))}/min`;
}

/**
 * A 0–1 rate as a percentage: "0%", "<0.1%", "2.1%", "38%".
 * @example formatPct(0.0213) // "2.1%"
 */
export function formatPct(rate: number): string {
  if (!Number.isFinite(rate) || rate <= 0) return "0%";
  const pct = rate * 100;
  if (pct < 0.1) return "<0.1%";
  if (pct < 10) return `${en(pct, 1)}%`;
  return `${en(Math.round(pct))}%`;
}

/**
 * Milliseconds, readable: "0.8 ms", "84 ms", "1.24 s", "12.5 s", "3 min".
 * @example formatMs(1240) // "1.24 s"
 */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "–";
  if (ms < 10) return `${en(ms, 1)} ms`;
  if (ms < 1_000) return `${en(Math.round(ms))} ms`;
  if (ms < 10_000) return `${en(ms / 1_000, 2)} s`;
  if (ms < 60_000) return `${en(ms / 1_000, 1)} s`;
  return formatAge(ms / 1_000);
}

/**
 * An age in seconds: "12 s", "4 min", "2 h 5 min", "3 d".
 * @example formatAge(3_900) // "1 h 5 min"
 */
export function formatAge(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3_600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) {
    const h = Math.floor(s / 3_600);
    const m = Math.round((s % 3_600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  return `${en(s / 86_400, s < 864_000 ? 1 : 0)} d`;
}

/** Error rate thresholds: above 5% is bad, any error is a warning. */
export function errorTone(rate: number, errors: number): Tone {
  if (rate >= 0.05) return "bad";
  if (errors > 0) return "warn";
  return "ok";
}

/**
 * The chips on a function node: invocations/min, error %, p95 and cold starts (with init p95).
 * @example functionChips(stats).map((c) => c.text) // ["142/min", "2.1%", "p95 84 ms", "❄ 3"]
 */
export function functionChips(s: FunctionStats): Chip[] {
  const chips: Chip[] = [
    { key: "rate", text: formatRate(s.perMin), title: `${en(s.invocations)} invocations (${formatRate(s.perMin)})`, tone: s.invocations > 0 ? "neutral" : "muted" },
    {
      key: "errors",
      text: formatPct(s.errorRate),
      title: `${en(s.errors)} error${s.errors === 1 ? "" : "s"} (${formatPct(s.errorRate)})${s.timeouts ? `, ${en(s.timeouts)} timeout${s.timeouts === 1 ? "" : "s"}` : ""}${s.throttles ? `, ${en(s.throttles)} throttled` : ""}`,
      tone: s.invocations === 0 ? "muted" : errorTone(s.errorRate, s.errors),
    },
    { key: "p95", text: `p95 ${formatMs(s.p95Ms)}`, title: `p95 duration ${formatMs(s.p95Ms)} (p50 ${formatMs(s.p50Ms)}, p99 ${formatMs(s.p99Ms)})`, tone: s.p95Ms === null ? "muted" : "neutral" },
  ];
  if (s.coldStarts > 0)
    chips.push({
      key: "cold",
      text: `❄ ${formatCount(s.coldStarts)}`,
      title: `${en(s.coldStarts)} cold start${s.coldStarts === 1 ? "" : "s"}, init p95 ${formatMs(s.initP95Ms)}${s.restoreP95Ms !== null ? `, restore p95 ${formatMs(s.restoreP95Ms)}` : ""}`,
      tone: "neutral",
    });
  return chips;
}

/** Depth of a dead-letter queue: anything waiting is a problem; of a work queue, only a deep one. */
export function depthTone(q: QueueStats): Tone {
  if (q.depth === null) return "muted";
  if (q.isDeadLetterQueue) return q.depth > 0 ? "bad" : "ok";
  return q.depth >= 1_000 ? "warn" : "neutral";
}

/**
 * The chips on a queue node: depth (in flight) and the oldest message's age.
 * @example queueChips({ depth: 12, inFlight: 0, oldestAgeSec: 200, isDeadLetterQueue: true, … }).map((c) => c.text) // ["12 waiting", "oldest 3 min"]
 */
export function queueChips(q: QueueStats): Chip[] {
  const depth = q.depth === null ? "–" : formatCount(q.depth);
  const chips: Chip[] = [
    {
      key: "depth",
      text: q.isDeadLetterQueue ? `${depth} dead` : `${depth} waiting`,
      title: `${q.depth === null ? "unknown" : en(q.depth)} message${q.depth === 1 ? "" : "s"} visible${q.inFlight ? `, ${en(q.inFlight)} in flight` : ""}`,
      tone: depthTone(q),
    },
  ];
  if (q.inFlight) chips.push({ key: "flight", text: `${formatCount(q.inFlight)} in flight`, title: `${en(q.inFlight)} messages received and not yet deleted`, tone: "neutral" });
  if (q.oldestAgeSec !== null && (q.depth ?? 0) > 0) chips.push({ key: "age", text: `oldest ${formatAge(q.oldestAgeSec)}`, title: `the oldest message has waited ${formatAge(q.oldestAgeSec)}`, tone: "neutral" });
  return chips;
}

const STATUS_TONE: Record<LagStatus, Tone> = { OK: "ok", WARN: "warn", STALL: "bad", STOP: "bad", UNKNOWN: "muted" };
const STATUS_WORDS: Record<LagStatus, string> = {
  OK: "OK: the consumer keeps up",
  WARN: "WARN: lag is growing",
  STALL: "STALL: committing but not moving",
  STOP: "STOP: not committing",
  UNKNOWN: "unknown: no reading yet",
};

export function lagStatusTone(status: LagStatus): Tone {
  return STATUS_TONE[status];
}

/**
 * Lag in its unit: "42 msgs", "1.2 s", "3.4k records".
 * @example formatLag(1_200, "ms") // "1.2 s"
 */
export function formatLag(lag: number | null, unit: TriggerStats["lagUnit"]): string {
  if (lag === null) return "–";
  if (unit === "ms") return formatMs(lag);
  return `${formatCount(lag)} ${unit === "messages" ? (lag === 1 ? "msg" : "msgs") : lag === 1 ? "record" : "records"}`;
}

const TREND_ARROW = { rising: "↑", falling: "↓", flat: "→", unknown: "" } as const;

/**
 * Sources that are polled (queues, streams, Kafka topics, table streams) have a lag; pushed ones
 * (HTTP routes, schedules, topics, buses, buckets) invoke directly and only have a throughput.
 */
const POLLED_KINDS = new Set(["queue", "sqs", "stream", "kinesis", "kafka-topic", "kafka", "table", "dynamodb-stream"]);
export function hasLag(kind: string): boolean {
  return POLLED_KINDS.has(kind);
}

/**
 * The live line on a trigger edge: throughput, lag (with its trend) and the status word.
 * @example triggerLabel(t) // { text: "120/min · lag 42 msgs ↑ · WARN", tone: "warn", … }
 */
export function triggerLabel(t: TriggerStats): { text: string; tone: Tone; title: string; status: LagStatus } {
  if (!hasLag(t.kind))
    return { text: formatRate(t.throughputPerMin), tone: "neutral", status: t.status, title: `${formatRate(t.throughputPerMin)} through this trigger (${t.kind} invokes directly: no lag)` };
  const arrow = TREND_ARROW[t.trend];
  const parts = [formatRate(t.throughputPerMin), `lag ${formatLag(t.lag, t.lagUnit)}${arrow ? ` ${arrow}` : ""}`, t.status];
  return {
    text: parts.join(" · "),
    tone: STATUS_TONE[t.status],
    status: t.status,
    title: `${formatRate(t.throughputPerMin)} through this trigger; lag ${formatLag(t.lag, t.lagUnit)}${t.trend !== "unknown" ? `, ${t.trend}` : ""}; ${STATUS_WORDS[t.status]}`,
  };
}

export function lagStatusWords(status: LagStatus): string {
  return STATUS_WORDS[status];
}

/**
 * Seconds since a time, short: "just now", "3 s ago", "2 min ago".
 * @example ago("2026-01-01T10:00:00Z", Date.parse("2026-01-01T10:00:03Z")) // "3 s ago"
 */
export function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 1) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3_600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3_600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** What a freshness problem is called, in a few words. */
export function problemWords(p: NonNullable<Freshness["problem"]>): string {
  switch (p.kind) {
    case "throttled":
      return "throttled by AWS";
    case "access-denied":
      return p.missingAction ? `access denied: allow ${p.missingAction}` : "access denied";
    case "not-found":
      return "not found";
    case "unreachable":
      return "unreachable";
    case "unbound":
      return "not bound to a resource";
    default:
      return p.kind.replace(/-/g, " ");
  }
}

const NO_CREDENTIALS = /CredentialsProviderError|Could not load credentials|Unable to locate credentials/i;

/**
 * A problem in words a user acts on: what went wrong, and the fix. The AWS SDK's "could not load
 * credentials" becomes what to do about it on this server.
 * @example explainProblem({ kind: "error", code: "TOPO-E129", message: "CredentialsProviderError: Could not load credentials from any providers" }).text // "no AWS credentials on this server"
 */
export function explainProblem(p: NonNullable<Freshness["problem"]>): { text: string; fix?: string } {
  if (NO_CREDENTIALS.test(p.message))
    return {
      text: "no AWS credentials on this server",
      fix: "Give the server credentials (aws sso login, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or set the environment's credentials to a profile or a role ARN in Settings.",
    };
  return { text: problemWords(p), fix: p.fix };
}

/**
 * One panel's freshness as a line: when its data was read and, when the last read failed, why
 * (the data shown stays the last good one).
 * @example freshnessLine({ readAt: "…:00Z", state: "stale", problem: { kind: "throttled", … } }, now) // { text: "read 8 s ago · throttled by AWS", tone: "warn" }
 */
export function freshnessLine(f: Freshness, now: number): { text: string; tone: Tone; fix?: string } {
  const read = f.readAt ? `read ${ago(f.readAt, now)}` : "not read yet";
  if (!f.problem) return { text: read, tone: f.state === "fresh" ? "ok" : f.state === "never" ? "muted" : "warn" };
  const tone: Tone = f.state === "failing" || f.problem.kind === "access-denied" || f.problem.kind === "not-found" ? "bad" : "warn";
  const kept = f.readAt ? " (showing the last good data)" : "";
  const { text, fix } = explainProblem(f.problem);
  return { text: `${read} · ${text}${kept}`, tone, fix };
}

const HEALTH_TONE: Record<Snapshot["health"]["status"], Tone> = { healthy: "ok", degraded: "warn", failing: "bad", unknown: "muted" };
export function healthTone(status: Snapshot["health"]["status"]): Tone {
  return HEALTH_TONE[status];
}

/** Every panel's problem in a snapshot, once per kind of problem, worst first (for the health summary). */
export function snapshotProblems(s: Snapshot): { kind: string; where: string[]; text: string; fix?: string; code: string }[] {
  const byKey = new Map<string, { kind: string; where: string[]; text: string; fix?: string; code: string; rank: number }>();
  const RANK: Record<string, number> = { "access-denied": 0, "not-found": 1, unreachable: 2, throttled: 3, unbound: 4 };
  const add = (id: string, f: Freshness) => {
    if (!f.problem) return;
    const { text, fix } = explainProblem(f.problem);
    const key = `${f.problem.kind}|${f.problem.missingAction ?? ""}|${text}`;
    const hit = byKey.get(key);
    if (hit) hit.where.push(id);
    else byKey.set(key, { kind: f.problem.kind, where: [id], text, fix, code: f.problem.code, rank: RANK[f.problem.kind] ?? 5 });
  };
  for (const [id, f] of Object.entries(s.functions)) add(id, f.freshness);
  for (const [id, t] of Object.entries(s.triggers)) add(id, t.freshness);
  for (const [id, q] of Object.entries(s.queues)) add(id, q.freshness);
  return [...byKey.values()].sort((a, b) => a.rank - b.rank).map(({ rank: _rank, ...rest }) => rest);
}

/** Environments in the picker: `local` first, then by name. */
export function orderEnvironments<T extends { name: string; kind: string }>(envs: readonly T[]): T[] {
  const rank = (e: T) => (e.kind === "local" && e.name === "local" ? 0 : e.kind === "local" ? 1 : 2);
  return [...envs].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The totals at the top of the tab: invocations, errors, cold starts, dead letters. */
export function snapshotTotals(s: Snapshot): { invocations: number; errors: number; coldStarts: number; deadLetters: number; perMin: number } {
  let invocations = 0;
  let errors = 0;
  let coldStarts = 0;
  let perMin = 0;
  let deadLetters = 0;
  for (const f of Object.values(s.functions)) {
    invocations += f.invocations;
    errors += f.errors;
    coldStarts += f.coldStarts;
    perMin += f.perMin;
  }
  for (const q of Object.values(s.queues)) if (q.isDeadLetterQueue) deadLetters += q.depth ?? 0;
  return { invocations, errors, coldStarts, deadLetters, perMin };
}

/**
 * What counts as news on the canvas, per element: a function's errors, timeouts and cold starts,
 * a trigger's status, a dead-letter queue's depth. Rates and durations tick every poll and are
 * left out, or a busy canvas would flash all the time.
 */
export function newsSignatures(s: Snapshot): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, f] of Object.entries(s.functions)) out.set(id, `${f.errors}|${f.timeouts}|${f.coldStarts}`);
  for (const [id, t] of Object.entries(s.triggers)) out.set(id, t.status);
  for (const [id, q] of Object.entries(s.queues)) if (q.isDeadLetterQueue) out.set(id, String(q.depth));
  return out;
}

/** Ids whose signature changed between two snapshots (new elements are not news). */
export function changedIds(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const [id, sig] of after) {
    const was = before.get(id);
    if (was !== undefined && was !== sig) out.add(id);
  }
  return out;
}

const STATUS_RANK: Record<LagStatus, number> = { UNKNOWN: 0, OK: 1, WARN: 2, STALL: 3, STOP: 4 };

/**
 * A context's figures when it is drawn as one summary (collapsed, or zoomed far out): its
 * functions' rates and errors, its dead letters, and the worst status of the triggers into it.
 * @example contextLine(snapshot, ["fn-a", "dlq-a"], ["e-q--fn-a"]) // { text: "142/min · 2.1% errors · 3 dead · WARN", tone: "bad" }
 */
export function contextLine(s: Snapshot, memberIds: readonly string[], triggerIds: readonly string[]): { text: string; tone: Tone; title: string } | null {
  let perMin = 0;
  let invocations = 0;
  let errors = 0;
  let dead = 0;
  let seen = false;
  for (const id of memberIds) {
    const f = s.functions[id];
    if (f) {
      seen = true;
      perMin += f.perMin;
      invocations += f.invocations;
      errors += f.errors;
    }
    const q = s.queues[id];
    if (q?.isDeadLetterQueue) {
      seen = true;
      dead += q.depth ?? 0;
    }
  }
  let worst: LagStatus | null = null;
  for (const id of triggerIds) {
    const t = s.triggers[id];
    if (t && hasLag(t.kind) && (worst === null || STATUS_RANK[t.status] > STATUS_RANK[worst])) worst = t.status;
  }
  if (!seen && worst === null) return null;
  const rate = invocations ? errors / invocations : 0;
  const parts = [formatRate(perMin), `${formatPct(rate)} errors`];
  if (dead) parts.push(`${formatCount(dead)} dead`);
  if (worst && worst !== "OK" && worst !== "UNKNOWN") parts.push(worst);
  const tone: Tone = dead > 0 || (worst !== null && STATUS_RANK[worst] >= 3) ? "bad" : errorTone(rate, errors) === "bad" ? "bad" : errors > 0 || worst === "WARN" ? "warn" : invocations ? "ok" : "muted";
  return {
    text: parts.join(" · "),
    tone,
    title: `${formatCount(invocations)} invocations (${formatRate(perMin)}), ${formatCount(errors)} errors, ${formatCount(dead)} dead letters${worst ? `; worst trigger: ${worst}` : ""}`,
  };
}
