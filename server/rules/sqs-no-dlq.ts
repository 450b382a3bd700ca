import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * A Lambda-consumed queue with no redrive policy retries a poison message until its retention
 * expires (4 days by default), invoking the function on every visibility timeout; on a FIFO
 * queue it blocks the message group all that time. AWS recommends a DLQ on every
 * Lambda-consumed queue (with-sqs). A queue that is itself a DLQ is exempt: a DLQ of a DLQ
 * only moves the problem.
 */
export const sqsNoDlq: Rule = {
  id: "sqs-no-dlq",
  severity: "warning",
  title: "Lambda-consumed queue without a dead-letter queue",
  check(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const t of ctx.triggers) {
      if (t.source.kind !== "queue" || t.edge.type !== "event" || seen.has(t.source.id)) continue;
      seen.add(t.source.id);
      if (t.source.redrive || ctx.deadLetterQueueIds.has(t.source.id)) continue;
      out.push(
        finding(
          sqsNoDlq,
          [t.source.id],
          `${q(t.source.name)} has no dead-letter queue: a message that always fails is retried until it expires${t.source.fifo ? ", blocking its message group" : ""}.`,
          `Add a redrive policy to ${q(t.source.name)} (a dead-letter queue and maxReceiveCount ≥ 5).`,
        ),
      );
    }
    return out;
  },
};
