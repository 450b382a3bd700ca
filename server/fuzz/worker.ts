/**
 * A fuzz worker thread: runs inputs [from, to) of one target and posts its TargetResult. The
 * index being run is kept in shared memory so the parent can tell a hang from slow progress.
 */
import { parentPort, workerData } from "node:worker_threads";
import { fuzzRange } from "./run";
import type { TargetName } from "./targets";

const { target, seed, from, to, timeLimitMs, progress } = workerData as { target: TargetName; seed: number; from: number; to: number; timeLimitMs: number; progress: SharedArrayBuffer };
const rejections: string[] = [];
process.on("unhandledRejection", (e) => rejections.push(String((e as Error)?.stack ?? e).slice(0, 500)));
const result = fuzzRange(target, seed, from, to, { timeLimitMs, progress: new Int32Array(progress) });
// Let any promise a target left behind settle before reporting.
await new Promise((r) => setTimeout(r, 20));
for (const r of rejections) result.failures.push({ target, seed, index: -1, shape: "?", kind: "exception", message: `unhandled rejection: ${r}` });
parentPort!.postMessage(result);
