import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * Lambda developer guide (with-sqs, reference §5): without ReportBatchItemFailures, one failed
 * message makes the whole batch visible again, so the successful ones run twice.
 */
export const sqsPartialBatch: Rule = {
  id: "sqs-partial-batch",
  severity: "warning",
  title: "SQS trigger with batch size > 1 and no partial batch response",
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      if (t.source.kind !== "queue" || t.edge.type !== "event") continue;
      const size = t.settings.batchSize ?? 1;
      if (size <= 1 || t.settings.reportBatchItemFailures) continue;
      out.push(
        finding(
          sqsPartialBatch,
          [t.edge.id, t.source.id, t.target.id],
          `${q(t.target.name)} receives batches of up to ${num(size)} messages from ${q(t.source.name)} without partial batch response: one failure retries the whole batch.`,
          `Turn on reportBatchItemFailures for this trigger and return the failed message ids from ${q(t.target.name)} (batchItemFailures).`,
        ),
      );
    }
    return out;
  },
};
