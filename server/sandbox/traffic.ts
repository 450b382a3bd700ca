/**
 * Traffic generator: N events/s to a source node, with a poison fraction, to make lag and DLQs visible on purpose.
 * Poison events carry the poisonMarker of the functions the source triggers (or "POISON").
 */
import type { Topology } from "../model/schema";
import { labelEventTypes } from "./integrations";
import type { Sandbox } from "./sandbox";

/** Node kinds `Sandbox.send()` accepts (the traffic generator's sources). */
export const SENDABLE_KINDS = ["queue", "stream", "kafka-topic", "http-route", "sns-topic", "event-bus", "bucket", "table", "function"] as const;

export interface TrafficSpec {
  nodeId: string;
  perSecond: number;
  poisonFraction: number;
  /** Stop after this many events (a run of known duration: rate × seconds). */
  total?: number;
}

/** Parses `<nodeId>:<events per s>[:<poison fraction>]`. */
export function parseTrafficSpec(s: string): TrafficSpec {
  const m = /^([a-z0-9][a-z0-9-]*):(\d+(?:\.\d+)?)(?::(0(?:\.\d+)?|1(?:\.0+)?))?$/.exec(s.trim());
  if (!m) throw new Error(`invalid traffic spec "${s}": use <nodeId>:<events per s>[:<poison fraction 0–1>]`);
  return { nodeId: m[1], perSecond: Number(m[2]), poisonFraction: m[3] ? Number(m[3]) : 0 };
}

export function poisonMarkerFor(topology: Topology, nodeId: string): string {
  for (const e of topology.edges) {
    if (e.kind !== "trigger" || e.source !== nodeId) continue;
    const fn = topology.nodes.find((n) => n.id === e.target);
    if (fn?.kind === "function" && fn.simulate?.poisonMarker) return fn.simulate.poisonMarker;
  }
  return "POISON";
}

/**
 * The event type a source receives in the design: the first name on a produce edge into it from outside
 * (e.g. "PurchaseCompleted" from the point of sale), so filters and rules written for it match generated traffic.
 */
export function eventTypeFor(topology: Topology, nodeId: string): string | undefined {
  for (const e of topology.edges) {
    if (e.kind !== "produce" || e.target !== nodeId) continue;
    const t = labelEventTypes(e.label)[0];
    if (t) return t;
  }
  return undefined;
}

/**
 * Sends events every 100 ms at the given rate until stopped. Deterministic poison spacing: event n is poison
 * when floor((n+1)·f) > floor(n·f), so a fraction f gives exactly round-down(N·f) poison events.
 */
export function startTraffic(sb: Sandbox, topology: Topology, spec: TrafficSpec) {
  const marker = poisonMarkerFor(topology, spec.nodeId);
  const type = eventTypeFor(topology, spec.nodeId);
  if (!topology.nodes.some((n) => n.id === spec.nodeId)) throw new Error(`traffic: no node "${spec.nodeId}" in the topology`);
  let sent = 0;
  let poison = 0;
  let failed = 0;
  let owed = 0;
  const inflight = new Set<Promise<void>>();
  const t0 = Date.now();
  const sendUpTo = (due: number) => {
    owed = Math.floor(due) - sent;
    for (let i = 0; i < owed; i++) {
      const n = sent++;
      const isPoison = Math.floor((n + 1) * spec.poisonFraction) > Math.floor(n * spec.poisonFraction);
      if (isPoison) poison++;
      const body = JSON.stringify({ ...(type ? { type } : {}), seq: n, at: Date.now(), ...(isPoison ? { poison: marker } : {}) });
      const p: Promise<void> = sb
        .send(spec.nodeId, body)
        .catch(() => {
          failed++;
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
  };
  const tick = () => sendUpTo(Math.min(((Date.now() - t0) / 1000) * spec.perSecond, spec.total ?? Infinity));
  const timer = setInterval(tick, 100);
  return {
    stats: () => ({ nodeId: spec.nodeId, sent, poison, failed }),
    async stop() {
      clearInterval(timer);
      await Promise.all([...inflight]);
    },
    /** Ends a run of known length: sends what is still owed up to `spec.total`, then stops. */
    async complete() {
      clearInterval(timer);
      if (spec.total !== undefined) sendUpTo(spec.total);
      await Promise.all([...inflight]);
    },
  };
}
