import { test } from "node:test";
import assert from "node:assert/strict";
import { billedDuration, formatEndText, formatReportJson, formatReportText, formatStartJson, formatStartText, parseReportLine, round2 } from "../report";

test("text REPORT: write → parse gives the same numbers (warm, cold, timeout, error)", () => {
  const cases = [
    { requestId: "a1", durationMs: 2.05, memorySizeMb: 1152, maxMemoryUsedMb: 76 },
    { requestId: "b2", durationMs: 128.83, memorySizeMb: 128, maxMemoryUsedMb: 74, initDurationMs: 166.62 },
    { requestId: "c3", durationMs: 3016.78, memorySizeMb: 128, maxMemoryUsedMb: 31, initDurationMs: 84, status: "timeout" as const },
    { requestId: "d4", durationMs: 133.61, memorySizeMb: 128, maxMemoryUsedMb: 31, initDurationMs: 80, status: "error" as const, errorType: "Runtime.ExitError" },
  ];
  for (const c of cases) {
    const line = formatReportText(c);
    assert.ok(line.includes("\t"), "fields are tab-separated");
    const p = parseReportLine(line)!;
    assert.equal(p.format, "text");
    assert.equal(p.requestId, c.requestId);
    assert.equal(p.durationMs, c.durationMs);
    assert.equal(p.billedDurationMs, billedDuration(c.durationMs, c.initDurationMs));
    assert.equal(p.memorySizeMb, c.memorySizeMb);
    assert.equal(p.maxMemoryUsedMb, c.maxMemoryUsedMb);
    assert.equal(p.initDurationMs, c.initDurationMs);
    assert.equal(p.status, c.status ?? "success");
    assert.equal(p.errorType, c.errorType);
  }
  assert.equal(formatStartText("x"), "START RequestId: x Version: $LATEST");
  assert.equal(formatEndText("x"), "END RequestId: x");
  assert.equal(parseReportLine(formatStartText("x")), undefined);
  // A field that is not a number (found by the fuzzer) makes the line not a report, rather than a NaN duration.
  assert.equal(parseReportLine("REPORT RequestId: c3\tDuration: 494446.6.42 ms\tBilled Duration: 494447 ms\tMemory Size: 0 MB\tMax Memory Used: 81 MB"), undefined);
});

test("JSON platform.report: write → parse gives the same numbers", () => {
  const t = new Date("2026-10-08T07:30:29.470Z");
  const r = { requestId: "79b5", durationMs: round2(1233.957), memorySizeMb: 256, maxMemoryUsedMb: 123, initDurationMs: 463.51, status: "error" as const, errorType: "Function.Unhandled" };
  const line = formatReportJson(r, t);
  const p = parseReportLine(line)!;
  assert.deepEqual(p, { format: "json", requestId: "79b5", durationMs: 1233.96, billedDurationMs: 1698, memorySizeMb: 256, maxMemoryUsedMb: 123, initDurationMs: 463.51, status: "error", errorType: "Function.Unhandled" });
  assert.equal(JSON.parse(formatStartJson("79b5", t)).type, "platform.start");
  assert.equal(parseReportLine(formatStartJson("79b5", t)), undefined);
});

test("billed duration is ceil(duration + init) to 1 ms, as in every AWS example", () => {
  assert.equal(billedDuration(2.05), 3);
  assert.equal(billedDuration(1233.96, 463.512), 1698);
  assert.equal(billedDuration(3016.78, 84), 3101);
  assert.equal(billedDuration(133.61, 80), 214);
  assert.equal(billedDuration(5000), 5000);
  assert.equal(billedDuration(3), 3);
});

test("parses every REPORT example of the facts file (§1)", () => {
  const ex = [
    ["REPORT RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac\tDuration: 128.83 ms\tBilled Duration: 200 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\tXRAY TraceId: 1-5d9d007f-0a8c7fd02xmpl480aed55ef0\tSegmentId: 3d752xmpl1bbe37e\tSampled: true",
      { requestId: "c793869b-ee49-115b-a5b6-4fd21e8dedac", durationMs: 128.83, billedDurationMs: 200, memorySizeMb: 128, maxMemoryUsedMb: 74, initDurationMs: 166.62, status: "success" }],
    ["REPORT RequestId: f949935c-0f0e-4718-9976-9df42585adb5 Duration: 2.05 ms Billed Duration: 3 ms Memory Size: 1152 MB Max Memory Used: 76 MB",
      { requestId: "f949935c-0f0e-4718-9976-9df42585adb5", durationMs: 2.05, billedDurationMs: 3, memorySizeMb: 1152, maxMemoryUsedMb: 76, status: "success" }],
    ["REPORT RequestId: 527cb862-4f5e-49a9-9ae4-a7edc90f0fda Duration: 3016.78 ms Billed Duration: 3101 ms Memory Size: 128 MB Max Memory Used: 31 MB Init Duration: 84.00 ms Status: timeout",
      { requestId: "527cb862-4f5e-49a9-9ae4-a7edc90f0fda", durationMs: 3016.78, billedDurationMs: 3101, memorySizeMb: 128, maxMemoryUsedMb: 31, initDurationMs: 84, status: "timeout" }],
    ["REPORT RequestId: 5b866fb1-7154-4af6-8078-6ef6ca4c2ddd Duration: 133.61 ms Billed Duration: 214 ms Memory Size: 128 MB Max Memory Used: 31 MB Init Duration: 80.00 ms Status: error Error Type: Runtime.ExitError",
      { requestId: "5b866fb1-7154-4af6-8078-6ef6ca4c2ddd", durationMs: 133.61, billedDurationMs: 214, memorySizeMb: 128, maxMemoryUsedMb: 31, initDurationMs: 80, status: "error", errorType: "Runtime.ExitError" }],
    ["REPORT RequestId: b70435cc-261c-4438-b9b6-efe4c8f04b21 Duration: 3004.92 ms Billed Duration: 3117 ms Memory Size: 128 MB Max Memory Used: 33 MB Init Duration: 111.23 ms",
      { requestId: "b70435cc-261c-4438-b9b6-efe4c8f04b21", durationMs: 3004.92, billedDurationMs: 3117, memorySizeMb: 128, maxMemoryUsedMb: 33, initDurationMs: 111.23, status: "success" }],
    ['{"time":"2026-10-08T07:30:29.470Z","type":"platform.report","record":{"requestId":"79b5e81f-9cdd-4145-b1f6-7c50ef8a2a36","metrics":{"durationMs":1233.96,"billedDurationMs":1698,"memorySizeMB":256,"maxMemoryUsedMB":123,"initDurationMs":463.512},"status":"success"}}',
      { requestId: "79b5e81f-9cdd-4145-b1f6-7c50ef8a2a36", durationMs: 1233.96, billedDurationMs: 1698, memorySizeMb: 256, maxMemoryUsedMb: 123, initDurationMs: 463.512, status: "success" }],
    ['{"time":"2026-07-09T06:05:50.581Z","type":"platform.report","record":{"requestId":"aec7a529-47f9-4090-be01-c9ed91bf83cf","metrics":{"durationMs":5000.0,"billedDurationMs":5000,"memorySizeMB":128,"maxMemoryUsedMB":94},"status":"timeout"}}',
      { requestId: "aec7a529-47f9-4090-be01-c9ed91bf83cf", durationMs: 5000, billedDurationMs: 5000, memorySizeMb: 128, maxMemoryUsedMb: 94, status: "timeout" }],
  ] as const;
  for (const [line, want] of ex) {
    const { format: _f, ...got } = parseReportLine(line)!;
    assert.deepEqual(got, want, line);
  }
  const snap = parseReportLine("REPORT RequestId: x\tDuration: 10.00 ms\tBilled Duration: 313 ms\tMemory Size: 512 MB\tMax Memory Used: 155 MB\tRestore Duration: 511.25 ms\tBilled Restore Duration: 303 ms")!;
  assert.equal(snap.restoreDurationMs, 511.25);
  assert.equal(snap.initDurationMs, undefined);
  const oom = parseReportLine("REPORT RequestId: y\tDuration: 10.00 ms\tBilled Duration: 10 ms\tMemory Size: 1024 MB\tMax Memory Used: 1024 MB\tStatus: error\tError Type: Runtime.OutOfMemory")!;
  assert.equal(oom.errorType, "Runtime.OutOfMemory");
  for (const other of ["INIT_REPORT Init Duration: 1236.04 ms Phase: init Status: timeout", "END RequestId: x", "hello", '{"type":"platform.start","record":{}}'])
    assert.equal(parseReportLine(other), undefined);
});
