import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * A dead-letter queue nobody reads or is alerted about fills silently until its messages expire.
 * The model has no alarm node yet, so "watched" means: some trigger (event or consumer-lag)
 * reads the DLQ, or one of its tags names an alarm (a tag key or value containing "alarm",
 * any case, e.g. `alarm: depth > 0`).
 */
export const dlqUnwatched: Rule = {
  id: "dlq-unwatched",
  severity: "info",
  title: "A dead-letter queue that nothing reads and no alarm watches",
  check(ctx) {
    const out: Finding[] = [];
    for (const id of ctx.deadLetterQueueIds) {
      const dlq = ctx.idx.nodes.get(id);
      if (dlq?.kind !== "queue") continue;
      if ((ctx.idx.outgoing.get(id) ?? []).some((e) => e.kind === "trigger")) continue;
      if (Object.entries(dlq.tags ?? {}).some(([k, v]) => /alarm/i.test(k) || /alarm/i.test(v))) continue;
      out.push(
        finding(
          dlqUnwatched,
          [dlq.id],
          `Dead-letter queue ${q(dlq.name)} is not read by any function and has no alarm: failed messages pile up unnoticed.`,
          `Add an alarm on its depth (tag ${q(dlq.name)} with alarm: …) or connect a function that handles or redrives failed messages.`,
        ),
      );
    }
    return out;
  },
};
