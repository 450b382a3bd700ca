import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

const T = LIMITS.trigger;

/**
 * CreateEventSourceMapping refuses an SQS mapping with BatchSize > 10 and no batching window
 * ("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater
 * than 10"). The API reference states the same for Kinesis and DynamoDB, but their own default
 * (batch size 100, window 0, services-kinesis-parameters) deploys fine, so applying it to
 * streams would flag every default stream trigger: this rule checks standard queues only.
 * FIFO queues are covered by `fifo-batch-size` and `fifo-batch-window`.
 */
export const batchWindowRequired: Rule = {
  id: "batch-window-required",
  severity: "error",
  title: `SQS trigger with batch size > ${T.batchSizeNeedingWindow} and no batching window`,
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      if (t.source.kind !== "queue" || t.source.fifo || t.edge.type !== "event") continue;
      const size = t.settings.batchSize ?? 0;
      const window = t.settings.maximumBatchingWindowSeconds ?? 0;
      if (size <= T.batchSizeNeedingWindow || window >= 1) continue;
      out.push(
        finding(
          batchWindowRequired,
          [t.edge.id, t.source.id, t.target.id],
          `The trigger from ${q(t.source.name)} to ${q(t.target.name)} has batch size ${num(size)} with a batching window of ${num(window)} s; AWS requires a window of at least 1 s above ${T.batchSizeNeedingWindow} messages.`,
          `Set maximumBatchingWindowSeconds to at least 1 (up to ${T.maximumBatchingWindowSeconds.max}), or lower the batch size to ${T.batchSizeNeedingWindow}.`,
        ),
      );
    }
    return out;
  },
};
