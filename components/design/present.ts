/**
 * Words and numbers the canvas prints on nodes and edges, computed from the model. Pure, so the
 * labels are tested without a browser; units follow the model's field names (MB, s, h).
 */
import { effectiveTrigger } from "../../server/model/graph";
import { LIMITS } from "../../server/model/limits";
import type { NodeKind, TopoEdge, TopoNode, TriggerEdge } from "../../server/model/schema";
import type { Badge, NodeFamily, ReferenceKind } from "./types";

export const KIND_LABEL: Record<NodeKind, string> = {
  function: "Function",
  "http-route": "HTTP route",
  queue: "Queue",
  stream: "Kinesis stream",
  table: "DynamoDB table",
  "kafka-topic": "Kafka topic",
  "sns-topic": "SNS topic",
  "event-bus": "Event bus",
  schedule: "Schedule",
  bucket: "S3 bucket",
  "data-store": "Data store",
  external: "External",
};

/** The kind as printed on a node, where a badge may share the line: shorter where it can be. */
export const SHORT_KIND_LABEL: Record<NodeKind, string> = { ...KIND_LABEL, table: "DynamoDB", stream: "Kinesis", "kafka-topic": "Kafka topic" };

const FAMILY: Record<NodeKind, NodeFamily> = {
  function: "function",
  "http-route": "endpoint",
  schedule: "endpoint",
  queue: "messaging",
  "sns-topic": "messaging",
  "event-bus": "messaging",
  stream: "stream",
  "kafka-topic": "stream",
  table: "storage",
  bucket: "storage",
  "data-store": "storage",
  external: "external",
};

/** The node component family a kind is drawn with. */
export function familyOf(kind: NodeKind): NodeFamily {
  return FAMILY[kind];
}

/** 50000 → "50,000": thousands separators, whatever the viewer's locale, so labels are stable in tests. */
export function formatNumber(n: number): string {
  return n.toLocaleString("en-US");
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** The one line of details under a node's name, and its badges. */
export function presentNode(node: TopoNode, isDeadLetterQueue: boolean): { details: string; badges: Badge[] } {
  const badges: Badge[] = [];
  const published = "published" in node && node.published;
  let details = "";
  switch (node.kind) {
    case "function":
      details = `${node.runtime} · ${formatNumber(node.memoryMb)} MB · ${formatNumber(node.timeoutSeconds)} s`;
      break;
    case "http-route": {
      const route = `${node.method} ${node.path}`;
      // A route named after itself would print the same words twice; say how it is exposed instead.
      details = node.name === route ? `${node.api === "http" ? "HTTP API" : "REST API"} · auth ${node.auth}` : route;
      if (node.webhook) badges.push({ text: "webhook", tone: "neutral", title: "Called by a third party" });
      break;
    }
    case "queue":
      badges.push(node.fifo ? { text: "FIFO", tone: "accent", title: "FIFO queue" } : { text: "Standard", tone: "neutral", title: "Standard queue" });
      if (isDeadLetterQueue) badges.push({ text: "DLQ", tone: "danger", title: "Dead-letter queue" });
      details = `visibility ${formatNumber(node.visibilityTimeoutSeconds)} s`;
      break;
    case "stream":
      details = node.mode === "on-demand" ? "on-demand" : plural(node.shardCount, "shard");
      details += ` · ${formatNumber(node.retentionHours)} h`;
      break;
    case "kafka-topic":
      details = plural(node.partitions, "partition");
      badges.push(node.cluster === "msk" ? { text: "MSK", tone: "neutral", title: "Amazon MSK cluster" } : { text: "self-managed", tone: "neutral", title: "Self-managed Kafka cluster" });
      break;
    case "table":
      details = `PK ${node.partitionKey.name}${node.sortKey ? ` · SK ${node.sortKey.name}` : ""}`;
      if (node.stream) badges.push({ text: "stream", tone: "accent", title: `DynamoDB stream (${node.stream.viewType})` });
      break;
    case "sns-topic":
      details = node.fifo ? "FIFO topic" : "standard topic";
      break;
    case "event-bus":
      details = `bus ${node.busName}`;
      break;
    case "schedule":
      details = node.expression;
      if (!node.enabled) badges.push({ text: "off", tone: "danger", title: "Disabled" });
      break;
    case "bucket":
      details = node.versioned ? "versioned" : "not versioned";
      break;
    case "data-store":
      details = node.product ?? node.engine;
      break;
    case "external":
      details = node.vendor ?? hostOf(node.url) ?? "";
      break;
  }
  if (published) badges.push({ text: "published", tone: "success", title: "Published: other contexts may consume it", slot: "details" });
  return { details, badges };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Letters and digits only, lower-cased: "lag > 50,000" and "lag > 50,000 / 60s" then compare. */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * The key settings of a trigger, short enough for an edge label.
 * @example triggerSettings({ ...trigger, batchSize: 10, maximumBatchingWindowSeconds: 5 }, queue) // "batch 10 · window 5s"
 * @example triggerSettings({ ...trigger, type: "consumer-lag", lagThreshold: 1000, lagCheckIntervalSeconds: 60 }, topic) // "lag > 1,000 / 60s"
 */
export function triggerSettings(edge: TriggerEdge, source: TopoNode | undefined): string {
  const parts: string[] = [];
  if (!edge.enabled) parts.push("disabled");
  if (edge.type === "consumer-lag") {
    const every = edge.lagCheckIntervalSeconds ?? LIMITS.trigger.lagCheckIntervalSeconds.default;
    parts.push(edge.lagThreshold === undefined ? `lag / ${every}s` : `lag > ${formatNumber(edge.lagThreshold)} / ${every}s`);
    return parts.join(" · ");
  }
  if (source) {
    const eff = effectiveTrigger(edge, source);
    if (eff.batchSize !== undefined) parts.push(`batch ${formatNumber(eff.batchSize)}`);
    if (eff.maximumBatchingWindowSeconds) parts.push(`window ${formatNumber(eff.maximumBatchingWindowSeconds)}s`);
    if (eff.parallelizationFactor !== undefined && eff.parallelizationFactor > 1) parts.push(`×${eff.parallelizationFactor}/shard`);
  }
  if (edge.tumblingWindowSeconds) parts.push(`tumbling ${formatNumber(edge.tumblingWindowSeconds)}s`);
  if (edge.maximumRetryAttempts !== undefined) parts.push(edge.maximumRetryAttempts < 0 ? "retries ∞" : `retries ${formatNumber(edge.maximumRetryAttempts)}`);
  if (edge.maximumConcurrency !== undefined) parts.push(`max ${formatNumber(edge.maximumConcurrency)} conc.`);
  if (edge.eventPattern !== undefined) parts.push(eventPatternSummary(edge.eventPattern));
  if (edge.s3Events?.length) parts.push(edge.s3Events.map((e) => e.replace(/^s3:/, "")).join(", "));
  if (edge.s3Filter?.prefix) parts.push(`${edge.s3Filter.prefix}*`);
  if (edge.s3Filter?.suffix) parts.push(`*${edge.s3Filter.suffix}`);
  if (edge.snsFilterPolicy !== undefined || edge.filterCriteria) parts.push("filtered");
  return parts.join(" · ");
}

/** An EventBridge pattern in a few words: its first detail-type and how many more. */
function eventPatternSummary(pattern: string): string {
  try {
    const parsed: unknown = JSON.parse(pattern);
    const types = (parsed as { "detail-type"?: unknown })?.["detail-type"];
    if (Array.isArray(types) && types.length > 0 && types.every((t) => typeof t === "string")) {
      return types.length === 1 ? `rule: ${types[0]}` : `rule: ${types[0]} +${types.length - 1}`;
    }
  } catch {
    // An unparsable pattern is a validation problem, reported elsewhere; the label stays short.
  }
  return "rule";
}

function accessWords(mode: "read" | "write" | "read-write"): string {
  return mode === "read-write" ? "read/write" : mode;
}

/**
 * The label lines of a model edge: the user's own label first (skipped when the settings already
 * say it), then the settings of its kind.
 */
export function edgeLabelLines(edge: TopoEdge, source: TopoNode | undefined): string[] {
  let settings = "";
  switch (edge.kind) {
    case "trigger":
      settings = triggerSettings(edge, source);
      break;
    case "call":
      settings = edge.mode;
      break;
    case "access":
      settings = accessWords(edge.mode);
      break;
    case "produce":
      settings = edge.maxRecordSizeBytes !== undefined ? `≤ ${formatNumber(edge.maxRecordSizeBytes)} bytes` : "";
      break;
  }
  const lines: string[] = [];
  const own = edge.label?.trim();
  if (own && !(settings && squash(settings).includes(squash(own)))) lines.push(own);
  if (settings) lines.push(settings);
  return lines;
}

/** The label of a derived reference edge. */
export function referenceLabel(kind: ReferenceKind, maxReceiveCount?: number): string {
  switch (kind) {
    case "function-dlq":
      return "DLQ";
    case "async-on-success":
      return "on success";
    case "async-on-failure":
    case "trigger-on-failure":
      return "on failure";
    case "queue-redrive":
      return maxReceiveCount === undefined ? "redrive" : `redrive ×${maxReceiveCount}`;
  }
}

export const EDGE_KIND_LABEL: Record<TopoEdge["kind"], string> = {
  trigger: "Trigger",
  call: "Call",
  produce: "Produce",
  access: "Access",
};

export const REFERENCE_KIND_LABEL: Record<ReferenceKind, string> = {
  "function-dlq": "Dead-letter queue",
  "async-on-success": "On-success destination",
  "async-on-failure": "On-failure destination",
  "queue-redrive": "Redrive policy",
  "trigger-on-failure": "On-failure destination",
};
