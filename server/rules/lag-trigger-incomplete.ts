import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * Seed 000, "Trigger based on consumer group lag": the function fires when the lag, polled
 * regularly, passes a threshold. Without both numbers there is nothing to export: no poll
 * schedule and no alarm condition.
 */
export const lagTriggerIncomplete: Rule = {
  id: "lag-trigger-incomplete",
  severity: "error",
  title: "Consumer-lag trigger without a lag threshold or check interval",
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      if (t.edge.type !== "consumer-lag") continue;
      const missing: string[] = [];
      if (t.edge.lagThreshold === undefined) missing.push("lag threshold (lagThreshold)");
      if (t.edge.lagCheckIntervalSeconds === undefined) missing.push("check interval (lagCheckIntervalSeconds)");
      if (!missing.length) continue;
      out.push(
        finding(
          lagTriggerIncomplete,
          [t.edge.id, t.source.id, t.target.id],
          `The consumer-lag trigger from ${q(t.source.name)} to ${q(t.target.name)} has no ${missing.join(" and no ")}.`,
          `Set lagThreshold (records of lag that wake ${q(t.target.name)}) and lagCheckIntervalSeconds (${LIMITS.trigger.lagCheckIntervalSeconds.min}–${num(LIMITS.trigger.lagCheckIntervalSeconds.max)} s; ${LIMITS.trigger.lagCheckIntervalSeconds.default} s is a good start).`,
        ),
      );
    }
    return out;
  },
};
