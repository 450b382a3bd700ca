import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

/** services-sqs-parameters: "Batching window is not supported for FIFO queues." */
export const fifoBatchWindow: Rule = {
  id: "fifo-batch-window",
  severity: "error",
  title: "FIFO queue trigger with a batching window",
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      if (t.source.kind !== "queue" || !t.source.fifo || t.edge.type !== "event") continue;
      const window = t.edge.maximumBatchingWindowSeconds;
      if (window === undefined || window === 0) continue;
      out.push(
        finding(
          fifoBatchWindow,
          [t.edge.id, t.source.id, t.target.id],
          `The trigger from FIFO queue ${q(t.source.name)} to ${q(t.target.name)} sets a batching window of ${num(window)} s; Lambda does not support batching windows on FIFO queues.`,
          "Remove maximumBatchingWindowSeconds from this trigger.",
        ),
      );
    }
    return out;
  },
};
