/**
 * The topology document: the one model every part of Topograph reads and writes
 * (editor, API, rules, exporters, importer, sandbox, observers). Types come from `z.infer`;
 * the JSON Schema for outsiders is generated from these definitions (`topo schema`).
 *
 * Conventions:
 * - Units are in field names (`timeoutSeconds`, `memoryMb`) so a number never needs a guess.
 * - Fields take any well-typed value; AWS's own ranges live in `LIMITS` and are enforced by the
 *   design rules, so a half-finished design can be saved, linted and fixed rather than refused.
 * - Optional event-source settings mean "AWS's default for this source"; `effectiveTrigger()`
 *   in graph.ts resolves them, because the default depends on the source kind.
 * - `extras` keeps IaC properties we do not model, verbatim, so import → export loses nothing.
 */
import { z } from "zod";
import { DOCUMENT_LIMITS, LIMITS, RUNTIMES } from "./limits";

export const SCHEMA_VERSION = 1 as const;

const L = LIMITS;
const T = DOCUMENT_LIMITS.text;
const range = (r: { min: number; max: number }, unit: string) => `AWS range ${r.min}–${r.max} ${unit}`;

/** Stable identifier: lower-case letters, digits and dashes; never changes when the element is renamed. */
export const IdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "ids are lower-case letters, digits and dashes, starting with a letter or digit")
  .describe("Stable id: lower-case letters, digits and dashes; kept when the element is renamed.");

const NameSchema = z.string().trim().min(1, "a name is required").max(140);

export const PositionSchema = z.object({ x: z.number(), y: z.number() }).describe("Canvas position in pixels.");

/** IaC properties we do not model, kept verbatim for a lossless round trip. */
const ExtrasSchema = z
  .record(z.string(), z.unknown())
  .describe("Properties from an imported template that the model does not cover, emitted again unchanged.");

const int = () => z.number().int();

// ---------------------------------------------------------------------------------------------
// Bounded contexts
// ---------------------------------------------------------------------------------------------

export const ContextSchema = z
  .strictObject({
    id: IdSchema,
    name: NameSchema,
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, "a colour is #rrggbb")
      .default("#6366f1")
      .describe("Group colour on the canvas, #rrggbb."),
    owner: z.string().max(140).optional().describe("Team that owns this context."),
    description: z.string().max(4_000).optional(),
    position: PositionSchema.optional(),
    size: z.object({ width: z.number().positive(), height: z.number().positive() }).optional(),
    collapsed: z.boolean().optional().describe("Drawn as one summary node on the canvas."),
  })
  .describe("A bounded context: owns its functions, data stores and internal streams.");

// ---------------------------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------------------------

const nodeBase = {
  id: IdSchema,
  name: NameSchema.describe("Human name; also the base of the exported logical id."),
  contextId: IdSchema.optional().describe("Owning bounded context; absent for shared or external elements."),
  description: z.string().max(4_000).optional(),
  position: PositionSchema.optional(),
  tags: z.record(z.string().max(T.key), z.string().max(T.value)).optional(),
  extras: ExtrasSchema.optional(),
};

/** Where a failed asynchronous or stream event goes: a queue, topic, bus, function or bucket node id. */
const DestinationId = IdSchema.describe("Node id of a queue, SNS topic, event bus, function or S3 bucket.");

export const AsyncInvokeSchema = z
  .strictObject({
    maximumRetryAttempts: int()
      .default(L.asyncInvoke.maximumRetryAttempts.default)
      .describe(`Retries after a failed asynchronous invocation; ${range(L.asyncInvoke.maximumRetryAttempts, "")}, default 2.`),
    maximumEventAgeSeconds: int()
      .default(L.asyncInvoke.maximumEventAgeSeconds.default)
      .describe(`How long an event may wait in the async queue; ${range(L.asyncInvoke.maximumEventAgeSeconds, "s")}, default 21,600.`),
    onSuccessDestinationId: DestinationId.optional(),
    onFailureDestinationId: DestinationId.optional(),
  })
  .describe(
    "Asynchronous invocation config of the function (AWS EventInvokeConfig). It applies to every async caller: async calls, S3, SNS, EventBridge and schedules.",
  );

export const AliasSchema = z
  .strictObject({
    name: z.string().min(1).max(128).default("live"),
    versions: z
      .array(z.object({ version: z.string().min(1).max(T.key), weight: z.number() }))
      .min(1)
      .describe("Weighted routing: weights are fractions that sum to 1."),
    deploymentPreference: z
      .enum([
        "AllAtOnce",
        "Canary10Percent5Minutes",
        "Canary10Percent10Minutes",
        "Canary10Percent30Minutes",
        "Linear10PercentEvery1Minute",
        "Linear10PercentEvery10Minutes",
      ])
      .optional(),
  })
  .describe("Published versions behind an alias, with weighted routing.");

export const SimulationSchema = z
  .strictObject({
    latencyMs: int().min(0).default(20).describe("Handler work time in the local sandbox."),
    initMs: int().min(0).default(150).describe("Init phase time on a cold start in the local sandbox."),
    failureRate: z.number().min(0).max(1).default(0).describe("Fraction of invocations that throw."),
    poisonMarker: z.string().max(200).optional().describe("Payloads containing this text always fail."),
  })
  .describe("Behaviour of the default handler in the local sandbox, for demos and tests.");

export const FunctionNodeSchema = z
  .strictObject({
    ...nodeBase,
    kind: z.literal("function"),
    runtime: z.enum(RUNTIMES).default("nodejs22.x"),
    handler: z.string().min(1).max(256).default("index.handler"),
    codeUri: z.string().max(1_024).optional().describe("Path of the code package, relative to the template."),
    inlineSource: z.string().max(200_000).optional().describe("Handler source used by the sandbox and written by the exporters."),
    memoryMb: int().default(L.function.memoryMb.default).describe(`Memory in MB; ${range(L.function.memoryMb, "MB")}, default 128.`),
    timeoutSeconds: int()
      .default(L.function.timeoutSeconds.default)
      .describe(`Timeout in seconds; ${range(L.function.timeoutSeconds, "s")}, default 3.`),
    architecture: z.enum(["x86_64", "arm64"]).default("x86_64"),
    ephemeralStorageMb: int()
      .default(L.function.ephemeralStorageMb.default)
      .describe(`/tmp size in MB; ${range(L.function.ephemeralStorageMb, "MB")}, default 512.`),
    environment: z.record(z.string().max(T.key), z.string().max(T.value)).default({}).describe("Environment variables."),
    layers: z.array(z.string().min(1).max(T.reference)).default([]).describe("Layer ARNs or references."),
    reservedConcurrency: int().optional().describe("Reserved concurrent executions; 0 throttles every invocation."),
    provisionedConcurrency: int().optional().describe("Provisioned concurrency on the alias (pre-initialised environments)."),
    snapStart: z.boolean().default(false).describe("SnapStart (Java, Python, .NET): restore from a snapshot instead of init."),
    logFormat: z.enum(["Text", "JSON"]).default("Text").describe("Lambda log format: plain REPORT lines or JSON platform.report."),
    logGroupName: z.string().max(512).optional().describe("Defaults to /aws/lambda/<function name>."),
    deadLetterQueueId: IdSchema.optional().describe("Queue or SNS topic receiving events whose async retries failed."),
    asyncInvoke: AsyncInvokeSchema.optional(),
    alias: AliasSchema.optional(),
    simulate: SimulationSchema.optional(),
  })
  .describe("A Lambda function.");

const published = z
  .boolean()
  .default(false)
  .describe("A published integration stream: other bounded contexts may consume it.");

export const HttpRouteNodeSchema = z
  .strictObject({
    ...nodeBase,
    kind: z.literal("http-route"),
    api: z.enum(["http", "rest"]).default("http").describe("API Gateway HTTP API (v2) or REST API (v1)."),
    method: z.enum(["ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]).default("ANY"),
    path: z.string().min(1).max(1_024).regex(/^\//, "a route path starts with /").default("/"),
    auth: z.enum(["none", "iam", "jwt", "api-key", "lambda"]).default("none"),
    webhook: z.boolean().default(false).describe("Called by a third party (webhook) rather than by our own clients."),
  })
  .describe("An HTTP API or webhook route.");

export const QueueNodeSchema = z
  .strictObject({
    ...nodeBase,
    kind: z.literal("queue"),
    fifo: z.boolean().default(false),
    contentBasedDeduplication: z.boolean().optional().describe("FIFO only."),
    visibilityTimeoutSeconds: int()
      .default(L.queue.visibilityTimeoutSeconds.default)
      .describe(`${range(L.queue.visibilityTimeoutSeconds, "s")}, default 30.`),
    messageRetentionSeconds: int()
      .default(L.queue.messageRetentionSeconds.default)
      .describe(`${range(L.queue.messageRetentionSeconds, "s")}, default 345,600 (4 days).`),
    delaySeconds: int().default(0).describe(`${range(L.queue.delaySeconds, "s")}.`),
    maxMessageSizeBytes: int()
      .default(L.queue.maxMessageSizeBytes.default)
      .describe(`${range(L.queue.maxMessageSizeBytes, "bytes")}.`),
    redrive: z
      .object({
        deadLetterQueueId: IdSchema,
        maxReceiveCount: int().describe(`Receives before a message moves to the DLQ; ${range(L.queue.maxReceiveCount, "")}; 5 or more with Lambda.`),
      })
      .optional()
      .describe("Redrive policy: where messages go after maxReceiveCount failed receives."),
    published,
  })
  .describe("An SQS queue (standard or FIFO). A queue that others redrive into is a dead-letter queue.");

export const StreamNodeSchema = z
  .strictObject({
    ...nodeBase,
    kind: z.literal("stream"),
    mode: z.enum(["provisioned", "on-demand"]).default("provisioned"),
    shardCount: int().default(1).describe(`Provisioned mode; ${range(L.stream.shardCount, "shards")}.`),
    retentionHours: int().default(24).describe(`${range(L.stream.retentionHours, "h")}.`),
    maxRecordSizeBytes: int().optional().describe("Largest record producers write; used by the payload check."),
    published,
  })
  .describe("A Kinesis data stream.");

export const TableNodeSchema = z
  .strictObject({
    ...nodeBase,
    kind: z.literal("table"),
    partitionKey: z.object({ name: z.string().min(1).max(T.key), type: z.enum(["S", "N", "B"]).default("S") }).default({ name: "id", type: "S" }),
    sortKey: z.object({ name: z.string().min(1).max(T.key), type: z.enum(["S", "N", "B"]).default("S") }).optional(),
    billingMode: z.enum(["PAY_PER_REQUEST", "PROVISIONED"]).default("PAY_PER_REQUEST"),
    stream: z
      .object({ viewType: z.enum(["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"]).default("NEW_AND_OLD_IMAGES") })
      .optional()
      .describe("DynamoDB stream; required for the table to trigger a function."),
    maxRecordSizeBytes: int().optional(),
    published,
  })
  .describe("A DynamoDB table, optionally with a stream.");

export const KafkaTopicNodeSchema = z
  .strictObject({
    ...nodeBase,
    kind: z.literal("kafka-topic"),
    cluster: z.enum(["msk", "self-managed"]).default("msk"),
    topic: z.string().min(1).max(249).describe("Topic name on the cluster."),
    bootstrapServers: z.array(z.string().min(1).max(T.reference)).default([]).describe("host:port list (self-managed clusters)."),
    clusterArn: z.string().max(T.reference).optional().describe("MSK cluster ARN."),
    partitions: int().default(L.kafkaTopic.partitions.default),
    maxRecordSizeBytes: int().optional(),
    published,
  })
  .describe("A Kafka topic on Amazon MSK or a self-managed cluster.");

export const SnsTopicNodeSchema = z
  .strictObject({ ...nodeBase, kind: z.literal("sns-topic"), fifo: z.boolean().default(false), published })
  .describe("An SNS topic.");

export const EventBusNodeSchema = z
  .strictObject({
    ...nodeBase,
    kind: z.literal("event-bus"),
    busName: z.string().min(1).max(256).default("default").describe("'default' is the account's default bus."),
    published,
  })
  .describe("An EventBridge event bus; rules are the patterns on its trigger edges.");

export const ScheduleNodeSchema = z
  .strictObject({
    ...nodeBase,
    kind: z.literal("schedule"),
    expression: z
      .string()
      .regex(/^(rate|cron|at)\(.+\)$/, "a schedule is rate(...), cron(...) or at(...)")
      .describe("rate(5 minutes), cron(0 12 * * ? *) or at(2026-12-01T10:00:00)."),
    timezone: z.string().max(T.key).optional().describe("IANA zone; EventBridge Scheduler only."),
    scheduler: z.enum(["rule", "scheduler"]).default("scheduler").describe("EventBridge rule (SAM Schedule) or EventBridge Scheduler (ScheduleV2)."),
    enabled: z.boolean().default(true),
  })
  .describe("A schedule that invokes functions.");

export const BucketNodeSchema = z
  .strictObject({ ...nodeBase, kind: z.literal("bucket"), versioned: z.boolean().default(false) })
  .describe("An S3 bucket: a data store whose object events can trigger functions.");

export const DataStoreNodeSchema = z
  .strictObject({
    ...nodeBase,
    kind: z.literal("data-store"),
    engine: z.enum(["sql", "document", "key-value", "cache", "search", "other"]).default("sql"),
    product: z.string().max(140).optional().describe("e.g. Aurora PostgreSQL, ElastiCache, OpenSearch."),
  })
  .describe("A data store other than DynamoDB or S3.");

export const ExternalNodeSchema = z
  .strictObject({
    ...nodeBase,
    kind: z.literal("external"),
    url: z.string().max(2_048).optional(),
    vendor: z.string().max(140).optional().describe("e.g. Stripe, Typeform, SAP."),
  })
  .describe("A system outside this topology: a SaaS, a partner, a legacy service.");

export const NodeSchema = z.discriminatedUnion("kind", [
  FunctionNodeSchema,
  HttpRouteNodeSchema,
  QueueNodeSchema,
  StreamNodeSchema,
  TableNodeSchema,
  KafkaTopicNodeSchema,
  SnsTopicNodeSchema,
  EventBusNodeSchema,
  ScheduleNodeSchema,
  BucketNodeSchema,
  DataStoreNodeSchema,
  ExternalNodeSchema,
]);

export const NODE_KINDS = [
  "function",
  "http-route",
  "queue",
  "stream",
  "table",
  "kafka-topic",
  "sns-topic",
  "event-bus",
  "schedule",
  "bucket",
  "data-store",
  "external",
] as const;

// ---------------------------------------------------------------------------------------------
// Edges
// ---------------------------------------------------------------------------------------------

const edgeBase = {
  id: IdSchema,
  source: IdSchema.describe("Id of the node the edge starts at."),
  target: IdSchema.describe("Id of the node the edge ends at."),
  label: z.string().max(140).optional(),
  extras: ExtrasSchema.optional(),
};

export const FilterCriteriaSchema = z
  .object({ patterns: z.array(z.string().min(2).max(T.value)).min(1).describe("Event filter patterns, each a JSON document.") })
  .describe("Lambda event filtering: only matching records invoke the function.");

/**
 * Every setting an event source can carry. Which ones apply depends on the source node's kind;
 * `TRIGGER_SETTINGS` in graph.ts says which, and validation rejects the others.
 */
export const TriggerEdgeSchema = z
  .strictObject({
    ...edgeBase,
    kind: z.literal("trigger"),
    type: z
      .enum(["event", "consumer-lag"])
      .default("event")
      .describe("'event': the function receives the events. 'consumer-lag': it is invoked when the consumer group's lag passes a threshold."),
    enabled: z.boolean().default(true),
    batchSize: int().optional().describe("Records per invocation. SQS default 10 (FIFO max 10, standard max 10,000); streams and Kafka default 100, max 10,000."),
    maximumBatchingWindowSeconds: z
      .number()
      .optional()
      .describe("How long to gather records before invoking; 0–300 s. Must be ≥ 1 when batch size > 10 on SQS."),
    startingPosition: z.enum(["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"]).optional().describe("Streams and Kafka. Default LATEST."),
    startingPositionTimestamp: z.string().datetime().optional().describe("With AT_TIMESTAMP."),
    parallelizationFactor: int().optional().describe("Concurrent batches per shard; 1–10, default 1."),
    bisectBatchOnFunctionError: z.boolean().optional().describe("Split a failing batch in two and retry each half."),
    maximumRetryAttempts: int().optional().describe("Streams: −1 (until the record expires) to 10,000; default −1."),
    maximumRecordAgeSeconds: int().optional().describe("Streams: −1 (no limit) or 60–604,800 s; default −1."),
    tumblingWindowSeconds: int().optional().describe("Streams: aggregation window, 0–900 s."),
    onFailureDestinationId: DestinationId.optional().describe("Where records that exhausted their retries are sent."),
    reportBatchItemFailures: z.boolean().optional().describe("Partial batch response: the handler names the failed records."),
    maximumConcurrency: int().optional().describe("SQS: concurrent invocations for this source; 2–1,000."),
    filterCriteria: FilterCriteriaSchema.optional(),
    consumerGroupId: z.string().min(1).max(200).optional().describe("Kafka consumer group id; cannot be changed after creation."),
    lagThreshold: int().optional().describe("consumer-lag: invoke when the group's lag (records) exceeds this."),
    lagCheckIntervalSeconds: int().optional().describe("consumer-lag: how often the lag is polled, in seconds."),
    eventPattern: z.string().max(T.json).optional().describe("EventBridge: the rule's event pattern (JSON)."),
    s3Events: z.array(z.string().max(T.key).regex(/^s3:/)).optional().describe("S3: event types, e.g. s3:ObjectCreated:*."),
    s3Filter: z.object({ prefix: z.string().max(T.reference).optional(), suffix: z.string().max(T.reference).optional() }).optional(),
    snsFilterPolicy: z.string().max(T.json).optional().describe("SNS: subscription filter policy (JSON)."),
    input: z.string().max(T.json).optional().describe("Schedule/EventBridge: constant input passed to the function (JSON)."),
  })
  .describe("An event source invoking a function (Lambda event source mapping, or a push integration).");

export const CallEdgeSchema = z
  .strictObject({
    ...edgeBase,
    kind: z.literal("call"),
    mode: z
      .enum(["sync", "async"])
      .default("sync")
      .describe("sync: request/response (RequestResponse). async: fire-and-forget (Event); retries and destinations come from the target's asyncInvoke."),
  })
  .describe("A function invoking another function directly.");

export const ProduceEdgeSchema = z
  .strictObject({
    ...edgeBase,
    kind: z.literal("produce"),
    maxRecordSizeBytes: int().optional().describe("Largest message this producer writes."),
  })
  .describe("A producer sending messages or events to a queue, stream, topic, bus, route or external system.");

export const AccessEdgeSchema = z
  .strictObject({
    ...edgeBase,
    kind: z.literal("access"),
    mode: z.enum(["read", "write", "read-write"]).default("read-write"),
  })
  .describe("A function reading or writing a data store (table, bucket, data store).");

export const EdgeSchema = z.discriminatedUnion("kind", [TriggerEdgeSchema, CallEdgeSchema, ProduceEdgeSchema, AccessEdgeSchema]);
export const EDGE_KINDS = ["trigger", "call", "produce", "access"] as const;

// ---------------------------------------------------------------------------------------------
// Environments (stored per project, not per revision; same schema for API, DB and observers)
// ---------------------------------------------------------------------------------------------

export const BindingSchema = z
  .object({
    functionName: z.string().max(T.reference).optional(),
    logGroupName: z.string().max(T.reference).optional(),
    queueUrl: z.string().max(T.reference).optional(),
    streamArn: z.string().max(T.reference).optional(),
    tableName: z.string().max(T.reference).optional(),
    topicArn: z.string().max(T.reference).optional(),
    kafkaBootstrapServers: z.array(z.string().max(T.reference)).optional(),
    kafkaConsumerGroupId: z.string().max(T.reference).optional(),
  })
  .describe("The physical resource a node is observed through.");

export const EnvironmentInputSchema = z
  .object({
    name: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, "names use letters, digits, spaces, _ . and -"),
    kind: z.enum(["local", "aws"]),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region looks like eu-west-1")
      .optional(),
    credentialsRef: z
      .string()
      .max(2_048)
      .regex(/^(profile:[A-Za-z0-9_.-]+|arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+|default)$/, "use 'default', 'profile:<name>' or a role ARN")
      .optional()
      .describe("A reference to credentials, never a secret: 'default' (provider chain), 'profile:<name>' or a role ARN."),
    stackName: z.string().max(128).regex(/^[A-Za-z][A-Za-z0-9-]*$/, "a stack name is letters, digits and dashes").optional(),
    bindings: z.record(IdSchema, BindingSchema).default({}).describe("Node id → physical resource."),
  })
  .superRefine((env, ctx) => {
    if (env.kind === "aws" && !env.region) ctx.addIssue({ code: "custom", path: ["region"], message: "an aws environment needs a region" });
  });

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

export const TopologySchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    name: NameSchema,
    description: z.string().max(20_000).optional(),
    contexts: z.array(ContextSchema).default([]),
    nodes: z.array(NodeSchema).default([]),
    edges: z.array(EdgeSchema).default([]),
    iac: z
      .object({
        sam: ExtrasSchema.optional().describe("Template sections we do not model (Parameters, Conditions, Mappings, Outputs, other resources), kept verbatim."),
      })
      .optional(),
  })
  .describe("A Topograph topology document.");

export type Topology = z.infer<typeof TopologySchema>;
export type TopologyInput = z.input<typeof TopologySchema>;
export type Context = z.infer<typeof ContextSchema>;
export type TopoNode = z.infer<typeof NodeSchema>;
export type TopoEdge = z.infer<typeof EdgeSchema>;
export type NodeKind = TopoNode["kind"];
export type EdgeKind = TopoEdge["kind"];
export type FunctionNode = z.infer<typeof FunctionNodeSchema>;
export type QueueNode = z.infer<typeof QueueNodeSchema>;
export type TriggerEdge = z.infer<typeof TriggerEdgeSchema>;
export type CallEdge = z.infer<typeof CallEdgeSchema>;
export type EnvironmentInput = z.input<typeof EnvironmentInputSchema>;
export type Environment = z.infer<typeof EnvironmentInputSchema>;
export type NodeOf<K extends NodeKind> = Extract<TopoNode, { kind: K }>;

/** JSON Schema (draft 2020-12) of the document, generated from the zod schema. */
export function topologyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(TopologySchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { $id: "https://topograph.dev/schema/topology-v1.json", title: "Topograph topology", ...schema };
}
