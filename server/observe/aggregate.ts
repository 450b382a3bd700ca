/**
 * Platform records → per-function figures: pure. Log events go in (timestamp + message), out come the
 * window's stats, a time series per bucket and the latest invocations. Outcome notices (old-style
 * "Task timed out", Node's "Invoke Error") mark the REPORT of the same request id.
 */
import type { FunctionBucket, FunctionStats, Invocation, ObserveWindow } from "./types";
import { parsePlatformLine, type InvocationStatus } from "./report-parse";

/** One invocation, compact (this is what pollers keep and share through the database). */
export interface InvocationRow {
  /** epoch ms */
  t: number;
  id: string;
  d: number;
  b: number;
  mem: number;
  max: number;
  init?: number;
  restore?: number;
  s: InvocationStatus;
  et?: string;
}

/** An INIT_REPORT / platform.initReport (SnapStart and provisioned concurrency, or failed inits). */
export interface InitRow {
  t: number;
  init: number;
  s?: string;
}

export interface LogEventLike {
  timestamp?: number;
  message?: string;
}

/** Turns log events into rows; keeps a small map of notices until their REPORT arrives. */
export class RecordExtractor {
  readonly invocations: InvocationRow[] = [];
  readonly inits: InitRow[] = [];
  private notices = new Map<string, { s: InvocationStatus; et?: string }>();

  add(ev: LogEventLike): void {
    const msg = ev.message;
    if (!msg) return;
    const r = parsePlatformLine(msg);
    if (!r) return;
    const time = "time" in r ? r.time : undefined;
    const t = time ? Date.parse(time) || ev.timestamp || 0 : (ev.timestamp ?? 0);
    switch (r.type) {
      case "report": {
        const row: InvocationRow = { t, id: r.requestId, d: r.durationMs, b: r.billedDurationMs, mem: r.memorySizeMb, max: r.maxMemoryUsedMb, s: r.status };
        if (r.initDurationMs !== undefined) row.init = r.initDurationMs;
        if (r.restoreDurationMs !== undefined) row.restore = r.restoreDurationMs;
        if (r.errorType) row.et = r.errorType;
        const notice = this.notices.get(r.requestId);
        if (notice) {
          this.notices.delete(r.requestId);
          if (row.s === "success") {
            row.s = notice.s;
            if (notice.et && !row.et) row.et = notice.et;
          }
        }
        this.invocations.push(row);
        break;
      }
      case "init-report":
        this.inits.push({ t, init: r.initDurationMs, ...(r.status ? { s: r.status } : {}) });
        break;
      case "restore-report":
        break;
      case "timeout-notice":
        this.notices.set(r.requestId, { s: "timeout" });
        break;
      case "error-notice":
        if (!this.notices.has(r.requestId)) this.notices.set(r.requestId, { s: "error", ...(r.errorType ? { et: r.errorType } : {}) });
        break;
    }
    if (this.notices.size > 10_000) this.notices.delete(this.notices.keys().next().value!);
  }
}

/** Nearest-rank percentile of a sorted array. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

export interface WindowRange {
  kind: ObserveWindow;
  from: number;
  to: number;
}

const WINDOW_MS: Record<Exclude<ObserveWindow, "custom">, number> = { "5m": 5 * 60_000, "1h": 3_600_000, "24h": 86_400_000 };
export const MAX_CUSTOM_MS = 14 * 86_400_000;

/** The time range of a window (custom: from/to as given, checked by the caller). */
export function windowRange(kind: ObserveWindow, now: number, from?: number, to?: number): WindowRange {
  if (kind === "custom") return { kind, from: from!, to: to! };
  return { kind, from: now - WINDOW_MS[kind], to: now };
}

/** Bucket size giving 30–120 points: 10 s for 5 min, 1 min for 1 h, 15 min for 24 h. */
export function bucketSecondsFor(spanMs: number): number {
  const nice = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  const target = spanMs / 1000 / 100;
  for (const s of nice) if (s >= target) return s;
  return 86400;
}

type StatsCore = Omit<FunctionStats, "freshness">;

/** Stats, series and latest invocations of one function over a window. */
export function aggregateFunction(
  rows: readonly InvocationRow[],
  inits: readonly InitRow[],
  range: WindowRange,
  opts: { memorySizeMb?: number | null; throttles?: number; latest?: number; bucketSeconds?: number } = {},
): { stats: StatsCore; series: FunctionBucket[]; latest: Invocation[]; bucketSeconds: number } {
  const { from, to } = range;
  const bucketSeconds = opts.bucketSeconds ?? bucketSecondsFor(to - from);
  const bucketMs = bucketSeconds * 1000;
  const start = Math.floor(from / bucketMs) * bucketMs;
  const nBuckets = Math.max(1, Math.ceil((to - start) / bucketMs));
  const buckets = Array.from({ length: nBuckets }, () => ({ n: 0, err: 0, to: 0, cold: 0, billed: 0, maxMem: null as number | null, d: [] as number[], init: [] as number[] }));
  const all: number[] = [];
  const initAll: number[] = [];
  const restoreAll: number[] = [];
  let invocations = 0,
    errors = 0,
    timeouts = 0,
    coldStarts = 0,
    billed = 0;
  let maxMem: number | null = null;
  let memSize: number | null = opts.memorySizeMb ?? null;
  const inWindow: InvocationRow[] = [];
  for (const r of rows) {
    if (r.t < from || r.t > to) continue;
    inWindow.push(r);
    const b = buckets[Math.min(nBuckets - 1, Math.floor((r.t - start) / bucketMs))];
    invocations++;
    b.n++;
    all.push(r.d);
    b.d.push(r.d);
    billed += r.b;
    b.billed += r.b;
    if (r.s !== "success") {
      errors++;
      b.err++;
    }
    if (r.s === "timeout") {
      timeouts++;
      b.to++;
    }
    if (r.init !== undefined || r.restore !== undefined) {
      coldStarts++;
      b.cold++;
    }
    if (r.init !== undefined) {
      initAll.push(r.init);
      b.init.push(r.init);
    }
    if (r.restore !== undefined) restoreAll.push(r.restore);
    if (maxMem === null || r.max > maxMem) maxMem = r.max;
    if (b.maxMem === null || r.max > b.maxMem) b.maxMem = r.max;
    if (r.mem) memSize = r.mem;
  }
  for (const i of inits) if (i.t >= from && i.t <= to) initAll.push(i.init);
  const asc = (a: number, b: number) => a - b;
  all.sort(asc);
  initAll.sort(asc);
  restoreAll.sort(asc);
  const minutes = Math.max(1 / 60, (to - from) / 60_000);
  const stats: StatsCore = {
    invocations,
    errors,
    timeouts,
    throttles: opts.throttles ?? 0,
    coldStarts,
    perMin: Math.round((invocations / minutes) * 100) / 100,
    errorRate: invocations ? Math.round((errors / invocations) * 10_000) / 10_000 : 0,
    p50Ms: round(percentile(all, 50)),
    p95Ms: round(percentile(all, 95)),
    p99Ms: round(percentile(all, 99)),
    initP50Ms: round(percentile(initAll, 50)),
    initP95Ms: round(percentile(initAll, 95)),
    restoreP95Ms: round(percentile(restoreAll, 95)),
    billedMs: Math.round(billed),
    maxMemoryUsedMb: maxMem,
    memorySizeMb: memSize,
  };
  const series: FunctionBucket[] = buckets.map((b, i) => {
    b.d.sort(asc);
    b.init.sort(asc);
    return {
      t: new Date(start + i * bucketMs).toISOString(),
      invocations: b.n,
      errors: b.err,
      timeouts: b.to,
      coldStarts: b.cold,
      p50Ms: round(percentile(b.d, 50)),
      p95Ms: round(percentile(b.d, 95)),
      p99Ms: round(percentile(b.d, 99)),
      initP95Ms: round(percentile(b.init, 95)),
      billedMs: Math.round(b.billed),
      maxMemoryUsedMb: b.maxMem,
    };
  });
  const latest = inWindow
    .slice()
    .sort((a, b) => b.t - a.t)
    .slice(0, opts.latest ?? 20)
    .map(
      (r): Invocation => ({
        requestId: r.id,
        at: new Date(r.t).toISOString(),
        durationMs: r.d,
        billedDurationMs: r.b,
        memorySizeMb: r.mem,
        maxMemoryUsedMb: r.max,
        initDurationMs: r.init ?? null,
        restoreDurationMs: r.restore ?? null,
        status: r.s,
        errorType: r.et ?? null,
      }),
    );
  return { stats, series, latest, bucketSeconds };
}
