import assert from "node:assert/strict";
import { test } from "node:test";
import type { FunctionDetail, TriggerDetail } from "../../../server/observe/types";
import { pollSeconds, unwrap, windowParams, observeKeys } from "../queries";
import { evenTicks, functionPoints, lagPoints, lastValue, timeTick } from "../series";

test("function buckets become chart points, oldest first", () => {
  const bucket = (t: string, invocations: number, p95: number | null) => ({ t, invocations, errors: 1, timeouts: 0, coldStarts: 0, p50Ms: null, p95Ms: p95, p99Ms: null, initP95Ms: null, billedMs: 0, maxMemoryUsedMb: 70 });
  const d = { series: [bucket("2026-11-23T10:00:10.000Z", 5, 12), bucket("2026-11-23T10:00:00.000Z", 3, null)] } as unknown as FunctionDetail;
  const points = functionPoints(d);
  assert.deepEqual(points.map((p) => [p.t, p.invocations, p.p95, p.memory]), [
    [Date.parse("2026-11-23T10:00:00.000Z"), 3, null, 70],
    [Date.parse("2026-11-23T10:00:10.000Z"), 5, 12, 70],
  ]);
  assert.equal(lastValue(points, (p) => p.p95), 12);
  assert.equal(lastValue([{ v: 1 }, { v: null }], (p) => p.v), 1);
  assert.equal(lastValue([], () => 1), null);
});

test("lag points carry one key per partition, numeric ids in numeric order", () => {
  const d = {
    series: [
      { t: "2026-11-23T10:00:10.000Z", lag: 30, partitions: { "10": 10, "2": 20 } },
      { t: "2026-11-23T10:00:00.000Z", lag: 5, partitions: { "2": 5 } },
    ],
  } as unknown as TriggerDetail;
  const { points, keys } = lagPoints(d);
  assert.deepEqual(keys, ["2", "10"]);
  assert.deepEqual(points, [
    { t: Date.parse("2026-11-23T10:00:00.000Z"), lag: 5, "p:2": 5, "p:10": null },
    { t: Date.parse("2026-11-23T10:00:10.000Z"), lag: 30, "p:2": 20, "p:10": 10 },
  ]);
});

test("time ticks follow the span of the window", () => {
  const t = Date.parse("2026-11-23T14:05:09Z");
  assert.equal(timeTick(t, 5 * 60_000, "UTC"), "14:05:09");
  assert.equal(timeTick(t, 3_600_000, "UTC"), "14:05");
  assert.equal(timeTick(t, 3 * 86_400_000, "UTC"), "23 Nov, 14:05");
});

test("polling follows the window and stops for a range in the past", () => {
  const now = Date.parse("2026-11-23T12:00:00Z");
  assert.equal(pollSeconds({ kind: "5m" }), 2);
  assert.equal(pollSeconds({ kind: "1h" }), 10);
  assert.equal(pollSeconds({ kind: "24h" }), 60);
  assert.equal(pollSeconds({ kind: "custom", from: "2026-11-23T10:00:00Z", to: "2026-11-23T11:00:00Z" }, now), null);
  assert.equal(pollSeconds({ kind: "custom", from: "2026-11-23T11:00:00Z", to: "2026-11-23T12:00:00Z" }, now), 10);
});

test("window query strings and keys", () => {
  assert.equal(windowParams({ kind: "1h" }), "window=1h");
  assert.equal(windowParams({ kind: "custom", from: "2026-11-23T10:00:00.000Z", to: "2026-11-23T11:00:00.000Z" }), "window=custom&from=2026-11-23T10%3A00%3A00.000Z&to=2026-11-23T11%3A00%3A00.000Z");
  assert.deepEqual(observeKeys.snapshot("env-1", { kind: "5m" }), ["observe", "env-1", "snapshot", { window: "5m" }]);
  assert.deepEqual(observeKeys.fn("env-1", "fn-a", { kind: "custom", from: "a", to: "b" }), ["observe", "env-1", "functions", "fn-a", { window: "custom", from: "a", to: "b" }]);
  assert.deepEqual(unwrap({ snapshot: { a: 1 } }, "snapshot"), { a: 1 });
  assert.deepEqual(unwrap({ a: 1 }, "snapshot"), { a: 1 });
});

test("axis ticks span the whole window", () => {
  assert.deepEqual(evenTicks([0, 400], 5), [0, 100, 200, 300, 400]);
  assert.deepEqual(evenTicks([1_000, 1_000], 5), [1_000]);
});
