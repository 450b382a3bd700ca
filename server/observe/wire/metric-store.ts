/**
 * A small in-memory CloudWatch metric store: what the local sandbox's runtime `put`s (Invocations, Errors,
 * Throttles, ConcurrentExecutions, IteratorAge, OffsetLag, …) and what our GetMetricData endpoint reads.
 * Datapoints are kept raw (bounded per series) and aggregated per period on read, like CloudWatch.
 */

export interface Dimension {
  Name: string;
  Value: string;
}

export type Dimensions = Dimension[] | Record<string, string>;

interface Series {
  namespace: string;
  name: string;
  dims: Dimension[];
  /** epoch ms, ascending (appends out of order are inserted in place) */
  t: number[];
  v: number[];
}

export type Statistic = "Sum" | "Average" | "Minimum" | "Maximum" | "SampleCount" | `p${number}`;

const normDims = (d: Dimensions): Dimension[] =>
  (Array.isArray(d) ? d.map((x) => ({ Name: x.Name, Value: x.Value })) : Object.entries(d).map(([Name, Value]) => ({ Name, Value }))).sort((a, b) =>
    a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0,
  );

const seriesKey = (ns: string, name: string, dims: Dimension[]) => `${ns}\u0000${name}\u0000${dims.map((d) => `${d.Name}=${d.Value}`).join("\u0000")}`;

export class MetricStore {
  private series = new Map<string, Series>();
  /** Oldest data kept: 15 days, CloudWatch's high-resolution-to-1-minute horizon is far shorter but this is local. */
  constructor(private readonly maxPointsPerSeries = 200_000) {}

  /** Records one datapoint. `timestamp` is a Date or epoch ms. */
  put(namespace: string, name: string, dimensions: Dimensions, timestamp: Date | number, value: number): void {
    if (!Number.isFinite(value)) return;
    const dims = normDims(dimensions);
    const key = seriesKey(namespace, name, dims);
    let s = this.series.get(key);
    if (!s) {
      s = { namespace, name, dims, t: [], v: [] };
      this.series.set(key, s);
    }
    const t = typeof timestamp === "number" ? timestamp : timestamp.getTime();
    let i = s.t.length;
    while (i > 0 && s.t[i - 1] > t) i--;
    if (i === s.t.length) {
      s.t.push(t);
      s.v.push(value);
    } else {
      s.t.splice(i, 0, t);
      s.v.splice(i, 0, value);
    }
    if (s.t.length > this.maxPointsPerSeries) {
      s.t.splice(0, s.t.length - this.maxPointsPerSeries);
      s.v.splice(0, s.v.length - this.maxPointsPerSeries);
    }
  }

  /** Metric names known (ListMetrics-like), for tests and diagnostics. */
  list(): { namespace: string; name: string; dimensions: Dimension[] }[] {
    return [...this.series.values()].map((s) => ({ namespace: s.namespace, name: s.name, dimensions: s.dims }));
  }

  clear(): void {
    this.series.clear();
  }

  /**
   * Aggregated datapoints of one metric (exact dimension match, as CloudWatch) over [start, end), one per
   * non-empty period, timestamps at period starts aligned to the epoch, newest first (TimestampDescending).
   */
  query(namespace: string, name: string, dimensions: Dimensions, startMs: number, endMs: number, periodSec: number, stat: Statistic): { t: number[]; v: number[] } {
    const s = this.series.get(seriesKey(namespace, name, normDims(dimensions)));
    const out = { t: [] as number[], v: [] as number[] };
    if (!s) return out;
    const periodMs = Math.max(1, periodSec) * 1000;
    const groups = new Map<number, number[]>();
    for (let i = lowerBound(s.t, startMs); i < s.t.length && s.t[i] < endMs; i++) {
      const b = Math.floor(s.t[i] / periodMs) * periodMs;
      let g = groups.get(b);
      if (!g) groups.set(b, (g = []));
      g.push(s.v[i]);
    }
    const keys = [...groups.keys()].sort((a, b) => b - a);
    for (const k of keys) {
      out.t.push(k);
      out.v.push(statOf(groups.get(k)!, stat));
    }
    return out;
  }
}

function lowerBound(a: number[], x: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function statOf(values: number[], stat: Statistic): number {
  switch (stat) {
    case "Sum":
      return values.reduce((a, b) => a + b, 0);
    case "Average":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "Minimum":
      return Math.min(...values);
    case "Maximum":
      return Math.max(...values);
    case "SampleCount":
      return values.length;
    default: {
      const p = Number(stat.slice(1));
      const sorted = values.slice().sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
    }
  }
}

const g = globalThis as unknown as { __topographMetricStore?: MetricStore };

/** The process-wide store: the sandbox runtime writes it, the local CloudWatch endpoint reads it. */
export function getMetricStore(): MetricStore {
  g.__topographMetricStore ??= new MetricStore();
  return g.__topographMetricStore;
}
