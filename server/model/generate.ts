/**
 * Deterministic generator of large, realistic, valid topologies for benchmarks and scale tests:
 * N functions in C contexts, each context with a route, queues (with DLQs), streams, tables,
 * and triggers/calls/produce/access edges between them. Same options → same document.
 */
import { TopologySchema, type Topology, type TopoEdge, type TopoNode } from "./schema";

export interface GenerateOptions {
  functions: number;
  /** Queues + streams (DLQs included). */
  channels: number;
  edges: number;
  contexts: number;
  seed?: number;
}

/** The shape the issues call "the 1,000-function topology". */
export const SCALE_1000: GenerateOptions = { functions: 1_000, channels: 300, edges: 1_500, contexts: 30 };
export const SCALE_5000: GenerateOptions = { functions: 5_000, channels: 1_500, edges: 7_500, contexts: 150 };

/** Small, fast, seedable PRNG (mulberry32) so generated documents are reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @example generateTopology(SCALE_1000).nodes.filter((n) => n.kind === "function").length // 1000
 */
export function generateTopology(opts: GenerateOptions): Topology {
  const rand = rng(opts.seed ?? 42);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const contexts = Array.from({ length: opts.contexts }, (_, c) => ({
    id: `ctx-${c}`,
    name: `Context ${c}`,
    color: `#${(((c * 2654435761) >>> 8) & 0xffffff).toString(16).padStart(6, "0")}`,
    owner: `team-${c % 7}`,
  }));
  const nodes: TopoNode[] = [];
  const edges: TopoEdge[] = [];
  const fnByCtx: string[][] = contexts.map(() => []);
  const chanByCtx: { id: string; kind: "queue" | "stream" }[][] = contexts.map(() => []);

  for (let i = 0; i < opts.functions; i++) {
    const c = i % opts.contexts;
    const id = `fn-${i}`;
    fnByCtx[c].push(id);
    nodes.push({
      id,
      kind: "function",
      name: `Function ${i}`,
      contextId: contexts[c].id,
      runtime: pick(["nodejs22.x", "python3.12", "java21"] as const),
      handler: "index.handler",
      memoryMb: pick([128, 256, 512, 1024]),
      timeoutSeconds: pick([3, 10, 30]),
      architecture: "arm64",
      ephemeralStorageMb: 512,
      environment: {},
      layers: [],
      snapStart: false,
      logFormat: pick(["Text", "JSON"] as const),
    });
  }
  // A third of the channels are DLQs, the rest main queues (with redrive) and streams.
  const dlqCount = Math.floor(opts.channels / 3);
  for (let i = 0; i < opts.channels; i++) {
    const c = i % opts.contexts;
    if (i < dlqCount) {
      nodes.push(queue(`queue-dlq-${i}`, `DLQ ${i}`, contexts[c].id, 1_209_600));
    } else if (i % 3 === 0) {
      nodes.push({ id: `stream-${i}`, kind: "stream", name: `Stream ${i}`, contextId: contexts[c].id, mode: "provisioned", shardCount: 2, retentionHours: 24, published: false });
      chanByCtx[c].push({ id: `stream-${i}`, kind: "stream" });
    } else {
      const q = queue(`queue-${i}`, `Queue ${i}`, contexts[c].id, 345_600);
      q.redrive = { deadLetterQueueId: `queue-dlq-${i % Math.max(1, dlqCount)}`, maxReceiveCount: 5 };
      // A redrive must stay inside one context; pick the DLQ of the same context when there is one.
      const sameCtxDlq = Array.from({ length: dlqCount }, (_, d) => d).find((d) => d % opts.contexts === c);
      if (sameCtxDlq !== undefined) q.redrive.deadLetterQueueId = `queue-dlq-${sameCtxDlq}`;
      nodes.push(q);
      chanByCtx[c].push({ id: `queue-${i}`, kind: "queue" });
    }
  }

  let e = 0;
  const add = (edge: TopoEdge) => {
    edges.push(edge);
    e++;
  };
  // Each channel: one producer and one consumer in its own context.
  for (let c = 0; c < opts.contexts && e < opts.edges; c++) {
    const fns = fnByCtx[c];
    for (const [k, ch] of chanByCtx[c].entries()) {
      if (e + 2 > opts.edges || fns.length < 2) break;
      const producer = fns[(k * 2) % fns.length];
      const consumer = fns[(k * 2 + 1) % fns.length];
      add({ id: `e-${e}`, kind: "produce", source: producer, target: ch.id });
      add(
        ch.kind === "queue"
          ? { id: `e-${e}`, kind: "trigger", source: ch.id, target: consumer, type: "event", enabled: true, batchSize: 10, reportBatchItemFailures: true }
          : { id: `e-${e}`, kind: "trigger", source: ch.id, target: consumer, type: "event", enabled: true, batchSize: 100, startingPosition: "TRIM_HORIZON", bisectBatchOnFunctionError: true, maximumRetryAttempts: 3 },
      );
    }
  }
  // The rest: calls inside a context (async fire-and-forget and sync).
  for (let i = 0; e < opts.edges; i++) {
    const c = i % opts.contexts;
    const fns = fnByCtx[c];
    if (fns.length < 2) {
      if (i > opts.edges * 4) break;
      continue;
    }
    let a = fns[Math.floor(rand() * fns.length)];
    let b = fns[Math.floor(rand() * fns.length)];
    if (a === b) b = fns[(fns.indexOf(a) + 1) % fns.length];
    // Calls go "downstream" (earlier function → later one), like produce → consume above, so the
    // design has no event loop (function → queue → … → same function), which a real one would not.
    if (fns.indexOf(a) > fns.indexOf(b)) [a, b] = [b, a];
    add({ id: `e-${e}`, kind: "call", source: a, target: b, mode: rand() < 0.5 ? "async" : "sync" });
  }
  return TopologySchema.parse({
    schemaVersion: 1,
    name: `Generated ${opts.functions} functions`,
    description: `Generated: ${opts.functions} functions, ${opts.channels} queues/streams, ${opts.edges} edges, ${opts.contexts} contexts.`,
    contexts,
    nodes,
    edges,
  });
}

function queue(id: string, name: string, contextId: string, retention: number) {
  return {
    id,
    kind: "queue" as const,
    name,
    contextId,
    fifo: false,
    visibilityTimeoutSeconds: 180,
    messageRetentionSeconds: retention,
    delaySeconds: 0,
    maxMessageSizeBytes: 262_144,
    published: false,
    redrive: undefined as undefined | { deadLetterQueueId: string; maxReceiveCount: number },
  };
}
