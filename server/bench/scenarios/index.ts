/** Benchmark scenarios by name. Each returns its metrics; the harness prints the JSON line. */
export const SCENARIOS: Record<string, { describe: string; load: () => Promise<{ run: () => Promise<Record<string, unknown>> }> }> = {
  "model-validate": { describe: "validate the 1,000-function topology (validateMs, median of 20)", load: () => import("./model-validate") },
  "rules-1000": { describe: "all design rules on the 1,000-function topology (lintMs, median of 20)", load: () => import("./rules-1000") },
};
