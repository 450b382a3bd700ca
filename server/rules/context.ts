/**
 * Builds the shared RuleContext once per lint, plus the small helpers every rule uses to word
 * its findings the same way. Pure: no I/O, no clock, no randomness.
 */
import { deadLetterQueueIds, effectiveTrigger, indexTopology } from "../model/graph";
import type { NodeKind, NodeOf, TopoNode, Topology } from "../model/schema";
import type { Finding, ResolvedLintOptions, ResolvedTrigger, Rule, RuleContext } from "./types";

export function buildRuleContext(doc: Topology, options: ResolvedLintOptions): RuleContext {
  const idx = indexTopology(doc);
  const byKind = new Map<NodeKind, TopoNode[]>();
  for (const n of doc.nodes) {
    const list = byKind.get(n.kind);
    if (list) list.push(n);
    else byKind.set(n.kind, [n]);
  }
  const triggers: ResolvedTrigger[] = [];
  for (const e of doc.edges) {
    if (e.kind !== "trigger") continue;
    const source = idx.nodes.get(e.source);
    const target = idx.nodes.get(e.target);
    // A half-drawn design may have dangling edges (integrity reports those); rules skip them.
    if (!source || target?.kind !== "function") continue;
    triggers.push({ edge: e, source, target, settings: effectiveTrigger(e, source) });
  }
  const names = new Map<string, string>();
  const name = (id: string): string => {
    const cached = names.get(id);
    if (cached !== undefined) return cached;
    let out = id;
    const node = idx.nodes.get(id);
    if (node) out = node.name;
    else {
      const edge = idx.edges.get(id);
      if (edge) out = edge.label ?? `${idx.nodes.get(edge.source)?.name ?? edge.source} → ${idx.nodes.get(edge.target)?.name ?? edge.target}`;
      else {
        const ctx = idx.contexts.get(id);
        if (ctx) out = ctx.name;
      }
    }
    names.set(id, out);
    return out;
  };
  return {
    doc,
    idx,
    options,
    nodesOf: <K extends NodeKind>(kind: K) => (byKind.get(kind) ?? []) as NodeOf<K>[],
    triggers,
    deadLetterQueueIds: deadLetterQueueIds(doc),
    name,
  };
}

/** A finding of `rule`, with its docs path filled in. */
export function finding(rule: Pick<Rule, "id" | "severity">, elements: string[], message: string, fix: string): Finding {
  return { ruleId: rule.id, severity: rule.severity, elements, message, fix, docs: `docs/rules/${rule.id}.md` };
}

/**
 * 10240 → "10,240", 0.125 → "0.13": users compare these numbers with AWS pages, which group
 * thousands. Hand-rolled because Intl (toLocaleString) costs tens of microseconds a call, which
 * adds up to milliseconds when a large design has hundreds of findings and the editor lints on every edit.
 */
export function num(n: number, decimals = 2): string {
  if (!Number.isFinite(n)) return String(n);
  const f = 10 ** decimals;
  const rounded = Math.round(n * f) / f;
  const [int, frac] = String(Math.abs(rounded)).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${rounded < 0 ? "-" : ""}${grouped}${frac ? `.${frac}` : ""}`;
}

/** Bytes in the unit a human would say: 262144 → "256 KB", 6291456 → "6 MB". */
export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${num(n / (1024 * 1024))} MB`;
  if (n >= 1024) return `${num(n / 1024)} KB`;
  return `${num(n)} bytes`;
}

/** Joins names for a message, cutting long lists so a message stays one readable line. */
export function nameList(names: string[], max = 5): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

/** Quoted element name, the way every message refers to an element. */
export function q(name: string): string {
  return `"${name}"`;
}
