import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * Seed 000: contexts talk by request/response through an API, or by events. A synchronous
 * Lambda-to-Lambda call across contexts couples their deployments, failures and latency.
 * Functions without a context are not judged here (they are shared helpers by design).
 */
export const contextDirectCall: Rule = {
  id: "context-direct-call",
  severity: "warning",
  title: "A function synchronously calls a function of another bounded context",
  check(ctx) {
    const out: Finding[] = [];
    for (const e of ctx.doc.edges) {
      if (e.kind !== "call" || e.mode !== "sync") continue;
      const caller = ctx.idx.nodes.get(e.source);
      const callee = ctx.idx.nodes.get(e.target);
      if (!caller?.contextId || !callee?.contextId || caller.contextId === callee.contextId) continue;
      out.push(
        finding(
          contextDirectCall,
          [e.id, caller.id, callee.id],
          `${q(caller.name)} (context ${q(ctx.name(caller.contextId))}) calls ${q(callee.name)} (context ${q(ctx.name(callee.contextId))}) synchronously: a failure or slowdown in one context now breaks the other.`,
          `Put an HTTP route in front of ${q(callee.name)} and call that, or publish an event that ${q(ctx.name(callee.contextId))} consumes.`,
        ),
      );
    }
    return out;
  },
};
