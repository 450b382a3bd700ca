/**
 * Model → React Flow: contexts become group nodes, model nodes their children (or free nodes),
 * model edges and the reference fields (DLQs, destinations, redrive) become styled edges.
 * Pure and synchronous; positions must already be filled in (see `layout.ts`), otherwise a node
 * without one is drawn at its context's origin.
 *
 * Model positions are absolute canvas pixels (docs/model.md, "Positions"); React Flow wants a
 * child's position relative to its parent, so children are shifted by their context's corner.
 */
import type { Position } from "@xyflow/react";
import { deadLetterQueueIds } from "../../server/model/graph";
import type { Context, TopoNode, Topology } from "../../server/model/schema";
import { CONTEXT_PADDING, NODE_HEIGHT, NODE_WIDTH, chooseSides, handleId, nodeHandles, unionBox, type Box } from "./geometry";
import { placeLabels, type LabelRequest } from "./label-placement";
import { EDGE_KIND_LABEL, KIND_LABEL, REFERENCE_KIND_LABEL, SHORT_KIND_LABEL, edgeLabelLines, familyOf, presentNode, referenceLabel } from "./present";
import type { ContextFlowNode, DesignFlowEdge, DesignFlowNode, ReferenceKind, ResourceFlowNode } from "./types";

/**
 * Stacking order, used with `zIndexMode="manual"`: context boxes at the back, then edges, then
 * edge labels (CSS), then nodes. In React Flow's default mode the labels would sit under the
 * tinted context boxes.
 */
export const Z = { context: 0, edge: 1, label: 2, node: 3 } as const;

/** Smallest box drawn for a context without nodes. */
const EMPTY_CONTEXT = { width: NODE_WIDTH + CONTEXT_PADDING.left + CONTEXT_PADDING.right, height: NODE_HEIGHT + CONTEXT_PADDING.top + CONTEXT_PADDING.bottom };

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
  const members = new Map<string, Box[]>();
  for (const n of topology.nodes) {
    if (!n.contextId) continue;
    const list = members.get(n.contextId) ?? [];
    list.push(nodeBox(n));
    members.set(n.contextId, list);
  }
  const boxes = new Map<string, Box>();
  for (const c of topology.contexts) {
    const inner = unionBox(members.get(c.id) ?? []);
    const padded = inner && {
      x: inner.x - CONTEXT_PADDING.left,
      y: inner.y - CONTEXT_PADDING.top,
      width: inner.width + CONTEXT_PADDING.left + CONTEXT_PADDING.right,
      height: inner.height + CONTEXT_PADDING.top + CONTEXT_PADDING.bottom,
    };
    const declared = c.position && { x: c.position.x, y: c.position.y, width: c.size?.width ?? EMPTY_CONTEXT.width, height: c.size?.height ?? EMPTY_CONTEXT.height };
    const box = declared && padded ? unionBox([declared, padded])! : (declared ?? padded ?? { x: 0, y: 0, ...EMPTY_CONTEXT });
    boxes.set(c.id, box);
  }
  return boxes;
}

/**
 * The React Flow nodes and edges drawing a topology.
 * Contexts come first (React Flow needs parents before their children); edges get the sides
 * facing each other (`chooseSides`), and ids: model ids for model elements, `<owner>~<field>`
 * for reference edges (model ids never contain "~").
 * @example topologyToFlow(ordersTopology).nodes.find((n) => n.id === "fn-order-handler")?.parentId // "ctx-orders"
 */
export function topologyToFlow(topology: Topology): FlowGraph {
  const contexts = new Map(topology.contexts.map((c) => [c.id, c] as const));
  const cBoxes = contextBoxes(topology);
  const modelNodes = new Map(topology.nodes.map((n) => [n.id, n] as const));
  const dlqs = deadLetterQueueIds(topology);
  const counts = new Map<string, number>();
  for (const n of topology.nodes) if (n.contextId) counts.set(n.contextId, (counts.get(n.contextId) ?? 0) + 1);

  const nodes: DesignFlowNode[] = topology.contexts.map((c) => contextNode(c, cBoxes.get(c.id)!, counts.get(c.id) ?? 0));
  for (const n of topology.nodes) {
    const parent = n.contextId && contexts.has(n.contextId) ? cBoxes.get(n.contextId)! : undefined;
    nodes.push(resourceNode(n, parent && n.contextId ? { id: n.contextId, box: parent } : undefined, dlqs.has(n.id)));
  }

  const edges: DesignFlowEdge[] = [];
  const labels: LabelRequest[] = [];
  /** Handles facing each other; also queues the edge's label for placement. */
  const sides = (id: string, sourceId: string, targetId: string, lines: string[]) => {
    const source = nodeBox(modelNodes.get(sourceId)!);
    const target = nodeBox(modelNodes.get(targetId)!);
    const s = chooseSides(source, target);
    labels.push({ id, source, target, sides: s, lines });
    return { sourceHandle: handleId("source", s.source), targetHandle: handleId("target", s.target) };
  };
  const name = (id: string) => modelNodes.get(id)?.name ?? id;

  for (const e of topology.edges) {
    const source = modelNodes.get(e.source);
    if (!source || !modelNodes.has(e.target)) continue; // a dangling edge is reported by validation (TOPO-E011)
    const labelLines = edgeLabelLines(e, source);
    edges.push({
      id: e.id,
      type: e.kind,
      source: e.source,
      target: e.target,
      ...sides(e.id, e.source, e.target, labelLines),
      zIndex: Z.edge,
      ariaLabel: `${EDGE_KIND_LABEL[e.kind]} from ${source.name} to ${name(e.target)}${labelLines.length ? `: ${labelLines.join(", ")}` : ""}`,
      data: { origin: "model", model: e, labelLines },
    });
  }

  const reference = (kind: ReferenceKind, ownerId: string, field: string, from: string, to: string | undefined, maxReceiveCount?: number) => {
    if (!to || !modelNodes.has(from) || !modelNodes.has(to)) return;
    const label = referenceLabel(kind, maxReceiveCount);
    const id = `${ownerId}~${field}`;
    edges.push({
      id,
      type: kind === "async-on-success" ? "success" : "failure",
      source: from,
      target: to,
      ...sides(id, from, to, [label]),
      zIndex: Z.edge,
      ariaLabel: `${REFERENCE_KIND_LABEL[kind]} from ${name(from)} to ${name(to)}: ${label}`,
      data: { origin: "reference", reference: kind, ownerId, field, labelLines: [label] },
    });
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

  const obstacles = [...topology.nodes.map(nodeBox), ...topology.contexts.map((c) => contextTitleBox(c, cBoxes.get(c.id)!))];
  const shifts = placeLabels(labels, obstacles);
  for (const e of edges) {
    const shift = shifts.get(e.id);
    if (shift && e.data) e.data.labelShift = shift;
  }
  return { nodes, edges };
}

/** The part of a context box its name and owner take (see `.contextHeader`): labels keep off it. */
function contextTitleBox(c: Context, box: Box): Box {
  const width = 14 + c.name.length * 8.2 + (c.owner ? 8 + c.owner.length * 6.4 : 0) + 10;
  return { x: box.x, y: box.y, width: Math.min(width, box.width), height: 34 };
}

function contextNode(c: Context, box: Box, nodeCount: number): ContextFlowNode {
  return {
    id: c.id,
    type: "context",
    position: { x: box.x, y: box.y },
    width: box.width,
    height: box.height,
    measured: { width: box.width, height: box.height },
    zIndex: Z.context,
    ariaLabel: `Context ${c.name}`,
    data: { model: c, nodeCount },
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
    handles: nodeHandles(NODE_WIDTH, NODE_HEIGHT).map((h) => ({ ...h, position: h.position as Position })),
    zIndex: Z.node,
    ariaLabel: `${kindLabel} ${n.name}`,
    data: { model: n, kindLabel, shortKindLabel: SHORT_KIND_LABEL[n.kind], isDeadLetterQueue, ...presentNode(n, isDeadLetterQueue) },
  };
}
