import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

const STREAM_SOURCES = new Set<string>(["stream", "table", "kafka-topic"]);

/**
 * Stream and Kafka sources keep order per shard/partition: a batch that keeps failing is retried
 * before anything behind it. With the defaults (retries −1 and record age −1, "until the record
 * expires") and neither bisect nor an on-failure destination, one bad record stalls its shard or
 * partition for the whole retention period (services-kinesis-parameters).
 */
export const streamPoisonPill: Rule = {
  id: "stream-poison-pill",
  severity: "warning",
  title: "Stream or Kafka trigger that retries a bad record forever",
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      if (!STREAM_SOURCES.has(t.source.kind) || t.edge.type !== "event") continue;
      const s = t.settings;
      if (s.maximumRetryAttempts !== -1 || s.maximumRecordAgeSeconds !== -1) continue;
      if (s.bisectBatchOnFunctionError || t.edge.onFailureDestinationId) continue;
      const unit = t.source.kind === "kafka-topic" ? "partition" : "shard";
      out.push(
        finding(
          streamPoisonPill,
          [t.edge.id, t.source.id, t.target.id],
          `The trigger from ${q(t.source.name)} to ${q(t.target.name)} retries failed batches without limit and has no bisect or on-failure destination: one bad record blocks its ${unit} until the record expires.`,
          `Set maximumRetryAttempts (e.g. 3) or maximumRecordAgeSeconds on this trigger, and an on-failure destination (a queue or topic) to keep the records that are skipped; bisectBatchOnFunctionError isolates the bad record.`,
        ),
      );
    }
    return out;
  },
};
