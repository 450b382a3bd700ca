/**
 * Runs fuzz slices in worker threads with a watchdog: the worker publishes the index it is on in
 * shared memory; one stuck on the same input for `hangMs` is ended, the input is reported as a
 * hang, and the slice resumes after it. Used by scripts/fuzz.ts and the fuzz test (so a hang
 * fails the test instead of stalling the suite).
 */
import { Worker } from "node:worker_threads";
import { emptyResult, generateInput, mergeResults, type Failure, type TargetResult } from "./run";
import type { TargetName } from "./targets";

// Workers start plain; this loads tsx in the worker, then the TypeScript worker module.
const BOOT = `(async () => {
  const { register } = await import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))});
  register();
  await import(${JSON.stringify(new URL("./worker.ts", import.meta.url).href)});
})().catch((e) => { console.error(e); process.exit(70); });`;

/** Runs [from, to) of a target in a worker; a worker stuck on one input is ended and the run resumes after it. */
export async function runSlice(target: TargetName, seed: number, from: number, to: number, opts: { timeLimitMs?: number; hangMs?: number } = {}): Promise<TargetResult> {
  const timeLimitMs = opts.timeLimitMs ?? 2_000;
  let result = emptyResult(target, seed);
  let start = from;
  const hangMs = opts.hangMs ?? Math.max(10_000, timeLimitMs * 10);
  while (start < to) {
    const progress = new SharedArrayBuffer(4);
    const cell = new Int32Array(progress);
    Atomics.store(cell, 0, start);
    const worker = new Worker(BOOT, { eval: true, workerData: { target, seed, from: start, to, timeLimitMs, progress } });
    const outcome = await new Promise<{ done: TargetResult } | { hung: number } | { crashed: string }>((resolve) => {
      let last = -1;
      let since = Date.now();
      const timer = setInterval(() => {
        const now = Atomics.load(cell, 0);
        if (now !== last) {
          last = now;
          since = Date.now();
        } else if (Date.now() - since > hangMs) {
          clearInterval(timer);
          void worker.terminate();
          resolve({ hung: now });
        }
      }, 250);
      worker.once("message", (r: TargetResult) => (clearInterval(timer), resolve({ done: r })));
      worker.once("error", (e) => (clearInterval(timer), resolve({ crashed: String(e?.stack ?? e) })));
      worker.once("exit", (code) => (clearInterval(timer), resolve({ crashed: `worker exited with code ${code}` })));
    });
    if ("done" in outcome) {
      result = mergeResults(result, outcome.done);
      break;
    }
    const at = "hung" in outcome ? outcome.hung : Atomics.load(cell, 0);
    if ("crashed" in outcome && at === start && /exited with code 70|ERR_/.test(outcome.crashed)) {
      // The worker could not start at all: one failure, not one per input.
      result.failures.push({ target, seed, index: -1, shape: "?", kind: "exception", message: `fuzz worker failed to start: ${outcome.crashed.slice(0, 300)}` });
      break;
    }
    const f: Failure = { target, seed, index: at, shape: generateInput(target, seed, at).shape, kind: "hang", message: "hung" in outcome ? `no progress for ${hangMs} ms; the worker was ended` : `the worker died: ${outcome.crashed.slice(0, 300)}` };
    result.failures.push(f);
    // Inputs before `at` ran (their outcomes went down with the worker); `at` is the culprit.
    result.inputs += at - start + 1;
    start = at + 1;
  }
  return result;
}

