import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * Seed 000, "Less is more": fine granularity costs ownership and maintenance; cut so as to
 * limit the number of functions. The threshold is a team choice (options.tooManyFunctions).
 */
export const tooManyFunctions: Rule = {
  id: "too-many-functions",
  severity: "info",
  title: "More functions in one bounded context than the configured threshold",
  check(ctx) {
    const counts = new Map<string, number>();
    for (const fn of ctx.nodesOf("function")) if (fn.contextId) counts.set(fn.contextId, (counts.get(fn.contextId) ?? 0) + 1);
    const max = ctx.options.tooManyFunctions;
    const out: Finding[] = [];
    for (const c of ctx.doc.contexts) {
      const n = counts.get(c.id) ?? 0;
      if (n <= max) continue;
      out.push(
        finding(
          tooManyFunctions,
          [c.id],
          `Context ${q(c.name)} has ${num(n)} functions, more than ${num(max)}: each one is code to own, deploy and watch.`,
          `Merge functions that share a trigger, data and release cycle; if ${q(c.name)} holds two domains, split it into two contexts.`,
        ),
      );
    }
    return out;
  },
};
