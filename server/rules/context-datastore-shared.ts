import { ACCESS_TARGETS } from "../model/graph";
import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

const DATA_STORES = new Set<string>(ACCESS_TARGETS);

/**
 * Seed 000, "Ensure strict membership to a bounded context": a context's data store must stay
 * unreachable from other contexts. A function with no context is outside every context, so it
 * counts as "another context" too. A data store with no context is shared on purpose: not ours to judge.
 */
export const contextDatastoreShared: Rule = {
  id: "context-datastore-shared",
  severity: "error",
  title: "A function reads or writes a data store owned by another bounded context",
  check(ctx) {
    const out: Finding[] = [];
    for (const e of ctx.doc.edges) {
      if (e.kind !== "access") continue;
      const fn = ctx.idx.nodes.get(e.source);
      const store = ctx.idx.nodes.get(e.target);
      if (fn?.kind !== "function" || !store || !DATA_STORES.has(store.kind) || !store.contextId) continue;
      if (fn.contextId === store.contextId) continue;
      const owner = ctx.name(store.contextId);
      const from = fn.contextId ? `context ${q(ctx.name(fn.contextId))}` : "outside any context";
      const verb = e.mode === "read" ? "reads" : e.mode === "write" ? "writes" : "reads and writes";
      out.push(
        finding(
          contextDatastoreShared,
          [e.id, fn.id, store.id],
          `${q(fn.name)} (${from}) ${verb} ${q(store.name)}, a data store owned by context ${q(owner)}: the two contexts are now coupled through its schema.`,
          `Ask context ${q(owner)} through its API or consume an event it publishes, or move ${q(fn.name)} into ${q(owner)}.`,
        ),
      );
    }
    return out;
  },
};
