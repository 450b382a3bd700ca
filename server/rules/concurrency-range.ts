import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * PutFunctionConcurrency and PutProvisionedConcurrencyConfig refuse negative values, and
 * provisioned concurrency cannot exceed the function's reserved concurrency when one is set
 * (provisioned environments count against the reservation).
 */
export const concurrencyRange: Rule = {
  id: "concurrency-range",
  severity: "error",
  title: "Negative concurrency, or provisioned concurrency above reserved concurrency",
  check(ctx) {
    const out: Finding[] = [];
    for (const fn of ctx.nodesOf("function")) {
      const reserved = fn.reservedConcurrency;
      const provisioned = fn.provisionedConcurrency;
      const problems: string[] = [];
      if (reserved !== undefined && reserved < 0) problems.push(`reserved concurrency is ${num(reserved)}`);
      if (provisioned !== undefined && provisioned < 0) problems.push(`provisioned concurrency is ${num(provisioned)}`);
      if (reserved !== undefined && reserved >= 0 && provisioned !== undefined && provisioned > reserved)
        problems.push(`provisioned concurrency (${num(provisioned)}) is above reserved concurrency (${num(reserved)})`);
      if (!problems.length) continue;
      out.push(
        finding(
          concurrencyRange,
          [fn.id],
          `${q(fn.name)}: ${problems.join("; ")}.`,
          `Use values of 0 or more, with provisioned concurrency at most the reserved concurrency of ${q(fn.name)}.`,
        ),
      );
    }
    return out;
  },
};
