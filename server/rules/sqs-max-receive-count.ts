import { LIMITS } from "../model/limits";
import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

const R = LIMITS.queue.maxReceiveCount;

/**
 * Lambda developer guide (with-sqs, reference §5): maxReceiveCount ≥ 5 on a Lambda-consumed
 * queue. Throttled or scaled-in pollers also count as receives, so a low count moves healthy
 * messages to the DLQ. Values below the AWS minimum are left to `queue-setting-range`.
 */
export const sqsMaxReceiveCount: Rule = {
  id: "sqs-max-receive-count",
  severity: "warning",
  title: `Lambda-consumed queue with redrive maxReceiveCount below ${R.recommendedMin}`,
  check(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const t of ctx.triggers) {
      if (t.source.kind !== "queue" || t.edge.type !== "event" || seen.has(t.source.id)) continue;
      const count = t.source.redrive?.maxReceiveCount;
      if (count === undefined || count < R.min || count >= R.recommendedMin) continue;
      seen.add(t.source.id);
      out.push(
        finding(
          sqsMaxReceiveCount,
          [t.source.id],
          `${q(t.source.name)} moves a message to its dead-letter queue after ${count} receive${count > 1 ? "s" : ""}; with Lambda, throttled batches also count, so healthy messages end up there.`,
          `Set maxReceiveCount on ${q(t.source.name)} to ${R.recommendedMin} or more.`,
        ),
      );
    }
    return out;
  },
};
