import { LIMITS } from "../model/limits";
import type { TopoNode } from "../model/schema";
import { bytes, finding, num, q } from "./context";
import type { Finding, Rule, RuleContext } from "./types";

const MAX = LIMITS.function.syncPayloadBytes;

/**
 * Largest record a source may hold, as declared: a queue's maxMessageSizeBytes; for streams,
 * tables and Kafka topics the largest of the node's maxRecordSizeBytes and the sizes its
 * producers declare. Undefined when nothing is declared (then nothing can be checked).
 */
function declaredRecordSize(ctx: RuleContext, source: TopoNode): number | undefined {
  if (source.kind === "queue") return source.maxMessageSizeBytes;
  if (source.kind !== "stream" && source.kind !== "table" && source.kind !== "kafka-topic") return undefined;
  let size = source.maxRecordSizeBytes;
  for (const e of ctx.idx.incoming.get(source.id) ?? []) {
    if (e.kind === "produce" && e.maxRecordSizeBytes !== undefined) size = Math.max(size ?? 0, e.maxRecordSizeBytes);
  }
  return size;
}

/**
 * An event source mapping invokes the function synchronously, so a batch is capped by the 6 MB
 * synchronous payload (reference §6): a batch size that cannot fit means smaller batches than
 * designed, or an invocation that fails on a batch of large records.
 */
export const payloadLimit: Rule = {
  id: "payload-limit",
  severity: "warning",
  title: `Batch size × declared max record size above the ${bytes(MAX)} invoke payload`,
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      if (t.edge.type !== "event") continue;
      const size = declaredRecordSize(ctx, t.source);
      const batch = t.settings.batchSize;
      if (size === undefined || size <= 0 || batch === undefined || batch * size <= MAX) continue;
      const fits = Math.floor(MAX / size);
      out.push(
        finding(
          payloadLimit,
          [t.edge.id, t.source.id, t.target.id],
          `The trigger from ${q(t.source.name)} to ${q(t.target.name)} can build batches of ${num(batch)} × ${bytes(size)} = ${bytes(batch * size)}, above the ${bytes(MAX)} synchronous invoke payload.`,
          fits >= 1
            ? `Lower the batch size to ${num(fits)} or less, or lower the declared max record size.`
            : `A single ${bytes(size)} record does not fit: store large payloads in S3 and send a reference.`,
        ),
      );
    }
    return out;
  },
};
