/**
 * `report-parse`: Lambda platform lines parsed per second on one core by server/observe/report-parse.ts
 * (`linesPerSec`), and the same bytes through JSON.parse as the reference (`jsonParseLinesPerSec`: JSON lines
 * as they are, text lines as JSON strings of themselves). The mix: 60 % warm text REPORT, 8 % cold (Init Duration),
 * 4 % error/timeout, 3 % SnapStart, 25 % JSON platform.report. 200,000 lines; rates per CPU-second of this process (one core, whatever the machine's load), the
 * parsers' passes interleaved, median of 9 after 2 warm-ups. Lines are flat strings, as JSON.parse of a FilterLogEvents
 * response gives them.
 * Also `jsonOnly*`: the JSON lines alone, ours vs JSON.parse. Goal (issue 7): ≥ 1,000,000 lines/s and ≥ the
 * JSON.parse rate.
 */
import { parsePlatformLine } from "../../observe/report-parse";
import { formatReportJson, formatReportText } from "../../sandbox/report";
import { summarize } from "../measure";

function lines(n: number): string[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
  const hex = () => Math.floor(rnd() * 2 ** 32).toString(16).padStart(8, "0");
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const requestId = `${hex()}-${hex().slice(0, 4)}-4${hex().slice(0, 3)}-a${hex().slice(0, 3)}-${hex()}${hex().slice(0, 4)}`;
    const f = { requestId, durationMs: Math.round(rnd() * 100_000) / 100, memorySizeMb: 512, maxMemoryUsedMb: 40 + Math.floor(rnd() * 200) };
    const x = rnd();
    if (x < 0.6) out.push(formatReportText(f));
    else if (x < 0.68) out.push(formatReportText({ ...f, initDurationMs: Math.round(rnd() * 80_000) / 100 }) + "\tXRAY TraceId: 1-5d9d007f-0a8c7fd02xmpl480aed55ef0\tSegmentId: 3d752xmpl1bbe37e\tSampled: true");
    else if (x < 0.72) out.push(formatReportText({ ...f, status: rnd() < 0.5 ? "timeout" : "error", errorType: "Runtime.ExitError" }));
    else if (x < 0.75) out.push(`${formatReportText(f)}\tRestore Duration: ${(rnd() * 600).toFixed(2)} ms\tBilled Restore Duration: ${Math.ceil(rnd() * 300)} ms`);
    else out.push(formatReportJson(rnd() < 0.1 ? { ...f, initDurationMs: 300.25 } : f, new Date(1_760_000_000_000 + i)));
  }
  return out;
}

/** CPU microseconds of this process (one thread does the work: "per second on one core", whatever the machine's load). */
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/**
 * Lines per CPU-second of several parsers, their passes interleaved (A B A B …) so that each sees the same
 * conditions; median of `passes` after two warm-ups each.
 */
function rates(passes: number, jobs: Record<string, { n: number; fn: () => number }>): Record<string, number> {
  let sink = 0;
  for (const j of Object.values(jobs)) for (let w = 0; w < 2; w++) sink += j.fn();
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(jobs).map((k) => [k, []]));
  for (let i = 0; i < passes; i++) {
    for (const [k, j] of Object.entries(jobs)) {
      const c0 = cpuUs();
      sink += j.fn();
      samples[k].push((cpuUs() - c0) / 1000);
    }
  }
  if (sink === -1) console.log(sink);
  return Object.fromEntries(Object.entries(jobs).map(([k, j]) => [k, Math.round(j.n / (summarize(samples[k]).median / 1000))]));
}

export async function run() {
  const N = 200_000;
  // As the SDK hands them over: strings out of JSON.parse of a FilterLogEvents response (flat, not concatenations).
  const input = JSON.parse(JSON.stringify(lines(N))) as string[];
  const asJson = input.map((l) => (l.startsWith("{") ? l : JSON.stringify(l)));
  const jsonLines = input.filter((l) => l.startsWith("{"));
  const loop = (arr: string[], f: (l: string) => unknown) => () => {
    let k = 0;
    for (let i = 0; i < arr.length; i++) if (f(arr[i])) k++;
    return k;
  };
  const r = rates(9, {
    linesPerSec: { n: N, fn: loop(input, parsePlatformLine) },
    jsonParseLinesPerSec: { n: N, fn: loop(asJson, JSON.parse) },
    jsonOnlyLinesPerSec: { n: jsonLines.length, fn: loop(jsonLines, parsePlatformLine) },
    jsonOnlyJsonParseLinesPerSec: { n: jsonLines.length, fn: loop(jsonLines, JSON.parse) },
  });
  const { linesPerSec, jsonParseLinesPerSec, jsonOnlyLinesPerSec, jsonOnlyJsonParseLinesPerSec } = r;
  const bytes = input.reduce((a, l) => a + l.length, 0);
  return {
    lines: N,
    avgLineBytes: Math.round(bytes / N),
    linesPerSec,
    jsonParseLinesPerSec,
    ratio: Math.round((linesPerSec / jsonParseLinesPerSec) * 100) / 100,
    jsonOnlyLinesPerSec,
    jsonOnlyJsonParseLinesPerSec,
    goalLinesPerSec: 1_000_000,
    meetsGoal: linesPerSec >= 1_000_000 && linesPerSec >= jsonParseLinesPerSec,
  };
}
