/**
 * CloudWatch metrics: which metrics each element has (pure), and GetMetricData with paging (the SDK edge).
 * Lambda: Invocations, Errors, Throttles, ConcurrentExecutions, IteratorAge, OffsetLag, AsyncEventAge,
 * AsyncEventsDropped, DeadLetterErrors (dimension FunctionName). SQS: ApproximateNumberOfMessagesVisible,
 * ApproximateNumberOfMessagesNotVisible, ApproximateAgeOfOldestMessage (dimension QueueName).
 */
import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";

export interface MetricSpec {
  /** Our key for the result, e.g. "Invocations". */
  key: string;
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  stat: "Sum" | "Average" | "Maximum" | "Minimum" | "SampleCount" | `p${number}`;
}

export const LAMBDA_METRICS: { name: string; stat: MetricSpec["stat"] }[] = [
  { name: "Invocations", stat: "Sum" },
  { name: "Errors", stat: "Sum" },
  { name: "Throttles", stat: "Sum" },
  { name: "ConcurrentExecutions", stat: "Maximum" },
  { name: "IteratorAge", stat: "Maximum" },
  { name: "OffsetLag", stat: "Maximum" },
  { name: "AsyncEventAge", stat: "Maximum" },
  { name: "AsyncEventsDropped", stat: "Sum" },
  { name: "DeadLetterErrors", stat: "Sum" },
];

export const SQS_METRICS: { name: string; stat: MetricSpec["stat"] }[] = [
  { name: "ApproximateNumberOfMessagesVisible", stat: "Maximum" },
  { name: "ApproximateNumberOfMessagesNotVisible", stat: "Maximum" },
  { name: "ApproximateAgeOfOldestMessage", stat: "Maximum" },
];

export function lambdaMetricSpecs(functionName: string): MetricSpec[] {
  return LAMBDA_METRICS.map((m) => ({ key: m.name, namespace: "AWS/Lambda", name: m.name, dimensions: { FunctionName: functionName }, stat: m.stat }));
}

export function sqsMetricSpecs(queueName: string): MetricSpec[] {
  return SQS_METRICS.map((m) => ({ key: m.name, namespace: "AWS/SQS", name: m.name, dimensions: { QueueName: queueName }, stat: m.stat }));
}

/** Period for a window: 1 min up to 3 h, then 5 min, then 1 h (CloudWatch keeps 1-min data for 15 days). */
export function periodFor(spanMs: number): number {
  if (spanMs <= 3 * 3_600_000) return 60;
  if (spanMs <= 2 * 86_400_000) return 300;
  return 3600;
}

export type MetricPoints = { t: string; v: number }[];

/** GetMetricData for the specs, following NextToken; returns key → points ascending. One call per page. */
export async function getMetricData(cw: CloudWatchClient, specs: MetricSpec[], startMs: number, endMs: number, periodSec: number): Promise<Record<string, MetricPoints>> {
  const queries: MetricDataQuery[] = specs.map((s, i) => ({
    Id: `m${i}`,
    Label: s.key,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: s.namespace, MetricName: s.name, Dimensions: Object.entries(s.dimensions).map(([Name, Value]) => ({ Name, Value })) },
      Period: periodSec,
      Stat: s.stat,
    },
  }));
  const acc = new Map<string, Map<number, number>>();
  let token: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await cw.send(
      new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(startMs), EndTime: new Date(endMs), ScanBy: "TimestampAscending", NextToken: token }),
    );
    for (const r of res.MetricDataResults ?? []) {
      const idx = Number(String(r.Id).slice(1));
      const key = specs[idx]?.key;
      if (!key) continue;
      let m = acc.get(key);
      if (!m) acc.set(key, (m = new Map()));
      const ts = r.Timestamps ?? [];
      const vs = r.Values ?? [];
      for (let i = 0; i < ts.length; i++) m.set(ts[i].getTime(), vs[i]);
    }
    token = res.NextToken;
    if (!token) break;
  }
  const out: Record<string, MetricPoints> = {};
  for (const s of specs) {
    const m = acc.get(s.key);
    out[s.key] = m ? [...m.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t: new Date(t).toISOString(), v })) : [];
  }
  return out;
}

/** Sum / max / latest of a series. */
export const sumOf = (p: MetricPoints | undefined) => (p ?? []).reduce((a, x) => a + x.v, 0);
export const maxOf = (p: MetricPoints | undefined) => ((p ?? []).length ? Math.max(...p!.map((x) => x.v)) : null);
export const lastOf = (p: MetricPoints | undefined) => ((p ?? []).length ? p![p!.length - 1].v : null);
