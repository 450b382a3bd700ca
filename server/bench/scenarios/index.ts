/** Benchmark scenarios by name. Each returns its metrics; the harness prints the JSON line. */
export const SCENARIOS: Record<string, { describe: string; load: () => Promise<{ run: () => Promise<Record<string, unknown>> }> }> = {
  "model-validate": { describe: "validate the 1,000-function topology (validateMs, median of 20)", load: () => import("./model-validate") },
  "rules-1000": { describe: "all design rules on the 1,000-function topology (lintMs, median of 20)", load: () => import("./rules-1000") },
  "iac-corpus": { describe: "import + SAM export of every ../shared/corpus/sam template (totalMs, templatesPerSec; median of 5)", load: () => import("./iac-corpus") },
  "export-1000": { describe: "SAM export (samMs) and CDK generation (cdkMs) of the 1,000-function topology (median of 10)", load: () => import("./export-1000") },
  "layout-1000": { describe: "the canvas's automatic layout (ELK) of the 1,000-function topology, in node (layoutMs, median of 5)", load: () => import("./layout-1000") },
  "editor-1000": { describe: "the Design canvas in Chromium on the 1,000-function topology vs plain React Flow: open, drag, pan at zoom 1 and fit", load: () => import("./editor-1000") },
  "sandbox-throughput": { describe: "SQS-triggered no-op function in the local sandbox, batch 10: invocationsPerSec (saturated) and e2eP95Ms (SendMessage → REPORT, at half that load)", load: () => import("./sandbox-throughput") },
  "editor-5000": { describe: "the Design canvas in Chromium on the 5,000-function topology vs plain React Flow: open, drag, pan at zoom 1 and fit", load: () => import("./editor-5000") },
  "report-parse": { describe: "Lambda platform lines (REPORT text + platform.report JSON) parsed per CPU-second: linesPerSec vs jsonParseLinesPerSec (same bytes through JSON.parse)", load: () => import("./report-parse") },
  "observe-fanout": { describe: "1 then 50 simulated viewers polling one project's Observe snapshot for 60 s (--quick: 10 s): upstreamCallsPerMin1, upstreamCallsPerMin50 (goal equal)", load: () => import("./observe-fanout") },
  "observe-freshness": { describe: "time from an invocation in the local sandbox to its count in the Observe API response: freshnessP95Ms (goal ≤ 1,500 ms)", load: () => import("./observe-freshness") },
  "observe-api": { describe: "the Observe snapshot route at 200 req/s on loopback for 10 s (--quick: 4 s): p95Ms (goal ≤ 25 ms)", load: () => import("./observe-api") },
  "auth-overhead": { describe: "route()'s sign-in and role checks per API request, in process on SQLite: local admin vs signed-in viewer (medianMs each, authOverheadMedianMs), and one scrypt hash (scryptHashMs)", load: () => import("./auth-overhead") },
  "concurrent-saves": { describe: "20 clients × 25 saves on one project over HTTP, re-reading on 409 (SQLite, and PostgreSQL with DATABASE_URL_PG): accepted, rejected, silentOverwrites = 0, lost = 0", load: () => import("./concurrent-saves") },
  "crash-saves": { describe: "SIGKILL the server mid-save 20 times (SQLite, and PostgreSQL with DATABASE_URL_PG): integrity check, acknowledged vs present, lost = 0", load: () => import("./crash-saves") },
};
