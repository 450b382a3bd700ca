/**
 * Logs Insights for long windows (24 h and custom ranges on AWS): three StartQuery / GetQueryResults round trips
 * instead of reading every REPORT line with FilterLogEvents. Pure: the query texts and turning result rows into
 * stats and buckets. SDK edge: `runInsightsQuery` (start, poll until Complete, stop on timeout).
 */
import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { FunctionBucket, FunctionStats } from "../types";

/** Duration, init, billed, memory and restore of text REPORT lines (auto-discovered fields) and JSON platform.report. */
const FIELDS =
  'filter @type = "REPORT" or type = "platform.report"' +
  " | fields coalesce(@duration, record.metrics.durationMs) as d, coalesce(@initDuration, record.metrics.initDurationMs) as init," +
  " coalesce(@billedDuration, record.metrics.billedDurationMs) as billed, coalesce(@maxMemoryUsed / 1000000, record.metrics.maxMemoryUsedMB) as mem," +
  " coalesce(@restoreDuration, record.metrics.restoreDurationMs) as restore, coalesce(@memorySize / 1000000, record.metrics.memorySizeMB) as size";

const STATS =
  "stats count(*) as invocations, count(init) as initCount, count(restore) as restoreCount, pct(d, 50) as p50, pct(d, 95) as p95, pct(d, 99) as p99," +
  " pct(init, 50) as initP50, pct(init, 95) as initP95, pct(restore, 95) as restoreP95, sum(billed) as billed, max(mem) as maxMem, max(size) as size";

export function insightsQueries(bucketSeconds: number) {
  return {
    totals: `${FIELDS} | ${STATS}`,
    buckets: `${FIELDS} | ${STATS} by bin(${bucketSeconds}s)`,
    errors:
      'parse @message /Status: (?<textStatus>timeout|error)/ | filter textStatus in ["error", "timeout"] or record.status in ["error", "failure", "timeout"]' +
      ` | fields coalesce(textStatus, record.status) as st | stats count(*) as n by bin(${bucketSeconds}s), st`,
  };
}

export type InsightsRow = Record<string, string>;

/** Starts a query, polls GetQueryResults every `pollMs` until it completes; stops it after `timeoutMs`. */
export async function runInsightsQuery(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  fromMs: number,
  toMs: number,
  queryString: string,
  opts: { pollMs?: number; timeoutMs?: number } = {},
): Promise<InsightsRow[]> {
  const { queryId } = await logs.send(
    new StartQueryCommand({ logGroupName, startTime: Math.floor(fromMs / 1000), endTime: Math.ceil(toMs / 1000), queryString, limit: 10_000 }),
  );
  const end = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const res = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (res.status === "Complete") return (res.results ?? []).map((cells) => Object.fromEntries(cells.map((c) => [c.field!, c.value!])));
    if (res.status === "Failed" || res.status === "Cancelled" || res.status === "Timeout") throw Object.assign(new Error(`Logs Insights query ${res.status.toLowerCase()}`), { name: "InsightsQueryFailed" });
    if (Date.now() > end) {
      await logs.send(new StopQueryCommand({ queryId })).catch(() => {});
      throw Object.assign(new Error("Logs Insights query did not complete in time"), { name: "TimeoutError" });
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
}

const n = (v: string | undefined) => (v === undefined || v === "" ? null : Number(v));
const binMs = (v: string) => Date.parse(v.replace(" ", "T") + "Z");

export interface InsightsFunctionData {
  totals: InsightsRow | undefined;
  buckets: InsightsRow[];
  errors: InsightsRow[];
}

/** Result rows → the window's stats (without freshness) and buckets from `from` to `to`. Pure. */
export function insightsToFunction(data: InsightsFunctionData, from: number, to: number, bucketSeconds: number, throttles = 0): { stats: Omit<FunctionStats, "freshness">; series: FunctionBucket[] } {
  const t = data.totals ?? {};
  const errByBin = new Map<number, { errors: number; timeouts: number }>();
  let errors = 0;
  let timeouts = 0;
  for (const r of data.errors) {
    const b = binMs(r[`bin(${bucketSeconds}s)`] ?? "");
    const c = Number(r.n ?? 0);
    const e = errByBin.get(b) ?? { errors: 0, timeouts: 0 };
    e.errors += c;
    errors += c;
    if (r.st === "timeout") {
      e.timeouts += c;
      timeouts += c;
    }
    errByBin.set(b, e);
  }
  const invocations = Number(t.invocations ?? 0);
  const minutes = Math.max(1 / 60, (to - from) / 60_000);
  const stats: Omit<FunctionStats, "freshness"> = {
    invocations,
    errors,
    timeouts,
    throttles,
    coldStarts: Number(t.initCount ?? 0) + Number(t.restoreCount ?? 0),
    perMin: Math.round((invocations / minutes) * 100) / 100,
    errorRate: invocations ? Math.round((errors / invocations) * 10_000) / 10_000 : 0,
    p50Ms: n(t.p50),
    p95Ms: n(t.p95),
    p99Ms: n(t.p99),
    initP50Ms: n(t.initP50),
    initP95Ms: n(t.initP95),
    restoreP95Ms: n(t.restoreP95),
    billedMs: Math.round(Number(t.billed ?? 0)),
    maxMemoryUsedMb: n(t.maxMem),
    memorySizeMb: n(t.size),
  };
  const step = bucketSeconds * 1000;
  const start = Math.floor(from / step) * step;
  const byBin = new Map(data.buckets.map((r) => [binMs(r[`bin(${bucketSeconds}s)`] ?? ""), r]));
  const series: FunctionBucket[] = [];
  for (let b = start; b < to; b += step) {
    const r = byBin.get(b);
    const e = errByBin.get(b);
    series.push({
      t: new Date(b).toISOString(),
      invocations: Number(r?.invocations ?? 0),
      errors: e?.errors ?? 0,
      timeouts: e?.timeouts ?? 0,
      coldStarts: Number(r?.initCount ?? 0) + Number(r?.restoreCount ?? 0),
      p50Ms: n(r?.p50),
      p95Ms: n(r?.p95),
      p99Ms: n(r?.p99),
      initP95Ms: n(r?.initP95),
      billedMs: Math.round(Number(r?.billed ?? 0)),
      maxMemoryUsedMb: n(r?.maxMem),
    });
  }
  return { stats, series };
}

export async function readFunctionInsights(logs: CloudWatchLogsClient, group: string, from: number, to: number, bucketSeconds: number): Promise<InsightsFunctionData> {
  const q = insightsQueries(bucketSeconds);
  const [totals, buckets, errors] = await Promise.all([
    runInsightsQuery(logs, group, from, to, q.totals),
    runInsightsQuery(logs, group, from, to, q.buckets),
    runInsightsQuery(logs, group, from, to, q.errors),
  ]);
  return { totals: totals[0], buckets, errors };
}
