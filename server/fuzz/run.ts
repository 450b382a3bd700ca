/**
 * The fuzz loop for one target over a range of input indexes: generate input i from its own seed,
 * run it, time it, classify the outcome. Synchronous, so a hang cannot be interrupted here: the
 * worker (worker.ts) publishes the index it is on, and scripts/fuzz.ts ends a worker stuck on one.
 */
import { inputSeed, Rng } from "./rng";
import { InvariantError, TARGETS, type FuzzInput, type TargetName } from "./targets";

export interface Failure {
  target: TargetName;
  seed: number;
  index: number;
  shape: string;
  kind: "exception" | "invariant" | "slow" | "hang" | "prototype";
  message: string;
  /** First lines of the stack, for exceptions. */
  stack?: string;
  ms?: number;
}

export interface SlowInput {
  index: number;
  shape: string;
  ms: number;
  bytes: number;
}

export interface TargetResult {
  target: TargetName;
  seed: number;
  inputs: number;
  ok: number;
  refused: Record<string, number>;
  shapes: Record<string, number>;
  failures: Failure[];
  slowest: SlowInput[];
  ms: number;
}

export function generateInput(target: TargetName, seed: number, index: number): FuzzInput {
  return TARGETS[target].generate(new Rng(inputSeed(seed, target, index)));
}

export function sizeOf(input: FuzzInput): number {
  const v = input.value;
  if (typeof v === "string") return v.length;
  if (v instanceof Uint8Array) return v.length;
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return 0;
  }
}

export function emptyResult(target: TargetName, seed: number): TargetResult {
  return { target, seed, inputs: 0, ok: 0, refused: {}, shapes: {}, failures: [], slowest: [], ms: 0 };
}

/**
 * Runs inputs [from, to) of `target`. `progress[0]` is set to the index being run (for a watchdog).
 * @example fuzzRange("report", 1, 0, 1000).failures // []
 */
export function fuzzRange(target: TargetName, seed: number, from: number, to: number, opts: { timeLimitMs?: number; progress?: Int32Array; into?: TargetResult } = {}): TargetResult {
  const result = opts.into ?? emptyResult(target, seed);
  const limit = opts.timeLimitMs ?? 2_000;
  const t = TARGETS[target];
  const started = performance.now();
  for (let i = from; i < to; i++) {
    if (opts.progress) Atomics.store(opts.progress, 0, i);
    let input: FuzzInput;
    try {
      input = generateInput(target, seed, i);
    } catch (e) {
      // A generator bug is ours, not the target's; still report it so it gets fixed.
      result.failures.push({ target, seed, index: i, shape: "generator", kind: "exception", message: `generator: ${(e as Error).message}` });
      continue;
    }
    result.inputs++;
    result.shapes[input.shape] = (result.shapes[input.shape] ?? 0) + 1;
    const t0 = performance.now();
    try {
      const out = t.run(input);
      if (out.kind === "ok") result.ok++;
      else result.refused[out.code] = (result.refused[out.code] ?? 0) + 1;
    } catch (e) {
      const invariant = e instanceof InvariantError;
      result.failures.push({
        target,
        seed,
        index: i,
        shape: input.shape,
        kind: invariant ? "invariant" : "exception",
        message: `${(e as Error)?.name ?? "Error"}: ${(e as Error)?.message ?? String(e)}`.slice(0, 500),
        stack: invariant ? undefined : String((e as Error)?.stack ?? "").split("\n").slice(1, 6).join("\n"),
      });
    }
    const ms = performance.now() - t0;
    if (ms > limit) result.failures.push({ target, seed, index: i, shape: input.shape, kind: "slow", message: `took ${ms.toFixed(0)} ms (limit ${limit} ms)`, ms });
    keepSlowest(result.slowest, { index: i, shape: input.shape, ms, bytes: sizeOf(input) });
    // eslint-disable-next-line no-unreachable-loop
    for (const k in {}) {
      result.failures.push({ target, seed, index: i, shape: input.shape, kind: "prototype", message: `Object.prototype gained "${k}"` });
      delete (Object.prototype as Record<string, unknown>)[k];
    }
  }
  result.ms += performance.now() - started;
  return result;
}

function keepSlowest(list: SlowInput[], s: SlowInput, n = 5) {
  if (list.length < n || s.ms > list[list.length - 1].ms) {
    list.push(s);
    list.sort((a, b) => b.ms - a.ms);
    if (list.length > n) list.length = n;
  }
}

/** Merges per-worker results of one target. */
export function mergeResults(a: TargetResult, b: TargetResult): TargetResult {
  const out: TargetResult = { ...a, inputs: a.inputs + b.inputs, ok: a.ok + b.ok, refused: { ...a.refused }, shapes: { ...a.shapes }, failures: [...a.failures, ...b.failures], slowest: [...a.slowest], ms: a.ms + b.ms };
  for (const [k, v] of Object.entries(b.refused)) out.refused[k] = (out.refused[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.shapes)) out.shapes[k] = (out.shapes[k] ?? 0) + v;
  for (const s of b.slowest) keepSlowest(out.slowest, s);
  return out;
}
