import { test } from "node:test";
import assert from "node:assert/strict";
import { TopologySchema } from "../../model/schema";
import { startSandbox } from "../sandbox";
import { LocalKafkaLog } from "../kafka-log";

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("local Kafka log: keyed partitioning, offsets, commits, lag = end − committed", () => {
  const log = new LocalKafkaLog();
  log.createTopic("purchases", 3);
  const a = log.produce("purchases", "v1", "customer-1");
  const b = log.produce("purchases", "v2", "customer-1");
  assert.equal(a.partition, b.partition, "same key, same partition");
  assert.deepEqual([a.offset, b.offset], [0, 1]);
  for (let i = 0; i < 10; i++) log.produce("purchases", `x${i}`, `k${i}`);
  assert.equal(log.lag("g", "purchases").total, 12, "a group that never committed lags from offset 0");
  log.commit("g", "purchases", a.partition, 2);
  assert.equal(log.lag("g", "purchases").partitions[a.partition], log.endOffset("purchases", a.partition) - 2);
  assert.throws(() => log.produce("nope", "x"));
});

test("sandbox: a Kafka trigger consumes the local log in batches, commits per group, and a consumer-lag trigger fires on another group's lag", async () => {
  const t = TopologySchema.parse({
    schemaVersion: 1,
    name: "kafka",
    nodes: [
      { id: "purchases", kind: "kafka-topic", name: "Purchases", topic: "purchases", partitions: 2, cluster: "self-managed", bootstrapServers: ["localhost:9092"] },
      { id: "score", kind: "function", name: "score", simulate: { latencyMs: 1, initMs: 0 } },
      { id: "export", kind: "function", name: "export", simulate: { latencyMs: 0, initMs: 0 } },
    ],
    edges: [
      { id: "p-score", kind: "trigger", source: "purchases", target: "score", batchSize: 3, startingPosition: "TRIM_HORIZON", consumerGroupId: "score-group" },
      { id: "p-export", kind: "trigger", type: "consumer-lag", source: "purchases", target: "export", consumerGroupId: "export-group", lagThreshold: 5, lagCheckIntervalSeconds: 1 },
    ],
  });
  const values: string[] = [];
  const lagEvents: unknown[] = [];
  const sb = await startSandbox(t, {
    onReport: (f, _r, ev) => {
      if (f.id === "score") {
        const recs = Object.values((ev as { records: Record<string, { value: string }[]> }).records).flat();
        assert.ok(recs.length <= 3, "batch size");
        values.push(...recs.map((r) => Buffer.from(r.value, "base64").toString()));
      } else lagEvents.push(ev);
    },
  });
  try {
    for (let i = 0; i < 8; i++) await sb.send("purchases", `p${i}`);
    // Lag per partition (records behind the group's committed offset) adds up to the trigger's lag.
    const early = (await sb.summary()).triggers["p-score"];
    assert.deepEqual(Object.keys(early.partitions!).sort(), ["0", "1"]);
    assert.equal(early.partitions!["0"] + early.partitions!["1"], early.lag);
    await waitFor("8 records consumed", () => values.length >= 8);
    assert.deepEqual([...values].sort(), ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"]);
    await waitFor("group committed", async () => (await sb.summary()).triggers["p-score"].lag === 0);
    assert.equal(sb.kafka.lag("score-group", "purchases").total, 0);
    assert.deepEqual((await sb.summary()).triggers["p-score"].partitions, { "0": 0, "1": 0 });
    await waitFor("lag trigger", () => lagEvents.length >= 1, 3_000);
    assert.equal((lagEvents[0] as { detail: { lag: number } }).detail.lag, 8, "export-group never consumed: lag 8 > 5");
    assert.equal((await sb.summary()).triggers["p-export"].lag, 8);
  } finally {
    await sb.stop();
  }
});
