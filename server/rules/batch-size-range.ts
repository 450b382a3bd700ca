import { LIMITS } from "../model/limits";
import type { TopoNode } from "../model/schema";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

const B = LIMITS.trigger.batchSize;

/** The batch size range AWS accepts for a source; FIFO's lower maximum is `fifo-batch-size`'s job. */
function rangeFor(source: TopoNode): { min: number; max: number } | undefined {
  switch (source.kind) {
    case "queue":
      return B.sqs;
    case "stream":
    case "table":
      return B.stream;
    case "kafka-topic":
      return B.kafka;
    default:
      return undefined;
  }
}

/** CreateEventSourceMapping BatchSize: 1–10,000 for SQS standard, Kinesis, DynamoDB and Kafka. */
export const batchSizeRange: Rule = {
  id: "batch-size-range",
  severity: "error",
  title: "Trigger batch size outside the source's range",
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      const size = t.edge.batchSize;
      const r = rangeFor(t.source);
      if (size === undefined || !r || t.edge.type !== "event" || (size >= r.min && size <= r.max)) continue;
      out.push(
        finding(
          batchSizeRange,
          [t.edge.id, t.source.id, t.target.id],
          `The trigger from ${q(t.source.name)} to ${q(t.target.name)} has batch size ${num(size)}; this source accepts ${r.min}–${num(r.max)}.`,
          `Set the batch size between ${r.min} and ${num(r.max)}.`,
        ),
      );
    }
    return out;
  },
};
