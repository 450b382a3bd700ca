/**
 * Automatic layout for documents whose positions are missing or unusable, and for the editor's
 * "Auto layout" and "Tidy": ELK's layered algorithm, left to right, each context laid out as one
 * block so its members stay together. Pure and async (ELK runs off a promise); the result is the same document with
 * every context's position and size and every node's position filled in, in the model's
 * absolute coordinates, so the editor can later save it as is.
 *
 * elkjs is loaded on first use, so a canvas whose positions are fine never downloads it.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { TopoNode, Topology } from "../../server/model/schema";
import { CONTEXT_PADDING, NODE_HEIGHT, NODE_WIDTH, boxContains, boxesOverlap } from "./geometry";
import { layeredLayout } from "./layered";
import { contextBoxes, nodeBox } from "./to-flow";
import { edgeLabelLines, referenceLabel } from "./present";

/**
 * Why a document cannot be drawn from its own positions, or null when it can: a node without a
 * position, two nodes on top of each other, overlapping contexts, or a node inside a context box
 * it does not belong to.
 * @example layoutReason({ ...doc, nodes: [{ ...fn, position: undefined }] }) // "1 node has no position"
 */
export function layoutReason(topology: Topology): string | null {
  const unplaced = topology.nodes.filter((n) => !n.position).length;
  if (unplaced > 0) return `${unplaced} node${unplaced === 1 ? " has" : "s have"} no position`;
  const contextIds = new Set(topology.contexts.map((c) => c.id));
  const placedContexts = new Set(topology.nodes.filter((n) => n.contextId).map((n) => n.contextId));
  const unplacedContexts = topology.contexts.filter((c) => !c.position && !placedContexts.has(c.id)).length;
  if (unplacedContexts > 0) return `${unplacedContexts} empty context${unplacedContexts === 1 ? " has" : "s have"} no position`;

  // Sweep along x: every node has the same width, so only neighbours in x can overlap.
  const boxes = topology.nodes.map((n) => ({ node: n, box: nodeBox(n) })).sort((a, b) => a.box.x - b.box.x);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length && boxes[j].box.x < boxes[i].box.x + boxes[i].box.width; j++)
      if (boxesOverlap(boxes[i].box, boxes[j].box)) return `${boxes[i].node.name} and ${boxes[j].node.name} overlap`;

  const cBoxes = [...contextBoxes(topology)];
  for (let i = 0; i < cBoxes.length; i++)
    for (let j = i + 1; j < cBoxes.length; j++)
      if (boxesOverlap(cBoxes[i][1], cBoxes[j][1])) return `contexts ${cBoxes[i][0]} and ${cBoxes[j][0]} overlap`;
  for (const { node, box } of boxes) {
    for (const [id, cBox] of cBoxes) {
      const own = node.contextId === id && contextIds.has(id);
      if (!own && boxesOverlap(cBox, box)) return `${node.name} lies in the box of context ${id} without belonging to it`;
    }
  }
  return null;
}

/** Layout spacing, in pixels. Wide enough between layers for a two-line edge label. */
const SPACING = {
  betweenLayers: 70,
  nodeNode: 36,
  edgeNode: 16,
  components: 60,
};

/** Rough size of an edge label, so ELK keeps room for it between layers. */
function labelSize(lines: string[]) {
  const longest = Math.max(0, ...lines.map((l) => l.length));
  return { width: Math.ceil(longest * 5.8) + 12, height: lines.length * 13 + 6 };
}

type Elk = { layout(graph: ElkNode): Promise<ElkNode> };
let elk: Promise<Elk> | undefined;
function loadElk(): Promise<Elk> {
  elk ??= import("elkjs/lib/elk.bundled.js").then((m) => {
    // CommonJS from ESM: the constructor is `default`, or the module itself under some bundlers.
    const Ctor = ((m as { default?: unknown }).default ?? m) as new () => Elk;
    return new Ctor();
  });
  return elk;
}

/** ELK options shared by every graph we lay out: layered, left to right. */
function layeredOptions(padding: string): Record<string, string> {
  return {
    "elk.algorithm": "layered",
    "elk.direction": "RIGHT",
    "elk.padding": padding,
    "elk.layered.spacing.nodeNodeBetweenLayers": String(SPACING.betweenLayers),
    "elk.spacing.nodeNode": String(SPACING.nodeNode),
    "elk.layered.spacing.edgeNodeBetweenLayers": String(SPACING.edgeNode),
    "elk.spacing.componentComponent": String(SPACING.components),
    "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
    "elk.edgeLabels.placement": "CENTER",
  };
}


/** Every edge the canvas draws between two nodes (model edges and reference fields), with its label. */
function drawnEdges(topology: Topology, nodesById: Map<string, TopoNode>): { id: string; source: string; target: string; lines: string[] }[] {
  const out: { id: string; source: string; target: string; lines: string[] }[] = [];
  const add = (id: string, source: string, target: string, lines: string[]) => {
    if (nodesById.has(source) && nodesById.has(target) && source !== target) out.push({ id, source, target, lines });
  };
  for (const e of topology.edges) add(e.id, e.source, e.target, edgeLabelLines(e, nodesById.get(e.source)));
  for (const n of topology.nodes) {
    if (n.kind === "function") {
      if (n.deadLetterQueueId) add(`${n.id}~dlq`, n.id, n.deadLetterQueueId, [referenceLabel("function-dlq")]);
      if (n.asyncInvoke?.onSuccessDestinationId) add(`${n.id}~ok`, n.id, n.asyncInvoke.onSuccessDestinationId, [referenceLabel("async-on-success")]);
      if (n.asyncInvoke?.onFailureDestinationId) add(`${n.id}~ko`, n.id, n.asyncInvoke.onFailureDestinationId, [referenceLabel("async-on-failure")]);
    } else if (n.kind === "queue" && n.redrive) {
      add(`${n.id}~redrive`, n.id, n.redrive.deadLetterQueueId, [referenceLabel("queue-redrive", n.redrive.maxReceiveCount)]);
    }
  }
  for (const e of topology.edges)
    if (e.kind === "trigger" && e.onFailureDestinationId) add(`${e.id}~ko`, e.target, e.onFailureDestinationId, [referenceLabel("trigger-on-failure")]);
  return out;
}

/**
 * Up to this many nodes, ELK lays the document out (its crossing minimisation is the better
 * one); above, `layeredLayout` does, as ELK needs 20–50 ms per 40-node context here and the
 * editor's goal is 500 ms for a 1,000-function topology.
 */
export const ELK_NODE_LIMIT = 300;

type Engine = Elk | "layered";
type FlatEdge = { id: string; source: string; target: string; lines: string[] };
const NO_PADDING = { top: 0, right: 0, bottom: 0, left: 0 };

/** Lays out a flat set of nodes (one context, or a selection) and returns positions relative to the graph's corner, and its size. */
async function layoutFlat(
  engine: Engine,
  ids: readonly string[],
  edges: readonly FlatEdge[],
  padding: { top: number; right: number; bottom: number; left: number },
  sizes?: Map<string, { width: number; height: number }>,
): Promise<{ positions: Map<string, { x: number; y: number }>; width: number; height: number }> {
  const size = (id: string) => sizes?.get(id) ?? { width: NODE_WIDTH, height: NODE_HEIGHT };
  if (engine === "layered") {
    return layeredLayout({
      ids,
      edges: edges.map((e) => ({ source: e.source, target: e.target, labelWidth: e.lines.length ? labelSize(e.lines).width : 0 })),
      size,
      padding,
      layerGap: SPACING.betweenLayers,
      nodeGap: SPACING.nodeNode,
    });
  }
  const graph: ElkNode = {
    id: "__root",
    layoutOptions: layeredOptions(`[top=${padding.top},left=${padding.left},bottom=${padding.bottom},right=${padding.right}]`),
    children: ids.map((id) => ({ id, ...size(id) })),
    edges: edges.map((e): ElkExtendedEdge => ({ id: e.id, sources: [e.source], targets: [e.target], labels: e.lines.length ? [{ text: e.lines.join("\n"), ...labelSize(e.lines) }] : [] })),
  };
  const laid = await engine.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const c of laid.children ?? []) positions.set(c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) });
  return { positions, width: Math.round(laid.width ?? 0), height: Math.round(laid.height ?? 0) };
}

/** Width : height the packed layout aims for, about a wide screen's. */
const PACK_ASPECT = 1.6;

/**
 * Lays out each connected part of the block graph on its own, then packs the parts in rows
 * (tallest first) into a roughly PACK_ASPECT-shaped area, instead of one tall column: a
 * topology whose contexts do not talk to each other still opens as a readable map.
 */
async function packComponents(engine: Engine, ids: readonly string[], edges: readonly FlatEdge[], sizes: Map<string, { width: number; height: number }>) {
  const parent = new Map(ids.map((id) => [id, id] as const));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const e of edges) parent.set(find(e.source), find(e.target));
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const r = find(id);
    const list = groups.get(r) ?? [];
    list.push(id);
    groups.set(r, list);
  }
  const parts: { positions: Map<string, { x: number; y: number }>; width: number; height: number }[] = [];
  for (const members of groups.values()) {
    const set = new Set(members);
    parts.push(await layoutFlat(engine, members, edges.filter((e) => set.has(e.source)), NO_PADDING, sizes));
  }
  const gap = SPACING.components;
  const area = parts.reduce((a, p) => a + (p.width + gap) * (p.height + gap), 0);
  const rowWidth = Math.max(Math.sqrt(area * PACK_ASPECT), ...parts.map((p) => p.width));
  parts.sort((a, b) => b.height - a.height);
  const positions = new Map<string, { x: number; y: number }>();
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const p of parts) {
    if (x > 0 && x + p.width > rowWidth) {
      x = 0;
      y += rowHeight + gap;
      rowHeight = 0;
    }
    for (const [id, q] of p.positions) positions.set(id, { x: x + q.x, y: y + q.y });
    x += p.width + gap;
    rowHeight = Math.max(rowHeight, p.height);
  }
  return { positions, width: rowWidth, height: y + rowHeight };
}

async function engineFor(nodeCount: number): Promise<Engine> {
  return nodeCount <= ELK_NODE_LIMIT ? loadElk() : "layered";
}

/**
 * Lays the whole document out again, contexts kept together, and returns it with positions.
 * Two levels, so the cost grows with the size of the largest context rather than the whole
 * graph (one ELK run over 1,300 nodes with nested contexts took 7 s), and ELK only for small
 * documents (`ELK_NODE_LIMIT`; `layeredLayout` above):
 * each context's members are laid out alone, then the contexts (as blocks of that size) and
 * the free nodes are laid out together, joined by one edge per pair of blocks that talk.
 * Nodes of a context missing from the document are laid out as free nodes.
 * @example const laidOut = await layoutTopology(doc); laidOut.nodes.every((n) => n.position) // true
 */
export async function layoutTopology(topology: Topology): Promise<Topology> {
  const engine = await engineFor(topology.nodes.length);
  const contextIds = new Set(topology.contexts.map((c) => c.id));
  const nodesById = new Map(topology.nodes.map((n) => [n.id, n] as const));
  const blockOf = new Map(topology.nodes.map((n) => [n.id, n.contextId && contextIds.has(n.contextId) ? n.contextId : n.id] as const));
  const edges = drawnEdges(topology, nodesById);

  const members = new Map<string, string[]>(topology.contexts.map((c) => [c.id, []]));
  for (const n of topology.nodes) {
    const b = blockOf.get(n.id)!;
    if (b !== n.id) members.get(b)!.push(n.id);
  }
  const inner = new Map<string, { x: number; y: number }>();
  const sizes = new Map<string, { width: number; height: number }>();
  const internal = new Map<string, typeof edges>();
  const between = new Map<string, { id: string; source: string; target: string; lines: string[] }>();
  for (const e of edges) {
    const s = blockOf.get(e.source)!;
    const t = blockOf.get(e.target)!;
    if (s === t) {
      const list = internal.get(s) ?? [];
      list.push(e);
      internal.set(s, list);
    } else {
      const key = `${s}\u0000${t}`;
      const prev = between.get(key);
      if (!prev || e.lines.join(" ").length > prev.lines.join(" ").length) between.set(key, { id: `${s}~>${t}`, source: s, target: t, lines: e.lines });
    }
  }
  for (const c of topology.contexts) {
    const ids = members.get(c.id)!;
    if (ids.length === 0) {
      sizes.set(c.id, { width: NODE_WIDTH + CONTEXT_PADDING.left + CONTEXT_PADDING.right, height: NODE_HEIGHT + CONTEXT_PADDING.top + CONTEXT_PADDING.bottom });
      continue;
    }
    const laid = await layoutFlat(engine, ids, internal.get(c.id) ?? [], CONTEXT_PADDING);
    for (const [id, p] of laid.positions) inner.set(id, p);
    sizes.set(c.id, { width: laid.width, height: laid.height });
  }
  const blocks = [...topology.contexts.map((c) => c.id), ...topology.nodes.filter((n) => blockOf.get(n.id) === n.id).map((n) => n.id)];
  // ELK packs unconnected parts of the graph itself; the layered engine gets them packed in rows.
  const top = engine === "layered" ? await packComponents(engine, blocks, [...between.values()], sizes) : await layoutFlat(engine, blocks, [...between.values()], NO_PADDING, sizes);

  return {
    ...topology,
    contexts: topology.contexts.map((c) => {
      const p = top.positions.get(c.id)!;
      return { ...c, position: { x: p.x, y: p.y }, size: sizes.get(c.id)! };
    }),
    nodes: topology.nodes.map((n) => {
      const b = blockOf.get(n.id)!;
      const corner = top.positions.get(b)!;
      const rel = b === n.id ? { x: 0, y: 0 } : inner.get(n.id)!;
      return { ...n, position: { x: corner.x + rel.x, y: corner.y + rel.y } };
    }),
  };
}

/**
 * "Tidy": lays out only the given nodes (left to right, the edges among them), keeping the
 * top-left corner of their bounding box where it was. Returns their new absolute positions;
 * contexts and every other node stay put. Members of a given context id are included.
 * @example await layoutSelection(doc, ["fn-a", "queue-b"]) // Map { "fn-a" => { x, y }, "queue-b" => { x, y } }
 */
export async function layoutSelection(topology: Topology, ids: readonly string[]): Promise<Map<string, { x: number; y: number }>> {
  const wanted = new Set(ids);
  const chosen = topology.nodes.filter((n) => wanted.has(n.id) || (n.contextId !== undefined && wanted.has(n.contextId)));
  if (chosen.length === 0) return new Map();
  const nodesById = new Map(chosen.map((n) => [n.id, n] as const));
  const edges = drawnEdges({ ...topology, nodes: chosen }, nodesById).filter((e) => nodesById.has(e.source) && nodesById.has(e.target));
  const corner = { x: Math.min(...chosen.map((n) => n.position?.x ?? 0)), y: Math.min(...chosen.map((n) => n.position?.y ?? 0)) };
  const laid = await layoutFlat(await engineFor(chosen.length), chosen.map((n) => n.id), edges, NO_PADDING);
  const out = new Map<string, { x: number; y: number }>();
  for (const [id, p] of laid.positions) out.set(id, { x: corner.x + p.x, y: corner.y + p.y });
  return out;
}

/** Whether every node of a context lies inside that context's box (a check for tests and callers). */
export function childrenInsideContexts(topology: Topology): boolean {
  const boxes = new Map(topology.contexts.map((c) => [c.id, c.position && c.size ? { ...c.position, ...c.size } : undefined] as const));
  return topology.nodes.every((n) => {
    if (!n.contextId || !boxes.has(n.contextId)) return true;
    const box = boxes.get(n.contextId);
    return !!box && !!n.position && boxContains(box, nodeBox(n));
  });
}
