/**
 * Model → React Flow: contexts become group nodes, model nodes their children (or free nodes),
 * model edges and the reference fields (DLQs, destinations, redrive) become styled edges. A
 * collapsed context becomes one summary node; its members are hidden and the edges that touch
 * them end at the summary instead (several edges between the same two ends become one
 * aggregate edge). Pure and synchronous; positions must already be filled in (see `layout.ts`),
 * otherwise a node without one is drawn at its context's origin.
 *
 * Model positions are absolute canvas pixels (docs/model.md, "Positions"); React Flow wants a
 * child's position relative to its parent, so children are shifted by their context's corner.
 *
 * Scale: the editor calls this after every edit. Pass the same `FlowCache` each time and every
 * flow element whose inputs did not change is returned as the *same object* as last time, so
 * React Flow (which compares node objects by identity) and the memoized node components only
 * redo the elements that changed. Label placement reruns only when some label or box moved.
 */
import type { Position } from "@xyflow/react";
import { deadLetterQueueIds } from "../../server/model/graph";
import type { Context, NodeKind, TopoNode, Topology } from "../../server/model/schema";
import { CONTEXT_PADDING, NODE_HEIGHT, NODE_WIDTH, SUMMARY_HEIGHT, SUMMARY_WIDTH, chooseSides, handleId, nodeHandles, unionBox, type Box, type Side } from "./geometry";
import { placeLabels, type LabelRequest, type Point } from "./label-placement";
import { EDGE_KIND_LABEL, KIND_LABEL, REFERENCE_KIND_LABEL, SHORT_KIND_LABEL, edgeLabelLines, familyOf, formatNumber, presentNode, referenceLabel } from "./present";
import type { ContextFlowNode, DesignEdgeData, DesignEdgeType, DesignFlowEdge, DesignFlowNode, MemberShape, ReferenceKind, ResourceFlowNode } from "./types";

/**
 * Stacking order, used with `zIndexMode="manual"`: context boxes at the back, then edges, then
 * edge labels (CSS), then nodes. In React Flow's default mode the labels would sit under the
 * tinted context boxes.
 */
export const Z = { context: 0, edge: 1, label: 2, node: 3 } as const;

/** Smallest box drawn for a context without nodes. */
export const EMPTY_CONTEXT = { width: NODE_WIDTH + CONTEXT_PADDING.left + CONTEXT_PADDING.right, height: NODE_HEIGHT + CONTEXT_PADDING.top + CONTEXT_PADDING.bottom };

export interface FlowGraph {
  nodes: DesignFlowNode[];
  edges: DesignFlowEdge[];
}

/** Absolute box of a model node. */
export function nodeBox(node: Pick<TopoNode, "position">): Box {
  return { x: node.position?.x ?? 0, y: node.position?.y ?? 0, width: NODE_WIDTH, height: NODE_HEIGHT };
}

/**
 * Absolute box of every context: its declared position and size, grown to hold its nodes with
 * their padding, so a node never sticks out of its group even if the document says otherwise.
 */
export function contextBoxes(topology: Pick<Topology, "contexts" | "nodes">): Map<string, Box> {
  const inner = new Map<string, { x1: number; y1: number; x2: number; y2: number }>();
  for (const n of topology.nodes) {
    if (!n.contextId) continue;
    const x = n.position?.x ?? 0;
    const y = n.position?.y ?? 0;
    const b = inner.get(n.contextId);
    if (!b) inner.set(n.contextId, { x1: x, y1: y, x2: x + NODE_WIDTH, y2: y + NODE_HEIGHT });
    else {
      if (x < b.x1) b.x1 = x;
      if (y < b.y1) b.y1 = y;
      if (x + NODE_WIDTH > b.x2) b.x2 = x + NODE_WIDTH;
      if (y + NODE_HEIGHT > b.y2) b.y2 = y + NODE_HEIGHT;
    }
  }
  const boxes = new Map<string, Box>();
  for (const c of topology.contexts) {
    const i = inner.get(c.id);
    const padded = i && {
      x: i.x1 - CONTEXT_PADDING.left,
      y: i.y1 - CONTEXT_PADDING.top,
      width: i.x2 - i.x1 + CONTEXT_PADDING.left + CONTEXT_PADDING.right,
      height: i.y2 - i.y1 + CONTEXT_PADDING.top + CONTEXT_PADDING.bottom,
    };
    const declared = c.position && { x: c.position.x, y: c.position.y, width: c.size?.width ?? EMPTY_CONTEXT.width, height: c.size?.height ?? EMPTY_CONTEXT.height };
    const box = declared && padded ? unionBox([declared, padded])! : (declared ?? padded ?? { x: 0, y: 0, ...EMPTY_CONTEXT });
    boxes.set(c.id, box);
  }
  return boxes;
}

/** The box a context is drawn with: its full box, or the summary's when collapsed. */
export function drawnContextBox(c: Context, box: Box): Box {
  return c.collapsed ? { x: box.x, y: box.y, width: SUMMARY_WIDTH, height: SUMMARY_HEIGHT } : box;
}

/** An edge before label placement: everything but the label shift. */
interface PendingEdge {
  id: string;
  type: DesignEdgeType;
  source: string;
  target: string;
  sides: { source: Side; target: Side };
  lines: string[];
  ariaLabel: string;
  data: Omit<DesignEdgeData, "labelShift">;
  /** What the flow edge depends on besides its ends and sides. */
  deps: unknown[];
  selectable?: boolean;
}

/** Per-element memory of the last result, so unchanged inputs give the same objects back. */
export interface FlowCache {
  nodes: Map<string, { deps: unknown[]; out: DesignFlowNode }>;
  edges: Map<string, { deps: unknown[]; out: DesignFlowEdge }>;
  lines: Map<string, { model: unknown; source: unknown; lines: string[] }>;
  info: Map<string, { deps: unknown[]; out: Omit<PendingEdge, "sides" | "source" | "target"> }>;
  labels?: { requests: LabelRequest[]; obstacles: Box[]; shifts: Map<string, Point> };
}

export function createFlowCache(): FlowCache {
  return { nodes: new Map(), edges: new Map(), lines: new Map(), info: new Map() };
}

const sameDeps = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

function remember<T>(map: Map<string, { deps: unknown[]; out: T }>, seen: Set<string>, id: string, deps: unknown[], make: () => T): T {
  seen.add(id);
  const hit = map.get(id);
  if (hit && sameDeps(hit.deps, deps)) return hit.out;
  const out = make();
  map.set(id, { deps, out });
  return out;
}

/** Every node has the same eight handles: one shared, frozen list. */
const RESOURCE_HANDLES = Object.freeze(nodeHandles(NODE_WIDTH, NODE_HEIGHT).map((h) => Object.freeze({ ...h, position: h.position as Position })));
const SUMMARY_HANDLES = Object.freeze(nodeHandles(SUMMARY_WIDTH, SUMMARY_HEIGHT).map((h) => Object.freeze({ ...h, position: h.position as Position })));

/**
 * The React Flow nodes and edges drawing a topology.
 * Contexts come first (React Flow needs parents before their children); edges get the sides
 * facing each other (`chooseSides`), and ids: model ids for model elements, `<owner>~<field>`
 * for reference edges, `agg~<source>~<target>` for aggregates (model ids never contain "~").
 * @example topologyToFlow(ordersTopology).nodes.find((n) => n.id === "fn-order-handler")?.parentId // "ctx-orders"
 */
export function topologyToFlow(topology: Topology, cache: FlowCache = createFlowCache(), mode: "detail" | "overview" = "detail"): FlowGraph {
  const overview = mode === "overview";
  const contexts = new Map(topology.contexts.map((c) => [c.id, c] as const));
  const cBoxes = contextBoxes(topology);
  const modelNodes = new Map(topology.nodes.map((n) => [n.id, n] as const));
  const dlqs = deadLetterQueueIds(topology);
  const counts = new Map<string, Map<NodeKind, number>>();
  for (const n of topology.nodes) {
    if (!n.contextId) continue;
    let m = counts.get(n.contextId);
    if (!m) counts.set(n.contextId, (m = new Map()));
    m.set(n.kind, (m.get(n.kind) ?? 0) + 1);
  }
  // In the overview (zoomed far out), every context is drawn as its summary, at full size.
  const collapsedOf = (n: TopoNode): string | undefined => (n.contextId && (overview ? contexts.has(n.contextId) : contexts.get(n.contextId)?.collapsed) ? n.contextId : undefined);
  /** The flow node an edge end is drawn at: the node itself, or the summary of its collapsed context. */
  const visible = (id: string): string => {
    const n = modelNodes.get(id);
    return (n && collapsedOf(n)) ?? id;
  };
  const seenNodes = new Set<string>();
  const seenEdges = new Set<string>();

  const nodes: DesignFlowNode[] = [];
  const drawnBoxes = new Map<string, Box>();
  const shapes = overview ? memberShapes(topology, cBoxes) : undefined;
  for (const c of topology.contexts) {
    const box = cBoxes.get(c.id)!;
    const byKind = counts.get(c.id);
    const summary = summarize(byKind);
    const drawn = overview ? box : drawnContextBox(c, box);
    if (c.collapsed || overview) drawnBoxes.set(c.id, drawn);
    const nodeCount = byKind ? [...byKind.values()].reduce((a, b) => a + b, 0) : 0;
    const members = shapes?.get(c.id);
    nodes.push(remember(cache.nodes, seenNodes, c.id, [c, drawn.x, drawn.y, drawn.width, drawn.height, summary, members?.key], () => contextNode(c, drawn, nodeCount, summary, overview ? (members?.shapes ?? []) : undefined)));
  }
  for (const n of topology.nodes) {
    if (collapsedOf(n)) continue;
    const parent = n.contextId && contexts.has(n.contextId) ? cBoxes.get(n.contextId)! : undefined;
    const isDlq = dlqs.has(n.id);
    drawnBoxes.set(n.id, nodeBox(n));
    nodes.push(
      remember(cache.nodes, seenNodes, n.id, [n, parent?.x, parent?.y, isDlq], () =>
        resourceNode(n, parent && n.contextId ? { id: n.contextId, box: parent } : undefined, isDlq),
      ),
    );
  }

  const pending: PendingEdge[] = [];
  const name = (id: string) => modelNodes.get(id)?.name ?? contexts.get(id)?.name ?? id;
  const aggregates = new Map<string, { source: string; target: string; members: string[]; infos: Omit<PendingEdge, "sides" | "source" | "target">[] }>();
  /** Queues an edge; one whose end is hidden in a collapsed context joins that end's aggregate. */
  const queue = (p: Omit<PendingEdge, "sides" | "source" | "target">, from: string, to: string) => {
    const s = visible(from);
    const t = visible(to);
    if (s === t && (s !== from || t !== to)) return; // both ends inside the same collapsed context
    if (s !== from || t !== to) {
      const key = `agg~${s}~${t}`;
      const agg = aggregates.get(key) ?? { source: s, target: t, members: [], infos: [] };
      agg.members.push(p.id);
      agg.infos.push(p);
      aggregates.set(key, agg);
      return;
    }
    pending.push({ ...p, source: s, target: t, sides: chooseSides(drawnBoxes.get(s)!, drawnBoxes.get(t)!) });
  };
  /** Label lines, kept as the same array while their text is the same (label placement compares arrays by identity). */
  const linesOf = (id: string, model: unknown, source: unknown, make: () => string[]) => {
    const hit = cache.lines.get(id);
    if (hit && hit.model === model && hit.source === source) return hit.lines;
    const made = make();
    const lines = hit && hit.lines.length === made.length && hit.lines.every((l, i) => l === made[i]) ? hit.lines : made;
    cache.lines.set(id, { model, source, lines });
    return lines;
  };
  /** The parts of an edge that depend on the model only, remembered per edge. */
  const edgeInfo = (id: string, deps: unknown[], make: () => Omit<PendingEdge, "sides" | "source" | "target">) => remember(cache.info, seenInfo, id, deps, make);
  const seenInfo = new Set<string>();

  for (const e of topology.edges) {
    const source = modelNodes.get(e.source);
    const target = modelNodes.get(e.target);
    if (!source || !target) continue; // a dangling edge is reported by validation (TOPO-E011)
    const info = edgeInfo(e.id, [e, source, target], () => {
      const lines = linesOf(e.id, e, source, () => edgeLabelLines(e, source));
      return {
        id: e.id,
        type: e.kind,
        lines,
        ariaLabel: `${EDGE_KIND_LABEL[e.kind]} from ${source.name} to ${target.name}${lines.length ? `: ${lines.join(", ")}` : ""}`,
        data: { origin: "model", model: e, labelLines: lines },
        deps: [e, source.name, target.name, lines],
      };
    });
    queue(info, e.source, e.target);
  }

  const reference = (kind: ReferenceKind, ownerId: string, field: string, from: string, to: string | undefined, maxReceiveCount?: number) => {
    if (!to) return;
    const fromNode = modelNodes.get(from);
    const toNode = modelNodes.get(to);
    if (!fromNode || !toNode) return;
    const id = `${ownerId}~${field}`;
    const info = edgeInfo(id, [kind, fromNode, toNode, maxReceiveCount], () => {
      const label = referenceLabel(kind, maxReceiveCount);
      const lines = linesOf(id, label, undefined, () => [label]);
      return {
        id,
        type: kind === "async-on-success" ? "success" : "failure",
        lines,
        ariaLabel: `${REFERENCE_KIND_LABEL[kind]} from ${fromNode.name} to ${toNode.name}: ${label}`,
        data: { origin: "reference", reference: kind, ownerId, field, labelLines: lines },
        deps: [kind, fromNode.name, toNode.name, lines],
      };
    });
    queue(info, from, to);
  };
  for (const n of topology.nodes) {
    if (n.kind === "function") {
      reference("function-dlq", n.id, "deadLetterQueueId", n.id, n.deadLetterQueueId);
      reference("async-on-success", n.id, "asyncInvoke.onSuccessDestinationId", n.id, n.asyncInvoke?.onSuccessDestinationId);
      reference("async-on-failure", n.id, "asyncInvoke.onFailureDestinationId", n.id, n.asyncInvoke?.onFailureDestinationId);
    } else if (n.kind === "queue" && n.redrive) {
      reference("queue-redrive", n.id, "redrive.deadLetterQueueId", n.id, n.redrive.deadLetterQueueId, n.redrive.maxReceiveCount);
    }
  }
  // The event source mapping sends what its function failed on: drawn from that function.
  for (const e of topology.edges) {
    if (e.kind === "trigger") reference("trigger-on-failure", e.id, "onFailureDestinationId", e.target, e.onFailureDestinationId);
  }
  for (const [id, agg] of aggregates) {
    const n = agg.members.length;
    // One edge into a collapsed context keeps its kind, label and id; several become one aggregate.
    if (n === 1) {
      pending.push({ ...agg.infos[0], source: agg.source, target: agg.target, sides: chooseSides(drawnBoxes.get(agg.source)!, drawnBoxes.get(agg.target)!) });
      continue;
    }
    const lines = linesOf(id, n, undefined, () => [`${formatNumber(n)} edge${n === 1 ? "" : "s"}`]);
    pending.push({
      id,
      type: "aggregate",
      source: agg.source,
      target: agg.target,
      sides: chooseSides(drawnBoxes.get(agg.source)!, drawnBoxes.get(agg.target)!),
      lines,
      ariaLabel: `${lines[0]} from ${name(agg.source)} to ${name(agg.target)}`,
      data: { origin: "aggregate", members: agg.members, labelLines: lines },
      deps: [agg.members.join(" ")],
      selectable: false,
    });
  }

  // Labels: placed again only when a label, a node box or a context title changed.
  const requests: LabelRequest[] = pending.map((p) => ({ id: p.id, source: drawnBoxes.get(p.source)!, target: drawnBoxes.get(p.target)!, sides: p.sides, lines: p.lines }));
  const obstacles = [...drawnBoxes.values(), ...topology.contexts.filter((c) => !c.collapsed).map((c) => contextTitleBox(c, cBoxes.get(c.id)!))];
  const prev = cache.labels;
  const shifts = prev && sameRequests(prev.requests, requests) && sameBoxes(prev.obstacles, obstacles) ? prev.shifts : placeLabels(requests, obstacles);
  cache.labels = { requests, obstacles, shifts };

  const edges: DesignFlowEdge[] = pending.map((p) => {
    const shift = shifts.get(p.id);
    return remember(cache.edges, seenEdges, p.id, [p.deps, p.source, p.target, p.sides.source, p.sides.target, shift?.x, shift?.y], () => ({
      id: p.id,
      type: p.type,
      source: p.source,
      target: p.target,
      sourceHandle: handleId("source", p.sides.source),
      targetHandle: handleId("target", p.sides.target),
      zIndex: Z.edge,
      ariaLabel: p.ariaLabel,
      ...(p.selectable === false ? { selectable: false, focusable: false } : {}),
      data: (shift ? { ...p.data, labelShift: shift } : p.data) as DesignEdgeData,
    }));
  });

  // Forget elements that are gone, so the cache does not grow with every deleted element.
  for (const id of cache.nodes.keys()) if (!seenNodes.has(id)) cache.nodes.delete(id);
  for (const id of cache.edges.keys()) if (!seenEdges.has(id)) {
    cache.edges.delete(id);
    cache.lines.delete(id);
  }
  for (const id of cache.info.keys()) if (!seenInfo.has(id)) cache.info.delete(id);
  return { nodes, edges };
}

function sameBox(a: Box, b: Box) {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}
function sameBoxes(a: Box[], b: Box[]) {
  return a.length === b.length && a.every((x, i) => sameBox(x, b[i]));
}
function sameRequests(a: LabelRequest[], b: LabelRequest[]) {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      return x.id === y.id && x.lines === y.lines && x.sides.source === y.sides.source && x.sides.target === y.sides.target && sameBox(x.source, y.source) && sameBox(x.target, y.target);
    })
  );
}

const SUMMARY_KINDS: [NodeKind[], string, string][] = [
  [["function"], "function", "functions"],
  [["queue", "stream", "kafka-topic", "sns-topic", "event-bus"], "channel", "channels"],
  [["table", "bucket", "data-store"], "data store", "data stores"],
  [["http-route", "schedule", "external"], "entry point", "entry points"],
];

/** "12 functions · 8 channels · 2 data stores" for a context's summary. */
export function summarize(byKind: Map<NodeKind, number> | undefined): string {
  if (!byKind || byKind.size === 0) return "empty";
  const parts: string[] = [];
  for (const [kinds, one, many] of SUMMARY_KINDS) {
    const n = kinds.reduce((sum, k) => sum + (byKind.get(k) ?? 0), 0);
    if (n > 0) parts.push(`${formatNumber(n)} ${n === 1 ? one : many}`);
  }
  return parts.join(" · ");
}

/** The part of a context box its name and owner take (see `.contextHeader`): labels keep off it. */
function contextTitleBox(c: Context, box: Box): Box {
  const width = 14 + c.name.length * 8.2 + (c.owner ? 8 + c.owner.length * 6.4 : 0) + 10;
  return { x: box.x, y: box.y, width: Math.min(width, box.width), height: 34 };
}

/** Members of each context as light shapes relative to its box (the overview draws them in one SVG). */
function memberShapes(topology: Topology, boxes: Map<string, Box>): Map<string, { key: string; shapes: MemberShape[] }> {
  const out = new Map<string, { key: string; shapes: MemberShape[] }>();
  for (const n of topology.nodes) {
    const box = n.contextId ? boxes.get(n.contextId) : undefined;
    if (!box) continue;
    let entry = out.get(n.contextId!);
    if (!entry) out.set(n.contextId!, (entry = { key: "", shapes: [] }));
    const x = (n.position?.x ?? 0) - box.x;
    const y = (n.position?.y ?? 0) - box.y;
    entry.shapes.push({ x, y, family: familyOf(n.kind) });
    entry.key += `${n.id}@${x},${y};`;
  }
  return out;
}

function contextNode(c: Context, box: Box, nodeCount: number, summary: string, members?: MemberShape[]): ContextFlowNode {
  const overview = members !== undefined;
  return {
    id: c.id,
    type: "context",
    position: { x: box.x, y: box.y },
    width: box.width,
    height: box.height,
    measured: { width: box.width, height: box.height },
    zIndex: c.collapsed && !overview ? Z.node : Z.context,
    ...(c.collapsed && !overview ? { handles: SUMMARY_HANDLES as unknown as ContextFlowNode["handles"] } : overview ? { handles: nodeHandles(box.width, box.height).map((h) => ({ ...h, position: h.position as Position })) } : {}),
    ariaLabel: `Context ${c.name}${c.collapsed || overview ? ` (${summary})` : ""}`,
    data: { model: c, nodeCount, summary, collapsed: !!c.collapsed && !overview, ...(members ? { members } : {}) },
  };
}

function resourceNode(n: TopoNode, parent: { id: string; box: Box } | undefined, isDeadLetterQueue: boolean): ResourceFlowNode {
  const box = nodeBox(n);
  const kindLabel = KIND_LABEL[n.kind];
  return {
    id: n.id,
    type: familyOf(n.kind),
    position: parent ? { x: box.x - parent.box.x, y: box.y - parent.box.y } : { x: box.x, y: box.y },
    ...(parent ? { parentId: parent.id } : {}),
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    // Sizes are known up front: declaring them as measured lets React Flow treat every node as
    // initialised, so fitView works with onlyRenderVisibleElements (off-screen nodes are never
    // measured otherwise) and opening skips a measuring pass (stack notes: 2–4× faster).
    measured: { width: NODE_WIDTH, height: NODE_HEIGHT },
    // Side names are the values of xyflow's Position enum; the cast avoids loading React Flow here.
    handles: RESOURCE_HANDLES as unknown as ResourceFlowNode["handles"],
    zIndex: Z.node,
    ariaLabel: `${kindLabel} ${n.name}`,
    data: { model: n, kindLabel, shortKindLabel: SHORT_KIND_LABEL[n.kind], isDeadLetterQueue, ...presentNode(n, isDeadLetterQueue) },
  };
}

/**
 * The nodes and edges with React Flow's `selected` flag set from `selected` ids. Objects whose
 * flag is unchanged since the last call are reused, so a click re-renders two nodes, not all.
 */
export function markSelected<T extends { id: string; selected?: boolean }>(items: T[], selected: ReadonlySet<string>, memo: WeakMap<T, T>): T[] {
  let changed = false;
  const out = items.map((item) => {
    const want = selected.has(item.id);
    if (!want) return item;
    let marked = memo.get(item);
    if (!marked) {
      marked = { ...item, selected: true };
      memo.set(item, marked);
    }
    changed = true;
    return marked;
  });
  return changed ? out : items;
}
