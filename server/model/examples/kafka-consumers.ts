/**
 * Example "Kafka consumers": the function-based microservices of seed 000 (French notes,
 * "Microservices Using Function-as-a-Service"): an event-stream listener with batch size,
 * batching window and retry policy; a trigger on consumer-group lag; functions of one bounded
 * context talking through an internal stream and a fire-and-forget call.
 *
 * Positions are absolute canvas pixels: contexts are laid out left to right, each node sits
 * inside its context's box on a 270 × 125 px grid; shared and external elements sit outside.
 */
import { TopologySchema, type Topology, type TopologyInput } from "../schema";

const DX = 270;
const DY = 125;
const PAD_X = 30;
const PAD_TOP = 50;
const NODE_W = 170;
const NODE_H = 60;
const GAP = 110;

function box(x: number, cols: number, rows: number, y = 0) {
  return {
    position: { x, y },
    size: { width: 2 * PAD_X + (cols - 1) * DX + NODE_W, height: PAD_TOP + (rows - 1) * DY + NODE_H + PAD_X },
  };
}
const cell = (x: number, col: number, row: number, y = 0) => ({ x: x + PAD_X + col * DX, y: y + PAD_TOP + row * DY });
const below = (b: ReturnType<typeof box>, col: number) => ({ x: b.position.x + PAD_X + col * DX, y: b.size.height + 60 });

const LOYALTY = box(NODE_W + GAP, 4, 2);
// Analytics sits below Loyalty (under the row of shared failure queues), so the lag trigger from
// the topic on the left reaches it without crossing the Loyalty context.
const ANALYTICS_Y = LOYALTY.size.height + 60 + NODE_H + 80;
const ANALYTICS = box(LOYALTY.position.x, 2, 2, ANALYTICS_Y);
const L = LOYALTY.position.x;
const A = ANALYTICS.position.x;

const doc: TopologyInput = {
  schemaVersion: 1,
  name: "Kafka consumers",
  description: [
    "The FaaS microservices of seed 000 (\"Microservices Using Function-as-a-Service\") on a",
    "retail purchases topic of an Amazon MSK cluster, published by the point-of-sale platform.",
    "Loyalty is one bounded context made of several functions (N:1, as the seed allows). Its event-stream listener",
    "receives purchases as an array (a batch of up to 250 records, at most 4 MB, or 2 s) in its own consumer group; offsets are",
    "committed only after the batch succeeds. Errors follow an explicit policy: 3 retries, the failing batch is",
    "split in two to isolate the bad record, records older than 6 h are dropped, and what still fails goes to the",
    "context's DLQ instead of blocking the partition.",
    "Inside the context, functions talk by events (the seed's event-driven communication pattern): the listener",
    "writes PointsAwarded to an internal Kinesis stream, not published, that the balance function reads at its own",
    "pace; a tier upgrade is announced by a fire-and-forget call whose failures also land in the DLQ.",
    "Analytics shows the seed's trigger on consumer-group lag: its export function is invoked when its group is",
    "more than 50,000 records behind (checked every minute), then drains the topic in bulk to S3. It is invoked",
    "regularly even when idle, so it rarely cold-starts, and a reserved concurrency of 1 keeps a single exporter.",
  ].join(" "),
  contexts: [
    {
      id: "ctx-loyalty",
      name: "Loyalty",
      color: "#f97316",
      owner: "team-loyalty",
      description: "Loyalty points and tiers computed from purchases.",
      ...LOYALTY,
    },
    {
      id: "ctx-analytics",
      name: "Analytics",
      color: "#14b8a6",
      owner: "team-data",
      description: "Bulk export of purchases to the data lake.",
      ...ANALYTICS,
    },
  ],
  nodes: [
    // ---- Shared: the source of purchases ----
    {
      id: "ext-point-of-sale",
      kind: "external",
      name: "Point-of-sale platform",
      description: "Store tills and the web shop publish every completed purchase.",
      vendor: "In-house POS",
      position: { x: 0, y: PAD_TOP },
    },
    {
      id: "kafka-purchases",
      kind: "kafka-topic",
      name: "Purchases",
      description: "PurchaseCompleted events keyed by customer id.",
      cluster: "msk",
      topic: "retail.purchases.v1",
      clusterArn: "arn:aws:kafka:eu-west-1:123456789012:cluster/retail-events/5f2c1c6e-7d1a-4a9e-9b2e-3c4d5e6f7a8b-3",
      partitions: 12,
      maxRecordSizeBytes: 16_384,
      published: true,
      position: { x: 0, y: PAD_TOP + DY },
    },
    // ---- Loyalty ----
    {
      id: "fn-score-purchases",
      kind: "function",
      name: "Score purchases",
      contextId: "ctx-loyalty",
      description: "The event-stream listener: computes the points of each purchase and emits PointsAwarded.",
      runtime: "nodejs22.x",
      handler: "score.handler",
      codeUri: "src/loyalty",
      memoryMb: 1_024,
      timeoutSeconds: 120,
      architecture: "arm64",
      logFormat: "JSON",
      environment: { POWERTOOLS_SERVICE_NAME: "loyalty" },
      simulate: { latencyMs: 80, initMs: 350, failureRate: 0.005, poisonMarker: "POISON" },
      position: cell(L, 0, 0),
    },
    {
      id: "stream-points-awarded",
      kind: "stream",
      name: "Points awarded",
      contextId: "ctx-loyalty",
      description: "Internal to Loyalty (not published): PointsAwarded keyed by customer id, so one customer's points stay in order.",
      mode: "provisioned",
      shardCount: 2,
      retentionHours: 24,
      published: false,
      position: cell(L, 1, 0),
    },
    {
      id: "fn-apply-points",
      kind: "function",
      name: "Apply points",
      contextId: "ctx-loyalty",
      description: "Adds the points to the customer's balance and detects tier upgrades.",
      runtime: "nodejs22.x",
      handler: "apply.handler",
      codeUri: "src/loyalty",
      memoryMb: 512,
      timeoutSeconds: 60,
      architecture: "arm64",
      logFormat: "JSON",
      simulate: { latencyMs: 40, initMs: 300, failureRate: 0.005, poisonMarker: "POISON" },
      position: cell(L, 2, 0),
    },
    {
      id: "table-loyalty-accounts",
      kind: "table",
      name: "Loyalty accounts",
      contextId: "ctx-loyalty",
      partitionKey: { name: "customerId", type: "S" },
      billingMode: "PAY_PER_REQUEST",
      position: cell(L, 3, 0),
    },
    {
      id: "queue-loyalty-dlq",
      kind: "queue",
      name: "Loyalty DLQ",
      contextId: "ctx-loyalty",
      description: "Failed batches of the Kafka listener and the points stream, and failed tier notifications.",
      messageRetentionSeconds: 1_209_600,
      tags: { alarm: "ApproximateNumberOfMessagesVisible above 0" },
      position: cell(L, 0, 1),
    },
    {
      id: "fn-notify-tier-upgrade",
      kind: "function",
      name: "Notify tier upgrade",
      contextId: "ctx-loyalty",
      description: "Sends the congratulation mail; invoked fire-and-forget by Apply points.",
      runtime: "nodejs22.x",
      handler: "notify.handler",
      codeUri: "src/loyalty",
      memoryMb: 256,
      timeoutSeconds: 15,
      architecture: "arm64",
      logFormat: "JSON",
      asyncInvoke: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3_600, onFailureDestinationId: "queue-loyalty-dlq" },
      simulate: { latencyMs: 90, initMs: 250, failureRate: 0.02, poisonMarker: "POISON" },
      position: cell(L, 2, 1),
    },
    {
      id: "ext-email",
      kind: "external",
      name: "E-mail service",
      description: "Transactional e-mail provider.",
      vendor: "Amazon SES",
      position: below(LOYALTY, 2),
    },
    // ---- Analytics ----
    {
      id: "fn-export-purchases",
      kind: "function",
      name: "Export purchases",
      contextId: "ctx-analytics",
      description: "Woken when its consumer group lags: reads the backlog with its own Kafka client and writes Parquet files to S3.",
      runtime: "python3.12",
      handler: "export.handler",
      codeUri: "src/analytics",
      memoryMb: 2_048,
      timeoutSeconds: 600,
      architecture: "arm64",
      ephemeralStorageMb: 4_096,
      logFormat: "JSON",
      reservedConcurrency: 1,
      asyncInvoke: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 600, onFailureDestinationId: "queue-export-failed" },
      simulate: { latencyMs: 4_000, initMs: 900, failureRate: 0.01, poisonMarker: "POISON" },
      position: cell(A, 0, 0, ANALYTICS_Y),
    },
    {
      id: "bucket-purchase-archive",
      kind: "bucket",
      name: "Purchase archive",
      contextId: "ctx-analytics",
      description: "Data lake prefix purchases/ partitioned by day.",
      versioned: false,
      position: cell(A, 1, 0, ANALYTICS_Y),
    },
    {
      id: "queue-export-failed",
      kind: "queue",
      name: "Export failures",
      contextId: "ctx-analytics",
      messageRetentionSeconds: 1_209_600,
      tags: { alarm: "ApproximateNumberOfMessagesVisible above 0" },
      position: cell(A, 0, 1, ANALYTICS_Y),
    },
  ],
  edges: [
    { id: "e-ext-point-of-sale--kafka-purchases", kind: "produce", source: "ext-point-of-sale", target: "kafka-purchases", label: "PurchaseCompleted" },
    {
      id: "e-kafka-purchases--fn-score-purchases",
      kind: "trigger",
      source: "kafka-purchases",
      target: "fn-score-purchases",
      label: "event-stream listener",
      batchSize: 250,
      maximumBatchingWindowSeconds: 2,
      startingPosition: "TRIM_HORIZON",
      consumerGroupId: "loyalty-score-purchases",
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 3,
      maximumRecordAgeSeconds: 21_600,
      onFailureDestinationId: "queue-loyalty-dlq",
      filterCriteria: { patterns: [JSON.stringify({ value: { type: ["PurchaseCompleted"] } })] },
    },
    { id: "e-fn-score-purchases--stream-points-awarded", kind: "produce", source: "fn-score-purchases", target: "stream-points-awarded", label: "PointsAwarded" },
    {
      id: "e-stream-points-awarded--fn-apply-points",
      kind: "trigger",
      source: "stream-points-awarded",
      target: "fn-apply-points",
      batchSize: 100,
      maximumBatchingWindowSeconds: 1,
      startingPosition: "TRIM_HORIZON",
      parallelizationFactor: 2,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 5,
      maximumRecordAgeSeconds: 3_600,
      reportBatchItemFailures: true,
      onFailureDestinationId: "queue-loyalty-dlq",
    },
    { id: "e-fn-apply-points--table-loyalty-accounts", kind: "access", source: "fn-apply-points", target: "table-loyalty-accounts", mode: "read-write" },
    { id: "e-fn-apply-points--fn-notify-tier-upgrade", kind: "call", source: "fn-apply-points", target: "fn-notify-tier-upgrade", mode: "async", label: "TierUpgraded" },
    { id: "e-fn-notify-tier-upgrade--ext-email", kind: "produce", source: "fn-notify-tier-upgrade", target: "ext-email", label: "congratulation mail" },
    {
      id: "e-kafka-purchases--fn-export-purchases",
      kind: "trigger",
      source: "kafka-purchases",
      target: "fn-export-purchases",
      type: "consumer-lag",
      label: "lag > 50,000",
      consumerGroupId: "analytics-export-purchases",
      lagThreshold: 50_000,
      lagCheckIntervalSeconds: 60,
    },
    { id: "e-fn-export-purchases--bucket-purchase-archive", kind: "access", source: "fn-export-purchases", target: "bucket-purchase-archive", mode: "write" },
  ],
};

export const kafkaConsumersTopology: Topology = TopologySchema.parse(doc);
