import { LIMITS } from "../model/limits";
import type { FunctionNode } from "../model/schema";
import { finding, nameList, num, q } from "./context";
import type { Finding, Rule } from "./types";

/** Sources whose trigger invokes the function asynchronously (Event invocation type). */
const ASYNC_SOURCES: Record<string, string> = { bucket: "S3 events", "sns-topic": "SNS", "event-bus": "EventBridge", schedule: "schedule" };

/**
 * Asynchronous invocations are retried (0–2 times, default 2) and then dropped unless the
 * function has a dead-letter queue or an on-failure destination (invocation-async-retain-records,
 * reference §5–6). Those settings belong to the target function (AWS's EventInvokeConfig), so
 * this rule reports each function once, naming every async path into it.
 */
export const asyncNoFailureDestination: Rule = {
  id: "async-no-failure-destination",
  severity: "warning",
  title: "An asynchronously invoked function has no dead-letter queue or on-failure destination",
  check(ctx) {
    const paths = new Map<FunctionNode, { edges: string[]; from: string[] }>();
    const add = (fn: FunctionNode, edgeId: string, from: string) => {
      let p = paths.get(fn);
      if (!p) paths.set(fn, (p = { edges: [], from: [] }));
      p.edges.push(edgeId);
      p.from.push(from);
    };
    for (const e of ctx.doc.edges) {
      if (e.kind !== "call" || e.mode !== "async") continue;
      const target = ctx.idx.nodes.get(e.target);
      if (target?.kind === "function") add(target, e.id, `${q(ctx.name(e.source))} (async call)`);
    }
    for (const t of ctx.triggers) {
      const via = ASYNC_SOURCES[t.source.kind];
      if (via && t.edge.type === "event") add(t.target, t.edge.id, `${q(t.source.name)} (${via})`);
    }
    const out: Finding[] = [];
    for (const [fn, p] of paths) {
      if (fn.deadLetterQueueId || fn.asyncInvoke?.onFailureDestinationId) continue;
      const retries = fn.asyncInvoke?.maximumRetryAttempts ?? LIMITS.asyncInvoke.maximumRetryAttempts.default;
      const age = fn.asyncInvoke?.maximumEventAgeSeconds ?? LIMITS.asyncInvoke.maximumEventAgeSeconds.default;
      out.push(
        finding(
          asyncNoFailureDestination,
          [fn.id, ...p.edges],
          `${q(fn.name)} is invoked asynchronously by ${nameList(p.from)} but has no dead-letter queue or on-failure destination: an event still failing after ${retries} ${retries === 1 ? "retry" : "retries"} (or older than ${num(age)} s) is dropped.`,
          `Give ${q(fn.name)} an on-failure destination (asyncInvoke.onFailureDestinationId: a queue, topic, bus or function) or a dead-letter queue.`,
        ),
      );
    }
    return out;
  },
};
