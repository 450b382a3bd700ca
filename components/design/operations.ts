/**
 * The editor's domain changes, as pure functions: a topology in, a new topology out (unchanged
 * elements are the same objects, so the canvas redraws only what changed). The store
 * (store.ts) wraps each one as an action with undo history; validity questions go to
 * server/model (`inferEdgeKind`, `checkConnection`, the zod schemas, `makeId`).
 *
 * Positions are the model's: absolute canvas pixels (docs/model.md). A node belongs to the
 * context whose drawn box holds its centre when it is dropped.
 */
import { z } from "zod";
import { DESTINATION_KINDS, inapplicableTriggerSettings, inferEdgeKind, type ConnectionCheck } from "../../server/model/graph";
import { makeEdgeId, makeId, takenIds } from "../../server/model/ids";
import {
  ContextSchema,
  EdgeSchema,
  NodeSchema,
  type Context,
  type EdgeKind,
  type NodeKind,
  type TopoEdge,
  type TopoNode,
  type Topology,
} from "../../server/model/schema";
import { CONTEXT_PADDING, NODE_HEIGHT, NODE_WIDTH, boxesOverlap, type Box } from "./geometry";
import { KIND_LABEL } from "./present";
import { EMPTY_CONTEXT, contextBoxes, drawnContextBox, nodeBox } from "./to-flow";

export interface Point {
  x: number;
  y: number;
}

/** The grid the examples are drawn on: new nodes snap to it so they line up with the rest. */
export const GRID = { x: 220, y: 110 } as const;

/** The first name of a new node of each kind; the fields a kind requires and has no default for. */
export const NEW_NODE: Record<NodeKind, { name: string; fields?: Record<string, unknown> }> = {
  function: { name: "New function" },
  "http-route": { name: "New route", fields: { method: "POST", path: "/items" } },
  queue: { name: "New queue" },
  stream: { name: "New stream" },
  table: { name: "New table" },
  "kafka-topic": { name: "New topic", fields: { topic: "new-topic" } },
  "sns-topic": { name: "New topic" },
  "event-bus": { name: "New event bus" },
  schedule: { name: "New schedule", fields: { expression: "rate(5 minutes)" } },
  bucket: { name: "New bucket" },
  "data-store": { name: "New data store" },
  external: { name: "New external system" },
};

const ELEMENT_REF = /^(.+)~(.+)$/;

/** A reference edge's id (`<owner>~<field>`, see to-flow.ts) split into its owner and field. */
export function parseReferenceId(id: string): { ownerId: string; field: string } | null {
  const m = ELEMENT_REF.exec(id);
  return m && !id.startsWith("agg~") ? { ownerId: m[1], field: m[2] } : null;
}

// ---------------------------------------------------------------------------------------------
// Where things are
// ---------------------------------------------------------------------------------------------

/**
 * The context whose drawn box holds `point` (the smallest, when boxes nest), or undefined.
 * @example contextAt(doc, { x: 200, y: 420 }) // "ctx-orders"
 */
export function contextAt(doc: Pick<Topology, "contexts" | "nodes">, point: Point, boxes: Map<string, Box> = contextBoxes(doc)): string | undefined {
  let best: { id: string; area: number } | undefined;
  for (const c of doc.contexts) {
    const b = drawnContextBox(c, boxes.get(c.id)!);
    if (point.x < b.x || point.y < b.y || point.x > b.x + b.width || point.y > b.y + b.height) continue;
    const area = b.width * b.height;
    if (!best || area < best.area) best = { id: c.id, area };
  }
  return best?.id;
}

const center = (p: Point): Point => ({ x: p.x + NODE_WIDTH / 2, y: p.y + NODE_HEIGHT / 2 });

/**
 * A free grid spot for a new node: inside `contextId`'s box when given (below its nodes when the
 * box is full), otherwise near `near`. Never on top of another node.
 */
export function freeSpot(doc: Pick<Topology, "contexts" | "nodes">, near: Point, contextId?: string, avoid: Box[] = []): Point {
  const occupied = [...doc.nodes.map(nodeBox), ...avoid];
  const free = (p: Point) => !occupied.some((b) => boxesOverlap(b, { x: p.x - 10, y: p.y - 10, width: NODE_WIDTH + 20, height: NODE_HEIGHT + 20 }));
  if (contextId) {
    const box = contextBoxes(doc).get(contextId);
    if (box) {
      const cols = Math.max(1, Math.floor((box.width - CONTEXT_PADDING.left - CONTEXT_PADDING.right + (GRID.x - NODE_WIDTH)) / GRID.x));
      for (let row = 0; row < 200; row++)
        for (let col = 0; col < cols; col++) {
          const p = { x: box.x + CONTEXT_PADDING.left + col * GRID.x, y: box.y + CONTEXT_PADDING.top + row * GRID.y };
          if (free(p)) return p;
        }
    }
  }
  const start = { x: Math.round(near.x / 10) * 10, y: Math.round(near.y / 10) * 10 };
  // Spiral outwards on the grid until a spot is free.
  for (let ring = 0; ring < 60; ring++)
    for (let dx = -ring; dx <= ring; dx++)
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const p = { x: start.x + dx * GRID.x, y: start.y + dy * GRID.y };
        if (free(p) && contextAt(doc, center(p)) === contextId) return p;
      }
  return start;
}

// ---------------------------------------------------------------------------------------------
// Creating
// ---------------------------------------------------------------------------------------------

/**
 * A new node of `kind` with the schema's defaults, a unique id derived from its name, placed at
 * `position` (or a free spot) in the context that holds it.
 */
export function createNode(doc: Topology, kind: NodeKind, opts: { name?: string; position?: Point; contextId?: string | null; taken?: Set<string> } = {}): TopoNode {
  const name = opts.name?.trim() || NEW_NODE[kind].name;
  const taken = opts.taken ?? takenIds(doc);
  const contextId = opts.contextId === null ? undefined : (opts.contextId ?? (opts.position ? contextAt(doc, center(opts.position)) : undefined));
  const position = opts.position ?? freeSpot(doc, { x: 0, y: 0 }, contextId);
  return NodeSchema.parse({
    id: makeId(kind, name, taken),
    kind,
    name,
    ...(contextId ? { contextId } : {}),
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    ...NEW_NODE[kind].fields,
  });
}

export function addNode(doc: Topology, node: TopoNode): Topology {
  return { ...doc, nodes: [...doc.nodes, node] };
}

/** A new context with a unique id, at `position` with the size of an empty context (or larger). */
export function createContext(doc: Topology, opts: { name?: string; position?: Point; size?: { width: number; height: number }; color?: string } = {}): Context {
  const name = opts.name?.trim() || "New context";
  const size = opts.size ?? { width: GRID.x * 2 + CONTEXT_PADDING.left + CONTEXT_PADDING.right - (GRID.x - NODE_WIDTH), height: GRID.y + CONTEXT_PADDING.top + CONTEXT_PADDING.bottom };
  let position = opts.position ?? { x: 0, y: 0 };
  // Never on top of another context or a free node: move right until the box is clear.
  const boxes = contextBoxes(doc);
  const blocked = (p: Point) => {
    const box = { ...p, ...size };
    for (const c of doc.contexts) if (boxesOverlap(drawnContextBox(c, boxes.get(c.id)!), box)) return true;
    return doc.nodes.some((n) => boxesOverlap(nodeBox(n), box));
  };
  for (let i = 0; i < 500 && blocked(position); i++) position = i % 2 === 0 ? { x: position.x + GRID.x, y: position.y } : { x: position.x, y: position.y + GRID.y };
  return ContextSchema.parse({
    id: makeId("context", name, takenIds(doc)),
    name,
    color: opts.color ?? CONTEXT_COLORS[doc.contexts.length % CONTEXT_COLORS.length],
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    size,
  });
}

/** Colours new contexts take in turn: distinguishable in both themes. */
export const CONTEXT_COLORS = ["#6366f1", "#0ea5e9", "#f97316", "#10b981", "#e11d48", "#a855f7", "#eab308", "#14b8a6"] as const;

export function addContext(doc: Topology, context: Context): Topology {
  return { ...doc, contexts: [...doc.contexts, context] };
}

// ---------------------------------------------------------------------------------------------
// Changing fields
// ---------------------------------------------------------------------------------------------

export type ElementKind = "context" | "node" | "edge";

/** Where an id lives in the document. */
export function findElement(doc: Topology, id: string): { type: "context"; element: Context; index: number } | { type: "node"; element: TopoNode; index: number } | { type: "edge"; element: TopoEdge; index: number } | null {
  let i = doc.nodes.findIndex((n) => n.id === id);
  if (i >= 0) return { type: "node", element: doc.nodes[i], index: i };
  i = doc.edges.findIndex((e) => e.id === id);
  if (i >= 0) return { type: "edge", element: doc.edges[i], index: i };
  i = doc.contexts.findIndex((c) => c.id === id);
  if (i >= 0) return { type: "context", element: doc.contexts[i], index: i };
  return null;
}

/** `obj` with `path` set to `value` (or removed when `value` is undefined), copying only along the path. */
export function setIn<T extends object>(obj: T, path: readonly string[], value: unknown): T {
  const [head, ...rest] = path;
  const current = (obj as Record<string, unknown>)[head];
  const next = rest.length === 0 ? value : setIn((current && typeof current === "object" ? current : {}) as object, rest, value);
  const copy = { ...(obj as Record<string, unknown>) };
  if (next === undefined) delete copy[head];
  else copy[head] = next;
  return copy as T;
}

export function getIn(obj: unknown, path: readonly string[]): unknown {
  let v = obj;
  for (const k of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

export type FieldResult = { ok: true; doc: Topology } | { ok: false; message: string };

/**
 * Sets one field of a context, node or edge, checked against that element's zod schema (the
 * document stays schema-valid; AWS ranges are the rules' business, so they pass). The value is
 * stored as typed: names are trimmed by the schema at save time, not while the user types.
 * Switching a trigger between "event" and "consumer-lag" drops the settings the new type
 * does not take.
 * @example setField(doc, "fn-a", ["memoryMb"], 512) // { ok: true, doc }
 * @example setField(doc, "fn-a", ["memoryMb"], "lots") // { ok: false, message: "Invalid input: expected number, received string" }
 */
export function setField(doc: Topology, id: string, path: readonly string[], value: unknown): FieldResult {
  const found = findElement(doc, id);
  if (!found) return { ok: false, message: `no element "${id}"` };
  if (path.length === 0 || ["id", "kind", "source", "target"].includes(path[0])) return { ok: false, message: `${path.join(".")} cannot be changed here` };
  const current = getIn(found.element, path);
  if (current === value || (typeof value === "object" && value !== null && JSON.stringify(current) === JSON.stringify(value))) return { ok: true, doc };
  let patched = setIn(found.element, path, value) as Context | TopoNode | TopoEdge;
  if (found.type === "edge" && (patched as TopoEdge).kind === "trigger" && path[0] === "type") {
    const trigger = patched as Extract<TopoEdge, { kind: "trigger" }>;
    const source = doc.nodes.find((n) => n.id === trigger.source);
    if (source) for (const key of inapplicableTriggerSettings(trigger, source.kind)) patched = setIn(patched, [key], undefined);
  }
  const schema = found.type === "context" ? ContextSchema : found.type === "node" ? NodeSchema : EdgeSchema;
  const parsed = (schema as z.ZodType).safeParse(patched);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: issue.message };
  }
  // A nested object is stored as parsed, so one created by this change gets its defaults
  // (asyncInvoke.maximumEventAgeSeconds when only the retries were typed); top-level text is
  // kept as typed.
  if (path.length > 1 || (typeof value === "object" && value !== null)) {
    const full = (parsed.data as Record<string, unknown>)[path[0]];
    patched = setIn(patched, [path[0]], full);
  }
  return { ok: true, doc: replaceElement(doc, found.type, found.index, patched) };
}

function replaceElement(doc: Topology, type: ElementKind, index: number, element: Context | TopoNode | TopoEdge): Topology {
  const key = type === "context" ? "contexts" : type === "node" ? "nodes" : "edges";
  const list = [...doc[key]] as (typeof element)[];
  list[index] = element;
  return { ...doc, [key]: list };
}

/** Replaces whole elements by id (used for the target function's `asyncInvoke` and paste). */
export function replaceNodes(doc: Topology, updates: Map<string, TopoNode>): Topology {
  if (updates.size === 0) return doc;
  return { ...doc, nodes: doc.nodes.map((n) => updates.get(n.id) ?? n) };
}

// ---------------------------------------------------------------------------------------------
// Connecting
// ---------------------------------------------------------------------------------------------

export type ConnectResult = { ok: true; kind: EdgeKind; doc: Topology; edgeId: string } | Extract<ConnectionCheck, { ok: false }>;

/**
 * Joins two nodes with the edge kind the model infers (`inferEdgeKind`): queue → function is a
 * trigger, function → function a call, function → queue a produce, function → table an access.
 * An invalid pair returns the model's reason and fix; so does a second edge of the same kind
 * between the same two nodes.
 * @example connect(doc, "queue-jobs", "fn-worker") // { ok: true, kind: "trigger", edgeId: "e-queue-jobs--fn-worker", doc }
 * @example connect(doc, "bucket-files", "kafka-events") // { ok: false, code: "TOPO-E013", reason: "an S3 bucket cannot send to a Kafka topic", fix: "S3 cannot publish to Kafka; …" }
 */
export function connect(doc: Topology, sourceId: string, targetId: string): ConnectResult {
  const source = doc.nodes.find((n) => n.id === sourceId);
  const target = doc.nodes.find((n) => n.id === targetId);
  if (!source || !target) return { ok: false, code: "TOPO-E011", reason: `no node "${!source ? sourceId : targetId}"`, fix: "Connect two nodes that exist." };
  const check = inferEdgeKind(source, target);
  if (!check.ok) return check;
  if (doc.edges.some((e) => e.source === sourceId && e.target === targetId && e.kind === check.kind))
    return { ok: false, code: "TOPO-E013", reason: `${source.name} → ${target.name} already exists (${check.kind})`, fix: "Select the existing edge to change its settings." };
  const edge = EdgeSchema.parse({ id: makeEdgeId(sourceId, targetId, takenIds(doc)), kind: check.kind, source: sourceId, target: targetId });
  return { ok: true, kind: check.kind, doc: { ...doc, edges: [...doc.edges, edge] }, edgeId: edge.id };
}

// ---------------------------------------------------------------------------------------------
// Moving, resizing, membership
// ---------------------------------------------------------------------------------------------

/**
 * Moves nodes and contexts to new absolute positions (what a drag or arrow keys end with).
 * A context takes its members along. A node joins the context whose box (as drawn before the
 * move) holds its centre, or leaves its context when dropped outside every box.
 */
export function moveElements(doc: Topology, moves: readonly { id: string; position: Point }[]): Topology {
  if (moves.length === 0) return doc;
  const boxes = contextBoxes(doc);
  const contextIds = new Set(doc.contexts.map((c) => c.id));
  const contextDelta = new Map<string, Point>();
  const nodeTo = new Map<string, Point>();
  for (const m of moves) {
    if (contextIds.has(m.id)) {
      const box = boxes.get(m.id)!;
      const d = { x: Math.round(m.position.x - box.x), y: Math.round(m.position.y - box.y) };
      if (d.x !== 0 || d.y !== 0) contextDelta.set(m.id, d);
    } else nodeTo.set(m.id, { x: Math.round(m.position.x), y: Math.round(m.position.y) });
  }
  const contexts = contextDelta.size
    ? doc.contexts.map((c) => {
        const d = contextDelta.get(c.id);
        if (!d) return c;
        const box = boxes.get(c.id)!;
        return { ...c, position: { x: box.x + d.x, y: box.y + d.y }, size: c.size ?? { width: box.width, height: box.height } };
      })
    : doc.contexts;
  let changed = contexts !== doc.contexts;
  const nodes = doc.nodes.map((n) => {
    const d = n.contextId ? contextDelta.get(n.contextId) : undefined;
    if (d) {
      changed = true;
      const p = n.position ?? { x: 0, y: 0 };
      return { ...n, position: { x: p.x + d.x, y: p.y + d.y } };
    }
    const to = nodeTo.get(n.id);
    if (!to) return n;
    const contextId = contextAt(doc, center(to), boxes);
    if (to.x === n.position?.x && to.y === n.position?.y && contextId === n.contextId) return n;
    changed = true;
    const { contextId: _old, ...rest } = n;
    return (contextId ? { ...rest, contextId, position: to } : { ...rest, position: to }) as TopoNode;
  });
  return changed ? { ...doc, contexts, nodes } : doc;
}

/** Sets a context's box (after a resize); it still grows to hold its members when drawn. */
export function resizeContext(doc: Topology, id: string, box: Box): Topology {
  return {
    ...doc,
    contexts: doc.contexts.map((c) =>
      c.id === id ? { ...c, position: { x: Math.round(box.x), y: Math.round(box.y) }, size: { width: Math.max(EMPTY_CONTEXT.width, Math.round(box.width)), height: Math.max(EMPTY_CONTEXT.height, Math.round(box.height)) } } : c,
    ),
  };
}

/**
 * Moves nodes into a context (to free spots inside its box), or out of their context (just
 * below its box) when `contextId` is undefined: membership and geometry stay in agreement.
 */
export function assignContext(doc: Topology, ids: readonly string[], contextId: string | undefined): Topology {
  if (contextId !== undefined && !doc.contexts.some((c) => c.id === contextId)) return doc;
  const boxes = contextBoxes(doc);
  let working = doc;
  for (const id of ids) {
    const node = working.nodes.find((n) => n.id === id);
    if (!node || node.contextId === contextId) continue;
    let position: Point;
    if (contextId) {
      const others = { ...working, nodes: working.nodes.filter((n) => n.id !== id) };
      position = freeSpot(others, { x: 0, y: 0 }, contextId);
    } else {
      const box = node.contextId ? boxes.get(node.contextId) : undefined;
      const below = box ? { x: box.x, y: box.y + box.height + 30 } : (node.position ?? { x: 0, y: 0 });
      const others = { ...working, nodes: working.nodes.filter((n) => n.id !== id) };
      position = freeSpot(others, below, undefined);
    }
    const { contextId: _old, ...rest } = node;
    const moved = (contextId ? { ...rest, contextId, position } : { ...rest, position }) as TopoNode;
    working = { ...working, nodes: working.nodes.map((n) => (n.id === id ? moved : n)) };
  }
  return working;
}

export function setCollapsed(doc: Topology, id: string, collapsed: boolean): Topology {
  return { ...doc, contexts: doc.contexts.map((c) => (c.id === id ? setIn(c, ["collapsed"], collapsed ? true : undefined) : c)) };
}

/** New absolute positions for nodes (layout, tidy, align), and optionally new context boxes. */
export function applyPositions(doc: Topology, positions: ReadonlyMap<string, Point>, contextBoxesById?: ReadonlyMap<string, { position: Point; size: { width: number; height: number } }>): Topology {
  const nodes = positions.size ? doc.nodes.map((n) => (positions.has(n.id) ? { ...n, position: positions.get(n.id)! } : n)) : doc.nodes;
  const contexts = contextBoxesById?.size ? doc.contexts.map((c) => (contextBoxesById.has(c.id) ? { ...c, ...contextBoxesById.get(c.id)! } : c)) : doc.contexts;
  return { ...doc, nodes, contexts };
}

export type AlignMode = "left" | "center" | "right" | "top" | "middle" | "bottom" | "distribute-horizontally" | "distribute-vertically";

/**
 * Positions that align or evenly distribute the given nodes (contexts are ignored).
 * @example alignPositions(doc, ["a", "b"], "top") // Map { "b" => { x: …, y: <a's y> } }
 */
export function alignPositions(doc: Topology, ids: readonly string[], mode: AlignMode): Map<string, Point> {
  const wanted = new Set(ids);
  const nodes = doc.nodes.filter((n) => wanted.has(n.id) && n.position);
  const out = new Map<string, Point>();
  if (nodes.length < 2) return out;
  const xs = nodes.map((n) => n.position!.x);
  const ys = nodes.map((n) => n.position!.y);
  const set = (n: TopoNode, p: Point) => {
    if (p.x !== n.position!.x || p.y !== n.position!.y) out.set(n.id, { x: Math.round(p.x), y: Math.round(p.y) });
  };
  switch (mode) {
    case "left":
      for (const n of nodes) set(n, { x: Math.min(...xs), y: n.position!.y });
      break;
    case "right":
      for (const n of nodes) set(n, { x: Math.max(...xs), y: n.position!.y });
      break;
    case "center": {
      const c = xs.reduce((a, b) => a + b, 0) / xs.length;
      for (const n of nodes) set(n, { x: c, y: n.position!.y });
      break;
    }
    case "top":
      for (const n of nodes) set(n, { x: n.position!.x, y: Math.min(...ys) });
      break;
    case "bottom":
      for (const n of nodes) set(n, { x: n.position!.x, y: Math.max(...ys) });
      break;
    case "middle": {
      const c = ys.reduce((a, b) => a + b, 0) / ys.length;
      for (const n of nodes) set(n, { x: n.position!.x, y: c });
      break;
    }
    case "distribute-horizontally":
    case "distribute-vertically": {
      const axis = mode === "distribute-horizontally" ? "x" : "y";
      const sorted = [...nodes].sort((a, b) => a.position![axis] - b.position![axis]);
      const first = sorted[0].position![axis];
      const last = sorted[sorted.length - 1].position![axis];
      const step = (last - first) / (sorted.length - 1);
      sorted.forEach((n, i) => set(n, axis === "x" ? { x: first + i * step, y: n.position!.y } : { x: n.position!.x, y: first + i * step }));
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Deleting
// ---------------------------------------------------------------------------------------------

/** `node` with every reference to a node in `gone` removed (DLQ, destinations, redrive). */
function withoutReferences(node: TopoNode, gone: ReadonlySet<string>): TopoNode {
  if (node.kind === "function") {
    let n = node;
    if (n.deadLetterQueueId && gone.has(n.deadLetterQueueId)) n = setIn(n, ["deadLetterQueueId"], undefined);
    if (n.asyncInvoke?.onSuccessDestinationId && gone.has(n.asyncInvoke.onSuccessDestinationId)) n = setIn(n, ["asyncInvoke", "onSuccessDestinationId"], undefined);
    if (n.asyncInvoke?.onFailureDestinationId && gone.has(n.asyncInvoke.onFailureDestinationId)) n = setIn(n, ["asyncInvoke", "onFailureDestinationId"], undefined);
    return n;
  }
  if (node.kind === "queue" && node.redrive && gone.has(node.redrive.deadLetterQueueId)) return setIn(node, ["redrive"], undefined);
  return node;
}

/**
 * Deletes contexts, nodes, edges and reference edges (`<owner>~<field>`: clears that field).
 * A node takes its edges with it, and every reference to it is cleared: function DLQs and
 * async destinations, queue redrive policies, trigger on-failure destinations. A context's
 * members stay, outside any context, unless they are deleted too.
 */
export function deleteElements(doc: Topology, ids: readonly string[]): Topology {
  const gone = new Set(ids);
  const references = ids.map(parseReferenceId).filter((r): r is { ownerId: string; field: string } => r !== null);
  let contexts = doc.contexts.filter((c) => !gone.has(c.id));
  const goneContexts = new Set(doc.contexts.filter((c) => gone.has(c.id)).map((c) => c.id));
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const goneNodes = new Set(ids.filter((id) => nodeIds.has(id)));
  let nodes = doc.nodes
    .filter((n) => !goneNodes.has(n.id))
    .map((n) => {
      let m = goneNodes.size ? withoutReferences(n, goneNodes) : n;
      if (m.contextId && goneContexts.has(m.contextId)) m = setIn(m, ["contextId"], undefined);
      return m;
    });
  let edges = doc.edges
    .filter((e) => !gone.has(e.id) && !goneNodes.has(e.source) && !goneNodes.has(e.target))
    .map((e) => (e.kind === "trigger" && e.onFailureDestinationId && goneNodes.has(e.onFailureDestinationId) ? setIn(e, ["onFailureDestinationId"], undefined) : e));
  for (const ref of references) {
    const path = ref.field === "redrive.deadLetterQueueId" ? ["redrive"] : ref.field.split(".");
    nodes = nodes.map((n) => (n.id === ref.ownerId ? setIn(n, path, undefined) : n));
    edges = edges.map((e) => (e.id === ref.ownerId ? setIn(e, path, undefined) : e));
  }
  contexts = contexts === doc.contexts ? doc.contexts : contexts;
  return { ...doc, contexts, nodes, edges };
}

// ---------------------------------------------------------------------------------------------
// Copy and paste
// ---------------------------------------------------------------------------------------------

/** What goes on the clipboard: model elements as JSON, so a paste into another project (or a text editor) works. */
export const ClipboardSchema = z.object({
  format: z.literal("topograph/elements"),
  version: z.literal(1),
  contexts: z.array(ContextSchema),
  nodes: z.array(NodeSchema),
  edges: z.array(EdgeSchema),
});
export type Clipboard = z.infer<typeof ClipboardSchema>;

/**
 * The selected elements as a clipboard payload: selected contexts with all their members,
 * selected nodes, and every edge whose two ends are both copied.
 */
export function copyElements(doc: Topology, ids: readonly string[]): Clipboard {
  const wanted = new Set(ids);
  const contexts = doc.contexts.filter((c) => wanted.has(c.id));
  const contextIds = new Set(contexts.map((c) => c.id));
  const nodes = doc.nodes.filter((n) => wanted.has(n.id) || (n.contextId !== undefined && contextIds.has(n.contextId)));
  const nodeIds = new Set(nodes.map((n) => n.id));
  const edges = doc.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target));
  return { format: "topograph/elements", version: 1, contexts, nodes, edges };
}

/** A clipboard payload from text, or null when the text is not one (anything else a user copied). */
export function parseClipboard(text: string): Clipboard | null {
  try {
    const parsed = ClipboardSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Adds copies of the clipboard's elements with new stable ids (`makeId`, from their names),
 * shifted by `offset` or so that their top-left corner lands at `at`. References are remapped
 * to the copies; a reference to an element that was not copied is kept when that element
 * exists in this document (a paste in the same project) and dropped otherwise (another project).
 * @example pasteElements(doc, copyElements(doc, ["fn-a"]), { offset: { x: 40, y: 40 } }).ids // ["fn-a-2"]
 */
export function pasteElements(doc: Topology, clip: Clipboard, place: { offset?: Point; at?: Point } = {}): { doc: Topology; ids: string[] } {
  const taken = takenIds(doc);
  const map = new Map<string, string>();
  const claim = (oldId: string, make: () => string) => {
    const id = make();
    taken.add(id);
    map.set(oldId, id);
    return id;
  };
  for (const c of clip.contexts) claim(c.id, () => makeId("context", c.name, taken));
  for (const n of clip.nodes) claim(n.id, () => makeId(n.kind, n.name, taken));

  const corners = [...clip.nodes.map((n) => n.position).filter((p): p is Point => !!p), ...clip.contexts.map((c) => c.position).filter((p): p is Point => !!p)];
  const topLeft = corners.length ? { x: Math.min(...corners.map((p) => p.x)), y: Math.min(...corners.map((p) => p.y)) } : { x: 0, y: 0 };
  const d = place.at ? { x: Math.round(place.at.x - topLeft.x), y: Math.round(place.at.y - topLeft.y) } : (place.offset ?? { x: 40, y: 40 });
  const shift = (p: Point | undefined) => (p ? { x: p.x + d.x, y: p.y + d.y } : undefined);

  const existing = new Map(doc.nodes.map((n) => [n.id, n] as const));
  const contextIds = new Set(doc.contexts.map((c) => c.id));
  /** The id a pasted reference should hold, or undefined to drop it. */
  const ref = (id: string | undefined, kinds: readonly NodeKind[]) => {
    if (id === undefined) return undefined;
    if (map.has(id)) return map.get(id);
    const there = existing.get(id);
    return there && kinds.includes(there.kind) ? id : undefined;
  };

  const contexts = clip.contexts.map((c) => {
    const p = shift(c.position);
    return { ...c, id: map.get(c.id)!, ...(p ? { position: p } : {}) };
  });
  const nodes = clip.nodes.map((n): TopoNode => {
    let copy: TopoNode = { ...n, id: map.get(n.id)! };
    const p = shift(n.position);
    if (p) copy = { ...copy, position: p };
    const ctx = n.contextId === undefined ? undefined : (map.get(n.contextId) ?? (contextIds.has(n.contextId) ? n.contextId : undefined));
    copy = setIn(copy, ["contextId"], ctx);
    if (copy.kind === "function") {
      copy = setIn(copy, ["deadLetterQueueId"], ref(copy.deadLetterQueueId, DESTINATION_KINDS.functionDeadLetter));
      const async = copy.asyncInvoke;
      if (async) {
        copy = setIn(copy, ["asyncInvoke", "onSuccessDestinationId"], ref(async.onSuccessDestinationId, DESTINATION_KINDS.asyncDestination));
        copy = setIn(copy, ["asyncInvoke", "onFailureDestinationId"], ref(async.onFailureDestinationId, DESTINATION_KINDS.asyncDestination));
      }
    }
    if (copy.kind === "queue" && copy.redrive) {
      const dlq = ref(copy.redrive.deadLetterQueueId, DESTINATION_KINDS.queueRedrive);
      copy = setIn(copy, ["redrive"], dlq ? { ...copy.redrive, deadLetterQueueId: dlq } : undefined);
    }
    return copy;
  });
  const edges = clip.edges
    .filter((e) => map.has(e.source) && map.has(e.target))
    .map((e): TopoEdge => {
      const source = map.get(e.source)!;
      const target = map.get(e.target)!;
      const id = makeEdgeId(source, target, taken);
      taken.add(id);
      let copy: TopoEdge = { ...e, id, source, target };
      if (copy.kind === "trigger") copy = setIn(copy, ["onFailureDestinationId"], ref(copy.onFailureDestinationId, DESTINATION_KINDS.streamOnFailure));
      return copy;
    });
  return {
    doc: { ...doc, contexts: [...doc.contexts, ...contexts], nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] },
    ids: [...contexts.map((c) => c.id), ...nodes.map((n) => n.id), ...edges.map((e) => e.id)],
  };
}

/** How a change reads in the undo menu and the revision message: "Add function “Worker”". */
export function describeElement(doc: Topology, id: string): string {
  const found = findElement(doc, id);
  if (!found) {
    const ref = parseReferenceId(id);
    return ref ? `${ref.field} of ${describeElement(doc, ref.ownerId)}` : id;
  }
  if (found.type === "context") return `context “${found.element.name}”`;
  if (found.type === "node") return `${KIND_LABEL[found.element.kind].toLowerCase()} “${found.element.name}”`;
  const e = found.element;
  const name = (nid: string) => doc.nodes.find((n) => n.id === nid)?.name ?? nid;
  return `${e.kind} ${name(e.source)} → ${name(e.target)}`;
}
