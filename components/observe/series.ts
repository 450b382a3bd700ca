/**
 * Time series for the charts, shaped as recharts wants them (one flat object per point, `t` in
 * epoch ms on a numeric time axis). Pure.
 */
import type { FunctionDetail, TriggerDetail } from "@/server/observe/types";

export interface FunctionPoint {
  t: number;
  invocations: number;
  errors: number;
  timeouts: number;
  coldStarts: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  initP95: number | null;
  memory: number | null;
}

/** The function's buckets, oldest first. */
export function functionPoints(d: FunctionDetail): FunctionPoint[] {
  return d.series
    .map((b) => ({
      t: Date.parse(b.t),
      invocations: b.invocations,
      errors: b.errors,
      timeouts: b.timeouts,
      coldStarts: b.coldStarts,
      p50: b.p50Ms,
      p95: b.p95Ms,
      p99: b.p99Ms,
      initP95: b.initP95Ms,
      memory: b.maxMemoryUsedMb,
    }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
}

/**
 * Lag points with one key per shard/partition (`p:<id>`), and the ids in a stable order
 * (numeric ids numerically: partition 2 before partition 10).
 * @example lagPoints(detail).keys // ["0", "1", "2"]
 */
export function lagPoints(d: TriggerDetail): { points: Record<string, number | null>[]; keys: string[] } {
  const ids = new Set<string>();
  for (const p of d.series) for (const id of Object.keys(p.partitions ?? {})) ids.add(id);
  const keys = [...ids].sort((a, b) => {
    const na = Number(a);
    const nb = Number(b);
    return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a.localeCompare(b);
  });
  const points = d.series
    .map((p) => {
      const row: Record<string, number | null> = { t: Date.parse(p.t), lag: p.lag };
      for (const k of keys) row[`p:${k}`] = p.partitions?.[k] ?? null;
      return row;
    })
    .filter((r) => Number.isFinite(r.t))
    .sort((a, b) => (a.t as number) - (b.t as number));
  return { points, keys };
}

/**
 * A tick label for a time axis: "14:05" for spans up to a day, "23 Nov 14:00" beyond.
 * @example timeTick(Date.parse("2026-11-23T14:05:09Z"), 300_000, "UTC") // "14:05"
 */
export function timeTick(t: number, spanMs: number, timeZone?: string): string {
  const d = new Date(t);
  if (spanMs <= 10 * 60_000) return d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone });
  if (spanMs <= 26 * 3_600_000) return d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone });
  return d.toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone });
}

/** The latest non-null value of a series (the figure printed beside a chart's title). */
export function lastValue<T>(points: T[], pick: (p: T) => number | null): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = pick(points[i]);
    if (v !== null) return v;
  }
  return null;
}

/**
 * `n` tick positions spread evenly over a time domain, so the axis is labelled across the whole
 * window even where it holds no data yet.
 * @example evenTicks([0, 400], 5) // [0, 100, 200, 300, 400]
 */
export function evenTicks([from, to]: [number, number], n: number): number[] {
  if (!(to > from) || n < 2) return [from];
  return Array.from({ length: n }, (_, i) => Math.round(from + ((to - from) * i) / (n - 1)));
}
