/**
 * Lag per trigger edge. Pure: Burrow-style evaluation of a sliding window of (time, committed offset, lag)
 * samples, and the trend. SDK edges: Kafka per-partition lag through kafkajs admin (log end − committed) for
 * self-managed clusters, and Kinesis shards (ListShards) for per-shard figures.
 */
import { ListShardsCommand, type KinesisClient } from "@aws-sdk/client-kinesis";
import type { LagStatus } from "../types";

export interface LagSample {
  t: number;
  /** Committed offset (sum over partitions) or processed count; null where the source has none (queues, streams). */
  offset: number | null;
  lag: number;
  /** Per shard / partition lag at this sample, where the source tells it. */
  partitions?: Record<string, number>;
}

/**
 * Burrow's rules over a window of samples (oldest first), as Burrow evaluates a partition:
 * 1. any sample with zero lag → OK;
 * 2. the committed offset did not move while lag > 0 and the newest commit is older than the window's span → STOP;
 * 3. the committed offset did not move while lag stayed or grew → STALL;
 * 4. offsets move but lag grew in every interval → WARN;
 * 5. otherwise OK. Fewer than 2 samples → UNKNOWN (OK when the one sample has no lag).
 * For sources without offsets (queues, iterator age) rules 1, 4 and 5 apply, and STALL when nothing was
 * processed over the window (`processed` = 0) while lag > 0.
 */
export function burrowStatus(samples: readonly LagSample[], opts: { now?: number; processed?: number | null; lastCommitAt?: number | null } = {}): LagStatus {
  if (!samples.length) return "UNKNOWN";
  if (samples.some((s) => s.lag === 0)) return "OK";
  if (samples.length < 2) return "UNKNOWN";
  const first = samples[0];
  const last = samples[samples.length - 1];
  const hasOffsets = samples.every((s) => s.offset !== null);
  if (hasOffsets) {
    const moved = last.offset! !== first.offset!;
    if (!moved) {
      const now = opts.now ?? last.t;
      const lastCommitAt = opts.lastCommitAt ?? first.t;
      if (now - lastCommitAt > last.t - first.t && now - lastCommitAt > 0 && opts.lastCommitAt != null) return "STOP";
      if (last.lag >= first.lag) return "STALL";
      return "OK";
    }
  } else if (opts.processed === 0 && last.lag >= first.lag) {
    return "STALL";
  }
  let growing = true;
  for (let i = 1; i < samples.length; i++) if (samples[i].lag < samples[i - 1].lag) growing = false;
  if (growing && last.lag > first.lag) return "WARN";
  return "OK";
}

/** rising / falling / flat by comparing the means of the window's halves (±10 % and ±1 unit). */
export function lagTrend(samples: readonly { lag: number }[]): "rising" | "falling" | "flat" | "unknown" {
  if (samples.length < 2) return "unknown";
  const half = Math.floor(samples.length / 2);
  const mean = (xs: readonly { lag: number }[]) => xs.reduce((a, s) => a + s.lag, 0) / xs.length;
  const a = mean(samples.slice(0, half));
  const b = mean(samples.slice(samples.length - half));
  const d = b - a;
  if (Math.abs(d) <= Math.max(1, Math.abs(a) * 0.1)) return "flat";
  return d > 0 ? "rising" : "falling";
}

// --- Kafka (kafkajs admin) ---------------------------------------------------------------------------

export interface KafkaLagState {
  partitions: Record<string, number>;
  committed: Record<string, number>;
  history: LagSample[];
  /** When the committed offsets last moved. */
  lastCommitAt: number | null;
}

export interface KafkaAdminLike {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  fetchTopicOffsets(topic: string): Promise<{ partition: number; offset: string; high: string; low: string }[]>;
  fetchOffsets(o: { groupId: string; topics: string[] }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

/** Per-partition lag = log end − committed (a partition never committed counts from the log start). Pure. */
export function kafkaLag(ends: { partition: number; high: string; low: string }[], committed: { partition: number; offset: string }[]): { partitions: Record<string, number>; committed: Record<string, number> } {
  const c = new Map(committed.map((p) => [p.partition, Number(p.offset)]));
  const partitions: Record<string, number> = {};
  const com: Record<string, number> = {};
  for (const e of ends) {
    const high = Number(e.high);
    const low = Number(e.low);
    const at = c.get(e.partition);
    const from = at === undefined || at < 0 ? low : at;
    partitions[String(e.partition)] = Math.max(0, high - from);
    com[String(e.partition)] = from;
  }
  return { partitions, committed: com };
}

export async function readKafkaLag(makeAdmin: () => KafkaAdminLike, topic: string, groupId: string, prev: KafkaLagState | undefined, now = Date.now()): Promise<KafkaLagState> {
  const admin = makeAdmin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const groups = await admin.fetchOffsets({ groupId, topics: [topic] });
    const { partitions, committed } = kafkaLag(ends, groups.find((g) => g.topic === topic)?.partitions ?? []);
    const offset = Object.values(committed).reduce((a, b) => a + b, 0);
    const lag = Object.values(partitions).reduce((a, b) => a + b, 0);
    const prevOffset = prev?.history.length ? prev.history[prev.history.length - 1].offset : null;
    const lastCommitAt = prevOffset === null || prevOffset !== offset ? now : (prev?.lastCommitAt ?? now);
    return { partitions, committed, history: [...(prev?.history ?? []), { t: now, offset, lag }].slice(-60), lastCommitAt };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** kafkajs admin for a self-managed cluster (loopback or private brokers named in the binding). */
export async function kafkajsAdmin(brokers: string[]): Promise<() => KafkaAdminLike> {
  const { Kafka, logLevel } = await import("kafkajs");
  return () => new Kafka({ clientId: "topograph-observe", brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, requestTimeout: 5_000, retry: { retries: 0 } }).admin() as unknown as KafkaAdminLike;
}

// --- Kinesis shards ------------------------------------------------------------------------------

export async function listShardIds(kinesis: KinesisClient, stream: { streamName?: string; streamArn?: string }): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  for (let i = 0; i < 50; i++) {
    const res = await kinesis.send(
      new ListShardsCommand(token ? { NextToken: token } : stream.streamArn ? { StreamARN: stream.streamArn } : { StreamName: stream.streamName }),
    );
    for (const s of res.Shards ?? []) if (s.ShardId) out.push(s.ShardId);
    token = res.NextToken;
    if (!token) break;
  }
  return out;
}
