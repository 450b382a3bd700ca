import { describeKind } from "../model/graph";
import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * FIFO topics and queues accept only some integrations, and AWS refuses the others at deploy time:
 * - an SNS FIFO topic delivers to SQS queues only: no Lambda, HTTP or other subscriptions
 *   (fifo-message-delivery);
 * - S3 event notifications cannot target a FIFO queue or a FIFO topic.
 */
export const fifoIntegration: Rule = {
  id: "fifo-integration",
  severity: "error",
  title: "An integration AWS does not support with FIFO topics or queues",
  check(ctx) {
    const out: Finding[] = [];
    for (const e of ctx.doc.edges) {
      if (e.kind !== "trigger" && e.kind !== "produce") continue;
      const s = ctx.idx.nodes.get(e.source);
      const t = ctx.idx.nodes.get(e.target);
      if (!s || !t) continue;
      if (s.kind === "sns-topic" && s.fifo && t.kind !== "queue") {
        out.push(
          finding(
            fifoIntegration,
            [e.id, s.id, t.id],
            `FIFO topic ${q(s.name)} cannot deliver to ${describeKind(t.kind)} (${q(t.name)}): SNS FIFO topics deliver to SQS queues only.`,
            `Subscribe a FIFO queue to ${q(s.name)} and let ${q(t.name)} consume that queue, or make ${q(s.name)} a standard topic.`,
          ),
        );
      } else if (s.kind === "bucket" && (t.kind === "queue" || t.kind === "sns-topic") && t.fifo) {
        out.push(
          finding(
            fifoIntegration,
            [e.id, s.id, t.id],
            `S3 bucket ${q(s.name)} cannot send event notifications to FIFO ${t.kind === "queue" ? "queue" : "topic"} ${q(t.name)}.`,
            `Send the events of ${q(s.name)} to a standard queue or topic, or to EventBridge, which can feed a FIFO queue.`,
          ),
        );
      }
    }
    return out;
  },
};
