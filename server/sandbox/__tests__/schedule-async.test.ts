import { test } from "node:test";
import assert from "node:assert/strict";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { TopologySchema } from "../../model/schema";
import { startSandbox } from "../sandbox";
import { nextRuns, parseSchedule } from "../schedule";

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("schedule expressions: rate, AWS cron (6 fields, 1 = SUN, ?), at", () => {
  assert.deepEqual(parseSchedule("rate(5 minutes)"), { kind: "rate", everyMs: 300_000 });
  assert.deepEqual(parseSchedule("rate(1 hour)"), { kind: "rate", everyMs: 3_600_000 });
  assert.throws(() => parseSchedule("rate(1 minutes)"));
  assert.throws(() => parseSchedule("cron(0 12 * * ?)"));
  const from = new Date("2026-11-23T10:00:00Z"); // a Monday
  assert.deepEqual(nextRuns("cron(0 12 * * ? *)", 2, from).map((d) => d.toISOString()), ["2026-11-23T12:00:00.000Z", "2026-11-24T12:00:00.000Z"]);
  // Day-of-week 1 is Sunday in AWS cron.
  assert.deepEqual(nextRuns("cron(30 8 ? * 1 *)", 1, from).map((d) => d.toISOString()), ["2026-11-29T08:30:00.000Z"]);
  assert.deepEqual(nextRuns("cron(0/15 * * * ? *)", 2, from).map((d) => d.toISOString()), ["2026-11-23T10:15:00.000Z", "2026-11-23T10:30:00.000Z"]);
  assert.deepEqual(parseSchedule("at(2026-12-01T10:00:00)"), { kind: "at", at: new Date("2026-12-01T10:00:00Z") });
});

test("sandbox: a rate schedule invokes its function with the EventBridge Scheduled Event, or the edge's input", async () => {
  const t = TopologySchema.parse({
    schemaVersion: 1,
    name: "sched",
    nodes: [
      { id: "tick", kind: "schedule", name: "Tick", expression: "rate(1 minute)" },
      { id: "a", kind: "function", name: "a", simulate: { latencyMs: 0, initMs: 0 } },
      { id: "b", kind: "function", name: "b", simulate: { latencyMs: 0, initMs: 0 } },
    ],
    edges: [
      { id: "tick-a", kind: "trigger", source: "tick", target: "a" },
      { id: "tick-b", kind: "trigger", source: "tick", target: "b", input: '{"job":"nightly"}' },
    ],
  });
  const events = new Map<string, unknown[]>();
  const sb = await startSandbox(t, { scheduleRateScale: 0.001, onReport: (f, _r, ev) => events.set(f.id, [...(events.get(f.id) ?? []), ev]) });
  try {
    await waitFor("3 ticks each", () => (events.get("a")?.length ?? 0) >= 3 && (events.get("b")?.length ?? 0) >= 3);
    const ev = events.get("a")![0] as Record<string, unknown>;
    assert.equal(ev["detail-type"], "Scheduled Event");
    assert.equal(ev.source, "aws.events");
    assert.deepEqual(events.get("b")![0], { job: "nightly" });
    const s = await sb.summary();
    assert.equal(s.triggers["tick-a"].driven, true);
  } finally {
    await sb.stop();
  }
});

test("sandbox: an async invocation that keeps failing is retried maximumRetryAttempts times, then reaches the DLQ and the on-failure destination", async () => {
  const t = TopologySchema.parse({
    schemaVersion: 1,
    name: "async",
    nodes: [
      {
        id: "notify",
        kind: "function",
        name: "notify",
        deadLetterQueueId: "notify-dlq",
        asyncInvoke: { maximumRetryAttempts: 1, onFailureDestinationId: "notify-failures" },
        simulate: { latencyMs: 0, initMs: 0, poisonMarker: "BAD" },
      },
      { id: "notify-dlq", kind: "queue", name: "Notify DLQ" },
      { id: "notify-failures", kind: "queue", name: "Notify failures" },
    ],
    edges: [],
  });
  const sb = await startSandbox(t, { asyncRetryDelaysMs: [50] });
  try {
    await sb.send("notify", '{"ok":true}');
    await sb.send("notify", '{"msg":"BAD"}');
    await waitFor("DLQ and destination", async () => {
      const q = (await sb.summary()).queues;
      return q["notify-dlq"].depth === 1 && q["notify-failures"].depth === 1;
    });
    const st = sb.runtimes.get("notify")!.stats;
    assert.equal(st.invocations, 3, "1 success + 2 attempts of the bad event");
    assert.equal(st.errors, 2);
    const dlq = await sb.sqs.send(new ReceiveMessageCommand({ QueueUrl: sb.queueUrls.get("notify-dlq")!, MessageAttributeNames: ["All"] }));
    assert.deepEqual(JSON.parse(dlq.Messages![0].Body!), { msg: "BAD" });
    assert.ok(dlq.Messages![0].MessageAttributes?.RequestID?.StringValue);
    assert.match(dlq.Messages![0].MessageAttributes?.ErrorMessage?.StringValue ?? "", /simulated failure/);
    const dest = await sb.sqs.send(new ReceiveMessageCommand({ QueueUrl: sb.queueUrls.get("notify-failures")! }));
    const rec = JSON.parse(dest.Messages![0].Body!);
    assert.equal(rec.requestContext.condition, "RetriesExhausted");
    assert.equal(rec.requestContext.approximateInvokeCount, 2);
    assert.deepEqual(rec.requestPayload, { msg: "BAD" });
    assert.equal(rec.responseContext.functionError, "Unhandled");
  } finally {
    await sb.stop();
  }
});

test("sandbox: a consumer-lag trigger on a queue fires when the backlog passes its threshold, and not before", async () => {
  const t = TopologySchema.parse({
    schemaVersion: 1,
    name: "lag",
    nodes: [
      { id: "backlog", kind: "queue", name: "Backlog" },
      { id: "scaler", kind: "function", name: "scaler", simulate: { latencyMs: 0, initMs: 0 } },
    ],
    edges: [{ id: "lag-scaler", kind: "trigger", type: "consumer-lag", source: "backlog", target: "scaler", lagThreshold: 3, lagCheckIntervalSeconds: 1 }],
  });
  const fired: { lag: number }[] = [];
  const sb = await startSandbox(t, { onReport: (_f, _r, ev) => fired.push((ev as { detail: { lag: number } }).detail) });
  try {
    for (let i = 0; i < 3; i++) await sb.send("backlog", `m${i}`);
    await new Promise((r) => setTimeout(r, 1_200));
    assert.equal(fired.length, 0, "lag 3 is not above the threshold 3");
    await sb.send("backlog", "m3");
    await waitFor("the lag trigger", () => fired.length >= 1, 3_000);
    assert.equal(fired[0].lag, 4);
    assert.equal((await sb.summary()).triggers["lag-scaler"].driven, true);
  } finally {
    await sb.stop();
  }
});
