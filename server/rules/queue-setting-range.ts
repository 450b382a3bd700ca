import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

type Range = { min: number; max: number };
const Q = LIMITS.queue;

/**
 * The schema accepts any integer so that a half-finished design saves; SQS refuses these values
 * at deploy time (CreateQueue / SetQueueAttributes ranges, LIMITS.queue).
 */
export const queueSettingRange: Rule = {
  id: "queue-setting-range",
  severity: "error",
  title: "Queue setting outside the range SQS accepts",
  check(ctx) {
    const out: Finding[] = [];
    for (const queue of ctx.nodesOf("queue")) {
      const problems: string[] = [];
      const check = (label: string, value: number | undefined, r: Range, unit: string) => {
        if (value !== undefined && (value < r.min || value > r.max)) problems.push(`${label} ${num(value)}${unit} (accepted: ${num(r.min)}–${num(r.max)}${unit})`);
      };
      check("visibility timeout", queue.visibilityTimeoutSeconds, Q.visibilityTimeoutSeconds, " s");
      check("retention", queue.messageRetentionSeconds, Q.messageRetentionSeconds, " s");
      check("delay", queue.delaySeconds, Q.delaySeconds, " s");
      check("max message size", queue.maxMessageSizeBytes, Q.maxMessageSizeBytes, " bytes");
      check("redrive maxReceiveCount", queue.redrive?.maxReceiveCount, Q.maxReceiveCount, "");
      if (!problems.length) continue;
      out.push(
        finding(queueSettingRange, [queue.id], `Queue ${q(queue.name)} has ${problems.join("; ")}.`, `Bring each setting of ${q(queue.name)} inside the accepted range.`),
      );
    }
    return out;
  },
};
