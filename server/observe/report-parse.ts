/**
 * Lambda platform lines → typed records, fast (bench `report-parse`: ≥ 1,000,000 lines/s on one core and at
 * least the JSON.parse rate of the same bytes). Every line shape of reference/aws-observability-facts.md §1:
 *
 * - text `REPORT RequestId: …` (tabs or spaces; Init Duration; Restore Duration + Billed Restore Duration for
 *   SnapStart; `Status: timeout|error` [`Error Type: …`]; XRAY fields on the same or the next line)
 * - text `INIT_REPORT Init Duration: … Phase: init|invoke Status: …` and `RESTORE_REPORT Restore Duration: …`
 * - the old-style timeout notice `<time> <requestId> Task timed out after 3.00 seconds` and Node's
 *   `<time>\t<requestId>\tERROR\tInvoke Error …` (an error the REPORT line of that era does not mention)
 * - JSON `platform.report`, `platform.initReport`, `platform.restoreReport` (Telemetry API envelope)
 *
 * The scanners use indexOf and a hand-written number reader instead of regular expressions and JSON.parse;
 * anything they do not recognise falls back to the general path (JSON.parse) or is ignored.
 * `server/sandbox/report.ts` writes the lines the sandbox emits; its parser is the reference these agree with.
 */

export type InvocationStatus = "success" | "failure" | "error" | "timeout";

export interface ReportRecord {
  type: "report";
  format: "text" | "json";
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  restoreDurationMs?: number;
  billedRestoreDurationMs?: number;
  status: InvocationStatus;
  errorType?: string;
  /** ISO time carried by the line (JSON format); text lines take the log event's timestamp. */
  time?: string;
}

export interface InitReportRecord {
  type: "init-report";
  initDurationMs: number;
  phase?: string;
  status?: string;
  errorType?: string;
  time?: string;
}

export interface RestoreReportRecord {
  type: "restore-report";
  restoreDurationMs: number;
  status?: string;
  time?: string;
}

/** A line saying an invocation failed or timed out, for REPORT lines that do not say so themselves. */
export interface OutcomeNotice {
  type: "timeout-notice" | "error-notice";
  requestId: string;
  errorType?: string;
}

export type PlatformRecord = ReportRecord | InitReportRecord | RestoreReportRecord | OutcomeNotice;

// --- a number reader: digits [. digits], no exponent (as Lambda writes them) ---------------------

let numEnd = 0;
/** Reads a decimal number at s[i]; sets numEnd; NaN when there is none. */
function readNumber(s: string, i: number): number {
  const n = s.length;
  while (i < n && s.charCodeAt(i) === 32) i++;
  let neg = false;
  if (s.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  let v = 0;
  let digits = 0;
  let c = s.charCodeAt(i);
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46) {
    let scale = 1;
    let frac = 0;
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      if (scale < 1e15) {
        frac = frac * 10 + (c - 48);
        scale *= 10;
      }
      digits++;
      c = s.charCodeAt(++i);
    }
    // One division of two integers is correctly rounded (6.69, not 6 + 0.69 = 6.6899999999999995).
    v = (v * scale + frac) / scale;
  }
  // An exponent (JSON allows one): hand the token to Number().
  if (c === 101 || c === 69) {
    let j = i + 1;
    const c2 = s.charCodeAt(j);
    if (c2 === 43 || c2 === 45) j++;
    while (s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    let start = i - 1;
    while (start > 0 && /[\d.-]/.test(s[start - 1])) start--;
    numEnd = j;
    return Number(s.slice(start, j));
  }
  numEnd = i;
  if (!digits) return NaN;
  return neg ? -v : v;
}

/** The number after `label` at or after `from`, or undefined. */
function field(s: string, label: string, from: number): number | undefined {
  const i = s.indexOf(label, from);
  if (i < 0) return undefined;
  const v = readNumber(s, i + label.length);
  return v === v ? v : undefined;
}

/** The token after `label` (up to a tab, a space or the end). */
function token(s: string, label: string, from: number): string | undefined {
  const i = s.indexOf(label, from);
  if (i < 0) return undefined;
  const start = i + label.length;
  let end = start;
  const n = s.length;
  while (end < n) {
    const c = s.charCodeAt(end);
    if (c === 9 || c === 32 || c === 10 || c === 13) break;
    end++;
  }
  return end > start ? s.slice(start, end) : undefined;
}

// --- text ---------------------------------------------------------------------------------------

function parseTextReport(s: string, at: number): ReportRecord | undefined {
  const idStart = at + 18; // "REPORT RequestId: ".length
  let idEnd = idStart;
  const n = s.length;
  while (idEnd < n) {
    const c = s.charCodeAt(idEnd);
    if (c === 9 || c === 32) break;
    idEnd++;
  }
  if (idEnd === idStart) return undefined;
  const requestId = s.slice(idStart, idEnd);
  // The first "Duration: " after the id is the invocation's own (Billed/Init/Restore come later).
  const durationMs = field(s, "Duration: ", idEnd);
  if (durationMs === undefined) return undefined;
  const afterDuration = numEnd;
  const billedDurationMs = field(s, "Billed Duration: ", afterDuration);
  if (billedDurationMs === undefined) return undefined;
  const afterBilled = numEnd;
  const memorySizeMb = field(s, "Memory Size: ", afterBilled) ?? 0;
  const maxMemoryUsedMb = field(s, "Max Memory Used: ", afterBilled) ?? 0;
  const rec: ReportRecord = { type: "report", format: "text", requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb, status: "success" };
  // Optional fields: only look when their first letter is there at all (cheap on the common warm line).
  const rest = afterBilled;
  if (s.indexOf("Init Duration: ", rest) >= 0) rec.initDurationMs = field(s, "Init Duration: ", rest);
  const restoreAt = s.indexOf("Restore Duration: ", rest);
  if (restoreAt >= 0) {
    // "Billed Restore Duration" also contains "Restore Duration": take the one not preceded by "Billed ".
    let i = restoreAt;
    while (i >= 0 && s.startsWith("Billed ", i - 7)) i = s.indexOf("Restore Duration: ", i + 1);
    if (i >= 0) rec.restoreDurationMs = readNumber(s, i + 18);
    const b = field(s, "Billed Restore Duration: ", rest);
    if (b !== undefined) rec.billedRestoreDurationMs = b;
  }
  const st = s.indexOf("Status: ", rest);
  if (st >= 0) {
    const status = token(s, "Status: ", st);
    if (status === "timeout" || status === "error" || status === "failure") rec.status = status;
    const et = token(s, "Error Type: ", st);
    if (et) rec.errorType = et;
  }
  return rec;
}

function parseInitReport(s: string, at: number): InitReportRecord | undefined {
  const d = field(s, "Init Duration: ", at);
  if (d === undefined) return undefined;
  const rec: InitReportRecord = { type: "init-report", initDurationMs: d };
  const phase = token(s, "Phase: ", at);
  if (phase) rec.phase = phase;
  const status = token(s, "Status: ", at);
  if (status) rec.status = status;
  const et = token(s, "Error Type: ", at);
  if (et) rec.errorType = et;
  return rec;
}

function parseRestoreReport(s: string, at: number): RestoreReportRecord | undefined {
  const d = field(s, "Restore Duration: ", at);
  if (d === undefined) return undefined;
  const rec: RestoreReportRecord = { type: "restore-report", restoreDurationMs: d };
  const status = token(s, "Status: ", at);
  if (status) rec.status = status;
  return rec;
}

/** `<time> <requestId> Task timed out after 3.00 seconds` (tab- or space-separated). */
function parseTimeoutNotice(s: string, at: number): OutcomeNotice | undefined {
  const head = s.slice(0, at).trim().split(/[\t ]+/);
  const requestId = head[head.length - 1];
  return requestId && /^[0-9a-fA-F-]{8,}$/.test(requestId) ? { type: "timeout-notice", requestId } : undefined;
}

/** Node's `<time>\t<requestId>\tERROR\tInvoke Error \t{"errorType":"…"}`. */
function parseErrorNotice(s: string, at: number): OutcomeNotice | undefined {
  const head = s.slice(0, at).split("\t").filter(Boolean);
  const requestId = head[head.length - 1];
  if (!requestId || !/^[0-9a-fA-F-]{8,}$/.test(requestId)) return undefined;
  const et = /"errorType"\s*:\s*"([^"]+)"/.exec(s);
  return { type: "error-notice", requestId, ...(et ? { errorType: et[1] } : {}) };
}

// --- JSON ---------------------------------------------------------------------------------------

function jsonString(s: string, key: string, from: number): string | undefined {
  const i = s.indexOf(key, from);
  if (i < 0) return undefined;
  const start = i + key.length;
  const end = s.indexOf('"', start);
  if (end < 0) return undefined;
  const v = s.slice(start, end);
  return v.indexOf("\\") >= 0 ? undefined : v;
}

/**
 * `platform.report` written compactly (as Lambda does): fields found by key. Returns null when the line
 * is not in the compact shape (spaces after colons, escapes), so the caller takes the JSON.parse path.
 */
function fastJsonReport(s: string, typeAt: number): ReportRecord | null | undefined {
  const time = jsonString(s, '"time":"', 0);
  const requestId = jsonString(s, '"requestId":"', typeAt);
  const metricsAt = s.indexOf('"metrics":{', typeAt);
  if (requestId === undefined || metricsAt < 0) return null;
  const metricsEnd = s.indexOf("}", metricsAt);
  const num = (key: string) => {
    const i = s.indexOf(key, metricsAt);
    if (i < 0 || i > metricsEnd) return undefined;
    const v = readNumber(s, i + key.length);
    return v === v ? v : undefined;
  };
  const durationMs = num('"durationMs":');
  const billedDurationMs = num('"billedDurationMs":');
  if (durationMs === undefined || billedDurationMs === undefined) return null;
  const rec: ReportRecord = {
    type: "report",
    format: "json",
    requestId,
    durationMs,
    billedDurationMs,
    memorySizeMb: num('"memorySizeMB":') ?? 0,
    maxMemoryUsedMb: num('"maxMemoryUsedMB":') ?? 0,
    status: "success",
  };
  if (time) rec.time = time;
  const init = num('"initDurationMs":');
  if (init !== undefined) rec.initDurationMs = init;
  const restore = num('"restoreDurationMs":');
  if (restore !== undefined) rec.restoreDurationMs = restore;
  const status = jsonString(s, '"status":"', metricsEnd);
  const statusBefore = status === undefined ? jsonString(s, '"status":"', typeAt) : status;
  if (statusBefore === "timeout" || statusBefore === "error" || statusBefore === "failure") rec.status = statusBefore;
  const et = jsonString(s, '"errorType":"', typeAt);
  if (et) rec.errorType = et;
  return rec;
}

function slowJson(s: string): PlatformRecord | undefined {
  let o: { time?: string; type?: string; record?: Record<string, any> };
  try {
    o = JSON.parse(s);
  } catch {
    return undefined;
  }
  if (!o || typeof o !== "object" || !o.record || typeof o.type !== "string") return undefined;
  const r = o.record;
  const m = (r.metrics ?? {}) as Record<string, number>;
  if (o.type === "platform.report") {
    if (typeof m.durationMs !== "number") return undefined;
    const rec: ReportRecord = {
      type: "report",
      format: "json",
      requestId: String(r.requestId ?? ""),
      durationMs: m.durationMs,
      billedDurationMs: m.billedDurationMs ?? Math.ceil(m.durationMs),
      memorySizeMb: m.memorySizeMB ?? 0,
      maxMemoryUsedMb: m.maxMemoryUsedMB ?? 0,
      status: r.status === "timeout" || r.status === "error" || r.status === "failure" ? r.status : "success",
    };
    if (o.time) rec.time = o.time;
    if (typeof m.initDurationMs === "number") rec.initDurationMs = m.initDurationMs;
    if (typeof m.restoreDurationMs === "number") rec.restoreDurationMs = m.restoreDurationMs;
    if (typeof r.errorType === "string") rec.errorType = r.errorType;
    return rec;
  }
  if (o.type === "platform.initReport" && typeof m.durationMs === "number") {
    return { type: "init-report", initDurationMs: m.durationMs, phase: r.phase, status: r.status, ...(r.errorType ? { errorType: r.errorType } : {}), ...(o.time ? { time: o.time } : {}) };
  }
  if (o.type === "platform.restoreReport" && typeof m.durationMs === "number") {
    return { type: "restore-report", restoreDurationMs: m.durationMs, status: r.status, ...(o.time ? { time: o.time } : {}) };
  }
  return undefined;
}

// --- entry point --------------------------------------------------------------------------------

/**
 * Parses one log line (a CloudWatch event's message). Returns undefined for lines that say nothing about
 * invocations (START, END, INIT_START, XRAY continuation lines, application output).
 * @example parsePlatformLine("REPORT RequestId: 1f2e\tDuration: 2.05 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 76 MB")?.type // "report"
 */
export function parsePlatformLine(line: string): PlatformRecord | undefined {
  let i = 0;
  const n = line.length;
  while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  const c = line.charCodeAt(i);
  if (c === 82 /* R */) {
    if (line.startsWith("REPORT RequestId: ", i)) return parseTextReport(line, i);
    if (line.startsWith("RESTORE_REPORT ", i)) return parseRestoreReport(line, i);
    return undefined;
  }
  if (c === 73 /* I */) return line.startsWith("INIT_REPORT ", i) ? parseInitReport(line, i) : undefined;
  if (c === 123 /* { */) {
    const typeAt = line.indexOf('"type":"platform.', i);
    if (typeAt < 0) return line.indexOf('"platform.', i) >= 0 ? slowJson(line) : undefined;
    if (line.startsWith('"type":"platform.report"', typeAt)) {
      const fast = fastJsonReport(line, typeAt);
      if (fast) return fast;
      return slowJson(line);
    }
    if (line.startsWith('"type":"platform.initReport"', typeAt) || line.startsWith('"type":"platform.restoreReport"', typeAt)) return slowJson(line);
    return undefined;
  }
  // Old-style notices come after a timestamp and the request id.
  const to = line.indexOf("Task timed out after", i);
  if (to > 0) return parseTimeoutNotice(line, to);
  const inv = line.indexOf("\tERROR\tInvoke Error", i);
  if (inv > 0) return parseErrorNotice(line, inv);
  return undefined;
}
