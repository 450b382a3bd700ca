/**
 * The topology as a Mermaid flowchart, for docs and pull requests: left to right, one subgraph
 * per bounded context, a shape per node kind, every edge labelled with its kind and settings
 * (the same words as the canvas), and the reference fields (DLQs, destinations, redrive) as
 * dotted edges. Pure: a topology in, Mermaid text out.
 */
import type { NodeKind, TopoEdge, TopoNode, Topology } from "../../server/model/schema";
import { KIND_LABEL, edgeLabelLines, referenceLabel } from "./present";

/** Model ids are [a-z0-9-]; Mermaid ids read "-" as part of an arrow, so dashes become "_" (no collisions: ids have no "_"). */
export function mermaidId(id: string): string {
  return `n_${id.replace(/-/g, "_")}`;
}

/** Text inside a quoted Mermaid label: quotes and angle brackets as entities, no line breaks. */
export function mermaidText(text: string): string {
  return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/[\r\n]+/g, " ");
}

/** Mermaid shape per kind: [open, close]. */
const SHAPES: Record<NodeKind, [string, string]> = {
  function: ["[", "]"], // rectangle
  "http-route": ["([", "])"], // stadium
  queue: ["[[", "]]"], // subroutine
  stream: ["[/", "/]"], // parallelogram
  "kafka-topic": ["[/", "/]"],
  "sns-topic": [">", "]"], // flag
  "event-bus": [">", "]"],
  table: ["[(", ")]"], // cylinder
  bucket: ["[(", ")]"],
  "data-store": ["[(", ")]"],
  schedule: ["((", "))"], // circle
  external: ["{{", "}}"], // hexagon
};

function nodeLine(n: TopoNode, indent: string): string {
  const [open, close] = SHAPES[n.kind];
  return `${indent}${mermaidId(n.id)}${open}"${mermaidText(n.name)}<br/><small>${mermaidText(KIND_LABEL[n.kind])}</small>"${close}`;
}

/** Arrow per edge kind: triggers and produce plain, sync calls thick, async calls and access dotted. */
function arrow(e: TopoEdge): string {
  switch (e.kind) {
    case "trigger":
      return "-->";
    case "call":
      return e.mode === "sync" ? "==>" : "-.->";
    case "produce":
      return "-->";
    case "access":
      return e.mode === "read" ? "-.-" : "-.->";
  }
}

/**
 * @example toMermaid(ordersTopology).split("\n")[0] // "flowchart LR"
 */
export function toMermaid(topology: Topology): string {
  const lines: string[] = ["flowchart LR"];
  lines.push(`  %% ${mermaidText(topology.name)}: ${topology.contexts.length} contexts, ${topology.nodes.length} nodes, ${topology.edges.length} edges`);
  const nodes = new Map(topology.nodes.map((n) => [n.id, n] as const));
  const contextIds = new Set(topology.contexts.map((c) => c.id));
  for (const c of topology.contexts) {
    lines.push(`  subgraph ${mermaidId(c.id)}["${mermaidText(c.owner ? `${c.name} (${c.owner})` : c.name)}"]`);
    lines.push("    direction LR");
    for (const n of topology.nodes) if (n.contextId === c.id) lines.push(nodeLine(n, "    "));
    lines.push("  end");
  }
  for (const n of topology.nodes) if (!n.contextId || !contextIds.has(n.contextId)) lines.push(nodeLine(n, "  "));

  const edge = (from: string, to: string, op: string, label: string) => {
    if (!nodes.has(from) || !nodes.has(to)) return;
    lines.push(`  ${mermaidId(from)} ${op}|"${mermaidText(label)}"| ${mermaidId(to)}`);
  };
  for (const e of topology.edges) {
    const settings = edgeLabelLines(e, nodes.get(e.source));
    edge(e.source, e.target, arrow(e), settings.length ? `${e.kind}: ${settings.join(" · ")}` : e.kind);
  }
  for (const n of topology.nodes) {
    if (n.kind === "function") {
      if (n.deadLetterQueueId) edge(n.id, n.deadLetterQueueId, "-.->", referenceLabel("function-dlq"));
      if (n.asyncInvoke?.onSuccessDestinationId) edge(n.id, n.asyncInvoke.onSuccessDestinationId, "-.->", referenceLabel("async-on-success"));
      if (n.asyncInvoke?.onFailureDestinationId) edge(n.id, n.asyncInvoke.onFailureDestinationId, "-.->", referenceLabel("async-on-failure"));
    } else if (n.kind === "queue" && n.redrive) {
      edge(n.id, n.redrive.deadLetterQueueId, "-.->", referenceLabel("queue-redrive", n.redrive.maxReceiveCount));
    }
  }
  for (const e of topology.edges) if (e.kind === "trigger" && e.onFailureDestinationId) edge(e.target, e.onFailureDestinationId, "-.->", referenceLabel("trigger-on-failure"));
  // Context colours, as on the canvas.
  for (const c of topology.contexts) lines.push(`  style ${mermaidId(c.id)} stroke:${c.color},fill:${c.color}14`);
  return lines.join("\n") + "\n";
}
