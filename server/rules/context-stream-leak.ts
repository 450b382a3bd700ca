import { describeKind } from "../model/graph";
import type { TopoNode } from "../model/schema";
import { finding, q } from "./context";
import type { Finding, Rule } from "./types";

/** Node kinds that carry events and have a `published` flag. */
const CHANNELS = new Set<string>(["queue", "stream", "table", "kafka-topic", "sns-topic", "event-bus"]);

/**
 * Seed 000, "Event-driven communication pattern": a context's event streams are scoped to the
 * context. Another context may only consume (or write into) a stream that is marked as a
 * published integration stream, so that its owner knows the stream is a contract.
 * "Another context" includes nodes with no context. External systems are left out: sending
 * events to a partner is an integration drawn on purpose, not a leak between our contexts.
 * Writes count only when a function of another context writes into the internal stream.
 */
export const contextStreamLeak: Rule = {
  id: "context-stream-leak",
  severity: "warning",
  title: "A context's internal queue or stream is used by another context without being published",
  check(ctx) {
    const out: Finding[] = [];
    const isInternal = (n: TopoNode | undefined): n is TopoNode & { published: boolean; contextId: string } =>
      !!n && CHANNELS.has(n.kind) && !!n.contextId && !(n as { published?: boolean }).published;
    const fix = (ch: TopoNode & { contextId: string }) =>
      `Mark ${q(ch.name)} as a published integration stream (published: true) if context ${q(ctx.name(ch.contextId))} commits to it as a contract, or have that context publish a dedicated integration stream.`;
    for (const e of ctx.doc.edges) {
      if (e.kind !== "trigger" && e.kind !== "produce") continue;
      const source = ctx.idx.nodes.get(e.source);
      const target = ctx.idx.nodes.get(e.target);
      if (!source || !target || target.kind === "external") continue;
      // Consumption: the channel is the source (a trigger, or an AWS fan-out such as SNS → SQS).
      if (isInternal(source) && target.contextId !== source.contextId) {
        const where = target.contextId ? `context ${q(ctx.name(target.contextId))}` : "outside any context";
        out.push(
          finding(
            contextStreamLeak,
            [e.id, source.id, target.id],
            `${q(target.name)} (${where}) consumes ${q(source.name)}, ${describeKind(source.kind)} internal to context ${q(ctx.name(source.contextId))}.`,
            fix(source),
          ),
        );
      } else if (e.kind === "produce" && source.kind === "function" && isInternal(target) && source.contextId !== target.contextId) {
        // A function writing into another context's internal stream bypasses its owner just as much.
        // AWS fan-outs (a published topic or bus delivering into a context's own queue) are that
        // context's subscription, not a leak, hence functions only.
        const where = source.contextId ? `context ${q(ctx.name(source.contextId))}` : "outside any context";
        out.push(
          finding(
            contextStreamLeak,
            [e.id, target.id, source.id],
            `${q(source.name)} (${where}) writes into ${q(target.name)}, ${describeKind(target.kind)} internal to context ${q(ctx.name(target.contextId))}.`,
            fix(target),
          ),
        );
      }
    }
    return out;
  },
};
