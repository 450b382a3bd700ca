/**
 * `startSandbox(topology)`: runs a topology on loopback, speaking AWS protocols.
 * - SQS: fauxqs (in process, 127.0.0.1, free port): the topology's queues with FIFO, visibility timeout,
 *   retention, delay and redrive policies (fauxqs moves a message to the DLQ after maxReceiveCount receives).
 * - Kinesis: kinesalite (in process, 127.0.0.1, free port): the topology's streams, created ACTIVE.
 * - CloudWatch Logs: our endpoint (logs/server.ts), fed directly by the function runtimes.
 * - Functions: FunctionRuntime (runtime/), one per function node.
 * - Triggers: SQS event source mappings (SqsPoller): batch size, batching window, partial batch response,
 *   maximum concurrency; failed messages are not deleted, so they return after the visibility timeout and
 *   fauxqs redrives them. Kinesis event source mappings (KinesisPoller, kinesis-poller.ts). Schedules
 *   (schedule.ts) and asynchronous invocations with retries then DLQ / destination (async-invoke.ts).
 *   Kafka topics are a local partitioned log with committed offsets per consumer group (kafka-log.ts).
 *   Other trigger kinds are not driven yet (README).
 * `stop()` stops every poller and server and frees every port.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { buildApp } from "fauxqs";
import kinesalite from "kinesalite";
import { effectiveTrigger } from "../model/graph";
import type { FunctionNode, QueueNode, Topology, TriggerEdge } from "../model/schema";
import { startLogsEndpoint, type LogsEndpoint } from "./logs/server";
import { FunctionRuntime, type FunctionStats, type InvokeResult } from "./runtime/function-runtime";
import { KinesisPoller } from "./kinesis-poller";
import { invokeAsync } from "./async-invoke";
import { scheduledEvent, startSchedule } from "./schedule";
import { startHttpRoutes, type Route } from "./http-routes";
import { KafkaConsumer, LocalKafkaLog, type KafkaRecord } from "./kafka-log";
import { anyPatternMatches, jsonOrString, matchesPattern, parsePattern, type Pattern } from "./filter-pattern";
import { LocalTable } from "./dynamodb";
import { bridgeEvent, busEventFor, forwardedPayloads, s3BridgeEvent, s3Matches, s3Object, s3Record, snsEnvelope, snsLambdaEvent, snsMessage, snsPolicyInput, type S3Object } from "./integrations";
import { join } from "node:path";
import { DirectQueue, SqsStore } from "./sqs-direct";

export const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "sandbox", secretAccessKey: "sandbox" };

export interface SandboxOptions {
  /** Where the logs endpoint persists its journal; in memory when absent. */
  dataDir?: string;
  /** Seed for the default handlers' failure PRNG. */
  seed?: number;
  /** Idle TTL of execution environments (default 5 min). */
  idleTtlMs?: number;
  /** Pollers per SQS trigger when the edge sets no maximumConcurrency (default 5, Lambda's starting point). */
  defaultSqsConcurrency?: number;
  /** Long-poll wait of SQS pollers in seconds (default 1; bounds how long stop() waits). */
  pollWaitSeconds?: number;
  /** Multiplies rate(...) schedule periods (default 1; e.g. 0.001 makes rate(1 minute) fire every 60 ms). */
  scheduleRateScale?: number;
  /** Delays between async invocation retries (AWS: 1 min then 2 min; default here 1 s then 2 s). */
  asyncRetryDelaysMs?: number[];
  /** How often an idle Kinesis shard is polled (default 100 ms). */
  kinesisPollIntervalMs?: number;
  /** Called after every REPORT line is written. */
  onReport?: (fn: FunctionNode, r: InvokeResult, event: unknown) => void;
}

export interface QueueSummary {
  name: string;
  /** ApproximateNumberOfMessages (visible). */
  depth: number;
  inFlight: number;
  isDeadLetterQueue: boolean;
}

export interface SandboxSummary {
  functions: Record<string, { name: string } & FunctionStats>;
  queues: Record<string, QueueSummary>;
  /** Per trigger edge: SQS: messages not yet processed (visible + in flight on the source queue); Kinesis: iterator
   * age in ms; Kafka: the consumer group's total lag in records on the local log. */
  triggers: Record<string, { source: string; target: string; kind: string; lag: number; lagUnit: "messages" | "ms"; driven: boolean; partitions?: Record<string, number> }>;
  /** DynamoDB tables (in memory): items stored. */
  tables: Record<string, { name: string; items: number }>;
  /** S3 buckets (in memory): objects stored. */
  buckets: Record<string, { name: string; objects: number }>;
}

export interface Sandbox {
  endpoints: { sqs: string; kinesis: string; logs: string; http: string };
  logs: LogsEndpoint;
  sqs: SQSClient;
  kinesis: KinesisClient;
  queueUrls: Map<string, string>;
  streamNames: Map<string, string>;
  /** Stream ARNs by node id. */
  streamArns: Map<string, string>;
  runtimes: Map<string, FunctionRuntime>;
  /** The local Kafka log (topics by their topic name). */
  kafka: LocalKafkaLog;
  /** DynamoDB tables (in memory) by node id. */
  tables: Map<string, LocalTable>;
  /** S3 buckets (in memory): node id → key → object. */
  buckets: Map<string, Map<string, S3Object>>;
  /**
   * Sends one event to a node: queue → SendMessage, stream → PutRecord, Kafka topic → the local log, HTTP route →
   * a request, function → async invoke with retries, SNS topic → Publish (fan-out to its subscriptions), event bus →
   * PutEvents (rules and targets), bucket → PutObject (event notifications), table → PutItem (stream record).
   */
  send(nodeId: string, body: string): Promise<void>;
  summary(): Promise<SandboxSummary>;
  /**
   * Pauses / resumes an SQS trigger's pollers (as disabling and enabling the event source mapping): messages wait
   * on the queue meanwhile. False when the edge is not a driven SQS trigger.
   */
  setTriggerPaused(edgeId: string, paused: boolean): boolean;
  stop(): Promise<void>;
}

export async function startSandbox(topology: Topology, opts: SandboxOptions = {}): Promise<Sandbox> {
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  };
  try {
    return await start(topology, opts, cleanups, stopAll);
  } catch (e) {
    await stopAll();
    throw e;
  }
}

async function start(topology: Topology, opts: SandboxOptions, cleanups: (() => Promise<void>)[], stopAll: () => Promise<void>): Promise<Sandbox> {
  // --- servers, loopback only -------------------------------------------------------------------
  const logs = await startLogsEndpoint({ dataDir: opts.dataDir });
  cleanups.push(() => logs.stop());

  // fauxqs' startFauxqs() listens on 0.0.0.0; build its app and listen on loopback ourselves.
  // The sandbox owns fauxqs' queue store so its pollers can use it in process (sqs-direct.ts).
  const sqsStore = new SqsStore();
  const fauxqs = buildApp({ logger: false, stores: { sqsStore } as unknown as NonNullable<Parameters<typeof buildApp>[0]>["stores"] });
  cleanups.push(() => fauxqs.close());
  await fauxqs.listen({ port: 0, host: "127.0.0.1" });
  const sqsPort = (fauxqs.server.address() as AddressInfo).port;
  const sqsEndpoint = `http://127.0.0.1:${sqsPort}`;

  const kin: Server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  await new Promise<void>((resolve, reject) => {
    kin.once("error", reject);
    kin.listen(0, "127.0.0.1", () => resolve());
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        kin.close(() => resolve());
        (kin as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  );
  const kinesisEndpoint = `http://127.0.0.1:${(kin.address() as AddressInfo).port}`;

  // md5: false skips the client-side MD5 check of every received body (the emulator is in this process).
  const sqs = new SQSClient({ endpoint: sqsEndpoint, region: REGION, credentials: CREDENTIALS, md5: false });
  const kinesis = new KinesisClient({ endpoint: kinesisEndpoint, region: REGION, credentials: CREDENTIALS, requestHandler: new NodeHttpHandler() });
  cleanups.push(async () => {
    sqs.destroy();
    kinesis.destroy();
  });

  // --- resources ----------------------------------------------------------------------------------
  const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
  const queues = topology.nodes.filter((n): n is QueueNode => n.kind === "queue");
  const dlqIds = new Set(queues.flatMap((q) => (q.redrive ? [q.redrive.deadLetterQueueId] : [])));
  const queueUrls = new Map<string, string>();
  const queueArns = new Map<string, string>();
  // Dead-letter queues first: a redrive policy names the DLQ's ARN. Repeat until all are created (chains).
  const pending = [...queues];
  while (pending.length) {
    const ready = pending.filter((q) => !q.redrive || queueArns.has(q.redrive.deadLetterQueueId) || !nodes.has(q.redrive.deadLetterQueueId));
    if (!ready.length) throw new Error("queue redrive policies form a cycle");
    for (const q of ready) {
      pending.splice(pending.indexOf(q), 1);
      const attributes: Record<string, string> = {
        VisibilityTimeout: String(q.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(q.messageRetentionSeconds),
        DelaySeconds: String(q.delaySeconds),
        MaximumMessageSize: String(q.maxMessageSizeBytes),
      };
      if (q.fifo) {
        attributes.FifoQueue = "true";
        if (q.contentBasedDeduplication) attributes.ContentBasedDeduplication = "true";
      }
      if (q.redrive && queueArns.has(q.redrive.deadLetterQueueId))
        attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: queueArns.get(q.redrive.deadLetterQueueId), maxReceiveCount: q.redrive.maxReceiveCount });
      const name = q.fifo ? `${q.id}.fifo` : q.id;
      const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      const url = created.QueueUrl!;
      const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
      queueUrls.set(q.id, url);
      queueArns.set(q.id, arn);
    }
  }

  const streamNames = new Map<string, string>();
  const streamArns = new Map<string, string>();
  for (const s of topology.nodes) {
    if (s.kind !== "stream") continue;
    await kinesis.send(new CreateStreamCommand({ StreamName: s.id, ShardCount: s.mode === "on-demand" ? 4 : s.shardCount }));
    for (let i = 0; i < 100; i++) {
      const d = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: s.id }));
      if (d.StreamDescriptionSummary?.StreamStatus === "ACTIVE") {
        streamArns.set(s.id, d.StreamDescriptionSummary.StreamARN!);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    streamNames.set(s.id, s.id);
  }

  // DynamoDB tables: items in memory; a table's stream is a hidden one-shard Kinesis stream of change records, so
  // its triggers get the stream event source mapping semantics (batch, starting position, retries, bisect, age).
  const tables = new Map<string, LocalTable>();
  const tableStreams = new Map<string, string>();
  for (const n of topology.nodes) {
    if (n.kind !== "table") continue;
    const table = new LocalTable(n);
    tables.set(n.id, table);
    if (!n.stream) continue;
    const name = `dynamodb-${n.id}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    for (let i = 0; i < 100; i++) {
      const d = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      if (d.StreamDescriptionSummary?.StreamStatus === "ACTIVE") {
        tableStreams.set(n.id, d.StreamDescriptionSummary.StreamARN!);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const buckets = new Map<string, Map<string, S3Object>>();
  for (const n of topology.nodes) if (n.kind === "bucket") buckets.set(n.id, new Map());

  // Lambda filter criteria per trigger edge (an invalid pattern stops the start with TOPO-E105).
  const filters = new Map<string, Pattern[]>();
  for (const e of topology.edges)
    if (e.kind === "trigger" && e.filterCriteria) filters.set(e.id, e.filterCriteria.patterns.map((p, i) => parsePattern(p, `filter ${i + 1} of trigger "${e.id}"`)));
  const snsPolicies = new Map<string, Pattern>();
  const busPatterns = new Map<string, Pattern>();
  for (const e of topology.edges) {
    if (e.kind !== "trigger") continue;
    if (e.snsFilterPolicy) snsPolicies.set(e.id, parsePattern(e.snsFilterPolicy, `filter policy of trigger "${e.id}"`));
    if (e.eventPattern) busPatterns.set(e.id, parsePattern(e.eventPattern, `event pattern of trigger "${e.id}"`));
  }

  // --- functions and triggers ---------------------------------------------------------------------
  const runtimes = new Map<string, FunctionRuntime>();
  for (const n of topology.nodes) {
    if (n.kind === "function")
      runtimes.set(n.id, new FunctionRuntime(n, { logs: logs.store, seed: opts.seed, idleTtlMs: opts.idleTtlMs, onReport: opts.onReport, downstream: downstreamOf(n) }));
  }
  cleanups.push(async () => {
    for (const rt of runtimes.values()) rt.close();
  });

  // Kafka: a local partitioned log per topic (no broker; see kafka-log.ts).
  const kafka = new LocalKafkaLog(opts.dataDir ? join(opts.dataDir, "kafka") : undefined);
  for (const n of topology.nodes) if (n.kind === "kafka-topic") kafka.createTopic(n.topic, n.partitions);
  cleanups.push(async () => kafka.flush());
  const kafkaConsumers = new Map<string, KafkaConsumer>();

  const pollers: SqsPoller[] = [];
  const sqsPollers = new Map<string, SqsPoller>();
  const kinesisPollers = new Map<string, KinesisPoller>();
  const driven = new Set<string>();
  const triggers = topology.edges.filter((e): e is TriggerEdge => e.kind === "trigger");
  for (const t of triggers) {
    const source = nodes.get(t.source);
    const rt = runtimes.get(t.target);
    if (!t.enabled || !source || !rt || t.type !== "event") continue;
    if (source.kind === "queue") {
      const eff = effectiveTrigger(t, source);
      const p = new SqsPoller(new DirectQueue(sqsStore, queueUrls.get(source.id)!), queueArns.get(source.id)!, rt, {
        batchSize: eff.batchSize ?? 10,
        windowMs: (eff.maximumBatchingWindowSeconds ?? 0) * 1000,
        partialBatch: eff.reportBatchItemFailures ?? false,
        concurrency: t.maximumConcurrency ?? opts.defaultSqsConcurrency ?? 5,
        waitSeconds: opts.pollWaitSeconds ?? 1,
        filter: sqsFilter(filters.get(t.id)),
      });
      p.start();
      pollers.push(p);
      sqsPollers.set(t.id, p);
      driven.add(t.id);
    } else if ((source.kind === "stream" && streamArns.has(source.id)) || (source.kind === "table" && tableStreams.has(source.id))) {
      const eff = effectiveTrigger(t, source);
      const dest = t.onFailureDestinationId ? queueUrls.get(t.onFailureDestinationId) : undefined;
      const isTable = source.kind === "table";
      const patterns = filters.get(t.id);
      const p = new KinesisPoller(kinesis, sqs, isTable ? `dynamodb-${source.id}` : source.id, isTable ? tableStreams.get(source.id)! : streamArns.get(source.id)!, rt, {
        format: isTable ? "dynamodb" : "kinesis",
        eventSourceArn: isTable ? tables.get(source.id)!.streamArn : undefined,
        filter: patterns
          ? isTable
            ? (rec) => anyPatternMatches(patterns, rec)
            : (rec) => anyPatternMatches(patterns, { data: jsonOrString(Buffer.from((rec as { kinesis: { data: string } }).kinesis.data, "base64").toString("utf8")) })
          : undefined,
        batchSize: eff.batchSize ?? 100,
        startingPosition: eff.startingPosition ?? "LATEST",
        startingPositionTimestamp: t.startingPositionTimestamp,
        bisectBatchOnFunctionError: eff.bisectBatchOnFunctionError ?? false,
        maximumRetryAttempts: eff.maximumRetryAttempts ?? -1,
        maximumRecordAgeSeconds: eff.maximumRecordAgeSeconds ?? -1,
        reportBatchItemFailures: eff.reportBatchItemFailures ?? false,
        onFailureQueueUrl: dest,
        pollIntervalMs: opts.kinesisPollIntervalMs ?? 100,
        windowMs: (eff.maximumBatchingWindowSeconds ?? 0) * 1000,
      });
      cleanups.push(() => p.stop());
      await p.start();
      kinesisPollers.set(t.id, p);
      driven.add(t.id);
    } else if (source.kind === "kafka-topic") {
      const eff = effectiveTrigger(t, source);
      const c = new KafkaConsumer(kafka, rt, {
        topic: source.topic,
        group: t.consumerGroupId ?? t.id,
        batchSize: eff.batchSize ?? 100,
        startingPosition: eff.startingPosition ?? "LATEST",
        maximumRetryAttempts: eff.maximumRetryAttempts ?? -1,
        bootstrapServers: source.bootstrapServers,
        eventSourceArn: source.clusterArn ?? `arn:aws:kafka:${REGION}:000000000000:cluster/sandbox/${source.id}`,
        pollIntervalMs: opts.kinesisPollIntervalMs ?? 100,
        windowMs: (eff.maximumBatchingWindowSeconds ?? 0) * 1000,
        filter: kafkaFilter(filters.get(t.id)),
      });
      cleanups.push(() => c.stop());
      c.start();
      kafkaConsumers.set(t.id, c);
      driven.add(t.id);
    }
  }
  // Asynchronous invocations (schedules, send() to a function): retries, then DLQ / on-failure destination.
  const asyncAbort = new AbortController();
  const asyncPending = new Set<Promise<unknown>>();
  const fireAsync = (rt: FunctionRuntime, event: unknown) => {
    const p: Promise<unknown> = invokeAsync(rt, event, { sqs, queueUrls, retryDelaysMs: opts.asyncRetryDelaysMs, signal: asyncAbort.signal, deliver: (id, body) => deliver(id, body) })
      .catch(() => {})
      .finally(() => asyncPending.delete(p));
    asyncPending.add(p);
  };
  const schedules: { stop: () => void }[] = [];
  for (const t of triggers) {
    const source = nodes.get(t.source);
    const rt = runtimes.get(t.target);
    if (!t.enabled || !rt || source?.kind !== "schedule" || !source.enabled) continue;
    const arn = `arn:aws:scheduler:${REGION}:000000000000:schedule/default/${source.id}`;
    const input = t.input;
    schedules.push(startSchedule(source.expression, source.timezone, () => fireAsync(rt, input !== undefined ? safeJson(input) : scheduledEvent(arn)), opts.scheduleRateScale ?? 1));
    driven.add(t.id);
  }
  cleanups.push(async () => {
    for (const sc of schedules) sc.stop();
    asyncAbort.abort();
    await Promise.race([Promise.all([...asyncPending]), sleep(2_000)]);
  });
  // Consumer-lag triggers: every lagCheckIntervalSeconds (default 60), invoke (async) when the lag exceeds
  // lagThreshold (default 0). Queue: visible + in flight. Kafka: the group's total lag on the local log. Streams: not yet.
  const lagTimers: NodeJS.Timeout[] = [];
  for (const t of triggers) {
    const source = nodes.get(t.source);
    const rt = runtimes.get(t.target);
    if (!t.enabled || !rt || t.type !== "consumer-lag" || (source?.kind !== "queue" && source?.kind !== "kafka-topic")) continue;
    const url = source.kind === "queue" ? queueUrls.get(source.id)! : "";
    const threshold = t.lagThreshold ?? 0;
    const kafkaGroup = source.kind === "kafka-topic" ? (t.consumerGroupId ?? t.id) : undefined;
    const kafkaTopic = source.kind === "kafka-topic" ? source.topic : undefined;
    let checking = false;
    const check = async () => {
      if (checking) return;
      checking = true;
      try {
        let lag: number;
        if (kafkaGroup && kafkaTopic) lag = kafka.lag(kafkaGroup, kafkaTopic).total;
        else {
          const c = new DirectQueue(sqsStore, url).counts();
          lag = c.visible + c.inFlight;
        }
        if (lag > threshold) fireAsync(rt, { source: "topograph.sandbox", "detail-type": "Consumer Lag Exceeded", detail: { nodeId: source.id, lag, threshold, time: new Date().toISOString() } });
      } catch {
        // the emulator is stopping
      } finally {
        checking = false;
      }
    };
    lagTimers.push(setInterval(() => void check(), (t.lagCheckIntervalSeconds ?? 60) * 1000));
    driven.add(t.id);
  }
  cleanups.push(async () => {
    for (const x of lagTimers) clearInterval(x);
  });
  // Push integrations (SNS subscriptions, EventBridge rules, S3 notifications) are driven by deliver().
  for (const t of triggers) {
    const source = nodes.get(t.source);
    if (t.enabled && t.type === "event" && runtimes.has(t.target) && (source?.kind === "sns-topic" || source?.kind === "event-bus" || source?.kind === "bucket")) driven.add(t.id);
  }
  // HTTP routes on their own loopback port.
  const routes: Route[] = [];
  for (const t of triggers) {
    const source = nodes.get(t.source);
    const rt = runtimes.get(t.target);
    if (!t.enabled || !rt || source?.kind !== "http-route") continue;
    routes.push({ node: source, rt });
    driven.add(t.id);
  }
  const http = await startHttpRoutes(routes);
  cleanups.push(() => http.stop());
  // Pollers stop first (before the servers they talk to).
  cleanups.push(async () => {
    await Promise.all(pollers.map((p) => p.stop()));
  });


  // --- delivery: one event to a node, the way AWS would carry it ------------------------------------------
  async function deliver(nodeId: string, body: string, hops = 0): Promise<void> {
    const node = nodes.get(nodeId);
    if (!node) throw new Error(`no node ${nodeId} in the topology`);
    // Loop guard (as Lambda's and EventBridge's recursion detection): stop a chain after 16 hops.
    if (hops > 16) return;
    const outs = (kind: "produce") => topology.edges.filter((e) => e.kind === kind && e.source === nodeId);
    if (node.kind === "queue") {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrls.get(nodeId)!,
          MessageBody: body,
          ...(node.fifo ? { MessageGroupId: "traffic", MessageDeduplicationId: randomUUID() } : {}),
        }),
      );
    } else if (node.kind === "stream") {
      await kinesis.send(new PutRecordCommand({ StreamName: streamNames.get(nodeId)!, PartitionKey: randomUUID(), Data: Buffer.from(body) }));
    } else if (node.kind === "kafka-topic") {
      kafka.produce(node.topic, body, String(Math.floor(Math.random() * 1e9)));
    } else if (node.kind === "http-route") {
      const path = node.path.replace(/\{[^}]+\}/g, "sandbox");
      const method = node.method === "ANY" ? "POST" : node.method;
      const r = await fetch(http.endpoint + path, { method, body: method === "GET" || method === "HEAD" ? undefined : body, headers: { "content-type": "application/json" } });
      await r.arrayBuffer();
    } else if (node.kind === "function") {
      fireAsync(runtimes.get(nodeId)!, safeJson(body));
    } else if (node.kind === "sns-topic") {
      const m = snsMessage(node, body);
      const attrs = snsPolicyInput(m);
      for (const t of triggers) {
        if (t.source !== nodeId || !t.enabled || t.type !== "event") continue;
        const rt = runtimes.get(t.target);
        const policy = snsPolicies.get(t.id);
        if (!rt || (policy && !matchesPattern(policy, attrs))) continue;
        fireAsync(rt, snsLambdaEvent(m, t.id));
      }
      for (const e of outs("produce")) await deliver(e.target, JSON.stringify(snsEnvelope(m, e.id)), hops + 1);
    } else if (node.kind === "event-bus") {
      const ev = bridgeEvent(body);
      for (const t of triggers) {
        if (t.source !== nodeId || !t.enabled || t.type !== "event") continue;
        const rt = runtimes.get(t.target);
        const pattern = busPatterns.get(t.id);
        if (!rt || (pattern && !matchesPattern(pattern, ev))) continue;
        fireAsync(rt, t.input !== undefined ? safeJson(t.input) : ev);
      }
      for (const e of outs("produce")) await deliver(e.target, JSON.stringify(ev), hops + 1);
    } else if (node.kind === "bucket") {
      const obj = s3Object(body);
      buckets.get(nodeId)!.set(obj.key, obj);
      const eventName = "ObjectCreated:Put";
      for (const t of triggers) {
        if (t.source !== nodeId || !t.enabled || t.type !== "event") continue;
        const rt = runtimes.get(t.target);
        if (!rt || !s3Matches(eventName, obj.key, t.s3Events, t.s3Filter)) continue;
        fireAsync(rt, { Records: [s3Record(node.id, obj, t.id, eventName)] });
      }
      for (const e of outs("produce")) {
        const target = nodes.get(e.target);
        const payload = target?.kind === "event-bus" ? s3BridgeEvent(node.id, obj) : { Records: [s3Record(node.id, obj, e.id, eventName)] };
        await deliver(e.target, JSON.stringify(payload), hops + 1);
      }
    } else if (node.kind === "table") {
      const parsed = jsonOrString(body);
      const item = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: body };
      const table = tables.get(nodeId)!;
      const change = table.put(item);
      const keyText = JSON.stringify(change.dynamodb.Keys);
      if (tableStreams.has(nodeId)) await kinesis.send(new PutRecordCommand({ StreamName: `dynamodb-${nodeId}`, PartitionKey: keyText.slice(0, 256), Data: Buffer.from(JSON.stringify(change)) }));
      // Kinesis Data Streams for DynamoDB: the change record, in that integration's format.
      for (const e of outs("produce")) {
        const record = { awsRegion: REGION, eventID: randomUUID(), eventName: change.eventName, userIdentity: null, recordFormat: "application/json", tableName: node.name, dynamodb: change.dynamodb, eventSource: "aws:dynamodb" };
        await deliver(e.target, JSON.stringify(record), hops + 1);
      }
    } else throw new Error(`the sandbox cannot send events to a ${node.kind} node`);
  }

  /** A function's outgoing calls, produce edges and table/bucket writes, run after its handler with what it passes on. */
  function downstreamOf(fn: FunctionNode): ((event: unknown, response: unknown) => Promise<void>) | undefined {
    // Calls, produce edges, and writes to tables and buckets (an access edge that writes: PutItem / PutObject).
    const edges = topology.edges.filter(
      (e) =>
        e.source === fn.id &&
        nodes.has(e.target) &&
        (e.kind === "call" || e.kind === "produce" || (e.kind === "access" && e.mode !== "read" && ["table", "bucket"].includes(nodes.get(e.target)!.kind))),
    );
    if (!edges.length) return undefined;
    return async (event, response) => {
      const payloads = forwardedPayloads(event, response);
      for (const e of edges) {
        for (const p of payloads) {
          if (e.kind === "call") {
            const rt = runtimes.get(e.target);
            if (!rt) continue;
            if (e.mode === "async") fireAsync(rt, safeJson(p));
            else {
              const r = await rt.invoke(safeJson(p));
              if (r.status !== "success") throw new Error(`${rt.fn.name} (RequestResponse) failed: ${r.status === "timeout" ? "Task timed out" : r.status === "throttled" ? "Rate Exceeded." : (r.errorMessage ?? r.status)}`);
            }
          } else if (nodes.get(e.target)?.kind === "event-bus") {
            const rules = triggers.filter((t) => t.source === e.target && busPatterns.has(t.id)).map((t) => busPatterns.get(t.id));
            await deliver(e.target, busEventFor(p, e.label, rules, fn.id), 1);
          } else if (nodes.get(e.target)?.kind !== "external") await deliver(e.target, p, 1); // produce, or a table/bucket write
        }
      }
    };
  }

  return {
    endpoints: { sqs: sqsEndpoint, kinesis: kinesisEndpoint, logs: logs.endpoint, http: http.endpoint },
    logs,
    sqs,
    kinesis,
    queueUrls,
    streamNames,
    streamArns,
    runtimes,
    kafka,
    tables,
    buckets,
    send: (nodeId, body) => deliver(nodeId, body),
    setTriggerPaused(edgeId, paused) {
      const p = sqsPollers.get(edgeId);
      if (!p) return false;
      p.setPaused(paused);
      return true;
    },
    async summary() {
      const functions: SandboxSummary["functions"] = {};
      for (const [id, rt] of runtimes) functions[id] = { name: rt.fn.name, ...rt.stats };
      const qs: SandboxSummary["queues"] = {};
      for (const q of queues) {
          const c = new DirectQueue(sqsStore, queueUrls.get(q.id)!).counts();
        qs[q.id] = { name: q.name, depth: c.visible, inFlight: c.inFlight, isDeadLetterQueue: dlqIds.has(q.id) };
      }
      const tr: SandboxSummary["triggers"] = {};
      for (const t of triggers) {
        const src = nodes.get(t.source);
        const q = src?.kind === "queue" ? qs[src.id] : undefined;
        const kp = kinesisPollers.get(t.id);
        const kc = kafkaConsumers.get(t.id);
        tr[t.id] = {
          source: t.source,
          target: t.target,
          kind: src?.kind ?? "unknown",
          lag: q ? q.depth + q.inFlight : kp ? kp.iteratorAgeMs : kc ? kc.lag().total : src?.kind === "kafka-topic" && t.consumerGroupId ? kafka.lag(t.consumerGroupId, src.topic).total : 0,
          lagUnit: kp ? "ms" : "messages",
          driven: driven.has(t.id),
        };
        // Per shard (iterator age, ms) or per partition (records behind the group's committed offset).
        if (kp) tr[t.id].partitions = kp.shardIteratorAgesMs;
        else if (kc) tr[t.id].partitions = Object.fromEntries(kc.lag().partitions.map((n, i) => [String(i), n]));
      }
      const tbl: SandboxSummary["tables"] = {};
      for (const [id, t] of tables) tbl[id] = { name: t.node.name, items: t.size };
      const bkt: SandboxSummary["buckets"] = {};
      for (const [id, b] of buckets) bkt[id] = { name: nodes.get(id)!.name, objects: b.size };
      return { functions, queues: qs, triggers: tr, tables: tbl, buckets: bkt };
    },
    stop: stopAll,
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return { body: s };
  }
}

interface SqsPollerSettings {
  /** Lambda filter criteria: non-matching messages are deleted without an invocation (as Lambda does). */
  filter?: (m: Message, record: ReturnType<SqsPoller["record"]>) => boolean;
  batchSize: number;
  windowMs: number;
  partialBatch: boolean;
  concurrency: number;
  waitSeconds: number;
}

/**
 * An SQS event source mapping: `concurrency` loops, each receiving a batch (up to batchSize, gathering for up to
 * the batching window), invoking the function, then deleting what succeeded. With a partial batch response only
 * the messages named in batchItemFailures stay; on an error, timeout or throttle nothing is deleted.
 */
export class SqsPoller {
  private loops: Promise<void>[] = [];
  private stopped = false;
  /** Messages deleted by the filter criteria without an invocation. */
  filtered = 0;

  constructor(
    private readonly queue: DirectQueue,
    private readonly queueArn: string,
    private readonly rt: FunctionRuntime,
    private readonly s: SqsPollerSettings,
  ) {}

  start() {
    for (let i = 0; i < Math.max(1, this.s.concurrency); i++) this.loops.push(this.loop());
  }

  private paused: { promise: Promise<void>; resume: () => void } | undefined;

  setPaused(paused: boolean) {
    if (paused && !this.paused) {
      let resume!: () => void;
      const promise = new Promise<void>((r) => (resume = r));
      this.paused = { promise, resume };
      this.queue.wake(); // long polls return so the loops see the pause
    } else if (!paused && this.paused) {
      this.paused.resume();
      this.paused = undefined;
    }
  }

  async stop() {
    this.stopped = true;
    this.paused?.resume();
    this.queue.wake();
    // An invocation in flight finishes within the function's timeout; do not wait longer than 2 s for it.
    await Promise.race([Promise.all(this.loops), new Promise((r) => setTimeout(r, 2_000).unref())]);
  }

  private async loop() {
    while (!this.stopped) {
      // Receiving from the in-process store never waits while messages are there: yield once per batch so a
      // backlog cannot monopolise the event loop (the HTTP endpoints and the app share it).
      await new Promise<void>((r) => setImmediate(r));
      if (this.paused) {
        await this.paused.promise;
        continue;
      }
      try {
        let batch = await this.receiveBatch();
        if (this.stopped || !batch.length) continue;
        if (this.s.filter) {
          const keep = batch.filter((m) => this.s.filter!(m, this.record(m)));
          const drop = batch.filter((m) => !keep.includes(m));
          this.filtered += drop.length;
          if (drop.length) await this.delete(drop);
          batch = keep;
          if (!batch.length) continue;
        }
        const event = { Records: batch.map((m) => this.record(m)) };
        const r = await this.rt.invoke(event, { partialBatch: this.s.partialBatch });
        if (r.status !== "success") {
          if (r.status === "throttled") await sleep(20); // back off; the batch returns after its visibility timeout
          continue;
        }
        let done = batch;
        if (this.s.partialBatch) {
          const failures = (r.response as { batchItemFailures?: { itemIdentifier?: string }[] } | null)?.batchItemFailures;
          if (Array.isArray(failures) && failures.length) {
            const ids = new Set(failures.map((f) => f.itemIdentifier));
            // An identifier that names no message of the batch fails the whole batch (as in Lambda).
            if ([...ids].some((id) => !batch.some((m) => m.MessageId === id))) continue;
            done = batch.filter((m) => !ids.has(m.MessageId));
          }
        }
        await this.delete(done);
      } catch (e) {
        if (this.stopped) return;
        await sleep(50); // transient emulator error: retry
      }
    }
  }

  private async delete(done: Message[]) {
    this.queue.delete(done.map((m) => m.ReceiptHandle!));
  }

  private async receiveBatch(): Promise<Message[]> {
    const out: Message[] = [];
    const deadline = Date.now() + this.s.windowMs;
    let first = true;
    while (out.length < this.s.batchSize && !this.stopped) {
      const left = deadline - Date.now();
      if (!first && left <= 0) break;
      // The first receive long-polls; inside a batching window, short receives so the window is kept.
      const got = await this.queue.receive(Math.min(10, this.s.batchSize - out.length), first ? this.s.waitSeconds : 0);
      out.push(...got);
      if (first && !out.length) return out; // nothing arrived during the long poll
      first = false;
      // Without a batching window, invoke with what one receive returned (Lambda's default of 0 s).
      if (this.s.windowMs <= 0) break;
      if (!got.length) await sleep(Math.max(0, Math.min(20, deadline - Date.now())));
    }
    return out;
  }

  record(m: Message) {
    return {
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      attributes: m.Attributes ?? {},
      messageAttributes: lambdaMessageAttributes(m.MessageAttributes),
      md5OfBody: m.MD5OfBody,
      eventSource: "aws:sqs",
      eventSourceARN: this.queueArn,
      awsRegion: REGION,
    };
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function sqsFilter(patterns: Pattern[] | undefined) {
  if (!patterns) return undefined;
  return (m: Message, record: Record<string, unknown>) => anyPatternMatches(patterns, { ...record, body: jsonOrString(m.Body ?? "") });
}

function kafkaFilter(patterns: Pattern[] | undefined) {
  if (!patterns) return undefined;
  return (r: unknown) => anyPatternMatches(patterns, { value: jsonOrString((r as KafkaRecord).value) });
}

/** SQS message attributes as Lambda's SQS event writes them (camel-cased, list fields present). */
function lambdaMessageAttributes(a: Message["MessageAttributes"]) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(a ?? {}))
    out[k] = { stringValue: v.StringValue, ...(v.BinaryValue !== undefined ? { binaryValue: v.BinaryValue } : {}), stringListValues: [], binaryListValues: [], dataType: v.DataType };
  return out;
}
