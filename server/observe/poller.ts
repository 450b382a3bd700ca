/**
 * Coalescing pollers: one per (environment, resource, signal), shared by every viewer, alive until `ttlMs`
 * after the last viewer asked. Throttling backs off exponentially (up to `maxBackoffMs`); a failed read keeps
 * the last good data and says why (freshness). Never more upstream calls because more people are watching.
 *
 * Across server instances: a lease row in `PollerLease` (key, holder, expiresAt) lets one instance poll a
 * resource; it writes each result to `ObserveSample`, and the other instances read that row instead of calling
 * AWS. The lease is taken atomically (insert, or an UPDATE … WHERE holder = me OR expiresAt < now) and renewed on
 * every tick; when the holder goes away its lease expires and another instance takes over, continuing from the
 * shared state.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { classifyAwsError, type Problem } from "./aws-errors";
import type { Freshness } from "./types";

export interface PollSpec<T> {
  /** `${environmentId}|${resource}|${signal}` */
  key: string;
  intervalMs: number;
  /** IAM action of the upstream call, for access-denied messages. */
  action: string;
  resource?: string;
  /** The upstream read; gets the previous data (incremental readers continue from it). */
  fetch(prev: T | undefined): Promise<T>;
  /**
   * Share through the database across instances (lease + ObserveSample). Default true; false for resources only
   * this instance can reach (the local sandbox runs inside one server process).
   */
  shared?: boolean;
}

export interface PollResult<T> {
  data: T | undefined;
  freshness: Freshness;
}

interface PollerState<T> {
  spec: PollSpec<T>;
  data: T | undefined;
  readAt: number | null;
  problem: Problem | null;
  lastViewer: number;
  backoffMs: number;
  timer: NodeJS.Timeout | null;
  first: Promise<void>;
  resolveFirst: () => void;
  done: boolean;
  holder: boolean;
  /** readAt of the sample last read from the database, to skip unchanged payloads. */
  sampleReadAt: number | null;
  sampleError: string | null;
  stopped: boolean;
}

export interface HubOptions {
  instanceId?: string;
  ttlMs?: number;
  /** Minimum lease; each lease lasts max(this, 3 × interval). */
  leaseMs?: number;
  maxBackoffMs?: number;
  /** How long a first request waits for the first read. */
  firstWaitMs?: number;
  /** Counts upstream reads (the fan-out bench and tests). */
  onUpstream?: (key: string) => void;
}

export class PollerHub {
  readonly instanceId: string;
  private pollers = new Map<string, PollerState<any>>();
  private opts: Required<Omit<HubOptions, "onUpstream" | "instanceId">> & Pick<HubOptions, "onUpstream">;
  upstreamCalls = 0;

  constructor(
    private readonly db: Db | null,
    opts: HubOptions = {},
  ) {
    this.instanceId = opts.instanceId ?? `${process.pid}-${randomBytes(4).toString("hex")}`;
    this.opts = { ttlMs: opts.ttlMs ?? 60_000, leaseMs: opts.leaseMs ?? 5_000, maxBackoffMs: opts.maxBackoffMs ?? 60_000, firstWaitMs: opts.firstWaitMs ?? 5_000, onUpstream: opts.onUpstream };
  }

  /** The latest data of a poller (starting it if needed) and its freshness; waits for a first read. */
  async get<T>(spec: PollSpec<T>): Promise<PollResult<T>> {
    let p = this.pollers.get(spec.key) as PollerState<T> | undefined;
    const now = Date.now();
    if (!p) {
      let resolveFirst!: () => void;
      const first = new Promise<void>((r) => (resolveFirst = r));
      p = { spec, data: undefined, readAt: null, problem: null, lastViewer: now, backoffMs: 0, timer: null, first, resolveFirst, done: false, holder: false, sampleReadAt: null, sampleError: null, stopped: false };
      this.pollers.set(spec.key, p);
      void this.tick(p);
    }
    p.spec = spec; // fresh clients and bindings
    p.lastViewer = now;
    if (!p.done) {
      // A referenced timer: a caller waiting for the first read keeps the process alive until it arrives.
      let t: NodeJS.Timeout | undefined;
      await Promise.race([p.first, new Promise((r) => (t = setTimeout(r, this.opts.firstWaitMs)))]);
      clearTimeout(t);
    }
    return { data: p.data, freshness: this.freshness(p) };
  }

  /** Pollers alive on this instance (for tests and diagnostics). */
  keys(): string[] {
    return [...this.pollers.keys()];
  }

  private freshness<T>(p: PollerState<T>): Freshness {
    const readAt = p.readAt === null ? null : new Date(p.readAt).toISOString();
    if (p.problem) return { readAt, state: "failing", problem: problemOut(p.problem) };
    if (p.readAt === null) return { readAt: null, state: "never" };
    const age = Date.now() - p.readAt;
    const limit = 3 * p.spec.intervalMs + p.backoffMs + 1_000;
    return { readAt, state: age > limit ? "stale" : "fresh" };
  }

  private leaseMs(p: PollerState<any>) {
    return Math.max(this.opts.leaseMs, 3 * p.spec.intervalMs + p.backoffMs);
  }

  private async tick<T>(p: PollerState<T>): Promise<void> {
    p.timer = null;
    if (p.stopped) return;
    const started = Date.now();
    if (Date.now() - p.lastViewer > this.opts.ttlMs) return this.retire(p);
    try {
      const shared = !!this.db && p.spec.shared !== false;
      const holder = shared ? await this.acquire(p) : true;
      p.holder = holder;
      if (holder) await this.pollUpstream(p);
      else await this.readShared(p);
    } catch (e) {
      // Database trouble: keep the last data, say so, try again next tick.
      p.problem = { kind: "error", code: "TOPO-E129", message: `the observe store could not be read: ${(e as Error).message}` };
    } finally {
      if (!p.done) {
        p.done = p.readAt !== null || p.problem !== null;
        if (p.done) p.resolveFirst();
      }
    }
    if (p.stopped) return;
    // A steady cadence: the time the tick took (database, upstream) comes off the wait.
    const delay = Math.max(10, p.spec.intervalMs + (p.holder ? p.backoffMs : 0) - (Date.now() - started));
    p.timer = setTimeout(() => void this.tick(p), delay);
    p.timer.unref?.();
  }

  private async pollUpstream<T>(p: PollerState<T>): Promise<void> {
    this.upstreamCalls++;
    this.opts.onUpstream?.(p.spec.key);
    try {
      const data = await p.spec.fetch(p.data);
      p.data = data;
      p.readAt = Date.now();
      p.problem = null;
      p.backoffMs = 0;
      if (this.db && p.spec.shared !== false) await this.writeSample(p.spec.key, JSON.stringify(data), p.readAt, null);
    } catch (e) {
      const problem = (e as { problem?: Problem }).problem ?? classifyAwsError(e, p.spec.action, p.spec.resource);
      p.problem = problem;
      if (problem.kind === "throttled") p.backoffMs = Math.min(this.opts.maxBackoffMs, Math.max(p.spec.intervalMs, p.backoffMs * 2));
      else if (problem.kind === "access-denied" || problem.kind === "not-found") p.backoffMs = Math.min(this.opts.maxBackoffMs, Math.max(5_000, p.backoffMs * 2));
      else p.backoffMs = Math.min(this.opts.maxBackoffMs, Math.max(1_000, p.backoffMs * 2));
      if (this.db && p.spec.shared !== false) await this.writeSample(p.spec.key, null, p.readAt, JSON.stringify(problem));
    }
  }

  private async readShared<T>(p: PollerState<T>): Promise<void> {
    const row = await this.db!.observeSample.findUnique({ where: { key: p.spec.key } });
    if (!row) return;
    const readAt = row.readAt.getTime();
    if (row.payload !== "null" && readAt !== p.sampleReadAt) {
      p.data = JSON.parse(row.payload) as T;
      p.readAt = readAt;
      p.sampleReadAt = readAt;
    }
    p.problem = row.error ? (JSON.parse(row.error) as Problem) : null;
  }

  private async writeSample(key: string, payload: string | null, readAt: number | null, error: string | null): Promise<void> {
    const db = this.db!;
    if (payload !== null) {
      await db.observeSample.upsert({
        where: { key },
        create: { key, payload, readAt: new Date(readAt!), error: null },
        update: { payload, readAt: new Date(readAt!), error: null },
      });
    } else {
      // A failure keeps the last good payload and readAt.
      const n = await db.observeSample.updateMany({ where: { key }, data: { error } });
      if (n.count === 0) {
        try {
          await db.observeSample.create({ data: { key, payload: "null", readAt: new Date(0), error } });
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
        }
      }
    }
  }

  /** Takes or renews the lease; true when this instance should poll. */
  private async acquire(p: PollerState<any>): Promise<boolean> {
    const db = this.db!;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.leaseMs(p));
    const key = p.spec.key;
    const n = await db.pollerLease.updateMany({
      where: { key, OR: [{ holder: this.instanceId }, { expiresAt: { lt: now } }] },
      data: { holder: this.instanceId, expiresAt },
    });
    if (n.count === 1) return true;
    try {
      await db.pollerLease.create({ data: { key, holder: this.instanceId, expiresAt } });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  private async retire(p: PollerState<any>): Promise<void> {
    p.stopped = true;
    this.pollers.delete(p.spec.key);
    if (p.timer) clearTimeout(p.timer);
    if (this.db && p.holder) await this.db.pollerLease.deleteMany({ where: { key: p.spec.key, holder: this.instanceId } }).catch(() => {});
  }

  /** Stops every poller and gives up this instance's leases. */
  async stop(): Promise<void> {
    const all = [...this.pollers.values()];
    for (const p of all) {
      p.stopped = true;
      if (p.timer) clearTimeout(p.timer);
      p.resolveFirst();
    }
    this.pollers.clear();
    if (this.db) await this.db.pollerLease.deleteMany({ where: { holder: this.instanceId } }).catch(() => {});
  }
}

function problemOut(p: Problem): NonNullable<Freshness["problem"]> {
  return { kind: p.kind, code: p.code, message: p.message, ...(p.fix ? { fix: p.fix } : {}), ...(p.missingAction ? { missingAction: p.missingAction } : {}) };
}

/** A problem raised on purpose by a collector (nothing bound, no metrics source, …). */
export function problemThrow(kind: Problem["kind"], message: string, code: Problem["code"] = "TOPO-E128", fix?: string): never {
  throw Object.assign(new Error(message), { problem: { kind, code, message, ...(fix ? { fix } : {}) } satisfies Problem });
}

const g = globalThis as unknown as { __topographPollerHub?: PollerHub };

/** The process-wide hub (API routes); shares pollers across requests of this instance and leases across instances. */
export function getPollerHub(db: Db): PollerHub {
  g.__topographPollerHub ??= new PollerHub(db, { instanceId: process.env.TOPO_INSTANCE_ID || undefined });
  return g.__topographPollerHub;
}
