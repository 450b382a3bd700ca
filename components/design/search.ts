/**
 * Ctrl/Cmd+K search over the document: nodes and contexts by name, id, kind or context name,
 * best matches first (name prefix, then word prefix, then anywhere). Pure.
 */
import type { Topology } from "../../server/model/schema";
import { KIND_LABEL } from "./present";

export interface SearchHit {
  id: string;
  name: string;
  kindLabel: string;
  contextName?: string;
}

/**
 * @example searchElements(doc, "order h") // [{ id: "fn-order-handler", name: "Order handler", kindLabel: "Function", contextName: "Orders" }]
 */
export function searchElements(doc: Topology, query: string, limit = 50): SearchHit[] {
  const q = query.trim().toLowerCase();
  const contexts = new Map(doc.contexts.map((c) => [c.id, c.name] as const));
  const all: (SearchHit & { score: number })[] = [];
  const score = (name: string, id: string, extra: string): number => {
    if (!q) return 3;
    const n = name.toLowerCase();
    if (n.startsWith(q)) return 0;
    if (n.split(/[\s\-_/]+/).some((w) => w.startsWith(q))) return 1;
    if (n.includes(q) || id.includes(q)) return 2;
    const words = q.split(/\s+/);
    const hay = `${n} ${id} ${extra}`.toLowerCase();
    return words.every((w) => hay.includes(w)) ? 3 : -1;
  };
  for (const c of doc.contexts) {
    const s = score(c.name, c.id, `context ${c.owner ?? ""}`);
    if (s >= 0) all.push({ id: c.id, name: c.name, kindLabel: "Context", score: s });
  }
  for (const n of doc.nodes) {
    const contextName = n.contextId ? contexts.get(n.contextId) : undefined;
    const s = score(n.name, n.id, `${KIND_LABEL[n.kind]} ${contextName ?? ""}`);
    if (s >= 0) all.push({ id: n.id, name: n.name, kindLabel: KIND_LABEL[n.kind], contextName, score: s });
    if (all.length > limit * 20 && q === "") break;
  }
  all.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return all.slice(0, limit).map(({ score: _s, ...hit }) => hit);
}
