import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

const R = LIMITS.trigger.maximumBatchingWindowSeconds;

/** CreateEventSourceMapping MaximumBatchingWindowInSeconds: 0–300 s (reference §6). */
export const batchWindowRange: Rule = {
  id: "batch-window-range",
  severity: "error",
  title: `Trigger batching window outside ${R.min}–${R.max} s`,
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      const w = t.edge.maximumBatchingWindowSeconds;
      if (w === undefined || (w >= R.min && w <= R.max)) continue;
      out.push(
        finding(
          batchWindowRange,
          [t.edge.id, t.source.id, t.target.id],
          `The trigger from ${q(t.source.name)} to ${q(t.target.name)} has a batching window of ${num(w)} s; Lambda accepts ${R.min}–${R.max} s.`,
          `Set maximumBatchingWindowSeconds between ${R.min} and ${R.max}.`,
        ),
      );
    }
    return out;
  },
};
