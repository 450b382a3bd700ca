import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePlatformLine } from "../report-parse";
import { RecordExtractor, aggregateFunction, percentile, windowRange, bucketSecondsFor } from "../aggregate";
import { formatReportJson, formatReportText, parseReportLine } from "../../sandbox/report";

// Every line shape of reference/aws-observability-facts.md §1 (spaces as the docs print them, tabs as raw events).
test("text REPORT, cold start with XRAY fields (Node)", () => {
  const r = parsePlatformLine(
    "REPORT RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac\tDuration: 128.83 ms\tBilled Duration: 200 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\tXRAY TraceId: 1-5d9d007f-0a8c7fd02xmpl480aed55ef0\tSegmentId: 3d752xmpl1bbe37e\tSampled: true",
  );
  assert.deepEqual(r, {
    type: "report",
    format: "text",
    requestId: "c793869b-ee49-115b-a5b6-4fd21e8dedac",
    durationMs: 128.83,
    billedDurationMs: 200,
    memorySizeMb: 128,
    maxMemoryUsedMb: 74,
    initDurationMs: 166.62,
    status: "success",
  });
});

test("text REPORT, warm, space-separated", () => {
  const r = parsePlatformLine("REPORT RequestId: f949935c-0f0e-4718-9976-9df42585adb5 Duration: 2.05 ms Billed Duration: 3 ms Memory Size: 1152 MB Max Memory Used: 76 MB");
  assert.deepEqual(r, { type: "report", format: "text", requestId: "f949935c-0f0e-4718-9976-9df42585adb5", durationMs: 2.05, billedDurationMs: 3, memorySizeMb: 1152, maxMemoryUsedMb: 76, status: "success" });
});

test("text REPORT, new-style timeout and error with Error Type", () => {
  const t = parsePlatformLine("REPORT RequestId: 527cb862-4f5e-49a9-9ae4-a7edc90f0fda Duration: 3016.78 ms Billed Duration: 3101 ms Memory Size: 128 MB Max Memory Used: 31 MB Init Duration: 84.00 ms Status: timeout");
  assert.equal(t?.type, "report");
  assert.equal(t?.type === "report" && t.status, "timeout");
  assert.equal(t?.type === "report" && t.initDurationMs, 84);
  assert.equal(t?.type === "report" && t.durationMs, 3016.78);
  const e = parsePlatformLine("REPORT RequestId: 5b866fb1-7154-4af6-8078-6ef6ca4c2ddd Duration: 133.61 ms Billed Duration: 214 ms Memory Size: 128 MB Max Memory Used: 31 MB Init Duration: 80.00 ms Status: error Error Type: Runtime.ExitError");
  assert.ok(e?.type === "report");
  assert.equal(e.status, "error");
  assert.equal(e.errorType, "Runtime.ExitError");
  const oom = parsePlatformLine("REPORT RequestId: 5b866fb1-aaaa-4af6-8078-6ef6ca4c2ddd\tDuration: 900.00 ms\tBilled Duration: 900 ms\tMemory Size: 1024 MB\tMax Memory Used: 1024 MB\tStatus: error\tError Type: Runtime.OutOfMemory");
  assert.ok(oom?.type === "report");
  assert.deepEqual([oom.status, oom.errorType, oom.maxMemoryUsedMb, oom.initDurationMs], ["error", "Runtime.OutOfMemory", 1024, undefined]);
});

test("INIT_REPORT and RESTORE_REPORT", () => {
  assert.deepEqual(parsePlatformLine("INIT_REPORT Init Duration: 1236.04 ms Phase: init Status: timeout"), { type: "init-report", initDurationMs: 1236.04, phase: "init", status: "timeout" });
  assert.deepEqual(parsePlatformLine("INIT_REPORT Init Duration: 1236.04 ms Phase: init Status: error Error Type: Extension.Crash"), {
    type: "init-report",
    initDurationMs: 1236.04,
    phase: "init",
    status: "error",
    errorType: "Extension.Crash",
  });
  assert.deepEqual(parsePlatformLine("RESTORE_REPORT Restore Duration: 1236.04 ms Status: timeout"), { type: "restore-report", restoreDurationMs: 1236.04, status: "timeout" });
});

test("SnapStart REPORT: Restore Duration, not Billed Restore Duration", () => {
  const r = parsePlatformLine("REPORT RequestId: 0b2a3c4d-1111-2222-3333-444455556666\tDuration: 20.10 ms\tBilled Duration: 21 ms\tMemory Size: 512 MB\tMax Memory Used: 155 MB\tRestore Duration: 511.25 ms\tBilled Restore Duration: 303 ms");
  assert.ok(r?.type === "report");
  assert.equal(r.restoreDurationMs, 511.25);
  assert.equal(r.billedRestoreDurationMs, 303);
  assert.equal(r.initDurationMs, undefined);
});

test("old-style timeout notice marks the following REPORT", () => {
  const x = new RecordExtractor();
  x.add({ timestamp: 1000, message: "2024-03-04T17:22:38.033Z b70435cc-261c-4438-b9b6-efe4c8f04b21 Task timed out after 3.00 seconds" });
  x.add({ timestamp: 1001, message: "REPORT RequestId: b70435cc-261c-4438-b9b6-efe4c8f04b21 Duration: 3004.92 ms Billed Duration: 3117 ms Memory Size: 128 MB Max Memory Used: 33 MB Init Duration: 111.23 ms" });
  assert.equal(x.invocations.length, 1);
  assert.equal(x.invocations[0].s, "timeout");
  assert.equal(x.invocations[0].init, 111.23);
});

test("Node Invoke Error line marks the REPORT as an error", () => {
  const x = new RecordExtractor();
  x.add({ timestamp: 5, message: '2024-06-17T17:23:55.902Z\t3f1c0e8a-aaaa-bbbb-cccc-000000000001\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"x is undefined"}' });
  x.add({ timestamp: 6, message: "REPORT RequestId: 3f1c0e8a-aaaa-bbbb-cccc-000000000001\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB" });
  assert.deepEqual([x.invocations[0].s, x.invocations[0].et], ["error", "TypeError"]);
});

test("JSON platform.report: cold start, timeout, error; initReport", () => {
  const cold = parsePlatformLine('{"time":"2026-10-08T07:30:29.470Z","type":"platform.report","record":{"requestId":"79b5e81f-9cdd-4145-b1f6-7c50ef8a2a36","metrics":{"durationMs":1233.96,"billedDurationMs":1698,"memorySizeMB":256,"maxMemoryUsedMB":123,"initDurationMs":463.512},"status":"success"}}');
  assert.deepEqual(cold, {
    type: "report",
    format: "json",
    requestId: "79b5e81f-9cdd-4145-b1f6-7c50ef8a2a36",
    durationMs: 1233.96,
    billedDurationMs: 1698,
    memorySizeMb: 256,
    maxMemoryUsedMb: 123,
    initDurationMs: 463.512,
    status: "success",
    time: "2026-10-08T07:30:29.470Z",
  });
  const to = parsePlatformLine('{"time":"2026-07-09T06:05:50.581Z","type":"platform.report","record":{"requestId":"aec7a529-47f9-4090-be01-c9ed91bf83cf","metrics":{"durationMs":5000.0,"billedDurationMs":5000,"memorySizeMB":128,"maxMemoryUsedMB":94},"status":"timeout"}}');
  assert.ok(to?.type === "report");
  assert.deepEqual([to.status, to.durationMs, to.initDurationMs], ["timeout", 5000, undefined]);
  const err = parsePlatformLine('{"time":"2026-07-09T06:05:50.581Z","type":"platform.report","record":{"requestId":"r1","metrics":{"durationMs":12.5,"billedDurationMs":13,"memorySizeMB":128,"maxMemoryUsedMB":60},"status":"failure","errorType":"Runtime.Unhandled"}}');
  assert.ok(err?.type === "report");
  assert.deepEqual([err.status, err.errorType], ["failure", "Runtime.Unhandled"]);
  // Pretty-printed JSON takes the general path and agrees.
  const pretty = parsePlatformLine('{ "time": "2026-07-09T06:05:50.581Z", "type": "platform.report", "record": { "requestId": "r2", "metrics": { "durationMs": 1.5, "billedDurationMs": 2, "memorySizeMB": 128, "maxMemoryUsedMB": 60, "restoreDurationMs": 400 }, "status": "success" } }');
  assert.ok(pretty?.type === "report");
  assert.deepEqual([pretty.requestId, pretty.durationMs, pretty.restoreDurationMs], ["r2", 1.5, 400]);
  const init = parsePlatformLine('{"time":"2026-10-08T07:30:27.768Z","type":"platform.initReport","record":{"initializationType":"provisioned-concurrency","phase":"init","status":"success","metrics":{"durationMs":812.5}}}');
  assert.deepEqual(init, { type: "init-report", initDurationMs: 812.5, phase: "init", status: "success", time: "2026-10-08T07:30:27.768Z" });
});

test("lines that say nothing about invocations", () => {
  for (const l of [
    "START RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac Version: $LATEST",
    "END RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac",
    "INIT_START Runtime Version: nodejs:20.v75\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc",
    "XRAY TraceId: 1-5d9d007f-0a8c7fd02xmpl480aed55ef0 SegmentId: 3d752xmpl1bbe37e Sampled: true",
    '{"time":"2024-06-17T17:23:55.902Z","type":"platform.start","record":{"requestId":"ca52c236","version":"$LATEST"}}',
    '{"level":"INFO","message":"hello"}',
    "REPORT RequestId: broken",
    "",
  ]) {
    assert.equal(parsePlatformLine(l), undefined, l);
  }
});

test("agrees with the sandbox's writer and parser on random reports", () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
  for (let i = 0; i < 500; i++) {
    const fields = {
      requestId: `0000${i}-aaaa-bbbb-cccc-dddddddddddd`,
      durationMs: Math.round(rnd() * 500000) / 100,
      memorySizeMb: 128,
      maxMemoryUsedMb: Math.floor(rnd() * 128),
      ...(rnd() < 0.3 ? { initDurationMs: Math.round(rnd() * 100000) / 100 } : {}),
      ...(rnd() < 0.2 ? { status: "error" as const, errorType: "Function.Unhandled" } : rnd() < 0.1 ? { status: "timeout" as const } : {}),
    };
    for (const line of [formatReportText(fields), formatReportJson(fields, new Date(1_700_000_000_000 + i))]) {
      const ref = parseReportLine(line)!;
      const got = parsePlatformLine(line);
      assert.ok(got?.type === "report", line);
      assert.deepEqual(
        [got.requestId, got.durationMs, got.billedDurationMs, got.memorySizeMb, got.maxMemoryUsedMb, got.initDurationMs, got.status, got.errorType],
        [ref.requestId, ref.durationMs, ref.billedDurationMs, ref.memorySizeMb, ref.maxMemoryUsedMb, ref.initDurationMs, ref.status, ref.errorType],
        line,
      );
    }
  }
});

test("aggregation: counts, percentiles, cold starts, buckets and latest", () => {
  const base = Date.parse("2026-01-01T00:00:00Z");
  const x = new RecordExtractor();
  for (let i = 0; i < 100; i++) {
    const cold = i % 25 === 0;
    const status = i === 50 ? "\tStatus: timeout" : i === 51 ? "\tStatus: error\tError Type: Boom" : "";
    x.add({
      timestamp: base + i * 1000,
      message: `REPORT RequestId: req-${String(i).padStart(8, "0")}\tDuration: ${i + 1}.00 ms\tBilled Duration: ${i + 1} ms\tMemory Size: 256 MB\tMax Memory Used: ${50 + (i % 7)} MB${cold ? `\tInit Duration: ${100 + i}.00 ms` : ""}${status}`,
    });
  }
  x.add({ timestamp: base + 10_000, message: "INIT_REPORT Init Duration: 900.00 ms Phase: init Status: error Error Type: Extension.Crash" });
  const range = windowRange("custom", 0, base, base + 100_000);
  const { stats, series, latest, bucketSeconds } = aggregateFunction(x.invocations, x.inits, range, { throttles: 2 });
  assert.equal(bucketSeconds, bucketSecondsFor(100_000));
  assert.deepEqual(
    { ...stats },
    {
      invocations: 100,
      errors: 2,
      timeouts: 1,
      throttles: 2,
      coldStarts: 4,
      perMin: 60,
      errorRate: 0.02,
      p50Ms: 50,
      p95Ms: 95,
      p99Ms: 99,
      initP50Ms: 150,
      initP95Ms: 900,
      restoreP95Ms: null,
      billedMs: 5050,
      maxMemoryUsedMb: 56,
      memorySizeMb: 256,
    },
  );
  assert.equal(series.reduce((s, b) => s + b.invocations, 0), 100);
  assert.equal(series.reduce((s, b) => s + b.coldStarts, 0), 4);
  assert.equal(latest.length, 20);
  assert.equal(latest[0].requestId, "req-00000099");
  assert.equal(percentile([], 50), null);
  assert.equal(percentile([1, 2, 3, 4], 50), 2);
});

test("numbers are finite and non-negative, or the line is refused", () => {
  for (const l of [
    "REPORT RequestId: r1\tDuration: -5.00 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB",
    "REPORT RequestId: r1\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: x MB\tMax Memory Used: 60 MB",
    "REPORT RequestId: r1\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tInit Duration: ? ms",
    '{"time":"2026-01-01T00:00:00.000Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":-1,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":60},"status":"success"}}',
    '{"time":"2026-01-01T00:00:00.000Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":"1","billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":60},"status":"success"}}',
    '{"time":"2026-01-01T00:00:00.000Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":60,"initDurationMs":1e400},"status":"success"}}',
    '{"time":"2026-01-01T00:00:00.000Z","type":"platform.initReport","record":{"metrics":{"durationMs":null}}}',
  ]) {
    assert.equal(parsePlatformLine(l), undefined, l);
  }
});
