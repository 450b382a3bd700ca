/**
 * An execution environment for an `inlineSource` handler in its own worker thread: the module is imported in the
 * worker (the init phase), each invocation is a message round trip, `console.*` inside the handler is captured and
 * written to the function's log stream in Lambda's Node.js format (`<time>\t<requestId>\tINFO\t<message>`), and a
 * timeout terminates the worker for real.
 */
import { Worker } from "node:worker_threads";

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const util = require("node:util");
let current;
for (const [name, level] of [["log", "INFO"], ["info", "INFO"], ["warn", "WARN"], ["error", "ERROR"], ["debug", "DEBUG"]]) {
  console[name] = (...args) => parentPort.postMessage({ type: "log", id: current, level, message: util.format(...args) });
}
(async () => {
  let handler;
  try {
    const mod = await import(workerData.url);
    handler = mod.handler ?? mod.default?.handler;
    if (typeof handler !== "function") throw new Error("inlineSource must export a function \`handler(event, context)\`");
    parentPort.postMessage({ type: "ready" });
  } catch (e) {
    parentPort.postMessage({ type: "init-error", message: String(e && e.message || e) });
    return;
  }
  parentPort.on("message", async (m) => {
    current = m.id;
    const deadline = Date.now() + m.remainingMs;
    const context = { ...m.context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
    try {
      const result = await handler(m.event, context);
      parentPort.postMessage({ type: "result", id: m.id, ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) });
    } catch (e) {
      parentPort.postMessage({ type: "result", id: m.id, ok: false, name: e && e.name || "Error", message: String(e && e.message || e) });
    }
  });
})();
`;

/** The worker hit its heap limit (the function's memoryMb): reported as Runtime.OutOfMemory. */
export class OutOfMemoryError extends Error {
  override name = "OutOfMemoryError";
}

export interface WorkerLogLine {
  level: string;
  message: string;
  timestamp: number;
}

export class WorkerEnv {
  private worker: Worker;
  private pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; logs: WorkerLogLine[] }>();
  private seq = 0;

  private constructor(source: string, memoryMb?: number) {
    const url = "data:text/javascript;base64," + Buffer.from(source).toString("base64");
    // The function's memory is the worker's heap limit: a handler that outgrows it dies as in Lambda.
    const resourceLimits = memoryMb ? { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(4, Math.min(32, Math.floor(memoryMb / 8))) } : undefined;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { url }, resourceLimits });
    this.worker.unref();
  }

  /** Starts a worker and imports the handler module; resolves when it is ready (the init phase). */
  static async start(source: string, memoryMb?: number): Promise<WorkerEnv> {
    const env = new WorkerEnv(source, memoryMb);
    await new Promise<void>((resolve, reject) => {
      const onMsg = (m: { type: string; message?: string }) => {
        if (m.type === "ready") {
          env.worker.off("message", onMsg);
          resolve();
        } else if (m.type === "init-error") {
          env.worker.off("message", onMsg);
          void env.worker.terminate();
          reject(new Error(m.message));
        }
      };
      env.worker.on("message", onMsg);
      env.worker.once("error", reject);
    });
    env.worker.on("message", (m: { type: string; id?: string; ok?: boolean; result?: unknown; name?: string; message?: string; level?: string }) => {
      const p = m.id ? env.pending.get(m.id) : undefined;
      if (!p) return;
      if (m.type === "log") p.logs.push({ level: m.level ?? "INFO", message: m.message ?? "", timestamp: Date.now() });
      else if (m.type === "result") {
        env.pending.delete(m.id!);
        if (m.ok) p.resolve(m.result);
        else {
          const e = new Error(m.message);
          e.name = m.name ?? "Error";
          p.reject(e);
        }
      }
    });
    env.worker.on("error", (e: Error & { code?: string }) => {
      const err = e.code === "ERR_WORKER_OUT_OF_MEMORY" ? new OutOfMemoryError(e.message) : e;
      for (const p of env.pending.values()) p.reject(err);
      env.pending.clear();
    });
    // Attaching 'message' listeners refs the worker again: an idle environment must not keep the process alive.
    env.worker.unref();
    return env;
  }

  /** Runs one invocation; `logs` receives the handler's console lines. */
  invoke(event: unknown, context: Record<string, unknown>, remainingMs: number, logs: WorkerLogLine[]): Promise<unknown> {
    const id = String(++this.seq);
    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(context)) if (typeof v !== "function") plain[k] = v;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, logs });
      this.worker.postMessage({ id, event, context: plain, remainingMs });
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}
