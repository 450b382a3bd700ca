import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

const R = LIMITS.trigger.batchSize.sqsFifo;

/** services-sqs-parameters: "For FIFO queues, the maximum is 10." AWS refuses larger batches. */
export const fifoBatchSize: Rule = {
  id: "fifo-batch-size",
  severity: "error",
  title: `FIFO queue trigger with batch size > ${R.max}`,
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      if (t.source.kind !== "queue" || !t.source.fifo || t.edge.type !== "event") continue;
      const size = t.settings.batchSize ?? 0;
      if (size <= R.max) continue;
      out.push(
        finding(
          fifoBatchSize,
          [t.edge.id, t.source.id, t.target.id],
          `The trigger from FIFO queue ${q(t.source.name)} to ${q(t.target.name)} has batch size ${num(size)}; FIFO queues allow at most ${R.max}.`,
          `Set the batch size to ${R.max} or less.`,
        ),
      );
    }
    return out;
  },
};
