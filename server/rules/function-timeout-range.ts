import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

const R = LIMITS.function.timeoutSeconds;

/** AWS refuses the deployment outside 1–900 s (quotas, reference §6). */
export const functionTimeoutRange: Rule = {
  id: "function-timeout-range",
  severity: "error",
  title: `Function timeout outside ${R.min}–${R.max} s`,
  check(ctx) {
    const out: Finding[] = [];
    for (const fn of ctx.nodesOf("function")) {
      if (fn.timeoutSeconds >= R.min && fn.timeoutSeconds <= R.max) continue;
      out.push(
        finding(
          functionTimeoutRange,
          [fn.id],
          `${q(fn.name)} has a timeout of ${num(fn.timeoutSeconds)} s; Lambda accepts ${R.min}–${num(R.max)} s.`,
          fn.timeoutSeconds > R.max
            ? `Set the timeout to at most ${num(R.max)} s; work longer than 15 minutes belongs in a Step Functions workflow or in smaller queued tasks.`
            : `Set the timeout to at least ${R.min} s.`,
        ),
      );
    }
    return out;
  },
};
