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

import { parsePlatformLine } from "../observe/report-parse";

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

/**
 * Parses a REPORT line (text, tab- or space-separated) or a JSON `platform.report` line, with Observe's parser
 * (one parser for what the sandbox writes and what AWS writes). Returns undefined for anything else (START, END,
 * INIT_REPORT, application lines, a report whose numbers are not measurements).
 */
export function parseReportLine(line: string): ParsedReport | undefined {
  const r = parsePlatformLine(line.trim());
  if (r?.type !== "report") return undefined;
  const out: ParsedReport = {
    format: r.format,
    requestId: r.requestId,
    durationMs: r.durationMs,
    billedDurationMs: r.billedDurationMs,
    memorySizeMb: r.memorySizeMb,
    maxMemoryUsedMb: r.maxMemoryUsedMb,
    status: r.status,
  };
  if (r.initDurationMs !== undefined) out.initDurationMs = r.initDurationMs;
  if (r.restoreDurationMs !== undefined) out.restoreDurationMs = r.restoreDurationMs;
  if (r.errorType) out.errorType = r.errorType;
  return out;
}
