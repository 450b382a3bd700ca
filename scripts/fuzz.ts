/**
 * `npm run fuzz -- [--inputs 100000] [--seed N] [--json] [--targets iac,report,validate] [--workers 2]
 *                  [--time-limit 2000] [--replay target:index]`
 *
 * Fuzzes the SAM importer (server/iac), the REPORT line parsers (server/sandbox/report.ts and
 * server/observe/report-parse.ts) and the topology validator (server/model/validate.ts) with
 * generated inputs: mutated corpus templates, schema-shaped topologies, mutated REPORT lines and
 * raw bytes (server/fuzz/targets.ts). Passing means no exception other than a TopoError, no broken
 * promise, no input over the time limit, no hang (a worker stuck on one input for 10× the limit is
 * ended and the input reported) and no unhandled rejection.
 *
 * Prints inputs/s, the slowest inputs and every failure with its seed and index; each failing
 * input is written to .tmp/fuzz/ and `--replay target:index --seed N` runs one input again, with
 * its stack. The last line of --json is one JSON object. Exit code 1 when anything failed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { generateInput, mergeResults, type Failure, type TargetResult } from "../server/fuzz/run";
import { runSlice } from "../server/fuzz/pool";
import { timeHostile } from "../server/fuzz/hostile";
import { TARGET_NAMES, TARGETS, loadCorpus, type TargetName } from "../server/fuzz/targets";

/** Share of the inputs each target gets (the importer is ~100× slower per input than the parsers). */
const SHARE: Record<TargetName, number> = { iac: 0.25, report: 0.4, validate: 0.35 };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const inputs = Number(arg("inputs") ?? 100_000);
const seed = Number(arg("seed") ?? Math.floor(Math.random() * 2 ** 31));
const json = process.argv.includes("--json");
const timeLimitMs = Number(arg("time-limit") ?? 2_000);
const workers = Math.max(1, Number(arg("workers") ?? Math.min(2, availableParallelism())));
const targets = (arg("targets")?.split(",") ?? [...TARGET_NAMES]) as TargetName[];
const outDir = join(process.cwd(), ".tmp", "fuzz");
const log = (s: string) => process.stderr.write(`${s}\n`);

for (const t of targets) {
  if (!TARGET_NAMES.includes(t)) {
    log(`TOPO-E030: unknown target "${t}"; one of ${TARGET_NAMES.join(", ")}`);
    process.exit(2);
  }
}
if (!Number.isInteger(inputs) || inputs < 1 || !Number.isInteger(seed)) {
  log("TOPO-E030: --inputs and --seed are whole numbers");
  process.exit(2);
}

const replay = arg("replay");
if (replay) {
  const [t, i] = replay.split(":");
  const input = generateInput(t as TargetName, seed, Number(i));
  const file = saveInput({ target: t as TargetName, seed, index: Number(i), shape: input.shape, kind: "exception", message: "" });
  log(`input ${t}:${i} (seed ${seed}, ${input.shape}) written to ${file}`);
  const t0 = performance.now();
  const out = TARGETS[t as TargetName].run(input); // throws with the full stack if it fails
  log(`${JSON.stringify(out)} in ${(performance.now() - t0).toFixed(1)} ms`);
  process.exit(0);
}

/** Writes a failing input where it can be opened; returns the path. */
function saveInput(f: Failure): string {
  mkdirSync(outDir, { recursive: true });
  const input = generateInput(f.target, f.seed, f.index);
  const v = input.value;
  const ext = v instanceof Uint8Array ? "bin" : typeof v === "string" ? (f.target === "iac" ? "yaml" : "txt") : "json";
  const file = join(outDir, `${f.target}-seed${f.seed}-${f.index}.${ext}`);
  writeFileSync(file, v instanceof Uint8Array ? v : typeof v === "string" ? v : JSON.stringify(v, null, 2));
  return file;
}

// Fixed hostile templates first: the time to refuse each is the figure the tests only guard.
const hostile = timeHostile();
log("hostile templates (median of 3):");
for (const h of hostile) log(`  ${h.name.padEnd(36)} ${h.code.padEnd(10)} ${h.ms.toFixed(1).padStart(8)} ms`);
const hostileFailures = hostile.filter((h) => !h.code.startsWith("TOPO-E") || h.ms > timeLimitMs);

const t0 = performance.now();
loadCorpus();
const counts = Object.fromEntries(targets.map((t) => [t, Math.max(1, Math.round((inputs * SHARE[t]) / targets.reduce((a, x) => a + SHARE[x], 0)))])) as Record<TargetName, number>;
log(`fuzz: ${inputs.toLocaleString("en")} inputs, seed ${seed}, ${workers} worker${workers > 1 ? "s" : ""}, time limit ${timeLimitMs} ms per input (${targets.map((t) => `${t} ${counts[t].toLocaleString("en")}`).join(", ")})`);

// Every target is cut into `workers` slices; slices run `workers` at a time.
const jobs: (() => Promise<TargetResult>)[] = [];
for (const t of targets) {
  const per = Math.ceil(counts[t] / workers);
  for (let from = 0; from < counts[t]; from += per) {
    const to = Math.min(counts[t], from + per);
    jobs.push(() => runSlice(t, seed, from, to, { timeLimitMs }));
  }
}
const results: TargetResult[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: workers }, async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const r = await job();
      results.push(r);
      log(`  ${r.target}: ${r.inputs.toLocaleString("en")} inputs in ${(r.ms / 1000).toFixed(1)} s, ${r.failures.length} failure${r.failures.length === 1 ? "" : "s"}`);
    }
  }),
);
const wallMs = performance.now() - t0;

const byTarget = {} as Record<TargetName, TargetResult>;
for (const r of results) byTarget[r.target] = byTarget[r.target] ? mergeResults(byTarget[r.target], r) : r;
// Hangs and exceptions first: they are what a reader must see even when many invariants fail.
const SEVERITY = { hang: 0, exception: 1, prototype: 2, slow: 3, invariant: 4 } as const;
const failures = results.flatMap((r) => r.failures).sort((a, b) => SEVERITY[a.kind] - SEVERITY[b.kind]);
const total = results.reduce((a, r) => a + r.inputs, 0);
const files = failures.slice(0, 50).map((f) => ({ ...f, file: f.index >= 0 ? saveInput(f) : undefined }));

log("");
for (const t of targets) {
  const r = byTarget[t];
  if (!r) continue;
  const refused = Object.entries(r.refused).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ");
  log(`${t.padEnd(9)} ${r.inputs.toLocaleString("en").padStart(7)} inputs  ${Math.round(r.inputs / (r.ms / 1000)).toLocaleString("en").padStart(7)}/s per worker  ok ${r.ok}  refused ${refused || "none"}  failures ${r.failures.length}`);
  const s = r.slowest[0];
  if (s) log(`${"".padEnd(9)} slowest: ${t}:${s.index} (${s.shape}, ${s.bytes.toLocaleString("en")} chars) ${s.ms.toFixed(1)} ms`);
}
log(`\n${total.toLocaleString("en")} inputs in ${(wallMs / 1000).toFixed(1)} s: ${Math.round(total / (wallMs / 1000)).toLocaleString("en")} inputs/s; ${failures.length} failure${failures.length === 1 ? "" : "s"}`);
for (const f of files.slice(0, 20)) {
  log(`  FAIL ${f.target}:${f.index} [${f.kind}] (${f.shape}) ${f.message}`);
  if (f.stack) log(f.stack.replace(/^/gm, "      "));
  if (f.file) log(`      input: ${f.file}\n      replay: npm run fuzz -- --seed ${f.seed} --replay ${f.target}:${f.index}`);
}

const slowest = targets.flatMap((t) => (byTarget[t]?.slowest[0] ? [{ target: t, ...byTarget[t].slowest[0] }] : [])).sort((a, b) => b.ms - a.ms)[0];
const summary = {
  inputs: total,
  seed,
  workers,
  seconds: Math.round(wallMs) / 1000,
  inputsPerSec: Math.round(total / (wallMs / 1000)),
  failures: failures.length,
  slowest: slowest ? { target: slowest.target, index: slowest.index, shape: slowest.shape, ms: Math.round(slowest.ms * 10) / 10 } : null,
  targets: Object.fromEntries(
    targets.filter((t) => byTarget[t]).map((t) => {
      const r = byTarget[t];
      return [t, { inputs: r.inputs, ok: r.ok, refused: r.refused, shapes: r.shapes, failures: r.failures.length, perWorkerInputsPerSec: Math.round(r.inputs / (r.ms / 1000)), slowestMs: Math.round((r.slowest[0]?.ms ?? 0) * 10) / 10 }];
    }),
  ),
  failed: files.map(({ stack: _s, ...f }) => f),
  hostile,
};
if (json) console.log(JSON.stringify(summary));
for (const h of hostileFailures) log(`  FAIL hostile template "${h.name}": ${h.code} in ${h.ms} ms (must be refused with a TopoError within ${timeLimitMs} ms)`);
process.exit(failures.length || hostileFailures.length ? 1 : 0);
