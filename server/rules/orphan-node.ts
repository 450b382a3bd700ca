import { describeKind } from "../model/graph";
import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

const CHANNELS = new Set<string>(["queue", "stream", "kafka-topic", "sns-topic"]);

/**
 * Something drawn but wired to nothing is either unfinished or dead: it still costs a resource,
 * permissions and attention. A channel is an orphan when nothing writes to it and nothing reads
 * it (being a DLQ or destination counts as being written to). A function is an orphan when no
 * trigger, call or async destination can invoke it.
 */
export const orphanNode: Rule = {
  id: "orphan-node",
  severity: "warning",
  title: "A queue or stream nobody produces to or consumes from; a function nothing invokes",
  check(ctx) {
    // Ids that settings (not edges) send to: DLQs and destinations.
    const referenced = new Set<string>(ctx.deadLetterQueueIds);
    for (const fn of ctx.nodesOf("function")) {
      if (fn.deadLetterQueueId) referenced.add(fn.deadLetterQueueId);
      if (fn.asyncInvoke?.onFailureDestinationId) referenced.add(fn.asyncInvoke.onFailureDestinationId);
      if (fn.asyncInvoke?.onSuccessDestinationId) referenced.add(fn.asyncInvoke.onSuccessDestinationId);
    }
    for (const t of ctx.triggers) if (t.edge.onFailureDestinationId) referenced.add(t.edge.onFailureDestinationId);

    const out: Finding[] = [];
    for (const n of ctx.doc.nodes) {
      const incoming = ctx.idx.incoming.get(n.id) ?? [];
      if (n.kind === "function") {
        if (referenced.has(n.id) || incoming.some((e) => e.kind === "trigger" || e.kind === "call")) continue;
        out.push(
          finding(
            orphanNode,
            [n.id],
            `Function ${q(n.name)} has no trigger and no caller: nothing can invoke it.`,
            `Connect a trigger (route, queue, stream, topic, schedule…) or a caller to ${q(n.name)}, or delete it.`,
          ),
        );
      } else if (CHANNELS.has(n.kind)) {
        if (referenced.has(n.id) || incoming.length > 0 || (ctx.idx.outgoing.get(n.id) ?? []).length > 0) continue;
        out.push(
          finding(
            orphanNode,
            [n.id],
            `${describeKind(n.kind)[0].toUpperCase()}${describeKind(n.kind).slice(1)} ${q(n.name)} has no producer and no consumer.`,
            `Connect a producer and a consumer to ${q(n.name)}, or delete it.`,
          ),
        );
      }
    }
    return out;
  },
};
