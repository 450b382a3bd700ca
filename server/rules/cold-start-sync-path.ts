import type { FunctionNode } from "../model/schema";
import { finding, num, q } from "./context";
import { SNAPSTART_RUNTIMES } from "./snapstart-unsupported";
import type { Finding, Rule } from "./types";

/** From the definition of a "heavy" function: big memory usually means a big package and init. */
export const COLD_START_MEMORY_MB = 1_024;

/**
 * Seed 000, "Cold start and warm starts": a cold start adds the init phase to the response. On
 * a synchronous HTTP path someone waits for it; Java runtimes and large functions have the
 * longest inits. Provisioned concurrency or SnapStart removes most of it (snapstart.html).
 * The path is a route's trigger plus every synchronous call reachable from it.
 */
export const coldStartSyncPath: Rule = {
  id: "cold-start-sync-path",
  severity: "info",
  title: `Java or ≥ ${num(COLD_START_MEMORY_MB)} MB function on a synchronous HTTP path without provisioned concurrency or SnapStart`,
  check(ctx) {
    // Breadth-first from every route, remembering the first route that reaches each function.
    const via = new Map<string, string>();
    const queue: FunctionNode[] = [];
    for (const t of ctx.triggers) {
      if (t.source.kind !== "http-route" || via.has(t.target.id)) continue;
      via.set(t.target.id, t.source.id);
      queue.push(t.target);
    }
    for (let i = 0; i < queue.length; i++) {
      const fn = queue[i];
      for (const e of ctx.idx.outgoing.get(fn.id) ?? []) {
        if (e.kind !== "call" || e.mode !== "sync" || via.has(e.target)) continue;
        const callee = ctx.idx.nodes.get(e.target);
        if (callee?.kind !== "function") continue;
        via.set(callee.id, via.get(fn.id)!);
        queue.push(callee);
      }
    }
    const out: Finding[] = [];
    for (const fn of queue) {
      const java = fn.runtime.startsWith("java");
      const big = fn.memoryMb >= COLD_START_MEMORY_MB;
      if (!java && !big) continue;
      if ((fn.provisionedConcurrency ?? 0) > 0 || fn.snapStart) continue;
      const route = ctx.idx.nodes.get(via.get(fn.id)!)!;
      const routeName = route.kind === "http-route" ? `${route.method} ${route.path}` : route.name;
      const why = java && big ? `a ${fn.runtime} function with ${num(fn.memoryMb)} MB` : java ? `a ${fn.runtime} function` : `a ${num(fn.memoryMb)} MB function`;
      out.push(
        finding(
          coldStartSyncPath,
          [fn.id, route.id],
          `${q(fn.name)} is ${why} on the synchronous path of ${q(routeName)}: callers wait for its cold starts.`,
          SNAPSTART_RUNTIMES.has(fn.runtime)
            ? `Turn on SnapStart for ${q(fn.name)}, or give it provisioned concurrency for the traffic you expect.`
            : `Give ${q(fn.name)} provisioned concurrency for the traffic you expect, or trim its package and init work.`,
        ),
      );
    }
    return out;
  },
};
