/**
 * Lambda platform log lines: pure writers and a parser.
 *
 * Text format (fields separated by tabs, as in raw CloudWatch events):
 *   START RequestId: <id> Version: $LATEST
 *   END RequestId: <id>
 *   REPORT RequestId: <id>\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB
 *     [\tInit Duration: 150.00 ms][\tStatus: timeout|error[\tError Type: X]]
 * JSON format (LoggingConfig.LogFormat = JSON): the Telemetry API envelope {"time","type","record"} with
 * `platform.start` and `platform.report` (metrics durationMs, billedDurationMs, memorySizeMB, maxMemoryUsedMB,
 * initDurationMs?; status success|failure|error|timeout; errorType for failure/error).
 *
 * Billed Duration = ceil(Duration + Init Duration) to 1 ms: INIT is billed since 1 Aug 2025, and every example
 * in reference/aws-observability-facts.md §1 satisfies it (1233.96 + 463.512 → 1698; 3016.78 + 84.00 → 3101).
 */

export type ReportStatus = "success" | "failure" | "error" | "timeout";

export interface ReportFields {
  requestId: string;
  durationMs: number;
  /** Defaults to ceil(durationMs + initDurationMs). */
  billedDurationMs?: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Present on the first invocation of an environment (cold start). */
  initDurationMs?: number;
  status?: ReportStatus;
  errorType?: string;
}

export interface ParsedReport {
  format: "text" | "json";
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  restoreDurationMs?: number;
  status: ReportStatus;
  errorType?: string;
}

/** Durations are written with two decimals, so round before comparing write → parse. */
export const round2 = (ms: number) => Math.round(ms * 100) / 100;

export function billedDuration(durationMs: number, initDurationMs = 0): number {
  // Guard against float noise (e.g. 2.0000000001 → 3): bill on the two-decimal values that are printed.
  return Math.ceil(round2(round2(durationMs) + round2(initDurationMs)) - 1e-9);
}

export function formatStartText(requestId: string, version = "$LATEST"): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function formatEndText(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export function formatReportText(r: ReportFields): string {
  const parts = [
    `REPORT RequestId: ${r.requestId}`,
    `Duration: ${r.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${r.billedDurationMs ?? billedDuration(r.durationMs, r.initDurationMs)} ms`,
    `Memory Size: ${r.memorySizeMb} MB`,
    `Max Memory Used: ${r.maxMemoryUsedMb} MB`,
  ];
  if (r.initDurationMs !== undefined) parts.push(`Init Duration: ${r.initDurationMs.toFixed(2)} ms`);
  if (r.status && r.status !== "success") {
    // Text REPORT lines only know `timeout` and `error`; a JSON `failure` is written as `error`.
    parts.push(`Status: ${r.status === "timeout" ? "timeout" : "error"}`);
    if (r.status !== "timeout" && r.errorType) parts.push(`Error Type: ${r.errorType}`);
  }
  return parts.join("\t");
}

export function formatStartJson(requestId: string, time: Date, version = "$LATEST"): string {
  return JSON.stringify({ time: time.toISOString(), type: "platform.start", record: { requestId, version } });
}

export function formatReportJson(r: ReportFields, time: Date): string {
  const metrics: Record<string, number> = {
    durationMs: round2(r.durationMs),
    billedDurationMs: r.billedDurationMs ?? billedDuration(r.durationMs, r.initDurationMs),
    memorySizeMB: r.memorySizeMb,
    maxMemoryUsedMB: r.maxMemoryUsedMb,
  };
  if (r.initDurationMs !== undefined) metrics.initDurationMs = round2(r.initDurationMs);
  const status = r.status ?? "success";
  const record: Record<string, unknown> = { requestId: r.requestId, metrics, status };
  if ((status === "error" || status === "failure") && r.errorType) record.errorType = r.errorType;
  return JSON.stringify({ time: time.toISOString(), type: "platform.report", record });
}

const TEXT_FIELD = /(Duration|Billed Duration|Memory Size|Max Memory Used|Init Duration|Restore Duration|Billed Restore Duration): ([\d.]+) (ms|MB)/g;

/**
 * Parses a REPORT line (text, tab- or space-separated) or a JSON `platform.report` line.
 * Returns undefined for anything else (START, END, INIT_REPORT, application lines).
 */
export function parseReportLine(line: string): ParsedReport | undefined {
  const s = line.trim();
  if (s.startsWith("{")) return parseJsonReport(s);
  const m = /^REPORT RequestId: ([0-9A-Za-z-]+)/.exec(s);
  if (!m) return undefined;
  const v: Record<string, number> = {};
  for (const f of s.matchAll(TEXT_FIELD)) {
    // "Billed Duration: 3 ms" also ends in "Duration: 3 ms"; the regex alternation tries longer names first
    // only when anchored, so take the name from the preceding characters.
    const start = f.index ?? 0;
    const before = s.slice(Math.max(0, start - 16), start);
    let name = f[1];
    if (name === "Duration" && /Billed Restore $/.test(before)) name = "Billed Restore Duration";
    else if (name === "Duration" && /Billed $/.test(before)) name = "Billed Duration";
    else if (name === "Duration" && /Init $/.test(before)) name = "Init Duration";
    else if (name === "Duration" && /Restore $/.test(before)) name = "Restore Duration";
    const n = Number(f[2]);
    if (!Number.isFinite(n)) return undefined; // "494446.6.42 ms": not a measurement, so not a report
    if (!(name in v)) v[name] = n;
  }
  if (v["Duration"] === undefined || v["Billed Duration"] === undefined) return undefined;
  const status = /Status: (timeout|error)/.exec(s)?.[1] as ReportStatus | undefined;
  const errorType = /Error Type: ([^\s]+)/.exec(s)?.[1];
  const out: ParsedReport = {
    format: "text",
    requestId: m[1],
    durationMs: v["Duration"],
    billedDurationMs: v["Billed Duration"],
    memorySizeMb: v["Memory Size"],
    maxMemoryUsedMb: v["Max Memory Used"],
    status: status ?? "success",
  };
  if (v["Init Duration"] !== undefined) out.initDurationMs = v["Init Duration"];
  if (v["Restore Duration"] !== undefined) out.restoreDurationMs = v["Restore Duration"];
  if (errorType) out.errorType = errorType;
  return out;
}

function parseJsonReport(s: string): ParsedReport | undefined {
  let o: unknown;
  try {
    o = JSON.parse(s);
  } catch {
    return undefined;
  }
  const env = o as { type?: string; record?: { requestId?: string; metrics?: Record<string, number>; status?: string; errorType?: string } };
  if (env?.type !== "platform.report" || !env.record?.metrics) return undefined;
  const m = env.record.metrics;
  // A line someone else wrote may carry anything here; a report with a duration that is not a
  // number would poison every percentile computed from it.
  const measure = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
  if (!measure(m.durationMs) || !measure(m.billedDurationMs)) return undefined;
  for (const k of ["memorySizeMB", "maxMemoryUsedMB", "initDurationMs", "restoreDurationMs"]) if (m[k] !== undefined && !measure(m[k])) return undefined;
  const out: ParsedReport = {
    format: "json",
    requestId: String(env.record.requestId ?? ""),
    durationMs: m.durationMs,
    billedDurationMs: m.billedDurationMs,
    memorySizeMb: m.memorySizeMB,
    maxMemoryUsedMb: m.maxMemoryUsedMB,
    status: (env.record.status as ReportStatus) ?? "success",
  };
  if (m.initDurationMs !== undefined) out.initDurationMs = m.initDurationMs;
  if (m.restoreDurationMs !== undefined) out.restoreDurationMs = m.restoreDurationMs;
  if (env.record.errorType) out.errorType = env.record.errorType;
  return out;
}
