/**
 * IR: a valid topology with everything the emitters need resolved once — logical ids, event
 * names, how each trigger is written (a SAM event, a mapping resource, a lag poller), Composer
 * groups, and the emission order of resources. Pure; both emitters and the importer build it.
 */
import { indexTopology, type TopologyIndex } from "../../model/graph";
import type { Context, FunctionNode, TopoEdge, TopoNode, Topology, TriggerEdge } from "../../model/schema";
import { isPlainObject } from "../parse/intrinsics";
import { annotation, extraProperties } from "./annotations";
import { assignLogicalIds, edgeHasResource, logicalIdBase, nodeHasResource } from "./logical-ids";

/** Colours the importer gives contexts, in order; the exporter writes a colour only when it differs. */
export const CONTEXT_PALETTE = ["#6366f1", "#0ea5e9", "#10b981", "#f59e0b", "#ec4899", "#8b5cf6", "#ef4444", "#14b8a6"] as const;

export const COMPOSER_GROUPS = "AWS::Composer::Groups";
export const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

/** How a trigger edge is written. */
export type TriggerForm =
  | { kind: "event"; functionId: string; name: string }
  | { kind: "mapping" }
  | { kind: "poller" }
  | { kind: "resource"; type: string }
  /** The source is itself a resource that names the function (an imported scheduler schedule or rule). */
  | { kind: "source" }
  | { kind: "unsupported"; reason: string };

export interface ExportNote {
  elementId?: string;
  message: string;
}

export interface ComposerGroup {
  key: string;
  label: string;
  contextId?: string;
  /** Modelled members (logical ids) first, then passthrough members kept from the import. */
  members: string[];
  /** Other keys of a stored group, verbatim. */
  extra: Record<string, unknown>;
}

export interface Ir {
  doc: Topology;
  idx: TopologyIndex;
  /** True when the document came from a template (it has `iac.sam`): nothing is added that the template did not have, beyond groups and tags. */
  imported: boolean;
  logicalIds: ReadonlyMap<string, string>;
  triggerForms: ReadonlyMap<string, TriggerForm>;
  /** Trigger edges by target function id, in document order. */
  triggersByFunction: ReadonlyMap<string, TriggerEdge[]>;
  /** Outgoing access/produce/call edges by function id, in document order. */
  outgoingByFunction: ReadonlyMap<string, TopoEdge[]>;
  groups: ComposerGroup[];
  groupKeyByContext: ReadonlyMap<string, string>;
  contextName(id: string | undefined): string | undefined;
  /** Whether a function is written as `AWS::Lambda::Function` rather than `AWS::Serverless::Function`. */
  isPlainLambda(fn: FunctionNode): boolean;
  notes: ExportNote[];
}

const SAM_EVENT_SOURCES = new Set<TopoNode["kind"]>(["http-route", "queue", "stream", "table", "kafka-topic", "sns-topic", "event-bus", "schedule", "bucket"]);

export function buildIr(doc: Topology): Ir {
  const idx = indexTopology(doc);
  const notes: ExportNote[] = [];
  const logicalIds = assignLogicalIds(doc);
  const isPlainLambda = (fn: FunctionNode) => annotation(fn, "@type") === "AWS::Lambda::Function";

  const triggersByFunction = new Map<string, TriggerEdge[]>();
  const outgoingByFunction = new Map<string, TopoEdge[]>();
  for (const e of doc.edges) {
    if (e.kind === "trigger") push(triggersByFunction, e.target, e);
    else if (idx.nodes.get(e.source)?.kind === "function") push(outgoingByFunction, e.source, e);
  }

  // Event names: stamped ones first, then derived ones by edge id, unique within each function.
  const triggerForms = new Map<string, TriggerForm>();
  for (const [fnId, edges] of triggersByFunction) {
    const fn = idx.nodes.get(fnId);
    if (!fn || fn.kind !== "function") continue;
    const kept = extraProperties(fn).Events;
    const taken = new Set<string>();
    const pending: TriggerEdge[] = [];
    for (const e of edges) {
      const source = idx.nodes.get(e.source);
      if (!source) continue;
      if (source.kind === "schedule" && typeof annotation(source, "@type") === "string") {
        triggerForms.set(e.id, { kind: "source" });
        continue;
      }
      if (edgeHasResource(e, idx.nodes)) {
        const type = annotation(e, "@type");
        triggerForms.set(e.id, e.type === "consumer-lag" ? { kind: "poller" } : typeof type === "string" ? { kind: "resource", type } : { kind: "mapping" });
        continue;
      }
      if (isPlainLambda(fn) || !SAM_EVENT_SOURCES.has(source.kind)) {
        const reason = isPlainLambda(fn)
          ? `${fn.name} is a plain AWS::Lambda::Function: a trigger from ${source.name} (${source.kind}) needs its own rule or permission, which the export does not write`
          : `${source.name} cannot trigger a function`;
        triggerForms.set(e.id, { kind: "unsupported", reason });
        notes.push({ elementId: e.id, message: reason });
        continue;
      }
      const stamped = annotation(e, "@eventName");
      if (typeof stamped === "string" && /^[A-Za-z0-9]+$/.test(stamped) && !taken.has(stamped)) {
        taken.add(stamped);
        triggerForms.set(e.id, { kind: "event", functionId: fnId, name: stamped });
      } else pending.push(e);
    }
    // Events kept verbatim keep their names; derived names avoid them (stamped ones were claimed first).
    if (isPlainObject(kept)) for (const k of Object.keys(kept)) taken.add(k);
    for (const e of [...pending].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const source = idx.nodes.get(e.source)!;
      const base = eventNameBase(source);
      let name = base;
      for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
      taken.add(name);
      triggerForms.set(e.id, { kind: "event", functionId: fnId, name });
    }
  }

  const { groups, groupKeyByContext } = buildGroups(doc, logicalIds, idx);
  const names = new Map(doc.contexts.map((c) => [c.id, c.name]));
  return {
    doc,
    idx,
    imported: !!doc.iac?.sam,
    logicalIds,
    triggerForms,
    triggersByFunction,
    outgoingByFunction,
    groups,
    groupKeyByContext,
    contextName: (id) => (id ? names.get(id) : undefined),
    isPlainLambda,
    notes,
  };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** `GetOrdersId` for GET /orders/{id}, `OrderEvents` for a queue named "Order events". */
function eventNameBase(source: TopoNode): string {
  if (source.kind === "http-route") return logicalIdBase(`${source.method} ${source.path.replace(/[{}+]/g, " ")}`, "Route");
  return logicalIdBase(source.name, "Event");
}

/**
 * Composer groups: one per context (its members are the context's resources), keeping the keys,
 * extra keys and passthrough members of groups stored at import (matched by label).
 */
function buildGroups(doc: Topology, logicalIds: ReadonlyMap<string, string>, idx: TopologyIndex) {
  const stored = doc.iac?.sam?.Metadata;
  const storedGroups = isPlainObject(stored) && isPlainObject(stored[COMPOSER_GROUPS]) ? (stored[COMPOSER_GROUPS] as Record<string, unknown>) : {};
  const groups: ComposerGroup[] = [];
  const usedKeys = new Set<string>();
  const byLabel = new Map<string, ComposerGroup>();
  for (const [key, raw] of Object.entries(storedGroups)) {
    const g = isPlainObject(raw) ? raw : {};
    const label = typeof g.Label === "string" ? g.Label : key;
    const members = Array.isArray(g.Members) ? g.Members.filter((m): m is string => typeof m === "string") : [];
    const extra: Record<string, unknown> = {};
    for (const k in g) if (k !== "Label" && k !== "Members") extra[k] = g[k];
    const group: ComposerGroup = { key, label, members, extra };
    groups.push(group);
    usedKeys.add(key);
    if (!byLabel.has(label)) byLabel.set(label, group);
  }
  const groupKeyByContext = new Map<string, string>();
  const modelled = new Map<string, string[]>();
  for (const n of doc.nodes) {
    if (!n.contextId || !nodeHasResource(n)) continue;
    const id = logicalIds.get(n.id);
    if (id) push(modelled, n.contextId, id);
  }
  // Lag pollers belong with the function they wake.
  for (const e of doc.edges) {
    const id = logicalIds.get(e.id);
    const ctx = idx.nodes.get(e.target)?.contextId;
    if (id && ctx) push(modelled, ctx, id);
  }
  for (const c of doc.contexts) {
    let group = byLabel.get(c.name);
    if (group && group.contextId) group = undefined;
    if (!group) {
      const base = logicalIdBase(c.name, "Group");
      let key = base;
      for (let i = 2; usedKeys.has(key); i++) key = `${base}${i}`;
      usedKeys.add(key);
      group = { key, label: c.name, members: [], extra: {} };
      groups.push(group);
    }
    group.contextId = c.id;
    const own = modelled.get(c.id) ?? [];
    group.members = [...own, ...group.members.filter((m) => !own.includes(m))];
    groupKeyByContext.set(c.id, group.key);
  }
  return { groups: groups.filter((g) => g.members.length > 0 || g.contextId || Object.keys(g.extra).length > 0), groupKeyByContext };
}

export type { Context };
