import assert from "node:assert/strict";
import { test } from "node:test";
import type { Freshness, FunctionStats, QueueStats, Snapshot, TriggerStats } from "../../../server/observe/types";
import {
  ago,
  changedIds,
  contextLine,
  explainProblem,
  newsSignatures,
  formatAge,
  formatCount,
  formatLag,
  formatMs,
  formatPct,
  formatRate,
  freshnessLine,
  functionChips,
  orderEnvironments,
  queueChips,
  snapshotProblems,
  snapshotTotals,
  triggerLabel,
} from "../present";

const fresh: Freshness = { readAt: "2026-11-23T10:00:00.000Z", state: "fresh" };
const NOW = Date.parse("2026-11-23T10:00:03.000Z");

function stats(over: Partial<FunctionStats> = {}): FunctionStats {
  return {
    invocations: 710,
    errors: 15,
    timeouts: 2,
    throttles: 0,
    coldStarts: 3,
    perMin: 142,
    errorRate: 15 / 710,
    p50Ms: 21.4,
    p95Ms: 84.2,
    p99Ms: 310,
    initP50Ms: 180,
    initP95Ms: 240.5,
    restoreP95Ms: null,
    billedMs: 20_000,
    maxMemoryUsedMb: 88,
    memorySizeMb: 512,
    freshness: fresh,
    ...over,
  };
}

test("numbers are short and locale-independent", () => {
  assert.equal(formatCount(950), "950");
  assert.equal(formatCount(9_540), "9.5k");
  assert.equal(formatCount(12_345), "12k");
  assert.equal(formatCount(1_250_000), "1.3M");
  assert.equal(formatRate(0), "0/min");
  assert.equal(formatRate(0.01), "<0.1/min");
  assert.equal(formatRate(0.35), "0.4/min");
  assert.equal(formatRate(142.4), "142/min");
  assert.equal(formatRate(1_234), "1.2k/min");
  assert.equal(formatRate(null), "–/min");
  assert.equal(formatPct(0), "0%");
  assert.equal(formatPct(0.0004), "<0.1%");
  assert.equal(formatPct(0.0213), "2.1%");
  assert.equal(formatPct(0.384), "38%");
  assert.equal(formatMs(null), "–");
  assert.equal(formatMs(0.84), "0.8 ms");
  assert.equal(formatMs(84.2), "84 ms");
  assert.equal(formatMs(1_240), "1.24 s");
  assert.equal(formatMs(12_500), "12.5 s");
  assert.equal(formatMs(180_000), "3 min");
  assert.equal(formatAge(12), "12 s");
  assert.equal(formatAge(200), "3 min");
  assert.equal(formatAge(3_900), "1 h 5 min");
  assert.equal(formatAge(7_200), "2 h");
  assert.equal(formatAge(3 * 86_400), "3 d");
});

test("a function node shows rate, error %, p95 and cold starts with their long forms", () => {
  const chips = functionChips(stats());
  assert.deepEqual(
    chips.map((c) => [c.key, c.text, c.tone]),
    [
      ["rate", "142/min", "neutral"],
      ["errors", "2.1%", "warn"],
      ["p95", "p95 84 ms", "neutral"],
      ["cold", "❄ 3", "neutral"],
    ],
  );
  assert.equal(chips[1].title, "15 errors (2.1%), 2 timeouts");
  assert.equal(chips[3].title, "3 cold starts, init p95 241 ms");
  // No cold start: no chip; a high error rate is bad; no traffic mutes the figures.
  assert.deepEqual(functionChips(stats({ coldStarts: 0 })).map((c) => c.key), ["rate", "errors", "p95"]);
  assert.equal(functionChips(stats({ errorRate: 0.2, errors: 142 }))[1].tone, "bad");
  assert.deepEqual(
    functionChips(stats({ invocations: 0, errors: 0, errorRate: 0, perMin: 0, p95Ms: null, coldStarts: 0 })).map((c) => [c.text, c.tone]),
    [
      ["0/min", "muted"],
      ["0%", "muted"],
      ["p95 –", "muted"],
    ],
  );
});

test("queues: a dead-letter queue with messages is bad, an empty one ok", () => {
  const q: QueueStats = { depth: 12, inFlight: 0, oldestAgeSec: 200, isDeadLetterQueue: true, freshness: fresh };
  assert.deepEqual(queueChips(q).map((c) => [c.text, c.tone]), [
    ["12 dead", "bad"],
    ["oldest 3 min", "neutral"],
  ]);
  assert.deepEqual(queueChips({ ...q, depth: 0 }).map((c) => [c.text, c.tone]), [["0 dead", "ok"]]);
  assert.deepEqual(queueChips({ ...q, isDeadLetterQueue: false, depth: 40, inFlight: 10 }).map((c) => c.text), ["40 waiting", "10 in flight", "oldest 3 min"]);
  assert.equal(queueChips({ ...q, depth: null }).at(0)?.tone, "muted");
});

test("a trigger edge says throughput, lag with its trend and the Burrow status", () => {
  const t: TriggerStats = { source: "q", target: "f", kind: "queue", lag: 42, lagUnit: "messages", status: "WARN", trend: "rising", throughputPerMin: 120, freshness: fresh };
  const label = triggerLabel(t);
  assert.equal(label.text, "120/min · lag 42 msgs ↑ · WARN");
  assert.equal(label.tone, "warn");
  assert.equal(label.title, "120/min through this trigger; lag 42 msgs, rising; WARN: lag is growing");
  assert.equal(triggerLabel({ ...t, status: "STOP", trend: "unknown", lag: 1_500, lagUnit: "ms" }).text, "120/min · lag 1.5 s · STOP");
  assert.equal(triggerLabel({ ...t, status: "STALL" }).tone, "bad");
  assert.equal(triggerLabel({ ...t, status: "OK", trend: "flat" }).tone, "ok");
  // Pushed sources have no lag: the label is the throughput alone.
  assert.deepEqual(triggerLabel({ ...t, kind: "http-route", status: "OK" }), { text: "120/min", tone: "neutral", status: "OK", title: "120/min through this trigger (http-route invokes directly: no lag)" });
  assert.equal(triggerLabel({ ...t, kind: "kafka-topic", lag: 3_400, lagUnit: "records" }).text, "120/min · lag 3.4k records ↑ · WARN");
  assert.equal(formatLag(1, "records"), "1 record");
  assert.equal(formatLag(3_400, "records"), "3.4k records");
  assert.equal(formatLag(null, "ms"), "–");
});

test("freshness says when data was read and why it is stale, keeping the last good data", () => {
  assert.equal(ago("2026-11-23T10:00:00.000Z", NOW), "3 s ago");
  assert.equal(ago("2026-11-23T10:00:03.000Z", NOW), "just now");
  assert.equal(ago("2026-11-23T09:58:00.000Z", NOW), "2 min ago");
  assert.deepEqual(freshnessLine(fresh, NOW), { text: "read 3 s ago", tone: "ok" });
  assert.deepEqual(freshnessLine({ readAt: null, state: "never" }, NOW), { text: "not read yet", tone: "muted" });
  assert.deepEqual(
    freshnessLine({ readAt: "2026-11-23T10:00:00.000Z", state: "stale", problem: { kind: "throttled", code: "TOPO-E126", message: "Rate exceeded", fix: "Wait." } }, NOW),
    { text: "read 3 s ago · throttled by AWS (showing the last good data)", tone: "warn", fix: "Wait." },
  );
  assert.deepEqual(
    freshnessLine({ readAt: null, state: "failing", problem: { kind: "access-denied", code: "TOPO-E127", message: "denied", missingAction: "logs:FilterLogEvents" } }, NOW),
    { text: "not read yet · access denied: allow logs:FilterLogEvents", tone: "bad", fix: undefined },
  );
  assert.equal(freshnessLine({ readAt: null, state: "failing", problem: { kind: "not-found", code: "TOPO-E128", message: "gone" } }, NOW).text, "not read yet · not found");
});

test("missing AWS credentials are said plainly, with what to do", () => {
  const f: Freshness = { readAt: null, state: "failing", problem: { kind: "error", code: "TOPO-E129", message: "logs:FilterLogEvents failed: CredentialsProviderError: Could not load credentials from any providers", fix: "Check the network." } };
  const line = freshnessLine(f, NOW);
  assert.equal(line.text, "not read yet · no AWS credentials on this server");
  assert.match(line.fix ?? "", /aws sso login/);
  assert.deepEqual(explainProblem({ kind: "unreachable", code: "TOPO-E129", message: "connect ECONNREFUSED", fix: "Check the network." }), { text: "unreachable", fix: "Check the network." });
});

test("the health summary groups problems by kind, worst first, and totals the figures", () => {
  const denied: Freshness = { readAt: null, state: "failing", problem: { kind: "access-denied", code: "TOPO-E127", message: "x", missingAction: "sqs:GetQueueAttributes", fix: "Allow it." } };
  const throttled: Freshness = { readAt: fresh.readAt, state: "stale", problem: { kind: "throttled", code: "TOPO-E126", message: "y" } };
  const snap: Snapshot = {
    projectId: "p",
    environmentId: "e",
    revision: 3,
    window: { kind: "5m", from: "2026-11-23T09:55:00.000Z", to: "2026-11-23T10:00:00.000Z" },
    readAt: fresh.readAt!,
    functions: { a: stats({ freshness: throttled }), b: stats({ freshness: throttled, coldStarts: 1 }) },
    triggers: {},
    queues: {
      dlq: { depth: 4, inFlight: 0, oldestAgeSec: 10, isDeadLetterQueue: true, freshness: denied },
      work: { depth: 100, inFlight: 0, oldestAgeSec: 10, isDeadLetterQueue: false, freshness: fresh },
    },
    health: { status: "degraded", reasons: [] },
  };
  assert.deepEqual(snapshotProblems(snap), [
    { kind: "access-denied", where: ["dlq"], text: "access denied: allow sqs:GetQueueAttributes", fix: "Allow it.", code: "TOPO-E127" },
    { kind: "throttled", where: ["a", "b"], text: "throttled by AWS", fix: undefined, code: "TOPO-E126" },
  ]);
  assert.deepEqual(snapshotTotals(snap), { invocations: 1_420, errors: 30, coldStarts: 4, deadLetters: 4, perMin: 284 });
});

test("the environment picker lists local first", () => {
  const envs = [
    { name: "prod", kind: "aws" },
    { name: "dev", kind: "aws" },
    { name: "local", kind: "local" },
    { name: "laptop", kind: "local" },
  ];
  assert.deepEqual(orderEnvironments(envs).map((e) => e.name), ["local", "laptop", "dev", "prod"]);
});

test("news on the canvas: new errors, cold starts, a DLQ's depth, a lag status; not ticking rates", () => {
  const base: Snapshot = {
    projectId: "p",
    environmentId: "e",
    revision: 1,
    window: { kind: "5m", from: "2026-11-23T09:55:00.000Z", to: "2026-11-23T10:00:00.000Z" },
    readAt: fresh.readAt!,
    functions: { f: stats() },
    triggers: { t: { source: "q", target: "f", kind: "queue", lag: 3, lagUnit: "messages", status: "OK", trend: "flat", throughputPerMin: 10, freshness: fresh } },
    queues: { dlq: { depth: 0, inFlight: 0, oldestAgeSec: null, isDeadLetterQueue: true, freshness: fresh }, work: { depth: 5, inFlight: 0, oldestAgeSec: 1, isDeadLetterQueue: false, freshness: fresh } },
    health: { status: "healthy", reasons: [] },
  };
  const before = newsSignatures(base);
  assert.deepEqual([...before.keys()].sort(), ["dlq", "f", "t"]);
  const ticking = { ...base, functions: { f: stats({ perMin: 300, p95Ms: 99, invocations: 900 }) }, queues: { ...base.queues, work: { ...base.queues.work, depth: 50 } } };
  assert.deepEqual([...changedIds(before, newsSignatures(ticking))], []);
  const news = { ...base, functions: { f: stats({ errors: 16 }) }, triggers: { t: { ...base.triggers.t, status: "WARN" as const } }, queues: { ...base.queues, dlq: { ...base.queues.dlq, depth: 2 } } };
  assert.deepEqual([...changedIds(before, newsSignatures(news))].sort(), ["dlq", "f", "t"]);
  // An element seen for the first time is not news.
  assert.deepEqual([...changedIds(new Map(), before)], []);
});

test("a context drawn as a summary totals its members: rate, errors, dead letters, worst trigger", () => {
  const trig = (status: TriggerStats["status"], kind = "queue"): TriggerStats => ({ source: "q", target: "f", kind, lag: 1, lagUnit: "messages", status, trend: "flat", throughputPerMin: 1, freshness: fresh });
  const snap: Snapshot = {
    projectId: "p",
    environmentId: "e",
    revision: 1,
    window: { kind: "5m", from: "2026-11-23T09:55:00.000Z", to: "2026-11-23T10:00:00.000Z" },
    readAt: fresh.readAt!,
    functions: { a: stats({ perMin: 100, invocations: 500, errors: 5 }), b: stats({ perMin: 42, invocations: 210, errors: 0 }), other: stats() },
    triggers: { ta: trig("OK"), tb: trig("WARN"), http: trig("STOP", "http-route") },
    queues: { dlq: { depth: 3, inFlight: 0, oldestAgeSec: 5, isDeadLetterQueue: true, freshness: fresh } },
    health: { status: "degraded", reasons: [] },
  };
  assert.deepEqual(contextLine(snap, ["a", "b", "dlq"], ["ta", "tb", "http"]), {
    text: "142/min · 0.7% errors · 3 dead · WARN",
    tone: "bad",
    title: "710 invocations (142/min), 5 errors, 3 dead letters; worst trigger: WARN",
  });
  assert.deepEqual(contextLine(snap, ["b"], ["ta"])?.text, "42/min · 0% errors");
  assert.equal(contextLine(snap, ["b"], ["ta"])?.tone, "ok");
  assert.equal(contextLine(snap, ["a"], [])?.tone, "warn");
  assert.equal(contextLine(snap, ["table-x"], []), null);
});
