/**
 * The shapes the Observe side returns: one contract for the collectors (server/observe), the API
 * routes (app/api/projects/[id]/environments/[envId]/observe/**), `topo observe --json`, and the live
 * views (components/observe). Keys are the model's node / edge ids, so every figure lands on the
 * element of the canvas that drew it.
 */
import { z } from "zod";

/** Time windows of the selector; "custom" takes from/to (ISO) in the query string. */
export const WindowSchema = z.enum(["5m", "1h", "24h", "custom"]);
export type ObserveWindow = z.infer<typeof WindowSchema>;

/** Why a panel's data is old or missing; the panel keeps its last good data and shows this. */
export const FreshnessSchema = z.object({
  /** When the data shown was read from the source (ISO). */
  readAt: z.string().nullable(),
  state: z.enum(["fresh", "stale", "failing", "never"]),
  /** Present when the last read failed: "throttled", "access-denied", "not-found", "unreachable", "unbound", … */
  problem: z
    .object({
      kind: z.string(),
      code: z.string(),
      message: z.string(),
      fix: z.string().optional(),
      /** For access denied: the IAM action that was missing, e.g. "logs:FilterLogEvents". */
      missingAction: z.string().optional(),
    })
    .optional(),
});
export type Freshness = z.infer<typeof FreshnessSchema>;

/** One time bucket of a function's REPORT lines. */
export const FunctionBucketSchema = z.object({
  t: z.string(),
  invocations: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  coldStarts: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  initP95Ms: z.number().nullable(),
  billedMs: z.number(),
  maxMemoryUsedMb: z.number().nullable(),
});
export type FunctionBucket = z.infer<typeof FunctionBucketSchema>;

export const FunctionStatsSchema = z.object({
  invocations: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  throttles: z.number(),
  coldStarts: z.number(),
  /** invocations per minute over the window */
  perMin: z.number(),
  errorRate: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  initP50Ms: z.number().nullable(),
  initP95Ms: z.number().nullable(),
  /** SnapStart restores */
  restoreP95Ms: z.number().nullable(),
  billedMs: z.number(),
  maxMemoryUsedMb: z.number().nullable(),
  memorySizeMb: z.number().nullable(),
  freshness: FreshnessSchema,
});
export type FunctionStats = z.infer<typeof FunctionStatsSchema>;

/** Burrow's consumer statuses: OK, WARN (lag growing), STALL (committing but not moving), STOP (not committing). */
export const LagStatusSchema = z.enum(["OK", "WARN", "STALL", "STOP", "UNKNOWN"]);
export type LagStatus = z.infer<typeof LagStatusSchema>;

export const TriggerStatsSchema = z.object({
  source: z.string(),
  target: z.string(),
  /** sqs | kinesis | kafka | dynamodb-stream | schedule | http | … (the model's source kind) */
  kind: z.string(),
  /** messages (queue depth + in flight), ms (iterator age), records (Kafka offset lag) */
  lag: z.number().nullable(),
  lagUnit: z.enum(["messages", "ms", "records"]),
  status: LagStatusSchema,
  trend: z.enum(["rising", "falling", "flat", "unknown"]),
  /** items per minute flowing along the edge over the window */
  throughputPerMin: z.number().nullable(),
  /** per shard / partition: id → lag */
  partitions: z.record(z.string(), z.number()).optional(),
  freshness: FreshnessSchema,
});
export type TriggerStats = z.infer<typeof TriggerStatsSchema>;

export const QueueStatsSchema = z.object({
  depth: z.number().nullable(),
  inFlight: z.number().nullable(),
  oldestAgeSec: z.number().nullable(),
  isDeadLetterQueue: z.boolean(),
  freshness: FreshnessSchema,
});
export type QueueStats = z.infer<typeof QueueStatsSchema>;

/** GET /api/projects/[id]/environments/[envId]/observe?window=5m|1h|24h|custom[&from&to] */
export const SnapshotSchema = z.object({
  projectId: z.string(),
  environmentId: z.string(),
  revision: z.number(),
  window: z.object({ kind: WindowSchema, from: z.string(), to: z.string() }),
  readAt: z.string(),
  functions: z.record(z.string(), FunctionStatsSchema),
  triggers: z.record(z.string(), TriggerStatsSchema),
  queues: z.record(z.string(), QueueStatsSchema),
  /** A one-line health verdict per area for the environment summary. */
  health: z.object({
    status: z.enum(["healthy", "degraded", "failing", "unknown"]),
    reasons: z.array(z.string()),
  }),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** One invocation as its REPORT line told it. */
export const InvocationSchema = z.object({
  requestId: z.string(),
  at: z.string(),
  durationMs: z.number(),
  billedDurationMs: z.number(),
  memorySizeMb: z.number(),
  maxMemoryUsedMb: z.number(),
  initDurationMs: z.number().nullable(),
  restoreDurationMs: z.number().nullable(),
  status: z.enum(["success", "failure", "error", "timeout"]),
  errorType: z.string().nullable(),
});
export type Invocation = z.infer<typeof InvocationSchema>;

/** GET …/observe/functions/[nodeId]?window= : time series and the latest invocations. */
export const FunctionDetailSchema = z.object({
  nodeId: z.string(),
  functionName: z.string(),
  logGroupName: z.string(),
  stats: FunctionStatsSchema,
  bucketSeconds: z.number(),
  series: z.array(FunctionBucketSchema),
  /** CloudWatch metrics where the source has them (Throttles, ConcurrentExecutions, AsyncEventAge, …): name → points */
  metrics: z.record(z.string(), z.array(z.object({ t: z.string(), v: z.number() }))),
  latest: z.array(InvocationSchema),
});
export type FunctionDetail = z.infer<typeof FunctionDetailSchema>;

/** GET …/observe/triggers/[edgeId]?window= : lag over time, per shard / partition. */
export const TriggerDetailSchema = z.object({
  edgeId: z.string(),
  stats: TriggerStatsSchema,
  series: z.array(z.object({ t: z.string(), lag: z.number().nullable(), partitions: z.record(z.string(), z.number()).optional() })),
});
export type TriggerDetail = z.infer<typeof TriggerDetailSchema>;

/** A dead letter as peeked (not consumed). */
export const DeadLetterSchema = z.object({
  messageId: z.string(),
  /** Opaque handle for delete; valid until the next peek. */
  receiptHandle: z.string(),
  body: z.string(),
  /** The body parsed when it is JSON, for pretty-printing. */
  json: z.unknown().optional(),
  attributes: z.record(z.string(), z.string()),
  messageAttributes: z.record(z.string(), z.string()),
  receiveCount: z.number(),
  sentAt: z.string().nullable(),
  /** A Lambda failure record (async on-failure destination / DLQ) decoded. */
  failure: z
    .object({
      condition: z.string(),
      functionArn: z.string().nullable(),
      errorType: z.string().nullable(),
      errorMessage: z.string().nullable(),
      /** Which Lambda record this is: async DLQ message (attributes), async on-failure destination record, or an event source mapping's on-failure record. */
      source: z.enum(["async-dlq", "async-destination", "esm-on-failure"]).optional(),
      requestId: z.string().nullable().optional(),
      approximateInvokeCount: z.number().nullable().optional(),
      /** ESM on-failure records carry the batch's coordinates, not its data (KinesisBatchInfo, DDBStreamBatchInfo, …). */
      batchInfo: z.object({ kind: z.string(), fields: z.record(z.string(), z.unknown()) }).optional(),
    })
    .optional(),
  /** FIFO queues: the message group. */
  messageGroupId: z.string().optional(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

// ---------------------------------------------------------------------------------------------
// Dead-letter queues (server/observe/dlq): list, peek, redrive tasks
// ---------------------------------------------------------------------------------------------

/** What feeds a DLQ, from the model. */
export const DlqSourceSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  /** redrive: a queue's RedrivePolicy; function-dlq: a function's async DeadLetterConfig; async-on-failure: a function's
   * async on-failure destination; trigger-on-failure: an event source mapping's on-failure destination. */
  relation: z.enum(["redrive", "function-dlq", "async-on-failure", "trigger-on-failure"]),
  maxReceiveCount: z.number().optional(),
  edgeId: z.string().optional(),
});
export type DlqSource = z.infer<typeof DlqSourceSchema>;

export const MoveTaskSchema = z.object({
  id: z.string(),
  /** message-move-task: SQS StartMessageMoveTask; copy-delete: our batched SendMessageBatch then DeleteMessageBatch. */
  mode: z.enum(["message-move-task", "copy-delete"]),
  /** interrupted: a copy-delete move whose worker stopped (server restart, crash); starting the redrive again resumes it. */
  status: z.enum(["running", "completed", "failed", "cancelled", "interrupted"]),
  moved: z.number(),
  total: z.number(),
  sourceUrl: z.string(),
  /** null: back to each message's source queue (StartMessageMoveTask without a destination). */
  destUrl: z.string().nullable(),
  error: z.string().nullable(),
  startedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type MoveTask = z.infer<typeof MoveTaskSchema>;

/** One DLQ of an environment: GET …/observe/dlq */
export const DlqSummarySchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  fifo: z.boolean(),
  queueUrl: z.string().nullable(),
  depth: z.number().nullable(),
  inFlight: z.number().nullable(),
  oldestAgeSec: z.number().nullable(),
  /** Where the age came from: CloudWatch's ApproximateAgeOfOldestMessage (aws) or the oldest SentTimestamp of the last peek. */
  oldestAgeSource: z.enum(["cloudwatch", "peek"]).nullable(),
  sources: z.array(DlqSourceSchema),
  /** Where Redrive sends messages by default: the one source queue, or null when a destination must be chosen. */
  defaultDestinationNodeId: z.string().nullable(),
  /** The DLQ's own redrive policy: a peek counts as a receive, so peeking maxReceiveCount times moves a message on. */
  ownRedrive: z.object({ deadLetterQueueId: z.string(), maxReceiveCount: z.number() }).nullable(),
  /** The latest redrive of this DLQ (running or finished). */
  task: MoveTaskSchema.nullable(),
  freshness: FreshnessSchema,
});
export type DlqSummary = z.infer<typeof DlqSummarySchema>;

export const DlqListSchema = z.object({
  projectId: z.string(),
  environmentId: z.string(),
  revision: z.number(),
  readAt: z.string(),
  dlqs: z.array(DlqSummarySchema),
});
export type DlqList = z.infer<typeof DlqListSchema>;

/** GET …/observe/dlq/[nodeId]/messages?max= : dead letters peeked, then released at once. */
export const DlqPeekSchema = z.object({
  nodeId: z.string(),
  readAt: z.string(),
  depth: z.number().nullable(),
  oldestAgeSec: z.number().nullable(),
  messages: z.array(DeadLetterSchema),
  /** Fewer messages than the depth were returned (the rest were not asked for, or are in flight elsewhere). */
  partial: z.boolean(),
  /** Said in the UI: each peek raises every peeked message's ApproximateReceiveCount by one. */
  notice: z.string(),
});
export type DlqPeek = z.infer<typeof DlqPeekSchema>;
