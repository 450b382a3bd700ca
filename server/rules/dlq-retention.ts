import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * SQS keeps a message's original enqueue time when it moves to the dead-letter queue, and
 * expiry counts from it (reference §5). A DLQ whose retention is not longer than its source's
 * deletes messages that spent time in the source before anyone looks; AWS advises a longer one.
 * Equal retention is reported too, for that reason.
 */
export const dlqRetention: Rule = {
  id: "dlq-retention",
  severity: "warning",
  title: "A dead-letter queue keeps messages no longer than its source queue",
  check(ctx) {
    const out: Finding[] = [];
    for (const src of ctx.nodesOf("queue")) {
      if (!src.redrive) continue;
      const dlq = ctx.idx.nodes.get(src.redrive.deadLetterQueueId);
      if (dlq?.kind !== "queue" || dlq.id === src.id || dlq.messageRetentionSeconds > src.messageRetentionSeconds) continue;
      const max = LIMITS.queue.messageRetentionSeconds.max;
      out.push(
        finding(
          dlqRetention,
          [dlq.id, src.id],
          `Dead-letter queue ${q(dlq.name)} keeps messages ${num(dlq.messageRetentionSeconds)} s, ${dlq.messageRetentionSeconds === src.messageRetentionSeconds ? "the same as" : "less than"} its source ${q(src.name)} (${num(src.messageRetentionSeconds)} s); expiry counts from the original enqueue time, so failed messages expire early.`,
          `Raise the retention of ${q(dlq.name)} above ${num(src.messageRetentionSeconds)} s; the maximum, ${num(max)} s (14 days), is usual for a DLQ.`,
        ),
      );
    }
    return out;
  },
};
