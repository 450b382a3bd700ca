import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

type Range = { min: number; max: number };

/** Kinesis shard count (provisioned mode) and retention, and Kafka partitions, outside what the services accept. */
export const streamSettingRange: Rule = {
  id: "stream-setting-range",
  severity: "error",
  title: "Stream shard count, retention or Kafka partitions outside the accepted range",
  check(ctx) {
    const out: Finding[] = [];
    const report = (id: string, name: string, problems: string[]) => {
      if (problems.length) out.push(finding(streamSettingRange, [id], `${q(name)} has ${problems.join("; ")}.`, `Bring each setting of ${q(name)} inside the accepted range.`));
    };
    const check = (problems: string[], label: string, value: number, r: Range, unit: string) => {
      if (value < r.min || value > r.max) problems.push(`${label} ${num(value)}${unit} (accepted: ${num(r.min)}–${num(r.max)}${unit})`);
    };
    for (const s of ctx.nodesOf("stream")) {
      const problems: string[] = [];
      // On-demand streams scale their own shards; the count is only meaningful when provisioned.
      if (s.mode === "provisioned") check(problems, "shard count", s.shardCount, LIMITS.stream.shardCount, "");
      check(problems, "retention", s.retentionHours, LIMITS.stream.retentionHours, " h");
      report(s.id, s.name, problems);
    }
    for (const k of ctx.nodesOf("kafka-topic")) {
      const problems: string[] = [];
      check(problems, "partitions", k.partitions, LIMITS.kafkaTopic.partitions, "");
      report(k.id, k.name, problems);
    }
    return out;
  },
};
