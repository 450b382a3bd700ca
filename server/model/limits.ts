/**
 * AWS quotas, ranges and defaults the model documents and the design rules check.
 * Sources: reference/aws-observability-facts.md §6 (botocore service-2.json, Lambda developer guide).
 * The schema accepts any well-typed number so that a half-finished design can still be saved and
 * linted; these ranges are what AWS itself would accept at deploy time.
 */
export const LIMITS = {
  function: {
    memoryMb: { min: 128, max: 10_240, default: 128 },
    timeoutSeconds: { min: 1, max: 900, default: 3 },
    ephemeralStorageMb: { min: 512, max: 10_240, default: 512 },
    /** Default account-level concurrency quota, per region. */
    accountConcurrency: 1_000,
    syncPayloadBytes: 6 * 1024 * 1024,
    asyncPayloadBytes: 1024 * 1024,
  },
  asyncInvoke: {
    maximumRetryAttempts: { min: 0, max: 2, default: 2 },
    maximumEventAgeSeconds: { min: 60, max: 21_600, default: 21_600 },
  },
  queue: {
    visibilityTimeoutSeconds: { min: 0, max: 43_200, default: 30 },
    messageRetentionSeconds: { min: 60, max: 1_209_600, default: 345_600 },
    delaySeconds: { min: 0, max: 900, default: 0 },
    maxMessageSizeBytes: { min: 1_024, max: 1_048_576, default: 262_144 },
    maxReceiveCount: { min: 1, max: 1_000, recommendedMin: 5 },
  },
  stream: {
    shardCount: { min: 1, max: 10_000, default: 1 },
    retentionHours: { min: 24, max: 8_760, default: 24 },
  },
  kafkaTopic: { partitions: { min: 1, max: 100_000, default: 3 } },
  trigger: {
    batchSize: {
      sqs: { min: 1, max: 10_000, default: 10 },
      sqsFifo: { min: 1, max: 10, default: 10 },
      stream: { min: 1, max: 10_000, default: 100 },
      kafka: { min: 1, max: 10_000, default: 100 },
    },
    /** Above this batch size, SQS requires a batching window of at least 1 s (Kinesis and DynamoDB deploy with 100 and 0). */
    batchSizeNeedingWindow: 10,
    maximumBatchingWindowSeconds: { min: 0, max: 300, defaultSqs: 0, defaultStream: 0, defaultKafka: 0.5 },
    parallelizationFactor: { min: 1, max: 10, default: 1 },
    tumblingWindowSeconds: { min: 0, max: 900, default: 0 },
    /** -1 means "until the record expires". */
    maximumRecordAgeSeconds: { min: -1, minFinite: 60, max: 604_800, default: -1 },
    /** -1 means "retry until the record expires". */
    maximumRetryAttempts: { min: -1, max: 10_000, default: -1 },
    maximumConcurrency: { min: 2, max: 1_000 },
    lagCheckIntervalSeconds: { min: 60, max: 86_400, default: 60 },
  },
} as const;

/** Lambda runtimes the model accepts (managed runtimes and custom runtimes on Amazon Linux). */
export const RUNTIMES = [
  "nodejs24.x",
  "nodejs22.x",
  "nodejs20.x",
  "python3.13",
  "python3.12",
  "python3.11",
  "java21",
  "java17",
  "java11",
  "dotnet8",
  "ruby3.3",
  "provided.al2023",
  "provided.al2",
] as const;

export type Runtime = (typeof RUNTIMES)[number];

/**
 * How much one topology document may hold. These are not AWS quotas but guards against input
 * that would cost the server (and the canvas) far more than any real design: a save beyond
 * them is refused with TOPO-E190 before the schema is even parsed. The canvas is benchmarked at
 * 5,000 functions (6,500 nodes, editor-5000), so the node cap leaves room for that design's
 * queues, topics and tables. The whole document is also capped at 5 MB of JSON (api/schemas.ts).
 */
export const DOCUMENT_LIMITS = {
  maxFunctions: 5_000,
  maxNodes: 10_000,
  maxEdges: 20_000,
  maxContexts: 1_000,
  /** Longest string per kind of field; names and descriptions carry their own (140 / 4,000 / 20,000). */
  text: {
    /** Keys: tag and environment variable names, attribute names, alias versions, time zones, S3 event types. */
    key: 256,
    /** ARNs, URLs, physical names, layer references, host:port lists. */
    reference: 2_048,
    /** Tag and environment variable values, filter patterns. */
    value: 4_096,
    /** JSON documents held as strings: event patterns, filter policies, constant inputs. */
    json: 20_000,
  },
} as const;
