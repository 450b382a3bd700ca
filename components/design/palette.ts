/**
 * What the palette offers: every node kind of the model (NODE_KINDS) plus a bounded context,
 * with the schema's own description and the AWS words people search for ("sqs", "lambda",
 * "dynamodb"). Pure; `Palette.tsx` renders it.
 */
import { NODE_KINDS, NodeSchema, type NodeKind } from "../../server/model/schema";
import { KIND_LABEL } from "./present";

export interface PaletteItem {
  /** A node kind, or "context". */
  kind: NodeKind | "context";
  label: string;
  description: string;
  keywords: string;
}

const KEYWORDS: Record<NodeKind | "context", string> = {
  context: "bounded context group team domain ddd",
  function: "lambda compute handler code",
  "http-route": "api gateway http rest route endpoint webhook",
  queue: "sqs queue fifo dlq dead letter",
  stream: "kinesis data stream shards",
  table: "dynamodb table nosql stream",
  "kafka-topic": "kafka msk topic consumer group",
  "sns-topic": "sns topic pub sub notification fan-out",
  "event-bus": "eventbridge event bus rule pattern",
  schedule: "schedule cron rate eventbridge scheduler timer",
  bucket: "s3 bucket object storage files",
  "data-store": "database rds aurora postgres mysql redis elasticache opensearch",
  external: "external saas partner third party legacy system",
};

function describeKind(kind: NodeKind): string {
  const variant = (NodeSchema as unknown as { options: { description?: string; shape: { kind: { value: string } } }[] }).options.find((o) => o.shape.kind.value === kind);
  return variant?.description ?? KIND_LABEL[kind];
}

export const PALETTE: readonly PaletteItem[] = [
  { kind: "context", label: "Bounded context", description: "A group that owns its functions, data stores and internal streams.", keywords: KEYWORDS.context },
  ...NODE_KINDS.map((kind) => ({ kind, label: KIND_LABEL[kind], description: describeKind(kind), keywords: KEYWORDS[kind] })),
];

/**
 * Palette items matching a search: every word must appear in the label, kind or keywords.
 * @example searchPalette("sqs").map((i) => i.kind) // ["queue"]
 */
export function searchPalette(query: string, items: readonly PaletteItem[] = PALETTE): PaletteItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...items];
  return items.filter((i) => {
    const hay = `${i.label} ${i.kind} ${i.keywords}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** The MIME type a palette item is dragged with (HTML drag and drop). */
export const PALETTE_MIME = "application/x-topograph-kind";
