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

/**
 * Whether `lit` occurs in `s` at `p`. A charCodeAt loop: String.prototype.startsWith with a position goes through
 * the runtime in Node 20 (≈ 200 ns a call), which alone would cost more than the rest of a line's parse.
 */
function has(s: string, lit: string, p: number): boolean {
  const n = lit.length;
  if (p < 0 || p + n > s.length) return false;
  for (let i = 0; i < n; i++) if (s.charCodeAt(p + i) !== lit.charCodeAt(i)) return false;
  return true;
}

// --- a number reader: digits [. digits], no exponent (as Lambda writes them) ---------------------

let numEnd = 0;
/** Reads a decimal number at s[i]; sets numEnd; NaN when there is none. */
function readNumber(s: string, i: number): number {
  const n = s.length;
  while (i < n && s.charCodeAt(i) === 32) i++;
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
    if (c === 46) {
      // "494446.6.42": not a number Lambda writes.
      numEnd = i;
      return NaN;
    }
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
    const x = Number(s.slice(start, j));
    return Number.isFinite(x) && x >= 0 ? x : NaN;
  }
  numEnd = i;
  // Durations and sizes are never negative: a "-" (or no digit) is not a number here.
  return digits ? v : NaN;
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

/** Index of the next tab (tab-separated lines) or space at or after i, or n. */
function skipToken(s: string, i: number, tabbed: boolean): number {
  const n = s.length;
  if (tabbed) {
    const t = s.indexOf("\t", i);
    return t < 0 ? n : t;
  }
  while (i < n && s.charCodeAt(i) !== 32) i++;
  return i;
}

/** End of a word: the next tab, space or line end. */
function wordEnd(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 9 || c === 32 || c === 10 || c === 13) break;
    i++;
  }
  return i;
}

/** One forward pass over `REPORT RequestId: <id>⇥Label: value unit⇥…` (tabs as raw events, or spaces as the docs). */
function parseTextReport(s: string, at: number): ReportRecord | undefined {
  const n = s.length;
  let p = at + 18; // "REPORT RequestId: ".length
  // The id ends at the first tab (raw events) or space (as printed); indexOf scans faster than a loop.
  let q = s.indexOf("\t", p);
  const sp = s.indexOf(" ", p);
  if (q < 0 || (sp >= 0 && sp < q)) q = sp;
  if (q < 0) q = n;
  if (q === p) return undefined;
  const requestId = s.slice(p, q);
  const tabbed = s.charCodeAt(q) === 9;
  p = q;
  let durationMs = NaN;
  let billedDurationMs = NaN;
  let memorySizeMb = 0;
  let maxMemoryUsedMb = 0;
  // Fast path: Lambda writes the four fixed fields in this order, one separator apart ("⇥Duration: x ms⇥Billed
  // Duration: y ms⇥Memory Size: m MB⇥Max Memory Used: k MB"); check a few characters of each label, not all.
  if (s.charCodeAt(p + 1) === 68 && s.charCodeAt(p + 9) === 58) {
    durationMs = readNumber(s, p + 11);
    p = numEnd + 3;
    if (s.charCodeAt(p + 1) === 66 && s.charCodeAt(p + 8) === 68 && s.charCodeAt(p + 16) === 58) {
      billedDurationMs = readNumber(s, p + 18);
      p = numEnd + 3;
      if (s.charCodeAt(p + 1) === 77 && s.charCodeAt(p + 2) === 101 && s.charCodeAt(p + 12) === 58) {
        memorySizeMb = readNumber(s, p + 14);
        p = numEnd + 3;
        if (s.charCodeAt(p + 1) === 77 && s.charCodeAt(p + 2) === 97 && s.charCodeAt(p + 16) === 58) {
          maxMemoryUsedMb = readNumber(s, p + 18);
          p = numEnd + 3;
        }
      }
    }
    if (p >= n && durationMs === durationMs && billedDurationMs === billedDurationMs && memorySizeMb === memorySizeMb && maxMemoryUsedMb === maxMemoryUsedMb) {
      // The common warm line ends here.
      return { type: "report", format: "text", requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb, status: "success" };
    }
  }
  let initDurationMs: number | undefined;
  let restoreDurationMs: number | undefined;
  let billedRestoreDurationMs: number | undefined;
  let status: InvocationStatus = "success";
  let errorType: string | undefined;
  while (p < n) {
    let c = s.charCodeAt(p);
    while (c === 9 || c === 32) c = s.charCodeAt(++p);
    if (p >= n) break;
    switch (c) {
      case 68: // D
        if (has(s, "Duration: ", p)) {
          durationMs = readNumber(s, p + 10);
          p = numEnd + 3; // " ms"
          continue;
        }
        break;
      case 66: // B
        if (has(s, "Billed Duration: ", p)) {
          billedDurationMs = readNumber(s, p + 17);
          p = numEnd + 3;
          continue;
        }
        if (has(s, "Billed Restore Duration: ", p)) {
          billedRestoreDurationMs = readNumber(s, p + 25);
          p = numEnd + 3;
          continue;
        }
        break;
      case 77: // M
        if (has(s, "Memory Size: ", p)) {
          memorySizeMb = readNumber(s, p + 13);
          p = numEnd + 3;
          continue;
        }
        if (has(s, "Max Memory Used: ", p)) {
          maxMemoryUsedMb = readNumber(s, p + 17);
          p = numEnd + 3;
          continue;
        }
        break;
      case 73: // I
        if (has(s, "Init Duration: ", p)) {
          initDurationMs = readNumber(s, p + 15);
          p = numEnd + 3;
          continue;
        }
        break;
      case 82: // R
        if (has(s, "Restore Duration: ", p)) {
          restoreDurationMs = readNumber(s, p + 18);
          p = numEnd + 3;
          continue;
        }
        break;
      case 83: // S
        if (has(s, "Status: ", p)) {
          const e = wordEnd(s, p + 8);
          const v = s.slice(p + 8, e);
          if (v === "timeout" || v === "error" || v === "failure") status = v;
          p = e;
          continue;
        }
        break;
      case 69: // E
        if (has(s, "Error Type: ", p)) {
          const e = wordEnd(s, p + 12);
          if (e > p + 12) errorType = s.slice(p + 12, e);
          p = e;
          continue;
        }
        break;
      case 88: // X: "XRAY TraceId: … SegmentId: … Sampled: …" closes the line
        if (has(s, "XRAY ", p)) {
          p = n;
          continue;
        }
        break; // any other token starting with X is skipped like the rest (a bare `continue` never advanced)
    }
    p = skipToken(s, p + 1, tabbed);
  }
  // A field that is there but unreadable ("Init Duration: x ms") makes the line unreliable: refuse it.
  if (
    durationMs !== durationMs ||
    billedDurationMs !== billedDurationMs ||
    memorySizeMb !== memorySizeMb ||
    maxMemoryUsedMb !== maxMemoryUsedMb ||
    initDurationMs !== initDurationMs ||
    restoreDurationMs !== restoreDurationMs ||
    billedRestoreDurationMs !== billedRestoreDurationMs
  )
    return undefined;
  const rec: ReportRecord = { type: "report", format: "text", requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb, status };
  if (initDurationMs !== undefined) rec.initDurationMs = initDurationMs;
  if (restoreDurationMs !== undefined) rec.restoreDurationMs = restoreDurationMs;
  if (billedRestoreDurationMs !== undefined) rec.billedRestoreDurationMs = billedRestoreDurationMs;
  if (errorType !== undefined) rec.errorType = errorType;
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

/** Skips one JSON value at i (string, number, literal, or a nested object/array); -1 on an escape or bad input. */
function skipJsonValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) {
    const e = s.indexOf('"', i + 1);
    if (e < 0 || s.lastIndexOf("\\", e) > i) return -1;
    return e + 1;
  }
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s.charCodeAt(j);
      if (d === 34) {
        const e = s.indexOf('"', j + 1);
        if (e < 0) return -1;
        if (s.charCodeAt(e - 1) === 92) return -1;
        j = e;
      } else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < s.length) {
    const d = s.charCodeAt(j);
    if (d === 44 || d === 125 || d === 93) break;
    j++;
  }
  return j;
}

/** A quoted string without escapes at i ('"' expected); sets numEnd past the closing quote. */
function jsonStr(s: string, i: number): string | undefined {
  if (s.charCodeAt(i) !== 34) return undefined;
  const e = s.indexOf('"', i + 1);
  if (e < 0) return undefined;
  const v = s.slice(i + 1, e);
  if (v.indexOf("\\") >= 0) return undefined;
  numEnd = e + 1;
  return v;
}

/**
 * `platform.report` written compactly, as Lambda does (`{"time":"…","type":"platform.report","record":{…}}`): one
 * forward pass over the record's keys. Returns null when the line is in another shape (whitespace, escapes, other
 * key order), so the caller takes the JSON.parse path.
 */
function fastJsonReport(s: string, te: number): ReportRecord | null {
  // The caller matched `{"time":"…"` (te: the closing quote) and `,"type":"platform.report"` after it.
  const time = s.slice(9, te);
  let p = te + 26;
  if (!has(s, ',"record":{', p)) return null;
  p += 11;
  let requestId: string | undefined;
  let durationMs = NaN;
  let billedDurationMs = NaN;
  let memorySizeMb = 0;
  let maxMemoryUsedMb = 0;
  let initDurationMs: number | undefined;
  let restoreDurationMs: number | undefined;
  let status: InvocationStatus = "success";
  let errorType: string | undefined;
  const n = s.length;
  while (p < n) {
    if (s.charCodeAt(p) === 125) break; // }
    if (has(s, '"requestId":', p)) {
      requestId = jsonStr(s, p + 12);
      if (requestId === undefined) return null;
      p = numEnd;
    } else if (has(s, '"metrics":{', p)) {
      p += 11;
      while (p < n && s.charCodeAt(p) !== 125) {
        if (s.charCodeAt(p) !== 34) return null;
        // Single-character indexOf: V8's fast path (a two-character pattern sets up a string searcher per call).
        const ke = s.indexOf('"', p + 1);
        if (ke < 0 || s.charCodeAt(ke + 1) !== 58) return null;
        const v = readNumber(s, ke + 2);
        if (v !== v) return null;
        switch (ke - p - 1) {
          case 10: // durationMs
            if (s.charCodeAt(p + 1) === 100 && s.charCodeAt(ke - 1) === 115 && s.charCodeAt(p + 6) === 105) durationMs = v;
            break;
          case 16: // billedDurationMs
            if (s.charCodeAt(p + 1) === 98 && s.charCodeAt(ke - 1) === 115 && s.charCodeAt(p + 9) === 114) billedDurationMs = v;
            break;
          case 12: // memorySizeMB
            if (s.charCodeAt(p + 1) === 109 && s.charCodeAt(ke - 1) === 66 && s.charCodeAt(p + 7) === 83) memorySizeMb = v;
            break;
          case 15: // maxMemoryUsedMB
            if (s.charCodeAt(p + 1) === 109 && s.charCodeAt(ke - 1) === 66 && s.charCodeAt(p + 8) === 114) maxMemoryUsedMb = v;
            break;
          case 14: // initDurationMs
            if (s.charCodeAt(p + 1) === 105 && s.charCodeAt(ke - 1) === 115 && s.charCodeAt(p + 8) === 97) initDurationMs = v;
            break;
          case 17: // restoreDurationMs
            if (s.charCodeAt(p + 1) === 114 && s.charCodeAt(ke - 1) === 115 && s.charCodeAt(p + 9) === 117) restoreDurationMs = v;
            break;
        }
        p = numEnd;
        if (s.charCodeAt(p) === 44) p++;
      }
      p++; // }
    } else if (has(s, '"status":"', p)) {
      const e = s.indexOf('"', p + 10);
      if (e < 0) return null;
      const len = e - p - 10;
      const c0 = s.charCodeAt(p + 10);
      if (c0 === 116 && len === 7) status = "timeout";
      else if (c0 === 101 && len === 5) status = "error";
      else if (c0 === 102 && len === 7) status = "failure";
      p = e + 1;
    } else if (has(s, '"errorType":', p)) {
      errorType = jsonStr(s, p + 12);
      if (errorType === undefined) return null;
      p = numEnd;
    } else {
      // Another key (tracing, spans, …): skip its value.
      if (s.charCodeAt(p) !== 34) return null;
      const ke = s.indexOf('"', p + 1);
      if (ke < 0 || s.charCodeAt(ke + 1) !== 58) return null;
      p = skipJsonValue(s, ke + 2);
      if (p < 0) return null;
    }
    if (s.charCodeAt(p) === 44) p++;
  }
  if (requestId === undefined || durationMs !== durationMs || billedDurationMs !== billedDurationMs) return null;
  const rec: ReportRecord = { type: "report", format: "json", requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb, status };
  if (time) rec.time = time;
  if (initDurationMs !== undefined) rec.initDurationMs = initDurationMs;
  if (restoreDurationMs !== undefined) rec.restoreDurationMs = restoreDurationMs;
  if (errorType !== undefined) rec.errorType = errorType;
  return rec;
}

/** A duration or size: a finite number ≥ 0 (undefined when absent; null when present but not one). */
function metric(v: unknown): number | undefined | null {
  if (v === undefined) return undefined;
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function slowJson(s: string): PlatformRecord | undefined {
  let o: { time?: unknown; type?: unknown; record?: unknown };
  try {
    o = JSON.parse(s);
  } catch {
    return undefined;
  }
  if (!o || typeof o !== "object" || !o.record || typeof o.record !== "object" || typeof o.type !== "string") return undefined;
  const r = o.record as Record<string, unknown>;
  const m = (r.metrics && typeof r.metrics === "object" ? r.metrics : {}) as Record<string, unknown>;
  const time = str(o.time);
  if (o.type === "platform.report") {
    const d = metric(m.durationMs);
    const b = metric(m.billedDurationMs);
    const mem = metric(m.memorySizeMB);
    const max = metric(m.maxMemoryUsedMB);
    const init = metric(m.initDurationMs);
    const restore = metric(m.restoreDurationMs);
    // Anything present but not a finite, non-negative number: not a report we can trust.
    if (d == null || b === null || mem === null || max === null || init === null || restore === null) return undefined;
    const status = r.status === "timeout" || r.status === "error" || r.status === "failure" ? r.status : "success";
    const rec: ReportRecord = {
      type: "report",
      format: "json",
      requestId: typeof r.requestId === "string" ? r.requestId : String(r.requestId ?? ""),
      durationMs: d,
      billedDurationMs: b ?? Math.ceil(d),
      memorySizeMb: mem ?? 0,
      maxMemoryUsedMb: max ?? 0,
      status,
    };
    if (time) rec.time = time;
    if (init !== undefined) rec.initDurationMs = init;
    if (restore !== undefined) rec.restoreDurationMs = restore;
    if (typeof r.errorType === "string") rec.errorType = r.errorType;
    return rec;
  }
  const d = metric(m.durationMs);
  if (d == null) return undefined;
  if (o.type === "platform.initReport") {
    return { type: "init-report", initDurationMs: d, phase: str(r.phase), status: str(r.status), ...(typeof r.errorType === "string" ? { errorType: r.errorType } : {}), ...(time ? { time } : {}) };
  }
  if (o.type === "platform.restoreReport") {
    return { type: "restore-report", restoreDurationMs: d, status: str(r.status), ...(time ? { time } : {}) };
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
    // "REPORT RequestId: " — check a few characters, then the whole prefix only when they match.
    if (line.charCodeAt(i + 2) === 80 && line.charCodeAt(i + 7) === 82 && has(line, "REPORT RequestId: ", i)) return parseTextReport(line, i);
    if (has(line, "RESTORE_REPORT ", i)) return parseRestoreReport(line, i);
    return undefined;
  }
  if (c === 73 /* I */) return has(line, "INIT_REPORT ", i) ? parseInitReport(line, i) : undefined;
  if (c === 123 /* { */) {
    // Lambda's own compact lines: the type sits right after the time.
    if (i === 0 && has(line, '{"time":"', 0)) {
      const te = line.indexOf('"', 9);
      if (te > 0 && has(line, ',"type":"platform.report"', te + 1)) return fastJsonReport(line, te) ?? slowJson(line);
    }
    const typeAt = line.indexOf('"type":"platform.', i);
    if (typeAt < 0) return line.indexOf('"platform.', i) >= 0 ? slowJson(line) : undefined;
    if (has(line, '"type":"platform.report"', typeAt)) return slowJson(line);
    if (has(line, '"type":"platform.initReport"', typeAt) || has(line, '"type":"platform.restoreReport"', typeAt)) return slowJson(line);
    return undefined;
  }
  if ((c === 83 && has(line, "START RequestId: ", i)) || (c === 69 && has(line, "END RequestId: ", i))) return undefined;
  // Old-style notices come after a timestamp and the request id.
  const to = line.indexOf("Task timed out after", i);
  if (to > 0) return parseTimeoutNotice(line, to);
  const inv = line.indexOf("\tERROR\tInvoke Error", i);
  if (inv > 0) return parseErrorNotice(line, inv);
  return undefined;
}
