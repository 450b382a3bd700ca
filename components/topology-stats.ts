import type { EdgeKind, NodeKind, Topology } from "@/server/model/schema";

export const NODE_KIND_LABELS: Record<NodeKind, [singular: string, plural: string]> = {
  function: ["function", "functions"],
  "http-route": ["HTTP route", "HTTP routes"],
  queue: ["queue", "queues"],
  stream: ["Kinesis stream", "Kinesis streams"],
  table: ["DynamoDB table", "DynamoDB tables"],
  "kafka-topic": ["Kafka topic", "Kafka topics"],
  "sns-topic": ["SNS topic", "SNS topics"],
  "event-bus": ["event bus", "event buses"],
  schedule: ["schedule", "schedules"],
  bucket: ["S3 bucket", "S3 buckets"],
  "data-store": ["data store", "data stores"],
  external: ["external system", "external systems"],
};

export const EDGE_KIND_LABELS: Record<EdgeKind, string> = {
  trigger: "Triggers (event sources)",
  call: "Function calls",
  produce: "Produces (writes events)",
  access: "Data access",
};

/**
 * What a topology holds, for summaries: the counts the project list shows, plus nodes and
 * edges by kind (largest first).
 * @example topologyStats(doc).functions // 7
 */
export function topologyStats(doc: Topology) {
  const tally = <K extends string>(kinds: K[]) => {
    const m = new Map<K, number>();
    for (const k of kinds) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1]);
  };
  return {
    contexts: doc.contexts.length,
    functions: doc.nodes.filter((n) => n.kind === "function").length,
    nodes: doc.nodes.length,
    edges: doc.edges.length,
    nodesByKind: tally(doc.nodes.map((n) => n.kind)),
    edgesByKind: tally(doc.edges.map((e) => e.kind)),
  };
}
