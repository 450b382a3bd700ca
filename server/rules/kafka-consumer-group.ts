import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * Without an explicit consumer group id, Lambda generates one (the mapping's UUID). The id cannot
 * be changed after the mapping is created, so recreating the trigger starts a new group from the
 * starting position, and other tools cannot watch the group's lag by a known name.
 */
export const kafkaConsumerGroup: Rule = {
  id: "kafka-consumer-group",
  severity: "info",
  title: "Kafka trigger without an explicit consumer group id",
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      if (t.source.kind !== "kafka-topic" || t.edge.type !== "event" || t.edge.consumerGroupId) continue;
      out.push(
        finding(
          kafkaConsumerGroup,
          [t.edge.id, t.source.id, t.target.id],
          `The trigger from Kafka topic ${q(t.source.name)} to ${q(t.target.name)} has no consumer group id; Lambda picks one that cannot be changed later.`,
          `Set consumerGroupId on this trigger (e.g. "${t.target.id}") before the first deployment.`,
        ),
      );
    }
    return out;
  },
};
