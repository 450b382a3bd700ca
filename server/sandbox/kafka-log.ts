/**
 * Kafka in the sandbox: no broker exists locally, so a Kafka topic is a local partitioned log (in memory) with
 * committed offsets per consumer group, behind the same lag definition the observers use
 * (lag per partition = log-end offset − committed offset, never negative; group lag = the sum).
 * A Kafka trigger is a consumer (`KafkaConsumer`): one loop per partition, batches of up to batchSize records
 * from the committed offset, invoking the function with the MSK / self-managed Kafka event
 * (`records: { "<topic>-<partition>": [...] }`, key and value base64), committing after each successful batch.
 * A failed batch is retried up to maximumRetryAttempts (−1: forever); then it is skipped (and counted) so the
 * partition moves on. Starting position: TRIM_HORIZON reads from offset 0, LATEST from the end at start.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FunctionRuntime } from "./runtime/function-runtime";

export interface KafkaRecord {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string;
}

/**
 * With a directory, the log is persisted: each partition is an append-only JSON-lines file
 * (`<dir>/topics/<topic>/<partition>.jsonl`) and the committed offsets are `<dir>/commits.json` (written at most every
 * 200 ms and on `flush()`), reloaded on start, so a restart keeps records, offsets and therefore lag.
 */
export class LocalKafkaLog {
  private topics = new Map<string, KafkaRecord[][]>();
  /** group → "topic/partition" → next offset to read (Kafka's committed offset). */
  private commits = new Map<string, Map<string, number>>();
  private commitTimer: NodeJS.Timeout | undefined;

  constructor(private readonly dir?: string) {
    if (!dir) return;
    mkdirSync(join(dir, "topics"), { recursive: true });
    const file = join(dir, "commits.json");
    if (existsSync(file)) {
      try {
        const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, number>>;
        for (const [g, m] of Object.entries(raw)) this.commits.set(g, new Map(Object.entries(m)));
      } catch {
        // a torn write: start without commits (consumers re-read from their starting position)
      }
    }
  }

  private topicDir(topic: string) {
    return join(this.dir!, "topics", encodeURIComponent(topic));
  }

  createTopic(topic: string, partitions: number) {
    if (this.topics.has(topic)) return;
    const parts: KafkaRecord[][] = Array.from({ length: Math.max(1, partitions) }, () => []);
    if (this.dir) {
      mkdirSync(this.topicDir(topic), { recursive: true });
      parts.forEach((p, i) => {
        const f = join(this.topicDir(topic), `${i}.jsonl`);
        if (!existsSync(f)) return;
        for (const line of readFileSync(f, "utf8").split("\n")) {
          if (!line) continue;
          try {
            p.push(JSON.parse(line) as KafkaRecord);
          } catch {
            break; // a torn last line
          }
        }
      });
    }
    this.topics.set(topic, parts);
  }

  /** Writes the committed offsets now (on stop). */
  flush() {
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    if (!this.dir) return;
    const out: Record<string, Record<string, number>> = {};
    for (const [g, m] of this.commits) out[g] = Object.fromEntries(m);
    const file = join(this.dir, "commits.json");
    writeFileSync(file + ".tmp", JSON.stringify(out));
    renameSync(file + ".tmp", file);
  }

  partitions(topic: string): number {
    return this.log(topic).length;
  }

  /** Appends a record; the partition is chosen from the key (murmur-like hash) or round-robin without a key. */
  produce(topic: string, value: string, key: string | null = null, timestamp = Date.now()): { partition: number; offset: number } {
    const parts = this.log(topic);
    const partition = key === null ? this.rr++ % parts.length : hash(key) % parts.length;
    const offset = parts[partition].length;
    const rec = { offset, timestamp, key, value };
    parts[partition].push(rec);
    if (this.dir) appendFileSync(join(this.topicDir(topic), `${partition}.jsonl`), JSON.stringify(rec) + "\n");
    return { partition, offset };
  }
  private rr = 0;

  endOffset(topic: string, partition: number): number {
    return this.log(topic)[partition].length;
  }

  read(topic: string, partition: number, from: number, max: number): KafkaRecord[] {
    return this.log(topic)[partition].slice(from, from + max);
  }

  committed(group: string, topic: string, partition: number): number | undefined {
    return this.commits.get(group)?.get(`${topic}/${partition}`);
  }

  commit(group: string, topic: string, partition: number, nextOffset: number) {
    let g = this.commits.get(group);
    if (!g) this.commits.set(group, (g = new Map()));
    g.set(`${topic}/${partition}`, nextOffset);
    if (this.dir && !this.commitTimer) {
      this.commitTimer = setTimeout(() => this.flush(), 200);
      this.commitTimer.unref();
    }
  }

  /** Per-partition and total lag of a group on a topic (a partition never committed counts from 0). */
  lag(group: string, topic: string): { partitions: number[]; total: number } {
    const partitions = this.log(topic).map((p, i) => Math.max(0, p.length - (this.committed(group, topic, i) ?? 0)));
    return { partitions, total: partitions.reduce((a, b) => a + b, 0) };
  }

  private log(topic: string): KafkaRecord[][] {
    const t = this.topics.get(topic);
    if (!t) throw new Error(`no Kafka topic ${topic} in the sandbox`);
    return t;
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface KafkaConsumerSettings {
  topic: string;
  group: string;
  batchSize: number;
  startingPosition: "TRIM_HORIZON" | "LATEST" | "AT_TIMESTAMP";
  maximumRetryAttempts: number;
  bootstrapServers: string[];
  eventSourceArn: string;
  pollIntervalMs: number;
  /** MaximumBatchingWindowInSeconds × 1000: wait for up to batchSize records this long after the first one arrived. */
  windowMs?: number;
  /** Lambda filter criteria on `{ value }` (JSON when it parses): records that do not match are committed without an invocation. */
  filter?: (record: unknown) => boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class KafkaConsumer {
  private stopped = false;
  private loops: Promise<void>[] = [];
  readonly stats = { batches: 0, recordsDone: 0, recordsSkipped: 0, recordsFiltered: 0 };

  constructor(
    private readonly log: LocalKafkaLog,
    private readonly rt: FunctionRuntime,
    readonly s: KafkaConsumerSettings,
  ) {}

  start() {
    for (let p = 0; p < this.log.partitions(this.s.topic); p++) {
      if (this.log.committed(this.s.group, this.s.topic, p) === undefined)
        this.log.commit(this.s.group, this.s.topic, p, this.s.startingPosition === "LATEST" ? this.log.endOffset(this.s.topic, p) : 0);
      this.loops.push(this.loop(p));
    }
  }

  async stop() {
    this.stopped = true;
    await Promise.race([Promise.all(this.loops), sleep(2_000)]);
  }

  lag() {
    return this.log.lag(this.s.group, this.s.topic);
  }

  private async loop(partition: number) {
    const { topic, group } = this.s;
    let attempts = 0;
    while (!this.stopped) {
      const from = this.log.committed(group, topic, partition) ?? 0;
      let batch = this.log.read(topic, partition, from, this.s.batchSize);
      if (!batch.length) {
        await sleep(this.s.pollIntervalMs);
        continue;
      }
      const windowMs = this.s.windowMs ?? 0;
      if (batch.length < this.s.batchSize && windowMs > 0 && Date.now() - batch[0].timestamp < windowMs) {
        await sleep(Math.min(this.s.pollIntervalMs, windowMs - (Date.now() - batch[0].timestamp)));
        continue;
      }
      if (this.s.filter) {
        const keep = batch.filter((r) => this.s.filter!(r));
        this.stats.recordsFiltered += batch.length - keep.length;
        if (!keep.length) {
          this.log.commit(group, topic, partition, batch[batch.length - 1].offset + 1);
          continue;
        }
        batch = keep;
      }
      await new Promise<void>((r) => setImmediate(r)); // the local log never waits: let I/O run between batches
      const r = await this.rt.invoke(this.event(partition, batch));
      this.stats.batches++;
      if (r.status === "throttled") {
        await sleep(50);
        continue;
      }
      if (r.status === "success" || (this.s.maximumRetryAttempts >= 0 && ++attempts > this.s.maximumRetryAttempts)) {
        if (r.status === "success") this.stats.recordsDone += batch.length;
        else this.stats.recordsSkipped += batch.length;
        attempts = 0;
        this.log.commit(group, topic, partition, batch[batch.length - 1].offset + 1);
        continue;
      }
      await sleep(20);
    }
  }

  private event(partition: number, batch: KafkaRecord[]) {
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    return {
      eventSource: this.s.eventSourceArn.startsWith("arn:aws:kafka") ? "aws:kafka" : "SelfManagedKafka",
      eventSourceArn: this.s.eventSourceArn,
      bootstrapServers: this.s.bootstrapServers.join(","),
      records: {
        [`${this.s.topic}-${partition}`]: batch.map((r) => ({
          topic: this.s.topic,
          partition,
          offset: r.offset,
          timestamp: r.timestamp,
          timestampType: "CREATE_TIME",
          ...(r.key !== null ? { key: b64(r.key) } : {}),
          value: b64(r.value),
          headers: [],
        })),
      },
    };
  }
}
