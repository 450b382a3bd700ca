/**
 * Stable CloudFormation logical ids. A logical id is derived from the element's name once
 * (PascalCase, deduplicated deterministically) and then kept in the element's
 * `extras["@logicalId"]` (the importer writes it; `stampLogicalIds` writes it on first export),
 * so that renaming one function never replaces it or any other resource.
 */
import { slugify } from "../../model/ids";
import type { TopoEdge, TopoNode, Topology } from "../../model/schema";
import { isPlainObject } from "../parse/intrinsics";
import { annotation, refAnnotation } from "./annotations";

export const LOGICAL_ID = /^[A-Za-z][A-Za-z0-9]{0,254}$/;

const KIND_WORD: Partial<Record<TopoNode["kind"], string>> = {
  function: "Function",
  queue: "Queue",
  stream: "Stream",
  table: "Table",
  "sns-topic": "Topic",
  "event-bus": "Bus",
  schedule: "Schedule",
  bucket: "Bucket",
};

/**
 * PascalCase of a name, ASCII only, starting with a letter.
 * @example logicalIdBase("Commandes — Expédition") // "CommandesExpedition"
 * @example logicalIdBase("2FA codes", "Function") // "Function2faCodes"
 */
export function logicalIdBase(name: string, kindWord = "Resource"): string {
  const words = slugify(name).split("-").filter(Boolean);
  let id = words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
  if (!id || !/^[A-Za-z]/.test(id)) id = kindWord + id;
  return id.slice(0, 200);
}

/** Whether a node becomes a CloudFormation resource of its own (others are events, references or drawings). */
export function nodeHasResource(node: TopoNode): boolean {
  if (refAnnotation(node)) return false;
  switch (node.kind) {
    case "function":
    case "queue":
    case "stream":
    case "table":
    case "sns-topic":
    case "bucket":
      return true;
    case "event-bus":
      return node.busName !== "default";
    case "schedule":
      return typeof annotation(node, "@type") === "string";
    default:
      return false;
  }
}

/** Sources a CloudFormation-style function reads through an `AWS::Lambda::EventSourceMapping`. */
export const MAPPING_SOURCES = new Set<TopoNode["kind"]>(["queue", "stream", "table", "kafka-topic"]);

/**
 * Whether an edge becomes a resource of its own: a lag poller, an imported mapping/rule/schedule/
 * pipe, or a trigger of a plain `AWS::Lambda::Function` (which has no SAM `Events`).
 */
export function edgeHasResource(edge: TopoEdge, nodes: ReadonlyMap<string, TopoNode>): boolean {
  if (edge.kind !== "trigger") return false;
  if (edge.type === "consumer-lag" || typeof annotation(edge, "@type") === "string") return true;
  const target = nodes.get(edge.target);
  const source = nodes.get(edge.source);
  return !!target && !!source && annotation(target, "@type") === "AWS::Lambda::Function" && MAPPING_SOURCES.has(source.kind);
}

/**
 * Logical id of every node and edge that is a resource, claimed in this order: ids already
 * stamped in extras (document order), then derived ids by element id order (so the result does
 * not depend on the order of the arrays). `reserved` are ids used by passthrough resources and
 * parameters. A derived id that is taken gets the kind word (`OrdersQueue`), then a number.
 */
export function assignLogicalIds(doc: Topology, reserved: Iterable<string> = passthroughIds(doc)): Map<string, string> {
  const taken = new Set<string>(reserved);
  const out = new Map<string, string>();
  const nodeMap = new Map(doc.nodes.map((n) => [n.id, n]));
  const nodes = doc.nodes.filter(nodeHasResource);
  const edges = doc.edges.filter((e) => edgeHasResource(e, nodeMap));
  for (const el of [...nodes, ...edges]) {
    const stamped = annotation(el, "@logicalId");
    if (typeof stamped === "string" && LOGICAL_ID.test(stamped) && !taken.has(stamped)) {
      taken.add(stamped);
      out.set(el.id, stamped);
    }
  }
  const claim = (id: string, base: string, word: string) => {
    let candidate = base;
    if (taken.has(candidate) && word && !candidate.endsWith(word)) candidate = `${base}${word}`;
    for (let i = 2; taken.has(candidate); i++) candidate = `${base}${i}`;
    taken.add(candidate);
    out.set(id, candidate);
  };
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const n of byId(nodes)) {
    if (out.has(n.id)) continue;
    const word = KIND_WORD[n.kind] ?? "Resource";
    claim(n.id, logicalIdBase(n.name, word), word);
  }
  const nodeName = new Map(doc.nodes.map((n) => [n.id, n.name]));
  for (const e of byId(edges)) {
    if (out.has(e.id)) continue;
    const target = out.get(e.target) ?? logicalIdBase(nodeName.get(e.target) ?? e.target, "Function");
    // A second poller on the same function is `…LagPoller2` (no kind word: the name already says it).
    if (e.kind === "trigger" && e.type === "consumer-lag") claim(e.id, `${target}LagPoller`, "");
    else claim(e.id, `${logicalIdBase(nodeName.get(e.source) ?? e.source)}To${target}`, "Mapping");
  }
  return out;
}

/** Resource, parameter and condition names of the passthrough sections: derived ids never take them. */
export function passthroughIds(doc: Topology): Set<string> {
  const sam = doc.iac?.sam;
  const ids = new Set<string>();
  for (const section of ["Resources", "Parameters", "Conditions", "Mappings"]) {
    const v = sam?.[section];
    if (isPlainObject(v)) for (const k of Object.keys(v)) ids.add(k);
  }
  return ids;
}

/**
 * A copy of the topology with every resource's logical id written into `extras["@logicalId"]`,
 * for callers that persist the document after its first export (later renames keep the ids).
 * @example stampLogicalIds(doc).nodes[0].extras?.["@logicalId"] // "OrderHandler"
 */
export function stampLogicalIds(doc: Topology, ids: ReadonlyMap<string, string> = assignLogicalIds(doc)): Topology {
  const stamp = <T extends TopoNode | TopoEdge>(el: T): T => {
    const id = ids.get(el.id);
    if (!id || annotation(el, "@logicalId") === id) return el;
    return { ...el, extras: { ...(el.extras ?? {}), "@logicalId": id } };
  };
  return { ...doc, nodes: doc.nodes.map(stamp), edges: doc.edges.map(stamp) };
}
