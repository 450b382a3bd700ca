/**
 * Execution environments of one function. A function with `inlineSource` gets one worker thread per environment
 * (worker-env.ts: real isolation, console lines captured, a timeout terminates the worker); the default simulated
 * handler runs in process (an environment is then a slot with its own state and log stream).
 *
 * - Cold start: a new environment runs the init phase (simulate.initMs, plus importing `inlineSource` if any),
 *   measured and reported as `Init Duration` on its first REPORT. A new environment is made on first use, when
 *   every existing one is busy (concurrency grows), and when the idle ones have been idle longer than the TTL.
 * - Warm reuse: the most recently used idle environment is taken (as Lambda does).
 * - Reserved concurrency: an invocation beyond it is throttled (status "throttled", error kind "Throttled"),
 *   counted, and writes no log lines (as in Lambda). 0 throttles every invocation.
 * - Timeout: the handler races `timeoutSeconds`; on timeout the REPORT says `Status: timeout` and the
 *   environment is discarded (the next invocation is a cold start); a worker is terminated, an in-process default
 *   handler's late result is ignored.
 * - Every invocation writes START / END / REPORT (Text) or platform.start / platform.report (JSON) to
 *   `/aws/lambda/<function name>` (or the model's logGroupName), stream `YYYY/MM/DD/[$LATEST]<env id>`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { SimulationSchema, type FunctionNode } from "../../model/schema";
import type { LogStore } from "../logs/store";
import { OutOfMemoryError, WorkerEnv, type WorkerLogLine } from "./worker-env";
import { formatEndText, formatReportJson, formatReportText, formatStartJson, formatStartText, round2, type ReportStatus } from "../report";

export type InvokeStatus = "success" | "error" | "timeout" | "throttled";

export interface InvokeResult {
  requestId: string;
  status: InvokeStatus;
  coldStart: boolean;
  durationMs: number;
  initDurationMs?: number;
  /** The handler's return value (success only). */
  response?: unknown;
  errorType?: string;
  errorMessage?: string;
  /** When the REPORT line was written (ms since epoch, fractional). */
  reportedAt?: number;
}

export interface FunctionStats {
  invocations: number;
  coldStarts: number;
  errors: number;
  throttles: number;
  timeouts: number;
}

export interface InvokeOptions {
  /** The trigger has reportBatchItemFailures: the default handler names failed records instead of throwing. */
  partialBatch?: boolean;
}

export interface RuntimeOptions {
  logs: LogStore;
  /** An idle environment older than this is retired (default 5 minutes). */
  idleTtlMs?: number;
  /** Seed of the default handler's failure PRNG (default 1). */
  seed?: number;
  /** Called after each REPORT is written. */
  onReport?: (fn: FunctionNode, r: InvokeResult, event: unknown) => void;
  /**
   * The function's outgoing calls and produce edges, run inside the invocation after the handler returned
   * (a sync call's time counts in the caller's duration; a failure fails the caller).
   */
  downstream?: (event: unknown, response: unknown) => Promise<void>;
}

type Handler = (event: unknown, context: Record<string, unknown>, opts: InvokeOptions, logs: WorkerLogLine[], remainingMs: number) => Promise<unknown>;

interface Env {
  id: string;
  stream: string;
  handler: Handler;
  lastUsed: number;
  fresh: boolean;
  initDurationMs: number;
  /** Frees the environment (terminates its worker thread). */
  dispose?: () => void;
}

/** Error type written for an exception thrown by a handler (a sandbox convention; AWS's runtimes vary). */
export const HANDLER_ERROR_TYPE = "Function.Unhandled";
/** Max Memory Used is simulated: a typical Node.js baseline, capped by the configured memory. */
export const SIMULATED_MEMORY_MB = 64;
/** Error type of an inline handler that outgrew memoryMb (its worker's heap limit). */
export const OUT_OF_MEMORY_ERROR_TYPE = "Runtime.OutOfMemory";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** mulberry32: small, fast, seeded PRNG for reproducible failure rates. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class FunctionRuntime {
  readonly stats: FunctionStats = { invocations: 0, coldStarts: 0, errors: 0, throttles: 0, timeouts: 0 };
  readonly logGroupName: string;
  private idle: Env[] = [];
  private all = new Set<Env>();
  private inflight = 0;
  private envCount = 0;
  private readonly sim;
  private readonly rng: () => number;
  private readonly idleTtlMs: number;

  constructor(
    readonly fn: FunctionNode,
    private readonly opts: RuntimeOptions,
  ) {
    this.sim = SimulationSchema.parse(fn.simulate ?? {});
    this.rng = seededRandom((opts.seed ?? 1) ^ hash(fn.id));
    this.idleTtlMs = opts.idleTtlMs ?? 5 * 60_000;
    this.logGroupName = fn.logGroupName ?? `/aws/lambda/${fn.name}`;
  }

  /** Invocations running now. */
  get concurrency() {
    return this.inflight;
  }

  /** Environments alive (idle or busy). */
  get environments() {
    return this.envCount;
  }

  async invoke(event: unknown, invokeOpts: InvokeOptions = {}): Promise<InvokeResult> {
    const reserved = this.fn.reservedConcurrency;
    if (reserved !== undefined && this.inflight >= reserved) {
      this.stats.throttles++;
      return { requestId: randomUUID(), status: "throttled", coldStart: false, durationMs: 0, errorType: "Throttled", errorMessage: "Rate Exceeded." };
    }
    this.inflight++;
    try {
      return await this.run(event, invokeOpts);
    } finally {
      this.inflight--;
    }
  }

  private async run(event: unknown, invokeOpts: InvokeOptions): Promise<InvokeResult> {
    const env = await this.acquire();
    const coldStart = env.fresh;
    env.fresh = false;
    const requestId = randomUUID();
    const startWall = Date.now();
    const t0 = performance.now();
    const deadline = t0 + this.fn.timeoutSeconds * 1000;
    const context = {
      awsRequestId: requestId,
      functionName: this.fn.name,
      functionVersion: "$LATEST",
      memoryLimitInMB: String(this.fn.memoryMb),
      invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${this.fn.name}`,
      logGroupName: this.logGroupName,
      logStreamName: env.stream,
      getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - performance.now())),
    };
    let status: InvokeStatus = "success";
    let response: unknown;
    let errorType: string | undefined;
    let errorMessage: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    let outOfMemory = false;
    const appLogs: WorkerLogLine[] = [];
    const downstream = this.opts.downstream;
    try {
      response = await Promise.race([
        downstream
          ? env.handler(event, context, invokeOpts, appLogs, this.fn.timeoutSeconds * 1000).then(async (r) => {
              await downstream(event, r);
              return r;
            })
          : env.handler(event, context, invokeOpts, appLogs, this.fn.timeoutSeconds * 1000),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new TimeoutSignal()), this.fn.timeoutSeconds * 1000);
        }),
      ]);
    } catch (e) {
      if (e instanceof TimeoutSignal) status = "timeout";
      else if (e instanceof OutOfMemoryError) {
        status = "error";
        outOfMemory = true;
        errorType = OUT_OF_MEMORY_ERROR_TYPE;
        errorMessage = "Runtime exited with error: out of memory";
      } else {
        status = "error";
        errorType = HANDLER_ERROR_TYPE;
        errorMessage = e instanceof Error ? e.message : String(e);
      }
    } finally {
      clearTimeout(timer);
    }
    const durationMs = round2(performance.now() - t0);
    const endWall = Math.max(startWall, Date.now());
    const initDurationMs = coldStart ? round2(env.initDurationMs) : undefined;

    this.stats.invocations++;
    if (coldStart) this.stats.coldStarts++;
    if (status === "error" || status === "timeout") this.stats.errors++;
    if (status === "timeout") this.stats.timeouts++;

    this.writeLogs(env, { requestId, startWall, endWall, durationMs, initDurationMs, status, errorType, errorMessage, appLogs, outOfMemory });

    if (status === "timeout" || outOfMemory) this.discard(env); // the next invocation re-initialises
    else {
      env.lastUsed = Date.now();
      this.idle.push(env);
    }
    const result: InvokeResult = { requestId, status, coldStart, durationMs, initDurationMs, response, errorType, errorMessage, reportedAt: performance.timeOrigin + performance.now() };
    if (status !== "success") delete result.response;
    this.opts.onReport?.(this.fn, result, event);
    return result;
  }

  private writeLogs(
    env: Env,
    r: { requestId: string; startWall: number; endWall: number; durationMs: number; initDurationMs?: number; status: InvokeStatus; errorType?: string; errorMessage?: string; appLogs: WorkerLogLine[]; outOfMemory?: boolean },
  ) {
    // An out-of-memory death used all of it (Max Memory Used = Memory Size, as Lambda reports).
    const memory = { memorySizeMb: this.fn.memoryMb, maxMemoryUsedMb: r.outOfMemory ? this.fn.memoryMb : Math.min(this.fn.memoryMb, SIMULATED_MEMORY_MB) };
    const report = { requestId: r.requestId, durationMs: r.durationMs, ...memory, initDurationMs: r.initDurationMs, status: r.status as ReportStatus, errorType: r.errorType };
    const events: { timestamp: number; message: string }[] = [];
    if (this.fn.logFormat === "JSON") {
      events.push({ timestamp: r.startWall, message: formatStartJson(r.requestId, new Date(r.startWall)) });
      for (const l of r.appLogs)
        events.push({ timestamp: clamp(l.timestamp, r.startWall, r.endWall), message: JSON.stringify({ timestamp: new Date(l.timestamp).toISOString(), level: l.level, requestId: r.requestId, message: l.message }) });
      if (r.status === "error")
        events.push({
          timestamp: r.endWall,
          message: JSON.stringify({ timestamp: new Date(r.endWall).toISOString(), level: "ERROR", requestId: r.requestId, message: { errorType: "Error", errorMessage: r.errorMessage } }),
        });
      events.push({ timestamp: r.endWall, message: formatReportJson(report, new Date(r.endWall)) });
    } else {
      events.push({ timestamp: r.startWall, message: formatStartText(r.requestId) });
      for (const l of r.appLogs)
        events.push({ timestamp: clamp(l.timestamp, r.startWall, r.endWall), message: `${new Date(l.timestamp).toISOString()}\t${r.requestId}\t${l.level}\t${l.message}` });
      if (r.status === "error")
        events.push({
          timestamp: r.endWall,
          message: `${new Date(r.endWall).toISOString()}\t${r.requestId}\tERROR\tInvoke Error \t${JSON.stringify({ errorType: "Error", errorMessage: r.errorMessage })}`,
        });
      events.push({ timestamp: r.endWall, message: formatEndText(r.requestId) });
      events.push({ timestamp: r.endWall, message: formatReportText(report) });
    }
    this.opts.logs.putLogEvents(this.logGroupName, env.stream, events);
  }

  /** The most recently used idle environment still within the TTL, or a new one (cold start). */
  private async acquire(): Promise<Env> {
    const now = Date.now();
    const alive = this.idle.filter((e) => now - e.lastUsed <= this.idleTtlMs);
    for (const e of this.idle) if (!alive.includes(e)) this.discard(e); // retired after the idle TTL
    this.idle = alive;
    return this.idle.pop() ?? this.createEnv();
  }

  private async createEnv(): Promise<Env> {
    this.envCount++;
    const id = randomBytes(16).toString("hex");
    const d = new Date();
    const stream = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}/[$LATEST]${id}`;
    this.opts.logs.ensureStream(this.logGroupName, stream);
    const t0 = performance.now();
    let handler: Handler;
    let dispose: (() => void) | undefined;
    try {
      if (this.fn.inlineSource) {
        const w = await WorkerEnv.start(this.fn.inlineSource, this.fn.memoryMb);
        dispose = () => void w.terminate();
        handler = (event, context, _opts, logs, remainingMs) => w.invoke(event, context, remainingMs, logs);
      } else handler = this.defaultHandler();
      if (this.sim.initMs > 0) await sleep(this.sim.initMs);
    } catch (e) {
      this.envCount--;
      dispose?.();
      throw e;
    }
    const env: Env = { id, stream, handler, lastUsed: Date.now(), fresh: true, initDurationMs: performance.now() - t0, dispose };
    this.all.add(env);
    return env;
  }

  private discard(env: Env) {
    if (this.all.delete(env)) this.envCount--;
    env.dispose?.();
  }

  /** Frees every environment (worker threads). The runtime still works afterwards (new cold starts). */
  close() {
    for (const env of [...this.all]) this.discard(env);
    this.idle = [];
  }

  /** The default handler: waits latencyMs; fails on poisonMarker or with failureRate (seeded). */
  private defaultHandler(): Handler {
    const sim = this.sim;
    const rng = this.rng;
    const fails = (payload: unknown) => {
      if (sim.poisonMarker) {
        // Kinesis record data and Kafka record values are base64: look at the decoded payloads too.
        const data = (payload as { kinesis?: { data?: unknown } } | null)?.kinesis?.data;
        let text = JSON.stringify(payload ?? null) + (typeof data === "string" ? Buffer.from(data, "base64").toString("utf8") : "");
        const kafka = (payload as { records?: Record<string, { value?: unknown }[]> } | null)?.records;
        if (kafka && typeof kafka === "object")
          for (const list of Object.values(kafka)) for (const r of Array.isArray(list) ? list : []) if (typeof r.value === "string") text += Buffer.from(r.value, "base64").toString("utf8");
        if (text.includes(sim.poisonMarker)) return true;
      }
      return sim.failureRate > 0 && rng() < sim.failureRate;
    };
    return async (event, _context, opts) => {
      if (sim.latencyMs > 0) await sleep(sim.latencyMs);
      const records = (event as { Records?: unknown[] } | null)?.Records;
      if (Array.isArray(records)) {
        const failed = records.filter(fails);
        if (opts.partialBatch) {
          return {
            batchItemFailures: failed.map((r) => {
              const rec = r as { messageId?: string; kinesis?: { sequenceNumber?: string }; dynamodb?: { SequenceNumber?: string } };
              return { itemIdentifier: rec.messageId ?? rec.kinesis?.sequenceNumber ?? rec.dynamodb?.SequenceNumber ?? "" };
            }),
          };
        }
        if (failed.length) throw new Error(`simulated failure: ${failed.length} of ${records.length} records failed`);
        return { ok: true, records: records.length };
      }
      if (fails(event)) throw new Error("simulated failure");
      return { ok: true };
    };
  }
}

class TimeoutSignal extends Error {}

function clamp(x: number, lo: number, hi: number) {
  return Math.min(hi, Math.max(lo, x));
}
