/**
 * The rows the inspector lists for a selected element: every model field (position aside),
 * flattened to dotted keys, with a readable label, its unit (taken from the field name, as the
 * model spells units there) and the schema's own description. Pure: the later editor turns the
 * same rows into form fields, keyed by `key`.
 */
import { effectiveTrigger, indexTopology } from "../../server/model/graph";
import { EdgeSchema, NodeSchema, ContextSchema, type Context, type TopoEdge, type TopoNode, type Topology } from "../../server/model/schema";
import { EDGE_KIND_LABEL, KIND_LABEL, REFERENCE_KIND_LABEL, formatNumber } from "./present";
import type { ReferenceEdgeData } from "./types";

export interface Field {
  /** Dotted path in the model element ("redrive.maxReceiveCount"); derived rows start with "@". */
  key: string;
  label: string;
  value: string;
  unit?: string;
  /** A plainer reading of the value ("14 d" for 1,209,600 s). */
  hint?: string;
  /** The schema's description of the field. */
  description?: string;
  /** Not set in the document: AWS's default for this source, shown for reference. */
  isDefault?: boolean;
}

const UNITS: [RegExp, string][] = [
  [/Seconds$/, "s"],
  [/Hours$/, "h"],
  [/Mb$/, "MB"],
  [/Ms$/, "ms"],
  [/Bytes$/, "bytes"],
];

const WORDS: Record<string, string> = {
  id: "Id",
  uri: "URI",
  url: "URL",
  sns: "SNS",
  s3: "S3",
  dlq: "DLQ",
  fifo: "FIFO",
  api: "API",
  arn: "ARN",
};

/** "visibilityTimeoutSeconds" → { label: "Visibility timeout", unit: "s" }. */
export function labelOf(segment: string): { label: string; unit?: string } {
  let base = segment;
  let unit: string | undefined;
  for (const [re, u] of UNITS) {
    if (re.test(base)) {
      base = base.replace(re, "");
      unit = u;
      break;
    }
  }
  // "deadLetterQueueId" reads "Dead letter queue": the value names the node.
  if (base.length > 2) base = base.replace(/Id$/, "");
  const words = base
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_]+/)
    .filter(Boolean)
    .map((w) => WORDS[w.toLowerCase()] ?? w.toLowerCase());
  const text = words.join(" ");
  return { label: text.charAt(0).toUpperCase() + text.slice(1), unit };
}

/** 1,209,600 s → "14 d"; only for durations long enough that seconds are hard to read. */
export function durationHint(seconds: number): string | undefined {
  if (seconds < 120) return undefined;
  const units: [number, string][] = [
    [86_400, "d"],
    [3_600, "h"],
    [60, "min"],
  ];
  for (const [size, name] of units) if (seconds % size === 0 || seconds >= size * 10) return `${formatNumber(Math.round((seconds / size) * 10) / 10)} ${name}`;
  return undefined;
}

function formatValue(v: unknown): string {
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

type Schemaish = { description?: string; shape?: Record<string, Schemaish>; unwrap?: () => Schemaish; options?: Schemaish[] };

/** The zod schema of a field at `path` inside `schema`, looking through optional/default wrappers. */
function fieldSchema(schema: Schemaish | undefined, path: string[]): Schemaish | undefined {
  let s = schema;
  for (const seg of path) {
    while (s && !s.shape && s.unwrap) s = s.unwrap();
    s = s?.shape?.[seg];
  }
  return s;
}
function describe(schema: Schemaish | undefined): string | undefined {
  let s = schema;
  while (s) {
    if (s.description) return s.description;
    s = s.unwrap?.();
  }
  return undefined;
}

function variant(union: unknown, kind: string): Schemaish | undefined {
  return (union as { options: (Schemaish & { shape: { kind: { value: string } } })[] }).options.find((o) => o.shape.kind.value === kind);
}

const NODE_REF = /(^|\.)(deadLetterQueueId|onSuccessDestinationId|onFailureDestinationId|contextId|source|target)$/;
/** Fields the inspector never lists: canvas geometry, and what the header already shows. */
const SKIP = new Set(["position", "size", "id", "kind", "name"]);

/**
 * Flattens a model element into rows: nested objects become dotted keys, records (environment,
 * tags) one row per entry, lists of plain values one row, anything else JSON.
 */
function flatten(element: Record<string, unknown>, schema: Schemaish | undefined, names: Map<string, string>): Field[] {
  const rows: Field[] = [];
  const visit = (value: unknown, path: string[]) => {
    if (value === undefined) return;
    const key = path.join(".");
    const last = path[path.length - 1];
    const isPlainObject = typeof value === "object" && value !== null && !Array.isArray(value);
    if (isPlainObject && last !== "extras") {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
      return;
    }
    if (Array.isArray(value) && value.length === 0) return; // an empty list says nothing
    const parentSchema = fieldSchema(schema, path.slice(0, -1));
    const isRecordEntry = path.length > 1 && !fieldSchema(schema, path) && parentSchema !== undefined;
    const { label, unit } = isRecordEntry ? { label: last, unit: undefined } : labelOf(last);
    const parentLabel = path.length > 1 ? labelOf(path[path.length - 2]).label : "";
    let text = Array.isArray(value) && value.every((v) => typeof v !== "object") ? value.join(", ") : formatValue(value);
    if (typeof value === "string" && NODE_REF.test(key) && names.has(value)) text = `${names.get(value)} (${value})`;
    rows.push({
      key,
      label: path.length > 1 ? `${parentLabel} · ${label}` : label,
      value: text,
      unit,
      hint: unit === "s" && typeof value === "number" ? durationHint(value) : undefined,
      description: describe(fieldSchema(schema, path)) ?? (isRecordEntry ? describe(parentSchema) : undefined),
    });
  };
  for (const [k, v] of Object.entries(element)) if (!SKIP.has(k)) visit(v, [k]);
  return rows;
}

function nameMap(topology: Topology): Map<string, string> {
  const names = new Map<string, string>();
  for (const c of topology.contexts) names.set(c.id, c.name);
  for (const n of topology.nodes) names.set(n.id, n.name);
  return names;
}

export interface Inspected {
  /** "Function", "Trigger", "Context"… */
  kindLabel: string;
  title: string;
  id: string;
  fields: Field[];
}

/** Rows for a model node. */
export function inspectNode(node: TopoNode, topology: Topology): Inspected {
  return { kindLabel: KIND_LABEL[node.kind], title: node.name, id: node.id, fields: flatten(node, variant(NodeSchema, node.kind), nameMap(topology)) };
}

/** Rows for a context, with how many nodes it owns. */
export function inspectContext(context: Context, topology: Topology): Inspected {
  const members = topology.nodes.filter((n) => n.contextId === context.id);
  return {
    kindLabel: "Context",
    title: context.name,
    id: context.id,
    fields: [
      ...flatten(context, ContextSchema as unknown as Schemaish, nameMap(topology)),
      { key: "@nodes", label: "Nodes", value: members.length ? members.map((n) => n.name).join(", ") : "none" },
    ],
  };
}

/**
 * Rows for a model edge. A trigger also lists the settings it leaves to AWS, with the default
 * AWS applies for its source (batch size 10 on SQS but 100 on Kinesis), marked `isDefault`.
 */
export function inspectEdge(edge: TopoEdge, topology: Topology): Inspected {
  const names = nameMap(topology);
  const schema = variant(EdgeSchema, edge.kind);
  const fields = flatten(edge, schema, names);
  if (edge.kind === "trigger") {
    const source = indexTopology(topology).nodes.get(edge.source);
    if (source) {
      const eff = effectiveTrigger(edge, source);
      for (const [k, v] of Object.entries(eff)) {
        if (v === undefined || (edge as Record<string, unknown>)[k] !== undefined) continue;
        const { label, unit } = labelOf(k);
        fields.push({ key: k, label, value: formatValue(v), unit, isDefault: true, description: describe(fieldSchema(schema, [k])) });
      }
    }
  }
  return { kindLabel: EDGE_KIND_LABEL[edge.kind], title: `${names.get(edge.source) ?? edge.source} → ${names.get(edge.target) ?? edge.target}`, id: edge.id, fields };
}

/** Rows for a derived reference edge: where the reference is written, and the settings around it. */
export function inspectReference(id: string, data: ReferenceEdgeData, source: string, target: string, topology: Topology): Inspected {
  const names = nameMap(topology);
  const idx = indexTopology(topology);
  const owner = idx.nodes.get(data.ownerId) ?? idx.edges.get(data.ownerId);
  const ownerName = owner && "name" in owner ? owner.name : owner ? `trigger ${names.get(owner.source) ?? owner.source} → ${names.get(owner.target) ?? owner.target}` : data.ownerId;
  const fields: Field[] = [
    { key: "@declaredOn", label: "Declared on", value: `${ownerName} (${data.ownerId})` },
    { key: "@field", label: "Field", value: data.field },
    { key: "@target", label: "Destination", value: `${names.get(target) ?? target} (${target})` },
  ];
  const node = idx.nodes.get(data.ownerId);
  if (data.reference === "queue-redrive" && node?.kind === "queue" && node.redrive) {
    fields.push({ key: "redrive.maxReceiveCount", label: "Max receive count", value: formatNumber(node.redrive.maxReceiveCount), description: "Receives before a message moves to the DLQ." });
  }
  if ((data.reference === "async-on-failure" || data.reference === "async-on-success") && node?.kind === "function" && node.asyncInvoke) {
    fields.push(
      { key: "asyncInvoke.maximumRetryAttempts", label: "Maximum retry attempts", value: formatNumber(node.asyncInvoke.maximumRetryAttempts) },
      { key: "asyncInvoke.maximumEventAgeSeconds", label: "Maximum event age", value: formatNumber(node.asyncInvoke.maximumEventAgeSeconds), unit: "s", hint: durationHint(node.asyncInvoke.maximumEventAgeSeconds) },
    );
  }
  return { kindLabel: REFERENCE_KIND_LABEL[data.reference], title: `${names.get(source) ?? source} → ${names.get(target) ?? target}`, id, fields };
}
