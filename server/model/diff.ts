/**
 * A readable diff between two topology documents, for the History tab and the API: contexts,
 * nodes and edges added, removed and changed (with every changed field as a dotted path such as
 * `batchSize` or `redrive.maxReceiveCount`, its value before and after, and its unit), plus
 * document-level settings. Elements are matched by id (ids never change on rename).
 *
 * Canvas layout is not a design change: position moves (and context resizes) are left out of the
 * field lists by default and only counted ("3 nodes moved"); `includePositions` lists them too.
 * Pure: no I/O, no clock; the same two documents always give the same diff.
 */
import type { Context, TopoEdge, TopoNode, Topology } from "./schema";

export type ChangeKind = "added" | "removed" | "changed";

export interface FieldChange {
  /** Dotted path inside the element ("batchSize", "redrive.maxReceiveCount", "environment.STAGE"). */
  path: string;
  change: ChangeKind;
  /** Absent when the field was not set before (change "added"). */
  before?: unknown;
  /** Absent when the field is not set any more (change "removed"). */
  after?: unknown;
  /** Unit taken from the field name, as the model spells units there ("s", "MB", "ms", "h", "bytes"). */
  unit?: string;
  /** For references to other elements (contextId, deadLetterQueueId, source…): the names they point at. */
  beforeLabel?: string;
  afterLabel?: string;
}

export interface ElementRef {
  id: string;
  /** Readable name: the node's or context's name; "Order events → Ship order" for an edge. */
  name: string;
  kind: string;
}

export interface ElementChange extends ElementRef {
  fields: FieldChange[];
}

export interface SectionDiff {
  added: ElementRef[];
  removed: ElementRef[];
  changed: ElementChange[];
}

export interface TopologyDiff {
  contexts: SectionDiff;
  nodes: SectionDiff;
  edges: SectionDiff;
  /** Document-level fields: name, description, kept IaC sections. */
  document: FieldChange[];
  /** Elements whose canvas position changed (contexts: position or size), listed or not. */
  moved: { contexts: number; nodes: number };
  /** True when nothing at all differs, moves included. */
  identical: boolean;
  /** One line: "2 nodes added, 1 edge changed, 3 nodes moved", or "No changes". */
  summary: string;
}

export interface DiffOptions {
  /** List position (and context size) changes as fields too; by default they are only counted. */
  includePositions?: boolean;
}

/** Fields that are canvas layout rather than design, per element type. */
const LAYOUT_FIELDS = { contexts: ["position", "size"], nodes: ["position"], edges: [] as string[] };
/** Document-level keys compared as settings (the element arrays are diffed on their own). */
const ELEMENT_ARRAYS = new Set(["contexts", "nodes", "edges"]);

const UNITS: [RegExp, string][] = [
  [/Seconds$/, "s"],
  [/Hours$/, "h"],
  [/Mb$/, "MB"],
  [/Ms$/, "ms"],
  [/Bytes$/, "bytes"],
];

/**
 * The unit a field's name declares, for numbers.
 * @example unitOf("redrive.visibilityTimeoutSeconds") // "s"
 */
export function unitOf(path: string): string | undefined {
  const last = path.slice(path.lastIndexOf(".") + 1);
  return UNITS.find(([re]) => re.test(last))?.[1];
}

/** Structural equality of JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Every differing leaf between two values, as dotted paths. Objects are walked; arrays and
 * scalars are compared whole (a changed `layers` list is one change, not one per index).
 */
function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>, skip: readonly string[], prefix = ""): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !Object.hasOwn(before, k))];
  for (const key of keys) {
    if (!prefix && skip.includes(key)) continue;
    const path = prefix + key;
    const b = before[key];
    const a = after[key];
    if (jsonEqual(b, a)) continue;
    if (isPlainObject(b) && isPlainObject(a)) {
      out.push(...fieldChanges(b, a, skip, `${path}.`));
      continue;
    }
    const change: ChangeKind = b === undefined ? "added" : a === undefined ? "removed" : "changed";
    const fc: FieldChange = { path, change };
    if (b !== undefined) fc.before = b;
    if (a !== undefined) fc.after = a;
    const unit = unitOf(path);
    if (unit && (typeof b === "number" || typeof a === "number")) fc.unit = unit;
    out.push(fc);
  }
  return out;
}

type Names = { nodes: Map<string, string>; contexts: Map<string, string> };

function namesOf(doc: Topology): Names {
  return { nodes: new Map(doc.nodes.map((n) => [n.id, n.name])), contexts: new Map(doc.contexts.map((c) => [c.id, c.name])) };
}

/** Reference fields name the element they point at, so a reader sees "Shipping", not "ctx-shipping". */
function labelReferences(fields: FieldChange[], before: Names, after: Names): FieldChange[] {
  for (const f of fields) {
    const last = f.path.slice(f.path.lastIndexOf(".") + 1);
    const isRef = /Id$/.test(last) || last === "source" || last === "target";
    if (!isRef || last === "consumerGroupId") continue;
    const table = (names: Names) => (last === "contextId" ? names.contexts : names.nodes);
    if (typeof f.before === "string") {
      const label = table(before).get(f.before);
      if (label) f.beforeLabel = label;
    }
    if (typeof f.after === "string") {
      const label = table(after).get(f.after);
      if (label) f.afterLabel = label;
    }
  }
  return fields;
}

/**
 * "Order events → Ship order": an edge named by its ends (their names in `names`, ids otherwise).
 * @example edgeName({ source: "queue-order-events", target: "fn-ship-order" } as TopoEdge, names) // "Order events → Ship order"
 */
export function edgeName(edge: Pick<TopoEdge, "source" | "target">, names: Map<string, string>): string {
  return `${names.get(edge.source) ?? edge.source} → ${names.get(edge.target) ?? edge.target}`;
}

interface Element {
  id: string;
}

function diffSection<T extends Element>(
  before: readonly T[],
  after: readonly T[],
  ref: (el: T, side: "before" | "after") => ElementRef,
  layout: readonly string[],
  opts: DiffOptions,
  names: { before: Names; after: Names },
): { section: SectionDiff; moved: number } {
  const beforeById = new Map(before.map((el) => [el.id, el] as const));
  const afterIds = new Set(after.map((el) => el.id));
  const section: SectionDiff = { added: [], removed: [], changed: [] };
  let moved = 0;
  for (const el of after) {
    const old = beforeById.get(el.id);
    if (!old) {
      section.added.push(ref(el, "after"));
      continue;
    }
    const o = old as unknown as Record<string, unknown>;
    const n = el as unknown as Record<string, unknown>;
    if (layout.some((k) => !jsonEqual(o[k], n[k]))) moved++;
    const fields = labelReferences(fieldChanges(o, n, opts.includePositions ? [] : layout), names.before, names.after);
    if (fields.length > 0) section.changed.push({ ...ref(el, "after"), fields });
  }
  for (const el of before) if (!afterIds.has(el.id)) section.removed.push(ref(el, "before"));
  return { section, moved };
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

function summarize(d: Omit<TopologyDiff, "summary" | "identical">): string {
  const parts: string[] = [];
  if (d.document.length > 0) parts.push(`${plural(d.document.length, "document setting")} changed`);
  const sections: [SectionDiff, string][] = [
    [d.contexts, "context"],
    [d.nodes, "node"],
    [d.edges, "edge"],
  ];
  for (const [s, word] of sections) {
    if (s.added.length) parts.push(`${plural(s.added.length, word)} added`);
    if (s.removed.length) parts.push(`${plural(s.removed.length, word)} removed`);
    if (s.changed.length) parts.push(`${plural(s.changed.length, word)} changed`);
  }
  if (d.moved.contexts) parts.push(`${plural(d.moved.contexts, "context")} moved or resized`);
  if (d.moved.nodes) parts.push(`${plural(d.moved.nodes, "node")} moved`);
  return parts.length ? parts.join(", ") : "No changes";
}

/**
 * What changed from `before` to `after`.
 * @example diffTopologies(r2, r3).summary // "1 edge changed, 3 nodes moved"
 * @example diffTopologies(r2, r3).edges.changed[0] // { id: "e-1", name: "Order events → Ship order", kind: "trigger", fields: [{ path: "batchSize", change: "changed", before: 10, after: 50 }] }
 */
export function diffTopologies(before: Topology, after: Topology, opts: DiffOptions = {}): TopologyDiff {
  const names = { before: namesOf(before), after: namesOf(after) };
  const nodeRef = (n: TopoNode): ElementRef => ({ id: n.id, name: n.name, kind: n.kind });
  const contextRef = (c: Context): ElementRef => ({ id: c.id, name: c.name, kind: "context" });
  const edgeRef = (e: TopoEdge, side: "before" | "after"): ElementRef => ({ id: e.id, name: edgeName(e, names[side].nodes), kind: e.kind });

  const contexts = diffSection(before.contexts, after.contexts, contextRef, LAYOUT_FIELDS.contexts, opts, names);
  const nodes = diffSection(before.nodes, after.nodes, nodeRef, LAYOUT_FIELDS.nodes, opts, names);
  const edges = diffSection(before.edges, after.edges, edgeRef, LAYOUT_FIELDS.edges, opts, names);

  const docFields = (doc: Topology) => Object.fromEntries(Object.entries(doc).filter(([k]) => !ELEMENT_ARRAYS.has(k)));
  const document = fieldChanges(docFields(before), docFields(after), []);

  const partial = {
    contexts: contexts.section,
    nodes: nodes.section,
    edges: edges.section,
    document,
    moved: { contexts: contexts.moved, nodes: nodes.moved },
  };
  const counts = [partial.contexts, partial.nodes, partial.edges].reduce((n, s) => n + s.added.length + s.removed.length + s.changed.length, 0);
  const identical = counts === 0 && document.length === 0 && contexts.moved === 0 && nodes.moved === 0;
  return { ...partial, identical, summary: summarize(partial) };
}

/** The number of element-level entries (added + removed + changed) in a diff, moves aside. */
export function diffSize(d: TopologyDiff): number {
  return [d.contexts, d.nodes, d.edges].reduce((n, s) => n + s.added.length + s.removed.length + s.changed.length, 0) + d.document.length;
}
