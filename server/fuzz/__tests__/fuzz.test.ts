/**
 * The fuzz run in small (2,000 inputs, fixed seed) so CI catches a crash, a broken promise or a
 * slow input in the importer, the REPORT line parsers and the topology validator. `npm run fuzz`
 * runs 100,000 with a random seed; a failure there prints the seed and index to replay.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzzRange, generateInput, type TargetResult } from "../run";
import { runSlice } from "../pool";
import { TARGETS, type TargetName } from "../targets";

const SEED = 20261124;
const BUDGET: Record<TargetName, number> = { iac: 400, report: 1_000, validate: 600 };

function explain(r: TargetResult): string {
  return r.failures
    .slice(0, 5)
    .map((f) => `${f.target}:${f.index} [${f.kind}] (${f.shape}) ${f.message}\n  replay: npm run fuzz -- --seed ${f.seed} --replay ${f.target}:${f.index}${f.stack ? `\n${f.stack}` : ""}`)
    .join("\n");
}

/** The Observe parser's (server/observe/report-parse.ts) findings are reported by their own test below. */
const observeParser = (f: { message: string }) => f.message.startsWith("InvariantError: parsePlatformLine");
const runs = new Map<TargetName, TargetResult>();

for (const target of Object.keys(BUDGET) as TargetName[]) {
  test(`fuzz ${target}: ${BUDGET[target]} generated inputs, no crash, no hang, no broken promise, none over 2 s`, async () => {
    // In a worker with a watchdog: a hang fails this test (as a "hang" failure) instead of stalling the suite.
    const r = await runSlice(target, SEED, 0, BUDGET[target], { timeLimitMs: 2_000, hangMs: 15_000 });
    runs.set(target, r);
    assert.equal(r.inputs, BUDGET[target]);
    const failures = r.failures.filter((f) => !observeParser(f));
    assert.deepEqual(failures, [], explain({ ...r, failures }));
    // The mix reaches both sides: inputs accepted and inputs refused with a code.
    assert.ok(r.ok > 0, "some inputs are accepted");
    if (target !== "report") assert.ok(Object.keys(r.refused).length >= 2, `refusals: ${JSON.stringify(r.refused)}`);
    assert.ok(Object.keys(r.shapes).length >= 4, `shapes: ${JSON.stringify(r.shapes)}`);
  });
}

test("fuzz report: parsePlatformLine returns finite, non-negative numbers or refuses the line", () => {
  const r = runs.get("report") ?? fuzzRange("report", SEED, 0, BUDGET.report);
  const failures = r.failures.filter(observeParser);
  assert.deepEqual(failures, [], explain({ ...r, failures }));
});

test("fuzz: every input is reproducible from (seed, target, index)", () => {
  for (const t of ["iac", "report", "validate"] as const) {
    for (const i of [0, 17, 999]) assert.deepEqual(generateInput(t, SEED, i), generateInput(t, SEED, i));
    assert.notDeepEqual(generateInput(t, SEED, 1), generateInput(t, SEED + 1, 1));
  }
});

test("fuzz: an exception from the code under test is a failure with its index and stack", () => {
  const original = TARGETS.report.run;
  TARGETS.report.run = (input) => {
    if ((input.value as string).length % 3 === 0) throw new TypeError("planted");
    return original(input);
  };
  try {
    const r = fuzzRange("report", SEED, 0, 50);
    assert.ok(r.failures.length > 0);
    assert.ok(r.failures.every((f) => f.kind === "exception" && f.message === "TypeError: planted" && f.index >= 0 && f.index < 50 && /fuzz\.test\.ts/.test(f.stack ?? "")));
  } finally {
    TARGETS.report.run = original;
  }
});
