/**
 * Which nodes of a topology are dead-letter queues, what feeds each one, and where a redrive sends
 * its messages by default. Pure: a topology in, plain data out (the editor, the routes and the CLI share it).
 */
import { deadLetterQueueIds, indexTopology } from "../../model/graph";
import type { QueueNode, Topology } from "../../model/schema";
import { TopoError } from "../../errors";
import type { DlqSource } from "../types";

export interface DlqInfo {
  nodeId: string;
  name: string;
  fifo: boolean;
  sources: DlqSource[];
  /** The one queue that redrives into this DLQ (StartMessageMoveTask's default destination), else null. */
  defaultDestinationNodeId: string | null;
  /** The DLQ's own redrive policy, when it has one (peeking then counts towards moving messages on). */
  ownRedrive: { deadLetterQueueId: string; maxReceiveCount: number } | null;
}

/**
 * Every DLQ of the topology with its sources, in the document's node order.
 * @example listDeadLetterQueues(orders).map((d) => d.nodeId) // ["orders-dlq"]
 */
export function listDeadLetterQueues(doc: Topology): DlqInfo[] {
  const ids = deadLetterQueueIds(doc);
  const idx = indexTopology(doc);
  const sources = new Map<string, DlqSource[]>();
  const add = (dlq: string, s: DlqSource) => {
    const list = sources.get(dlq) ?? [];
    list.push(s);
    sources.set(dlq, list);
  };
  for (const n of doc.nodes) {
    if (n.kind === "queue" && n.redrive) add(n.redrive.deadLetterQueueId, { nodeId: n.id, name: n.name, relation: "redrive", maxReceiveCount: n.redrive.maxReceiveCount });
    if (n.kind === "function") {
      if (n.deadLetterQueueId) add(n.deadLetterQueueId, { nodeId: n.id, name: n.name, relation: "function-dlq" });
      if (n.asyncInvoke?.onFailureDestinationId) add(n.asyncInvoke.onFailureDestinationId, { nodeId: n.id, name: n.name, relation: "async-on-failure" });
    }
  }
  for (const e of doc.edges) {
    if (e.kind !== "trigger" || !e.onFailureDestinationId) continue;
    const fn = idx.nodes.get(e.target);
    const src = idx.nodes.get(e.source);
    add(e.onFailureDestinationId, { nodeId: e.target, name: `${src?.name ?? e.source} → ${fn?.name ?? e.target}`, relation: "trigger-on-failure", edgeId: e.id });
  }
  const out: DlqInfo[] = [];
  for (const n of doc.nodes) {
    if (!ids.has(n.id) || n.kind !== "queue") continue;
    const s = sources.get(n.id) ?? [];
    const redriveSources = s.filter((x) => x.relation === "redrive");
    out.push({
      nodeId: n.id,
      name: n.name,
      fifo: n.fifo,
      sources: s,
      defaultDestinationNodeId: redriveSources.length === 1 && s.length === 1 ? redriveSources[0].nodeId : null,
      ownRedrive: n.redrive ? { deadLetterQueueId: n.redrive.deadLetterQueueId, maxReceiveCount: n.redrive.maxReceiveCount } : null,
    });
  }
  return out;
}

/** The DLQ `nodeId`, or TOPO-E150 when the node is not one in this topology. */
export function getDeadLetterQueueOrThrow(doc: Topology, nodeId: string): DlqInfo {
  const d = listDeadLetterQueues(doc).find((x) => x.nodeId === nodeId);
  if (!d) {
    const node = doc.nodes.find((n) => n.id === nodeId);
    throw new TopoError(
      "TOPO-E150",
      node ? `${node.name} (${nodeId}) is not a dead-letter queue: nothing redrives or sends failures into it` : `there is no node "${nodeId}" in the latest revision`,
    );
  }
  return d;
}

export type RedriveTarget =
  /** StartMessageMoveTask without DestinationArn: every message back to the queue it came from. */
  | { kind: "sources"; nodeId: string }
  | { kind: "chosen"; nodeId: string };

/**
 * Where a redrive goes: the chosen queue (checked), else the DLQ's one source queue, else TOPO-E153.
 * @example resolveRedriveTarget(doc, dlq, undefined) // { kind: "sources", nodeId: "orders" }
 */
export function resolveRedriveTarget(doc: Topology, dlq: DlqInfo, destinationNodeId: string | undefined): RedriveTarget {
  if (destinationNodeId === undefined) {
    if (dlq.defaultDestinationNodeId) return { kind: "sources", nodeId: dlq.defaultDestinationNodeId };
    const why = dlq.sources.length === 0 ? "nothing in the design feeds it" : `it is fed by ${dlq.sources.map((s) => `${s.name} (${s.relation})`).join(", ")}`;
    throw new TopoError("TOPO-E153", `${dlq.name} has no single source queue to redrive to: ${why}`);
  }
  const dest = doc.nodes.find((n) => n.id === destinationNodeId);
  if (!dest || dest.kind !== "queue") throw new TopoError("TOPO-E154", `the destination "${destinationNodeId}" is not a queue of the latest revision`);
  if (dest.id === dlq.nodeId) throw new TopoError("TOPO-E154", `${dlq.name} cannot be redriven into itself`);
  if ((dest as QueueNode).fifo !== dlq.fifo)
    throw new TopoError("TOPO-E154", `${dlq.name} is ${dlq.fifo ? "FIFO" : "standard"} but ${dest.name} is ${dest.fifo ? "FIFO" : "standard"}`);
  return { kind: "chosen", nodeId: dest.id };
}
