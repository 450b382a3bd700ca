import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

const A = LIMITS.asyncInvoke;

/** PutFunctionEventInvokeConfig: MaximumRetryAttempts 0–2, MaximumEventAgeInSeconds 60–21,600 (reference §6). */
export const asyncInvokeRange: Rule = {
  id: "async-invoke-range",
  severity: "error",
  title: `Async invoke retries outside ${A.maximumRetryAttempts.min}–${A.maximumRetryAttempts.max} or max event age outside ${A.maximumEventAgeSeconds.min}–${num(A.maximumEventAgeSeconds.max)} s`,
  check(ctx) {
    const out: Finding[] = [];
    for (const fn of ctx.nodesOf("function")) {
      const cfg = fn.asyncInvoke;
      if (!cfg) continue;
      const problems: string[] = [];
      const r = A.maximumRetryAttempts;
      if (cfg.maximumRetryAttempts < r.min || cfg.maximumRetryAttempts > r.max)
        problems.push(`${num(cfg.maximumRetryAttempts)} retries (accepted: ${r.min}–${r.max})`);
      const a = A.maximumEventAgeSeconds;
      if (cfg.maximumEventAgeSeconds < a.min || cfg.maximumEventAgeSeconds > a.max)
        problems.push(`a maximum event age of ${num(cfg.maximumEventAgeSeconds)} s (accepted: ${a.min}–${num(a.max)} s)`);
      if (!problems.length) continue;
      out.push(
        finding(
          asyncInvokeRange,
          [fn.id],
          `The asynchronous invocation settings of ${q(fn.name)} have ${problems.join(" and ")}.`,
          `Bring them inside the accepted range; for more retries than ${r.max}, put a queue in front of ${q(fn.name)}.`,
        ),
      );
    }
    return out;
  },
};
