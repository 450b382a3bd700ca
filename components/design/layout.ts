/**
 * Automatic layout for documents whose positions are missing or unusable: ELK's layered
 * algorithm, left to right, with each context a compound node so its members stay together
 * in one box. Pure and async (ELK runs off a promise); the result is the same document with
 * every context's position and size and every node's position filled in, in the model's
 * absolute coordinates, so the editor can later save it as is.
 *
 * elkjs is loaded on first use, so a canvas whose positions are fine never downloads it.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { Topology } from "../../server/model/schema";
import { CONTEXT_PADDING, NODE_HEIGHT, NODE_WIDTH, boxContains, boxesOverlap, type Box } from "./geometry";
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

  const boxes = topology.nodes.map((n) => ({ node: n, box: nodeBox(n) }));
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++)
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

/**
 * Lays the whole document out again, contexts kept together, and returns it with positions.
 * Nodes of a context missing from the document are laid out as free nodes.
 * @example const laidOut = await layoutTopology(doc); laidOut.nodes.every((n) => n.position) // true
 */
export async function layoutTopology(topology: Topology): Promise<Topology> {
  const contextIds = new Set(topology.contexts.map((c) => c.id));
  const ownerOf = new Map(topology.nodes.map((n) => [n.id, n.contextId && contextIds.has(n.contextId) ? n.contextId : undefined] as const));
  const nodesById = new Map(topology.nodes.map((n) => [n.id, n] as const));

  const leaf = (id: string): ElkNode => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT });
  const compounds = new Map<string, ElkNode>(
    topology.contexts.map((c) => [
      c.id,
      {
        id: c.id,
        children: [],
        edges: [],
        layoutOptions: {
          "elk.padding": `[top=${CONTEXT_PADDING.top},left=${CONTEXT_PADDING.left},bottom=${CONTEXT_PADDING.bottom},right=${CONTEXT_PADDING.right}]`,
          // An empty context still needs a box to be drawn.
          "elk.nodeSize.constraints": "MINIMUM_SIZE",
          "elk.nodeSize.minimum": `(${NODE_WIDTH + CONTEXT_PADDING.left + CONTEXT_PADDING.right}, ${NODE_HEIGHT + CONTEXT_PADDING.top + CONTEXT_PADDING.bottom})`,
        },
      },
    ]),
  );
  const root: ElkNode = {
    id: "__root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.hierarchyHandling": "INCLUDE_CHILDREN",
      "elk.layered.spacing.nodeNodeBetweenLayers": String(SPACING.betweenLayers),
      "elk.spacing.nodeNode": String(SPACING.nodeNode),
      "elk.layered.spacing.edgeNodeBetweenLayers": String(SPACING.edgeNode),
      "elk.spacing.componentComponent": String(SPACING.components),
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
      "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
      "elk.edgeLabels.placement": "CENTER",
    },
    children: [...compounds.values()],
    edges: [],
  };
  for (const n of topology.nodes) {
    const owner = ownerOf.get(n.id);
    (owner ? compounds.get(owner)!.children! : root.children!).push(leaf(n.id));
  }

  // Each edge goes in the lowest container holding both ends, as ELK expects.
  const addEdge = (id: string, source: string, target: string, lines: string[]) => {
    if (!nodesById.has(source) || !nodesById.has(target) || source === target) return;
    const s = ownerOf.get(source);
    const edge: ElkExtendedEdge = { id, sources: [source], targets: [target], labels: lines.length ? [{ text: lines.join("\n"), ...labelSize(lines) }] : [] };
    (s && s === ownerOf.get(target) ? compounds.get(s)!.edges! : root.edges!).push(edge);
  };
  for (const e of topology.edges) addEdge(e.id, e.source, e.target, edgeLabelLines(e, nodesById.get(e.source)));
  for (const n of topology.nodes) {
    if (n.kind === "function") {
      if (n.deadLetterQueueId) addEdge(`${n.id}~dlq`, n.id, n.deadLetterQueueId, [referenceLabel("function-dlq")]);
      if (n.asyncInvoke?.onSuccessDestinationId) addEdge(`${n.id}~ok`, n.id, n.asyncInvoke.onSuccessDestinationId, [referenceLabel("async-on-success")]);
      if (n.asyncInvoke?.onFailureDestinationId) addEdge(`${n.id}~ko`, n.id, n.asyncInvoke.onFailureDestinationId, [referenceLabel("async-on-failure")]);
    } else if (n.kind === "queue" && n.redrive) {
      addEdge(`${n.id}~redrive`, n.id, n.redrive.deadLetterQueueId, [referenceLabel("queue-redrive", n.redrive.maxReceiveCount)]);
    }
  }
  for (const e of topology.edges)
    if (e.kind === "trigger" && e.onFailureDestinationId) addEdge(`${e.id}~ko`, e.target, e.onFailureDestinationId, [referenceLabel("trigger-on-failure")]);

  const laid = await (await loadElk()).layout(root);

  const absolute = new Map<string, Box>();
  for (const child of laid.children ?? []) {
    const x = Math.round(child.x ?? 0);
    const y = Math.round(child.y ?? 0);
    absolute.set(child.id, { x, y, width: Math.round(child.width ?? NODE_WIDTH), height: Math.round(child.height ?? NODE_HEIGHT) });
    for (const grand of child.children ?? []) {
      absolute.set(grand.id, { x: x + Math.round(grand.x ?? 0), y: y + Math.round(grand.y ?? 0), width: NODE_WIDTH, height: NODE_HEIGHT });
    }
  }
  return {
    ...topology,
    contexts: topology.contexts.map((c) => {
      const b = absolute.get(c.id)!;
      return { ...c, position: { x: b.x, y: b.y }, size: { width: b.width, height: b.height } };
    }),
    nodes: topology.nodes.map((n) => {
      const b = absolute.get(n.id)!;
      return { ...n, position: { x: b.x, y: b.y } };
    }),
  };
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
