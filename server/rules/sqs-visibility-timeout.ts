import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * Lambda developer guide (with-sqs, reference §5): set the queue's visibility timeout to at
 * least 6 × the function timeout plus MaximumBatchingWindowInSeconds. Below that, a message
 * becomes visible again while a (retried, throttled) invocation still holds it, and is
 * processed twice. The factor is AWS guidance, not a quota, so it lives here and not in LIMITS.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export const sqsVisibilityTimeout: Rule = {
  id: "sqs-visibility-timeout",
  severity: "error",
  title: `Lambda-consumed queue with a visibility timeout below ${VISIBILITY_TIMEOUT_FACTOR} × function timeout + batching window`,
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      // A consumer-lag trigger is invoked by a poller, not handed messages, so it holds none.
      if (t.source.kind !== "queue" || t.edge.type !== "event") continue;
      const window = t.settings.maximumBatchingWindowSeconds ?? 0;
      const needed = Math.ceil(VISIBILITY_TIMEOUT_FACTOR * t.target.timeoutSeconds + window);
      if (t.source.visibilityTimeoutSeconds >= needed) continue;
      out.push(
        finding(
          sqsVisibilityTimeout,
          [t.source.id, t.edge.id, t.target.id],
          `${q(t.source.name)} has a visibility timeout of ${num(t.source.visibilityTimeoutSeconds)} s, below ${VISIBILITY_TIMEOUT_FACTOR} × the timeout of ${q(t.target.name)} (${num(t.target.timeoutSeconds)} s)${window ? ` + its batching window (${num(window)} s)` : ""}: messages can be processed twice.`,
          `Raise the visibility timeout of ${q(t.source.name)} to at least ${num(needed)} s, or lower the timeout of ${q(t.target.name)}.`,
        ),
      );
    }
    return out;
  },
};
