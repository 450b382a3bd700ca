import type { TopoNode, TriggerEdge } from "../model/schema";
import { finding, q } from "./context";
import type { Finding, Rule, RuleContext } from "./types";

/** Nodes an event can pass through on its way back to a function. */
const FLOW_KINDS = new Set<string>(["function", "queue", "stream", "table", "kafka-topic", "sns-topic", "event-bus", "bucket"]);

interface Arc {
  to: string;
  /** The edge drawn for this hop; undefined for hops that are settings (an async on-success destination). */
  edge?: string;
}

/**
 * Whether a trigger only lets some events through. The brief's "filter" is Lambda's
 * filterCriteria, but S3, SNS and EventBridge triggers cannot carry filterCriteria (integrity
 * refuses it), so their own filters count too: an S3 prefix/suffix, an SNS filter policy, an
 * EventBridge pattern. The linter cannot prove the filter excludes the loop's own events; a
 * filter is taken as the designer's statement that it does.
 */
function isFiltered(e: TriggerEdge): boolean {
  return !!(e.filterCriteria || e.s3Filter?.prefix || e.s3Filter?.suffix || e.snsFilterPolicy || e.eventPattern);
}

/** The event-flow graph: which node's output can wake which node. */
function flowGraph(ctx: RuleContext): Map<string, Arc[]> {
  const adj = new Map<string, Arc[]>();
  const inFlow = (n: TopoNode | undefined): n is TopoNode => !!n && FLOW_KINDS.has(n.kind);
  const arc = (from: string, to: string, edge?: string) => {
    const list = adj.get(from);
    if (list) list.push({ to, edge });
    else adj.set(from, [{ to, edge }]);
  };
  for (const e of ctx.doc.edges) {
    const s = ctx.idx.nodes.get(e.source);
    const t = ctx.idx.nodes.get(e.target);
    if (!inFlow(s) || !inFlow(t)) continue;
    switch (e.kind) {
      case "produce":
      case "call":
        arc(s.id, t.id, e.id);
        break;
      case "trigger":
        // A disabled trigger or a filtered one breaks the loop.
        if (e.enabled && !isFiltered(e)) arc(s.id, t.id, e.id);
        break;
      case "access":
        // Writing to a bucket or a table can emit an event (S3 notification, DynamoDB stream).
        if (e.mode !== "read" && (t.kind === "bucket" || t.kind === "table")) arc(s.id, t.id, e.id);
        break;
    }
  }
  for (const fn of ctx.nodesOf("function")) {
    const dest = fn.asyncInvoke?.onSuccessDestinationId;
    if (dest && inFlow(ctx.idx.nodes.get(dest))) arc(fn.id, dest);
  }
  return adj;
}

/** Strongly connected components (Tarjan), iterative so a long chain cannot overflow the stack. */
function stronglyConnected(nodes: readonly string[], adj: Map<string, Arc[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
  };
  for (const root of nodes) {
    if (index.has(root)) continue;
    visit(root);
    const work: [string, number][] = [[root, 0]];
    while (work.length) {
      const frame = work[work.length - 1];
      const v = frame[0];
      const arcs = adj.get(v) ?? [];
      if (frame[1] < arcs.length) {
        const w = arcs[frame[1]++].to;
        if (!index.has(w)) {
          visit(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const u = work[work.length - 1][0];
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1) out.push(comp);
      }
    }
  }
  return out;
}

/** Shortest cycle through `start` inside `members` (BFS), as node ids from start back to start. */
function shortestCycle(start: string, members: Set<string>, adj: Map<string, Arc[]>): string[] | undefined {
  const prev = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const { to } of adj.get(v) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let x: string | undefined = v; x !== undefined && x !== start; x = prev.get(x)) path.push(x);
        path.push(start);
        return path.reverse();
      }
      if (!prev.has(to)) {
        prev.set(to, v);
        queue.push(to);
      }
    }
  }
  return undefined;
}

/**
 * A function whose output comes back to it through queues, topics, streams, buckets or tables
 * runs forever and bills every turn. AWS's recursive loop detection stops only some of these
 * loops (Lambda with SQS, SNS and S3) and only after they have run a number of times.
 * Direct call cycles with no channel in between are not reported here: a synchronous recursion
 * can be bounded on purpose.
 */
export const recursiveLoop: Rule = {
  id: "recursive-loop",
  severity: "error",
  title: "A function's output flows back to it through a queue, topic or stream with no filter",
  check(ctx) {
    const adj = flowGraph(ctx);
    if (adj.size === 0) return [];
    const order = new Map(ctx.doc.nodes.map((n, i) => [n.id, i] as const));
    const out: Finding[] = [];
    for (const comp of stronglyConnected([...adj.keys()], adj)) {
      comp.sort((a, b) => order.get(a)! - order.get(b)!);
      const kinds = comp.map((id) => ctx.idx.nodes.get(id)!.kind);
      if (!kinds.includes("function") || kinds.every((k) => k === "function")) continue;
      const members = new Set(comp);
      let cycle: string[] | undefined;
      for (const id of comp) {
        if (ctx.idx.nodes.get(id)!.kind === "function") continue;
        const c = shortestCycle(id, members, adj);
        if (c && c.some((x) => ctx.idx.nodes.get(x)!.kind === "function")) {
          // Start the story at a function writing into a channel: "function → queue → … → function".
          const isFn = (x: string) => ctx.idx.nodes.get(x)!.kind === "function";
          const at = c.findIndex((x, i) => i < c.length - 1 && isFn(x) && !isFn(c[i + 1]));
          cycle = [...c.slice(at, -1), ...c.slice(0, at), c[at]];
          break;
        }
      }
      const edges: string[] = [];
      for (const id of comp) for (const a of adj.get(id) ?? []) if (a.edge && members.has(a.to)) edges.push(a.edge);
      const story = cycle ? cycle.map((id) => q(ctx.name(id))).join(" → ") : comp.map((id) => q(ctx.name(id))).join(", ");
      out.push(
        finding(
          recursiveLoop,
          [...comp, ...edges],
          `${story} ${cycle ? "is a loop" : "form a loop"} with no filter: every event can produce the next one, forever.`,
          "Break the loop: write the output to another queue, topic or bucket (or prefix), or add a filter on a trigger in the loop that drops the function's own output (filterCriteria, S3 prefix/suffix, SNS filter policy, EventBridge pattern).",
        ),
      );
    }
    return out;
  },
};
