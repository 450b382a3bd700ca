import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

/** Reserved concurrency 0 is AWS's off switch: every invocation is throttled. Right in an incident, wrong in a design. */
export const reservedConcurrencyZero: Rule = {
  id: "reserved-concurrency-zero",
  severity: "warning",
  title: "Reserved concurrency 0 throttles every invocation",
  check(ctx) {
    const out: Finding[] = [];
    for (const fn of ctx.nodesOf("function")) {
      if (fn.reservedConcurrency !== 0) continue;
      out.push(
        finding(
          reservedConcurrencyZero,
          [fn.id],
          `${q(fn.name)} has reserved concurrency 0: every invocation is throttled (async events are retried then dropped, queue messages go back to the queue).`,
          `Remove reservedConcurrency from ${q(fn.name)} or set it to the concurrency it needs.`,
        ),
      );
    }
    return out;
  },
};
