/**
 * A Kinesis event source mapping in the sandbox: one loop per shard (parallelization factor 1), reading with
 * GetRecords from the trigger's starting position, invoking the function with up to batchSize records, in order.
 * On a failed invocation: with bisectBatchOnFunctionError the batch is split in two and each half retried (a split
 * does not count as a retry, as in AWS); otherwise the batch is retried up to maximumRetryAttempts (−1: until the
 * record expires, i.e. forever here). With a partial batch response the shard checkpoints before the first failed
 * record and retries from it. Records older than maximumRecordAgeSeconds, and batches whose retries are exhausted,
 * go to the on-failure destination (a queue) as an AWS stream invocation record, then the shard moves on.
 * Lag: kinesalite's MillisBehindLatest is always 0, so the iterator age is derived from arrival timestamps.
 */
import { randomUUID } from "node:crypto";
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
  type _Record,
  type ShardIteratorType,
} from "@aws-sdk/client-kinesis";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { EffectiveTrigger } from "../model/graph";
import type { FunctionRuntime } from "./runtime/function-runtime";

export interface KinesisPollerSettings extends Required<Pick<EffectiveTrigger, "batchSize" | "startingPosition" | "bisectBatchOnFunctionError" | "maximumRetryAttempts" | "maximumRecordAgeSeconds" | "reportBatchItemFailures">> {
  startingPositionTimestamp?: string;
  /** Queue URL of the on-failure destination, if any. */
  onFailureQueueUrl?: string;
  pollIntervalMs: number;
  /** MaximumBatchingWindowInSeconds × 1000: gather records up to batchSize for this long after the first one arrived. */
  windowMs?: number;
  /** "dynamodb": the stream carries DynamoDB change records (a table's stream); the event is DynamoDB's. */
  format?: "kinesis" | "dynamodb";
  /** The event source ARN written into records (default: the Kinesis stream's). */
  eventSourceArn?: string;
  /** Lambda filter criteria: records for which this is false are dropped (checkpointed) without an invocation. */
  filter?: (record: unknown) => boolean;
}

const REGION = "us-east-1";
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class KinesisPoller {
  private stopped = false;
  private loops: Promise<void>[] = [];
  /** Arrival time (ms) of the last record handed to the function, and whether the last read returned records. */
  /** Per shard: records waiting, and the arrival time of the last record handed to the function. */
  private shards = new Map<string, { behind: boolean; lastArrival: number }>();
  readonly stats = { batches: 0, recordsDone: 0, recordsToDestination: 0, recordsFiltered: 0 };

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly sqs: SQSClient,
    readonly streamName: string,
    private readonly streamArn: string,
    private readonly rt: FunctionRuntime,
    private readonly s: KinesisPollerSettings,
  ) {}

  /** IteratorAge-like lag in ms (0 when caught up). */
  get iteratorAgeMs(): number {
    return Math.max(0, ...Object.values(this.shardIteratorAgesMs));
  }

  /** IteratorAge-like lag per shard id, in ms. */
  get shardIteratorAgesMs(): Record<string, number> {
    const now = Date.now();
    const out: Record<string, number> = {};
    for (const [id, s] of this.shards) out[id] = s.behind && s.lastArrival ? Math.max(0, now - s.lastArrival) : 0;
    return out;
  }

  async start() {
    const d = await this.kinesis.send(new DescribeStreamCommand({ StreamName: this.streamName }));
    // Iterators are taken before start() returns, so LATEST means "after the sandbox started".
    for (const shard of d.StreamDescription?.Shards ?? []) {
      const type = (this.s.startingPosition ?? "LATEST") as ShardIteratorType;
      const it = await this.kinesis.send(
        new GetShardIteratorCommand({
          StreamName: this.streamName,
          ShardId: shard.ShardId!,
          ShardIteratorType: type,
          ...(type === "AT_TIMESTAMP" ? { Timestamp: new Date(this.s.startingPositionTimestamp ?? Date.now()) } : {}),
        }),
      );
      this.loops.push(this.loop(shard.ShardId!, it.ShardIterator!));
    }
  }

  async stop() {
    this.stopped = true;
    await Promise.race([Promise.all(this.loops), sleep(2_000)]);
  }

  private async loop(shardId: string, iterator: string) {
    let it: string | undefined = iterator;
    // Records read but not yet handed to the function (the batching window gathers them).
    const buffer: _Record[] = [];
    const windowMs = this.s.windowMs ?? 0;
    const st = { behind: false, lastArrival: 0 };
    this.shards.set(shardId, st);
    while (!this.stopped && it) {
      try {
        if (buffer.length < this.s.batchSize) {
          const r: GetRecordsCommandOutput = await this.kinesis.send(new GetRecordsCommand({ ShardIterator: it, Limit: this.s.batchSize - buffer.length }));
          it = r.NextShardIterator;
          buffer.push(...(r.Records ?? []));
        }
        st.behind = buffer.length > 0;
        if (!buffer.length) {
          await sleep(this.s.pollIntervalMs);
          continue;
        }
        const firstArrival = buffer[0].ApproximateArrivalTimestamp?.getTime() ?? Date.now();
        if (buffer.length < this.s.batchSize && Date.now() - firstArrival < windowMs) {
          await sleep(Math.min(this.s.pollIntervalMs, windowMs - (Date.now() - firstArrival)));
          continue;
        }
        const records = buffer.splice(0, this.s.batchSize);
        st.lastArrival = records[records.length - 1].ApproximateArrivalTimestamp?.getTime() ?? Date.now();
        await this.process(shardId, records);
      } catch (e) {
        if (this.stopped) return;
        if (process.env.TOPO_DEBUG) console.error("kinesis poller:", e);
        await sleep(100);
      }
    }
  }

  private async process(shardId: string, records: _Record[]) {
    if (this.s.filter) {
      const keep = records.filter((r) => this.s.filter!(this.record(shardId, r)));
      this.stats.recordsFiltered += records.length - keep.length;
      records = keep;
      if (!records.length) return;
    }
    const maxAge = this.s.maximumRecordAgeSeconds;
    if (maxAge >= 0) {
      const cutoff = Date.now() - maxAge * 1000;
      const expired = records.filter((r) => (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) < cutoff);
      if (expired.length) {
        await this.toDestination(shardId, expired, "RecordAgeExceeded", 0);
        records = records.filter((r) => !expired.includes(r));
        if (!records.length) return;
      }
    }
    await this.invokeWithRetries(shardId, records);
  }

  private async invokeWithRetries(shardId: string, batch: _Record[]): Promise<void> {
    let attempts = 0;
    while (!this.stopped) {
      const res = await this.rt.invoke(this.event(shardId, batch), { partialBatch: this.s.reportBatchItemFailures });
      this.stats.batches++;
      attempts++;
      if (res.status === "success") {
        const failures = this.s.reportBatchItemFailures
          ? (res.response as { batchItemFailures?: { itemIdentifier?: string }[] } | null)?.batchItemFailures
          : undefined;
        if (!Array.isArray(failures) || failures.length === 0) {
          this.stats.recordsDone += batch.length;
          return;
        }
        // Checkpoint before the first failed record; retry from it.
        const ids = new Set(failures.map((f) => f.itemIdentifier));
        const first = batch.findIndex((r) => ids.has(r.SequenceNumber));
        if (first < 0) {
          // Unknown identifiers: the whole batch failed.
        } else {
          this.stats.recordsDone += first;
          batch = batch.slice(first);
        }
      } else if (res.status === "throttled") {
        attempts--; // throttles are retried without counting against the retry quota
        await sleep(50);
        continue;
      }
      if (this.s.bisectBatchOnFunctionError && batch.length > 1) {
        const mid = Math.ceil(batch.length / 2);
        await this.invokeWithRetries(shardId, batch.slice(0, mid));
        await this.invokeWithRetries(shardId, batch.slice(mid));
        return;
      }
      const maxRetries = this.s.maximumRetryAttempts;
      if (maxRetries >= 0 && attempts > maxRetries) {
        await this.toDestination(shardId, batch, "RetryAttemptsExhausted", attempts, res.status === "success" ? undefined : res.errorType);
        return;
      }
      await sleep(20);
    }
  }

  private event(shardId: string, batch: _Record[]) {
    return { Records: batch.map((r) => this.record(shardId, r)) };
  }

  /** One record of the Lambda event: Kinesis's, or DynamoDB Streams' for a table's stream. */
  private record(shardId: string, r: _Record) {
    if (this.s.format === "dynamodb") {
      const change = JSON.parse(Buffer.from(r.Data ?? new Uint8Array()).toString("utf8")) as { eventName: string; dynamodb: Record<string, unknown> };
      return {
        eventID: r.SequenceNumber!.slice(-32),
        eventName: change.eventName,
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: REGION,
        dynamodb: { ...change.dynamodb, SequenceNumber: r.SequenceNumber },
        eventSourceARN: this.s.eventSourceArn ?? this.streamArn,
      };
    }
    return {
      kinesis: {
        kinesisSchemaVersion: "1.0",
        partitionKey: r.PartitionKey,
        sequenceNumber: r.SequenceNumber,
        data: Buffer.from(r.Data ?? new Uint8Array()).toString("base64"),
        approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) / 1000,
      },
      eventSource: "aws:kinesis",
      eventVersion: "1.0",
      eventID: `${shardId}:${r.SequenceNumber}`,
      eventName: "aws:kinesis:record",
      invokeIdentityArn: "arn:aws:iam::000000000000:role/sandbox",
      awsRegion: REGION,
      eventSourceARN: this.s.eventSourceArn ?? this.streamArn,
    };
  }

  /** Sends the AWS stream on-failure record (batch info, not the data) to the destination queue, if any. */
  private async toDestination(shardId: string, batch: _Record[], condition: string, invokeCount: number, errorType?: string) {
    this.stats.recordsToDestination += batch.length;
    if (!this.s.onFailureQueueUrl) return;
    const arrival = (r: _Record) => (r.ApproximateArrivalTimestamp ?? new Date()).toISOString();
    const record = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:${REGION}:000000000000:function:${this.rt.fn.name}`,
        condition,
        approximateInvokeCount: invokeCount,
      },
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: errorType ? "Unhandled" : undefined },
      version: "1.0",
      timestamp: new Date().toISOString(),
      [this.s.format === "dynamodb" ? "DDBStreamBatchInfo" : "KinesisBatchInfo"]: {
        shardId,
        startSequenceNumber: batch[0].SequenceNumber,
        endSequenceNumber: batch[batch.length - 1].SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(batch[0]),
        approximateArrivalOfLastRecord: arrival(batch[batch.length - 1]),
        batchSize: batch.length,
        streamArn: this.s.eventSourceArn ?? this.streamArn,
      },
    };
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.s.onFailureQueueUrl, MessageBody: JSON.stringify(record) }));
  }
}
