/**
 * The design-rules engine: `lintTopology(topology) → Finding[]`. Pure (see README.md): the
 * editor runs it on every edit, the API and `topo lint` on request, export before writing.
 */
import { LIMITS } from "../model/limits";
import type { Topology } from "../model/schema";
import { aliasWeights } from "./alias-weights";
import { asyncInvokeRange } from "./async-invoke-range";
import { asyncNoFailureDestination } from "./async-no-failure-destination";
import { batchSizeRange } from "./batch-size-range";
import { batchWindowRange } from "./batch-window-range";
import { batchWindowRequired } from "./batch-window-required";
import { coldStartSyncPath } from "./cold-start-sync-path";
import { concurrencyBudget } from "./concurrency-budget";
import { concurrencyRange } from "./concurrency-range";
import { buildRuleContext } from "./context";
import { contextDatastoreShared } from "./context-datastore-shared";
import { contextDirectCall } from "./context-direct-call";
import { contextStreamLeak } from "./context-stream-leak";
import { dlqRetention } from "./dlq-retention";
import { dlqUnwatched } from "./dlq-unwatched";
import { fifoBatchSize } from "./fifo-batch-size";
import { fifoBatchWindow } from "./fifo-batch-window";
import { fifoIntegration } from "./fifo-integration";
import { functionMemoryRange } from "./function-memory-range";
import { functionStorageRange } from "./function-storage-range";
import { functionTimeoutRange } from "./function-timeout-range";
import { httpIntegrationTimeout } from "./http-integration-timeout";
import { kafkaConsumerGroup } from "./kafka-consumer-group";
import { lagTriggerIncomplete } from "./lag-trigger-incomplete";
import { orphanNode } from "./orphan-node";
import { payloadLimit } from "./payload-limit";
import { queueSettingRange } from "./queue-setting-range";
import { recursiveLoop } from "./recursive-loop";
import { reservedConcurrencyZero } from "./reserved-concurrency-zero";
import { snapstartUnsupported } from "./snapstart-unsupported";
import { sqsMaxReceiveCount } from "./sqs-max-receive-count";
import { sqsNoDlq } from "./sqs-no-dlq";
import { sqsPartialBatch } from "./sqs-partial-batch";
import { sqsVisibilityTimeout } from "./sqs-visibility-timeout";
import { streamPoisonPill } from "./stream-poison-pill";
import { streamSettingRange } from "./stream-setting-range";
import { tooManyFunctions } from "./too-many-functions";
import { triggerSettingRange } from "./trigger-setting-range";
import { SEVERITIES, type Finding, type LintOptions, type ResolvedLintOptions, type Rule, type Severity } from "./types";

export type { Finding, LintOptions, Rule, RuleContext, Severity } from "./types";
export { SEVERITIES } from "./types";

/** Every rule, in the order of docs/rules/README.md: bounded contexts, functions, triggers and queues, failures, topology-wide. */
export const RULES: readonly Rule[] = [
  // Bounded contexts (seed 000)
  contextDatastoreShared,
  contextDirectCall,
  contextStreamLeak,
  tooManyFunctions,
  // Functions
  functionTimeoutRange,
  functionMemoryRange,
  functionStorageRange,
  concurrencyRange,
  reservedConcurrencyZero,
  concurrencyBudget,
  snapstartUnsupported,
  coldStartSyncPath,
  httpIntegrationTimeout,
  aliasWeights,
  asyncInvokeRange,
  // Triggers and queues
  sqsVisibilityTimeout,
  sqsMaxReceiveCount,
  sqsPartialBatch,
  sqsNoDlq,
  batchWindowRequired,
  fifoBatchSize,
  fifoBatchWindow,
  fifoIntegration,
  batchSizeRange,
  batchWindowRange,
  triggerSettingRange,
  queueSettingRange,
  streamSettingRange,
  payloadLimit,
  kafkaConsumerGroup,
  lagTriggerIncomplete,
  // Failures and flow
  asyncNoFailureDestination,
  streamPoisonPill,
  recursiveLoop,
  dlqRetention,
  dlqUnwatched,
  orphanNode,
];

export const DEFAULT_LINT_OPTIONS: ResolvedLintOptions = {
  severity: "info",
  tooManyFunctions: 12,
  accountConcurrency: LIMITS.function.accountConcurrency,
};

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Whether a finding of `severity` is reported under threshold `min` ("warning" keeps errors and warnings). */
export function atLeast(severity: Severity, min: Severity): boolean {
  return RANK[severity] <= RANK[min];
}

/**
 * Runs every rule once over a schema-valid topology and returns the findings, errors first,
 * then warnings, then info; within a severity, in RULES order. The graph index and defaulted
 * trigger settings are built once and shared by all rules. Dangling references are tolerated
 * (rules skip them; `checkIntegrity` is the one that reports them).
 * @example lintTopology(doc, { severity: "error" }).length === 0 // nothing blocks export
 */
export function lintTopology(topology: Topology, options: LintOptions = {}): Finding[] {
  const resolved: ResolvedLintOptions = {
    severity: options.severity ?? DEFAULT_LINT_OPTIONS.severity,
    tooManyFunctions: options.tooManyFunctions ?? DEFAULT_LINT_OPTIONS.tooManyFunctions,
    accountConcurrency: options.accountConcurrency ?? DEFAULT_LINT_OPTIONS.accountConcurrency,
  };
  const ctx = buildRuleContext(topology, resolved);
  const buckets: Record<Severity, Finding[]> = { error: [], warning: [], info: [] };
  for (const rule of RULES) {
    // Rules below the threshold are not run at all: the editor's error-only badge pass stays cheap.
    if (!atLeast(rule.severity, resolved.severity)) continue;
    for (const f of rule.check(ctx)) buckets[f.severity].push(f);
  }
  return SEVERITIES.flatMap((s) => buckets[s]);
}

/** Rule by id, for the docs panel and `topo lint` output. */
export function getRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
