import { finding, num } from "./context";
import type { Finding, Rule } from "./types";

/**
 * Reserved concurrency is carved out of the account's regional quota (1,000 by default,
 * reference §6), and AWS keeps at least 100 unreserved. Reservations that add up past the quota
 * cannot all be deployed, and every function without one shares what is left.
 */
export const concurrencyBudget: Rule = {
  id: "concurrency-budget",
  severity: "warning",
  title: "Reserved concurrency summed over the topology is above the account limit",
  check(ctx) {
    let total = 0;
    const ids: string[] = [];
    for (const fn of ctx.nodesOf("function")) {
      if (fn.reservedConcurrency === undefined || fn.reservedConcurrency <= 0) continue;
      total += fn.reservedConcurrency;
      ids.push(fn.id);
    }
    const limit = ctx.options.accountConcurrency;
    if (total <= limit) return [];
    return [
      finding(
        concurrencyBudget,
        ids,
        `${ids.length} functions reserve ${num(total)} concurrent executions in total, above the account limit of ${num(limit)}.`,
        `Lower the reservations to fit in ${num(limit)} (keeping some unreserved for the other functions), or request a higher concurrency quota and set accountConcurrency to it.`,
      ),
    ] satisfies Finding[];
  },
};
