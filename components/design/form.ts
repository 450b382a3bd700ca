/**
 * The inspector's form, generated from the zod schemas of server/model/schema.ts: one field per
 * model field, with its label and unit (from the field name), help (the schema's description),
 * the AWS range (server/model/limits.ts) shown as help and checked as you type, the schema's
 * default, enum choices, and parsing/validation of what is typed. Pure; `Inspector.tsx` renders
 * it and commits valid values through the store's `setField`.
 *
 * Triggers show only the settings that apply to their source kind (`TRIGGER_SETTINGS`,
 * `LAG_TRIGGER_SETTINGS` in graph.ts), grouped (batching, stream position, errors, filtering),
 * with AWS's default for that source as the placeholder (`effectiveTrigger`). Settings set but
 * not applicable are listed apart, to be removed.
 */
import type { z } from "zod";
import { DESTINATION_KINDS, LAG_TRIGGER_SETTINGS, TRIGGER_SETTINGS, effectiveTrigger, inapplicableTriggerSettings } from "../../server/model/graph";
import { LIMITS } from "../../server/model/limits";
import {
  AliasSchema,
  AsyncInvokeSchema,
  ContextSchema,
  EdgeSchema,
  NodeSchema,
  SimulationSchema,
  type Context,
  type NodeKind,
  type TopoEdge,
  type TopoNode,
  type Topology,
  type TriggerEdge,
} from "../../server/model/schema";
import { labelOf } from "./inspector-fields";
import { formatNumber } from "./present";

export type Control =
  | { type: "text"; multiline?: boolean }
  | { type: "number"; integer: boolean }
  | { type: "boolean" }
  /** A boolean that may also be left unset (AWS default). */
  | { type: "tristate" }
  | { type: "enum"; options: readonly string[] }
  | { type: "node-ref"; kinds: readonly NodeKind[] }
  | { type: "context-ref" }
  | { type: "color" }
  /** A list of strings, one per line. */
  | { type: "list" }
  /** A string-to-string record, one `KEY=value` per line. */
  | { type: "record" }
  /** Any JSON value. */
  | { type: "json" };

export interface Range {
  min: number;
  max: number;
  /** "AWS range 1–10,000" */
  text: string;
  /** Values accepted besides the range (-1 for "no limit"). */
  also?: number[];
}

export interface FormField {
  /** Dotted path in the element ("redrive.maxReceiveCount"). */
  key: string;
  path: string[];
  label: string;
  unit?: string;
  help?: string;
  range?: Range;
  /** What an empty field means: the schema default or AWS's default for this source. */
  placeholder?: string;
  /** Empty input unsets the field (it is optional in the schema). */
  optional: boolean;
  /** The schema's default: what an emptied field is reset to. */
  defaultValue?: unknown;
  control: Control;
  /** The field's own schema (wrappers removed), for parsing what is typed. */
  schema: z.ZodType;
  readOnly?: boolean;
}

export interface FormSection {
  id: string;
  title: string;
  fields: FormField[];
  /** An optional object (redrive, alias, stream…): present or not, and how to add or remove it. */
  optional?: { path: string[]; present: boolean; addLabel: string; removeLabel: string; create?: () => unknown; createNeeds?: string };
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// zod introspection (zod 4: `_zod.def`)
// ---------------------------------------------------------------------------------------------

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  entries?: Record<string, string>;
}
const def = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema without optional/default wrappers, whether it was optional, its default and description. */
export function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean; defaultValue?: unknown; description?: string } {
  let s = schema;
  let optional = false;
  let defaultValue: unknown;
  let description = (s as { description?: string }).description;
  for (;;) {
    const d = def(s);
    if (d.type === "optional") optional = true;
    else if (d.type === "default") defaultValue = typeof d.defaultValue === "function" ? (d.defaultValue as () => unknown)() : d.defaultValue;
    else break;
    s = d.innerType!;
    description ??= (s as { description?: string }).description;
  }
  return { inner: s, optional, defaultValue, description };
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  const inner = unwrap(schema).inner;
  return (inner as unknown as { shape: Record<string, z.ZodType> }).shape;
}

function variantOf(union: z.ZodType, kind: string): z.ZodType {
  return (union as unknown as { options: z.ZodType[] }).options.find((o) => (shapeOf(o).kind as unknown as { value: string }).value === kind)!;
}

/** Node-reference fields and the node kinds they may point at. */
const NODE_REFS: Record<string, readonly NodeKind[]> = {
  deadLetterQueueId: DESTINATION_KINDS.functionDeadLetter,
  "asyncInvoke.onSuccessDestinationId": DESTINATION_KINDS.asyncDestination,
  "asyncInvoke.onFailureDestinationId": DESTINATION_KINDS.asyncDestination,
  "redrive.deadLetterQueueId": DESTINATION_KINDS.queueRedrive,
  onFailureDestinationId: DESTINATION_KINDS.streamOnFailure,
};

/** String fields holding multi-line text or JSON. */
const MULTILINE = new Set(["description", "inlineSource", "eventPattern", "snsFilterPolicy", "input"]);

function controlFor(key: string, inner: z.ZodType): Control {
  if (key === "contextId") return { type: "context-ref" };
  if (NODE_REFS[key]) return { type: "node-ref", kinds: NODE_REFS[key] };
  if (key === "color") return { type: "color" };
  const d = def(inner);
  switch (d.type) {
    case "number":
      return { type: "number", integer: !!(inner as unknown as { isInt?: boolean }).isInt };
    case "boolean":
      return { type: "boolean" };
    case "enum":
      return { type: "enum", options: Object.values(d.entries ?? {}) };
    case "string":
      return { type: "text", multiline: MULTILINE.has(key.split(".").at(-1)!) };
    case "record":
      return { type: "record" };
    case "array":
      return def(d.element!).type === "string" ? { type: "list" } : { type: "json" };
    default:
      return { type: "json" };
  }
}

// ---------------------------------------------------------------------------------------------
// AWS ranges
// ---------------------------------------------------------------------------------------------

const r = (x: { min: number; max: number }, unit = "", also?: number[]): Range => ({ min: x.min, max: x.max, text: `AWS range ${formatNumber(x.min)}–${formatNumber(x.max)}${unit ? ` ${unit}` : ""}`, also });

/** The AWS range of a field of a node kind (`<kind>.<path>`) or of a trigger setting from a source. */
function rangeFor(owner: string, key: string, ctx: { source?: TopoNode }): Range | undefined {
  const L = LIMITS;
  switch (`${owner}.${key}`) {
    case "function.memoryMb":
      return r(L.function.memoryMb, "MB");
    case "function.timeoutSeconds":
      return r(L.function.timeoutSeconds, "s");
    case "function.ephemeralStorageMb":
      return r(L.function.ephemeralStorageMb, "MB");
    case "function.reservedConcurrency":
      return r({ min: 0, max: L.function.accountConcurrency }, "(account quota)");
    case "function.provisionedConcurrency":
      return r({ min: 1, max: L.function.accountConcurrency }, "(account quota)");
    case "function.asyncInvoke.maximumRetryAttempts":
      return r(L.asyncInvoke.maximumRetryAttempts);
    case "function.asyncInvoke.maximumEventAgeSeconds":
      return r(L.asyncInvoke.maximumEventAgeSeconds, "s");
    case "function.simulate.failureRate":
      return { min: 0, max: 1, text: "a fraction, 0–1" };
    case "queue.visibilityTimeoutSeconds":
      return r(L.queue.visibilityTimeoutSeconds, "s");
    case "queue.messageRetentionSeconds":
      return r(L.queue.messageRetentionSeconds, "s");
    case "queue.delaySeconds":
      return r(L.queue.delaySeconds, "s");
    case "queue.maxMessageSizeBytes":
      return r(L.queue.maxMessageSizeBytes, "bytes");
    case "queue.redrive.maxReceiveCount":
      return r(L.queue.maxReceiveCount);
    case "stream.shardCount":
      return r(L.stream.shardCount);
    case "stream.retentionHours":
      return r(L.stream.retentionHours, "h");
    case "kafka-topic.partitions":
      return r(L.kafkaTopic.partitions);
  }
  if (owner !== "trigger") return undefined;
  const T = L.trigger;
  const s = ctx.source;
  switch (key) {
    case "batchSize":
      if (s?.kind === "queue") return r(s.fifo ? T.batchSize.sqsFifo : T.batchSize.sqs);
      if (s?.kind === "kafka-topic") return r(T.batchSize.kafka);
      return r(T.batchSize.stream);
    case "maximumBatchingWindowSeconds":
      return r(T.maximumBatchingWindowSeconds, "s");
    case "parallelizationFactor":
      return r(T.parallelizationFactor);
    case "tumblingWindowSeconds":
      return r(T.tumblingWindowSeconds, "s");
    case "maximumRecordAgeSeconds":
      return { min: T.maximumRecordAgeSeconds.minFinite, max: T.maximumRecordAgeSeconds.max, also: [-1], text: `AWS range −1 (no limit) or ${formatNumber(T.maximumRecordAgeSeconds.minFinite)}–${formatNumber(T.maximumRecordAgeSeconds.max)} s` };
    case "maximumRetryAttempts":
      return { ...r(T.maximumRetryAttempts), text: `AWS range −1 (until the record expires) to ${formatNumber(T.maximumRetryAttempts.max)}` };
    case "maximumConcurrency":
      return r(T.maximumConcurrency);
    case "lagCheckIntervalSeconds":
      return r(T.lagCheckIntervalSeconds, "s");
  }
  return undefined;
}

/**
 * Why a number is outside AWS's range for this field, or undefined when it is fine. The model
 * accepts it (so a half-finished design saves); the design rules report it too.
 * @example rangeProblem({ min: 1, max: 10, text: "AWS range 1–10" }, 20) // "AWS range 1–10: 20 will be refused at deploy"
 */
export function rangeProblem(range: Range | undefined, value: unknown): string | undefined {
  if (!range || typeof value !== "number" || range.also?.includes(value)) return undefined;
  if (value < range.min || value > range.max) return `${range.text}: ${formatNumber(value)} will be refused at deploy`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Building the form
// ---------------------------------------------------------------------------------------------

/** Fields never shown as inputs: identity and geometry (the canvas edits those). */
const HIDDEN = new Set(["id", "kind", "source", "target", "position", "size"]);

function fieldFrom(owner: string, path: string[], schema: z.ZodType, ctx: { source?: TopoNode }): FormField {
  const key = path.join(".");
  const { inner, optional, defaultValue, description } = unwrap(schema);
  const { label, unit } = labelOf(path[path.length - 1]);
  const range = rangeFor(owner, key, ctx);
  const help = description ?? range?.text;
  const control = controlFor(key, inner);
  return {
    key,
    path,
    label,
    unit,
    help: help && range && !/range|–/.test(help) ? `${help} ${range.text}.` : help,
    range,
    placeholder: defaultValue !== undefined && typeof defaultValue !== "object" ? `default ${typeof defaultValue === "number" ? formatNumber(defaultValue) : String(defaultValue)}` : undefined,
    optional,
    defaultValue,
    control: optional && control.type === "boolean" ? { type: "tristate" } : control,
    schema: inner,
    readOnly: key === "extras" || key.endsWith(".extras"),
  };
}

/** Fields of an object schema; nested objects become their own sections. */
function walk(owner: string, schema: z.ZodType, base: string[], ctx: { source?: TopoNode }, skip: Set<string> = HIDDEN) {
  const fields: FormField[] = [];
  const nested: { key: string; schema: z.ZodType }[] = [];
  for (const [key, s] of Object.entries(shapeOf(schema))) {
    if (skip.has(key)) continue;
    const inner = unwrap(s).inner;
    if (def(inner).type === "object" && key !== "extras") nested.push({ key, schema: s });
    else fields.push(fieldFrom(owner, [...base, key], s, ctx));
  }
  return { fields, nested };
}

const SECTION_TITLES: Record<string, string> = {
  asyncInvoke: "Asynchronous invocation",
  alias: "Alias and deployment",
  simulate: "Local sandbox",
  redrive: "Redrive policy (dead-letter queue)",
  partitionKey: "Partition key",
  sortKey: "Sort key",
  stream: "DynamoDB stream",
};

/** What an added optional object starts as. */
const CREATE: Record<string, { create?: () => unknown; needs?: string; add: string; remove: string }> = {
  asyncInvoke: { create: () => AsyncInvokeSchema.parse({}), add: "Configure asynchronous invocation", remove: "Use AWS defaults" },
  alias: { create: () => AliasSchema.parse({ versions: [{ version: "1", weight: 1 }] }), add: "Add an alias", remove: "Remove the alias" },
  simulate: { create: () => SimulationSchema.parse({}), add: "Simulate in the sandbox", remove: "Use the sandbox defaults" },
  redrive: { needs: "Choose a dead-letter queue to add a redrive policy.", add: "Add a redrive policy", remove: "Remove the redrive policy" },
  sortKey: { create: () => ({ name: "sk", type: "S" }), add: "Add a sort key", remove: "Remove the sort key" },
  stream: { create: () => ({ viewType: "NEW_AND_OLD_IMAGES" }), add: "Enable the stream", remove: "Disable the stream" },
};

/**
 * The form of a node: general fields first (name, description, context), then the kind's own
 * fields, then one section per nested object (async invocation, redrive, alias…).
 * @example formForNode(fn).find((s) => s.id === "main")!.fields.map((f) => f.key) // ["runtime", "handler", …]
 */
export function formForNode(node: TopoNode): FormSection[] {
  const schema = variantOf(NodeSchema, node.kind);
  const { fields, nested } = walk(node.kind, schema, [], {});
  const general = fields.filter((f) => ["name", "description", "contextId"].includes(f.key));
  const tagsAndExtras = fields.filter((f) => ["tags", "extras"].includes(f.key));
  const main = fields.filter((f) => !general.includes(f) && !tagsAndExtras.includes(f));
  const sections: FormSection[] = [
    { id: "general", title: "General", fields: general },
    { id: "main", title: "Settings", fields: main },
  ];
  for (const n of nested) {
    const { fields: sub } = walk(node.kind, n.schema, [n.key], {});
    const { optional } = unwrap(n.schema);
    const present = (node as Record<string, unknown>)[n.key] !== undefined;
    const c = CREATE[n.key];
    sections.push({
      id: n.key,
      title: SECTION_TITLES[n.key] ?? labelOf(n.key).label,
      fields: sub,
      ...(optional ? { optional: { path: [n.key], present, addLabel: c?.add ?? `Add ${labelOf(n.key).label.toLowerCase()}`, removeLabel: c?.remove ?? "Remove", create: c?.create, createNeeds: c?.needs } } : {}),
      ...(n.key === "asyncInvoke" ? { note: "Applies to every asynchronous caller of this function: async calls, S3, SNS, EventBridge and schedules." } : {}),
    });
  }
  sections.push({ id: "meta", title: "Tags and imported properties", fields: tagsAndExtras });
  return sections.filter((s) => s.fields.length > 0 || s.optional);
}

export function formForContext(): FormSection[] {
  const { fields } = walk("context", ContextSchema, [], {}, new Set([...HIDDEN, "collapsed"]));
  return [{ id: "general", title: "General", fields }];
}

type TriggerSetting = (typeof LAG_TRIGGER_SETTINGS)[number] | (typeof TRIGGER_SETTINGS)[keyof typeof TRIGGER_SETTINGS][number];

const TRIGGER_GROUPS: { id: string; title: string; keys: string[] }[] = [
  { id: "batching", title: "Batching", keys: ["batchSize", "maximumBatchingWindowSeconds", "maximumConcurrency"] },
  { id: "position", title: "Stream position", keys: ["startingPosition", "startingPositionTimestamp", "parallelizationFactor", "tumblingWindowSeconds"] },
  { id: "errors", title: "Errors and retries", keys: ["reportBatchItemFailures", "bisectBatchOnFunctionError", "maximumRetryAttempts", "maximumRecordAgeSeconds", "onFailureDestinationId"] },
  { id: "lag", title: "Consumer lag", keys: ["lagThreshold", "lagCheckIntervalSeconds"] },
  { id: "kafka", title: "Kafka consumer", keys: ["consumerGroupId"] },
  { id: "filtering", title: "Filtering and input", keys: ["filterCriteria.patterns", "eventPattern", "snsFilterPolicy", "s3Events", "s3Filter.prefix", "s3Filter.suffix", "input"] },
];

/** The settings a trigger may carry, given its type and source kind. */
export function applicableTriggerSettings(edge: TriggerEdge, source: TopoNode | undefined): Set<string> {
  if (!source) return new Set();
  if (edge.type === "consumer-lag") return new Set(LAG_TRIGGER_SETTINGS.filter((k) => k !== "consumerGroupId" || source.kind === "kafka-topic"));
  return new Set<string>((TRIGGER_SETTINGS[source.kind as keyof typeof TRIGGER_SETTINGS] ?? []) as readonly TriggerSetting[]);
}

/**
 * The form of an edge. A trigger shows only the settings that apply to its source kind, with
 * AWS's default for that source as placeholder; settings set that do not apply come last,
 * each to be removed.
 */
export function formForEdge(edge: TopoEdge, doc: Pick<Topology, "nodes">): FormSection[] {
  const schema = variantOf(EdgeSchema, edge.kind);
  const source = doc.nodes.find((n) => n.id === edge.source);
  const ctx = { source };
  const { fields, nested } = walk("edge", schema, [], ctx);
  const byKey = new Map<string, FormField>();
  for (const f of fields) byKey.set(f.key, f);
  for (const n of nested) for (const f of walk("edge", n.schema, [n.key], ctx).fields) byKey.set(f.key, f);
  if (edge.kind !== "trigger") {
    const main = [...byKey.values()].filter((f) => f.key !== "extras");
    return [{ id: "main", title: edge.kind === "call" ? "Call" : edge.kind === "access" ? "Access" : "Produce", fields: main }, ...(byKey.has("extras") ? [{ id: "meta", title: "Imported properties", fields: [byKey.get("extras")!] }] : [])];
  }
  // Trigger: re-key its settings with the trigger owner for ranges, and AWS defaults as placeholders.
  const tfields = new Map<string, FormField>();
  for (const [key, f] of byKey) tfields.set(key, { ...f, range: rangeFor("trigger", key, ctx) ?? f.range, help: f.help });
  const eff = source ? effectiveTrigger(edge, source) : {};
  for (const [key, value] of Object.entries(eff)) {
    const f = tfields.get(key);
    if (f && value !== undefined) tfields.set(key, { ...f, placeholder: `AWS default: ${typeof value === "number" ? formatNumber(value) : typeof value === "boolean" ? (value ? "yes" : "no") : value}` });
  }
  const applicable = applicableTriggerSettings(edge, source);
  const rootOf = (key: string) => key.split(".")[0];
  const sections: FormSection[] = [{ id: "trigger", title: "General", fields: ["type", "enabled", "label"].map((k) => tfields.get(k)!).filter(Boolean) }];
  for (const g of TRIGGER_GROUPS) {
    const list = g.keys.filter((k) => applicable.has(rootOf(k))).map((k) => tfields.get(k)!).filter(Boolean);
    if (list.length) sections.push({ id: g.id, title: g.title, fields: list });
  }
  if (applicable.size === 0 && source) sections.push({ id: "none", title: "Settings", fields: [], note: `A trigger from ${source.kind === "http-route" ? "an HTTP route" : `a ${source.kind}`} has no event-source settings.` });
  const stray = inapplicableTriggerSettings(edge, source?.kind ?? "function").map((k) => tfields.get(k) ?? tfields.get(`${k}.patterns`)).filter((f): f is FormField => !!f);
  if (stray.length) sections.push({ id: "stray", title: "Settings that do not apply to this source", fields: stray, note: "Validation refuses these (TOPO-E014); remove them." });
  if (tfields.has("extras")) sections.push({ id: "meta", title: "Imported properties", fields: [tfields.get("extras")!] });
  return sections;
}

/** The form of whatever `id` names in the document, or null. */
export function formFor(doc: Topology, id: string): { type: "node"; element: TopoNode; sections: FormSection[] } | { type: "edge"; element: TopoEdge; sections: FormSection[] } | { type: "context"; element: Context; sections: FormSection[] } | null {
  const node = doc.nodes.find((n) => n.id === id);
  if (node) return { type: "node", element: node, sections: formForNode(node) };
  const edge = doc.edges.find((e) => e.id === id);
  if (edge) return { type: "edge", element: edge, sections: formForEdge(edge, doc) };
  const context = doc.contexts.find((c) => c.id === id);
  if (context) return { type: "context", element: context, sections: formForContext() };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Text ↔ value
// ---------------------------------------------------------------------------------------------

/** How a value shows in its input. */
export function formatInput(field: FormField, value: unknown): string {
  if (value === undefined || value === null) return "";
  switch (field.control.type) {
    case "list":
      return Array.isArray(value) ? value.join("\n") : "";
    case "record":
      return Object.entries(value as Record<string, string>)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n");
    case "json":
      return JSON.stringify(value, null, 2);
    case "tristate":
      return value === true ? "true" : value === false ? "false" : "";
    default:
      return String(value);
  }
}

export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * What the user typed, as a model value, checked against the field's schema: a number field
 * refuses "12a", a route path must start with "/", an empty required field is refused (an
 * empty optional one unsets the field).
 * @example parseInput(batchSizeField, "50") // { ok: true, value: 50 }
 * @example parseInput(batchSizeField, "fifty") // { ok: false, message: "a number, e.g. 10" }
 */
export function parseInput(field: FormField, text: string): Parsed {
  const c = field.control;
  const trimmed = text.trim();
  if (trimmed === "" && field.defaultValue !== undefined) return { ok: true, value: typeof field.defaultValue === "object" ? JSON.parse(JSON.stringify(field.defaultValue)) : field.defaultValue };
  if (trimmed === "" && c.type !== "text") {
    return field.optional ? { ok: true, value: undefined } : { ok: false, message: `a value is required${field.placeholder ? ` (${field.placeholder})` : ""}` };
  }
  let value: unknown = text;
  switch (c.type) {
    case "number": {
      if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed.replace(/[,_\s]/g, ""))) return { ok: false, message: c.integer ? "a whole number, e.g. 10" : "a number, e.g. 0.5" };
      value = Number(trimmed.replace(/[,_\s]/g, ""));
      if (c.integer && !Number.isInteger(value)) return { ok: false, message: "a whole number (no decimals)" };
      break;
    }
    case "boolean":
      value = trimmed === "true";
      break;
    case "tristate":
      value = trimmed === "true";
      break;
    case "list":
      value = text
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      break;
    case "record": {
      const out: Record<string, string> = {};
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        const eq = line.indexOf("=");
        if (eq <= 0) return { ok: false, message: `“${line.trim()}”: write KEY=value, one per line` };
        out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
      }
      value = out;
      break;
    }
    case "json":
      try {
        value = JSON.parse(text);
      } catch (e) {
        return { ok: false, message: `not valid JSON: ${(e as Error).message}` };
      }
      break;
    case "text":
      if (trimmed === "") {
        if (field.optional) return { ok: true, value: undefined };
        return { ok: false, message: "a value is required" };
      }
      value = text;
      break;
    default:
      value = trimmed;
  }
  // JSON carried in strings (event patterns, filter policies, input) must parse as JSON.
  if (c.type === "text" && ["eventPattern", "snsFilterPolicy", "input"].includes(field.path.at(-1)!)) {
    try {
      JSON.parse(text);
    } catch (e) {
      return { ok: false, message: `not valid JSON: ${(e as Error).message}` };
    }
  }
  if (field.key === "filterCriteria.patterns" && Array.isArray(value)) {
    for (const p of value as string[])
      try {
        JSON.parse(p);
      } catch {
        return { ok: false, message: `pattern “${p}” is not valid JSON (one pattern per line)` };
      }
  }
  const parsed = field.schema.safeParse(value);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "invalid value" };
  return { ok: true, value };
}
