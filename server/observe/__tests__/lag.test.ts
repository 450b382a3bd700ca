import { test } from "node:test";
import assert from "node:assert/strict";
import { burrowStatus, kafkaLag, lagTrend, readKafkaLag, type KafkaAdminLike, type LagSample } from "../collectors/lag";

const s = (xs: [number, number | null, number][]): LagSample[] => xs.map(([t, offset, lag]) => ({ t, offset, lag }));

test("Burrow rules: OK, WARN, STALL, STOP, UNKNOWN", () => {
  assert.equal(burrowStatus([]), "UNKNOWN");
  // Any zero lag in the window: OK.
  assert.equal(burrowStatus(s([[0, 10, 5], [1, 20, 0], [2, 30, 4]])), "OK");
  // Offsets move but lag grows at every step: WARN.
  assert.equal(burrowStatus(s([[0, 10, 5], [1, 20, 7], [2, 30, 9]])), "WARN");
  // Offsets move, lag comes down: OK.
  assert.equal(burrowStatus(s([[0, 10, 9], [1, 20, 7], [2, 30, 8]])), "OK");
  // Committed offset unchanged and lag fixed or growing: STALL.
  assert.equal(burrowStatus(s([[0, 10, 5], [1, 10, 5], [2, 10, 6]])), "STALL");
  // Unchanged and the last commit older than the window's span: STOP.
  assert.equal(burrowStatus(s([[100, 10, 5], [110, 10, 5], [120, 10, 5]]), { now: 200, lastCommitAt: 50 }), "STOP");
  // A queue: no offsets; growing lag with nothing processed → STALL; growing while processing → WARN.
  assert.equal(burrowStatus(s([[0, null, 3], [1, null, 4]]), { processed: 0 }), "STALL");
  assert.equal(burrowStatus(s([[0, null, 3], [1, null, 4]]), { processed: 10 }), "WARN");
  assert.equal(burrowStatus(s([[0, null, 3]])), "UNKNOWN");
});

test("trend from the window's halves", () => {
  assert.equal(lagTrend([{ lag: 1 }]), "unknown");
  assert.equal(lagTrend([1, 2, 10, 12].map((lag) => ({ lag }))), "rising");
  assert.equal(lagTrend([12, 10, 2, 1].map((lag) => ({ lag }))), "falling");
  assert.equal(lagTrend([100, 101, 100, 102].map((lag) => ({ lag }))), "flat");
});

test("Kafka lag per partition = log end − committed; an uncommitted partition counts from the log start", () => {
  const ends = [
    { partition: 0, high: "100", low: "0" },
    { partition: 1, high: "50", low: "20" },
    { partition: 2, high: "7", low: "0" },
  ];
  assert.deepEqual(kafkaLag(ends, [{ partition: 0, offset: "90" }, { partition: 1, offset: "-1" }, { partition: 2, offset: "7" }]), {
    partitions: { "0": 10, "1": 30, "2": 0 },
    committed: { "0": 90, "1": 20, "2": 7 },
  });
});

test("readKafkaLag keeps a window of samples and when commits last moved (admin connected and disconnected each read)", async () => {
  let committed = 10;
  let high = 20;
  const calls: string[] = [];
  const admin = (): KafkaAdminLike => ({
    connect: async () => void calls.push("connect"),
    disconnect: async () => void calls.push("disconnect"),
    fetchTopicOffsets: async () => [{ partition: 0, offset: String(high), high: String(high), low: "0" }],
    fetchOffsets: async () => [{ topic: "t", partitions: [{ partition: 0, offset: String(committed) }] }],
  });
  let st = await readKafkaLag(admin, "t", "g", undefined, 1_000);
  assert.deepEqual(st.partitions, { "0": 10 });
  assert.equal(st.lastCommitAt, 1_000);
  high = 30;
  st = await readKafkaLag(admin, "t", "g", st, 2_000);
  assert.equal(st.lastCommitAt, 1_000, "the committed offset did not move");
  committed = 25;
  st = await readKafkaLag(admin, "t", "g", st, 3_000);
  assert.equal(st.lastCommitAt, 3_000);
  assert.deepEqual(st.history.map((h) => [h.offset, h.lag]), [[10, 10], [10, 20], [25, 5]]);
  assert.deepEqual(calls, ["connect", "disconnect", "connect", "disconnect", "connect", "disconnect"]);
});
