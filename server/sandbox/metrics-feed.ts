/**
 * CloudWatch metrics for the local sandbox: once a second, the sandbox's own counters become datapoints in a
 * MetricStore that our GetMetricData endpoint (server/observe/wire) serves, so Observe reads local metrics with the
 * same CloudWatch client and queries it uses against AWS.
 *
 * Recorded (names and dimensions as AWS publishes them):
 * - AWS/Lambda, FunctionName: Invocations, Errors, Throttles (Sum of the second's increase), ConcurrentExecutions
 *   (invocations running at the sample), IteratorAge (ms, Kinesis / DynamoDB stream triggers of the function),
 *   OffsetLag (records, Kafka triggers of the function).
 * - AWS/SQS, QueueName: ApproximateNumberOfMessagesVisible, ApproximateNumberOfMessagesNotVisible.
 * Sampling, not per-event timestamps: a datapoint's time is the sample's, at most one interval after the event.
 */
import type { Topology } from "../model/schema";
import type { MetricStore } from "../observe/wire/metric-store";
import type { Sandbox } from "./sandbox";

export interface MetricsFeed {
  /** Takes one sample now (the timer calls this; tests call it directly). */
  sample(now?: number): Promise<void>;
  stop(): void;
}

export function startMetricsFeed(sb: Sandbox, topology: Topology, store: MetricStore, intervalMs = 1_000): MetricsFeed {
  const last = new Map<string, { invocations: number; errors: number; throttles: number }>();
  const queueNames = new Map<string, string>();
  for (const [id, url] of sb.queueUrls) queueNames.set(id, url.slice(url.lastIndexOf("/") + 1));
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  let busy = false;

  async function sample(now = Date.now()) {
    if (busy) return;
    busy = true;
    try {
      for (const [, rt] of sb.runtimes) {
        const dims = { FunctionName: rt.fn.name };
        const prev = last.get(rt.fn.id) ?? { invocations: 0, errors: 0, throttles: 0 };
        const cur = { invocations: rt.stats.invocations, errors: rt.stats.errors, throttles: rt.stats.throttles };
        store.put("AWS/Lambda", "Invocations", dims, now, cur.invocations - prev.invocations);
        store.put("AWS/Lambda", "Errors", dims, now, cur.errors - prev.errors);
        store.put("AWS/Lambda", "Throttles", dims, now, cur.throttles - prev.throttles);
        store.put("AWS/Lambda", "ConcurrentExecutions", dims, now, rt.concurrency);
        last.set(rt.fn.id, cur);
      }
      const summary = await sb.summary();
      for (const [id, q] of Object.entries(summary.queues)) {
        const dims = { QueueName: queueNames.get(id) ?? id };
        store.put("AWS/SQS", "ApproximateNumberOfMessagesVisible", dims, now, q.depth);
        store.put("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", dims, now, q.inFlight);
      }
      // A function with several stream triggers: CloudWatch's per-function figure is the largest.
      const perFunction = new Map<string, { name: "IteratorAge" | "OffsetLag"; v: number }>();
      for (const t of Object.values(summary.triggers)) {
        if (!t.driven) continue;
        const src = nodes.get(t.source);
        const fn = nodes.get(t.target);
        if (!src || fn?.kind !== "function") continue;
        const name = src.kind === "kafka-topic" ? "OffsetLag" : t.lagUnit === "ms" ? "IteratorAge" : undefined;
        if (!name) continue;
        const key = `${fn.name}\u0000${name}`;
        perFunction.set(key, { name, v: Math.max(perFunction.get(key)?.v ?? 0, t.lag) });
      }
      for (const [key, { name, v }] of perFunction) store.put("AWS/Lambda", name, { FunctionName: key.split("\u0000")[0] }, now, v);
    } finally {
      busy = false;
    }
  }

  const timer = setInterval(() => void sample().catch(() => {}), intervalMs);
  timer.unref();
  return { sample, stop: () => clearInterval(timer) };
}
