import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateTopology, SCALE_1000 } from "../../model/generate";
import { validateTopology } from "../../model/validate";
import { RULES, getRule, lintTopology } from "../index";
import { access, call, ctx, fn, kafka, produce, queue, route, table, topo, trigger } from "./helpers";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..", "..");

test("every rule has a unique kebab-case id, its own file, a docs page and a line in docs/rules/README.md", () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, "duplicate rule id");
  const index = readFileSync(join(repo, "docs/rules/README.md"), "utf8");
  for (const r of RULES) {
    assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(existsSync(join(here, "..", `${r.id}.ts`)), `server/rules/${r.id}.ts is missing`);
    assert.ok(existsSync(join(repo, `docs/rules/${r.id}.md`)), `docs/rules/${r.id}.md is missing`);
    assert.ok(index.includes(`[${r.id}](${r.id}.md)`) && index.includes(r.severity), `docs/rules/README.md does not list ${r.id}`);
    assert.equal(getRule(r.id), r);
  }
});

test("every rule is exercised by a test file (positive and negative cases live beside it)", () => {
  const tests = readdirSync(here)
    .filter((f) => f.endsWith(".test.ts") && f !== "engine.test.ts")
    .map((f) => readFileSync(join(here, f), "utf8"))
    .join("\n");
  for (const r of RULES) assert.ok(tests.includes(`test("${r.id}:`), `no test named "${r.id}: …"`);
});

test("each docs page's example produces the finding it quotes (docs cannot drift from the code)", () => {
  for (const r of RULES) {
    const page = readFileSync(join(repo, `docs/rules/${r.id}.md`), "utf8");
    assert.ok(page.includes(`**Severity:** ${r.severity}`) && page.includes(r.title), `${r.id}.md: severity or title differs from the rule`);
    const example = /```json\n([\s\S]*?)\n```/.exec(page)?.[1];
    if (!example) continue;
    const quoted = /^Finding:\n\n> (.*)$/m.exec(page)?.[1];
    assert.ok(quoted, `${r.id}.md quotes no finding`);
    const doc = validateTopology(JSON.parse(example));
    assert.ok(doc.ok, `${r.id}.md: example is not a valid topology`);
    const messages = lintTopology(doc.topology).filter((f) => f.ruleId === r.id).map((f) => f.message);
    assert.deepEqual(messages, [quoted], `${r.id}.md`);
  }
});

test("the catalog of issue 4 is all there, with its severities", () => {
  const catalog: Record<string, string> = {
    "context-datastore-shared": "error", "context-direct-call": "warning", "context-stream-leak": "warning",
    "function-timeout-range": "error", "function-memory-range": "error", "function-storage-range": "error",
    "sqs-visibility-timeout": "error", "sqs-max-receive-count": "warning", "async-no-failure-destination": "warning",
    "stream-poison-pill": "warning", "sqs-partial-batch": "warning", "batch-window-required": "error",
    "fifo-batch-size": "error", "batch-size-range": "error", "batch-window-range": "error", "payload-limit": "warning",
    "recursive-loop": "error", "kafka-consumer-group": "info", "lag-trigger-incomplete": "error",
    "too-many-functions": "info", "dlq-retention": "warning", "dlq-unwatched": "info", "orphan-node": "warning",
    "reserved-concurrency-zero": "warning", "concurrency-budget": "warning", "cold-start-sync-path": "info",
    "alias-weights": "error",
  };
  for (const [id, severity] of Object.entries(catalog)) assert.equal(getRule(id)?.severity, severity, id);
});

test("lintTopology lists errors, then warnings, then info, and every finding carries its docs path", () => {
  const doc = topo({
    nodes: [fn("bad", { timeoutSeconds: 0 }), queue("lost"), kafka("events"), fn("w")],
    edges: [trigger("events", "w", { consumerGroupId: undefined, maximumRetryAttempts: 3 })],
  });
  const found = lintTopology(doc);
  const sev = found.map((f) => f.severity);
  assert.deepEqual(sev, [...sev].sort((a, b) => ["error", "warning", "info"].indexOf(a) - ["error", "warning", "info"].indexOf(b)));
  assert.ok(sev.includes("error") && sev.includes("warning") && sev.includes("info"));
  for (const f of found) {
    assert.equal(f.docs, `docs/rules/${f.ruleId}.md`);
    assert.ok(f.elements.length > 0 && f.message && f.fix);
  }
});

test("lintTopology's severity threshold drops lower severities and options reach the rules", () => {
  const doc = topo({
    contexts: [ctx("big")],
    nodes: [fn("bad", { timeoutSeconds: 0, reservedConcurrency: 0, contextId: "big" }), ...Array.from({ length: 3 }, (_, i) => fn(`f${i}`, { contextId: "big" }))],
  });
  const all = lintTopology(doc, { tooManyFunctions: 2 });
  assert.ok(all.some((f) => f.ruleId === "too-many-functions"));
  assert.ok(!lintTopology(doc).some((f) => f.ruleId === "too-many-functions"));
  assert.deepEqual([...new Set(lintTopology(doc, { severity: "warning" }).map((f) => f.severity))], ["error", "warning"]);
  assert.deepEqual([...new Set(lintTopology(doc, { severity: "error" }).map((f) => f.severity))], ["error"]);
  assert.ok(lintTopology(doc, { accountConcurrency: 0 }).every((f) => f.ruleId !== "concurrency-budget"), "0 reservations never exceed");
});

test("a half-drawn design with dangling references lints without throwing", () => {
  const doc = topo(
    {
      nodes: [fn("a", { deadLetterQueueId: "gone", asyncInvoke: { onSuccessDestinationId: "gone-too" } }), queue("q", { redrive: { deadLetterQueueId: "missing", maxReceiveCount: 5 } })],
      edges: [trigger("nowhere", "a"), trigger("q", "ghost"), call("a", "ghost"), produce("a", "void"), access("a", "nothing")],
    },
    { allowIntegrityProblems: true },
  );
  assert.doesNotThrow(() => lintTopology(doc));
});

test("a well-designed small topology has no errors or warnings", () => {
  const doc = topo({
    contexts: [ctx("orders"), ctx("billing")],
    nodes: [
      route("post-orders", { contextId: "orders" }),
      fn("place-order", { contextId: "orders", timeoutSeconds: 10 }),
      table("orders-table", { contextId: "orders" }),
      queue("order-events", { contextId: "orders", published: true, visibilityTimeoutSeconds: 180, redrive: { deadLetterQueueId: "order-events-dlq", maxReceiveCount: 5 } }),
      queue("order-events-dlq", { contextId: "orders", messageRetentionSeconds: 1_209_600, tags: { alarm: "depth > 0" } }),
      fn("invoice", { contextId: "billing", timeoutSeconds: 30 }),
      table("invoices", { contextId: "billing" }),
    ],
    edges: [
      trigger("post-orders", "place-order"),
      access("place-order", "orders-table"),
      produce("place-order", "order-events"),
      trigger("order-events", "invoice", { reportBatchItemFailures: true }),
      access("invoice", "invoices"),
    ],
  });
  const found = lintTopology(doc, { severity: "warning" });
  assert.deepEqual(found, []);
});

test("the generated 1,000-function topology is valid and lints with zero error-severity findings", () => {
  const doc = generateTopology(SCALE_1000);
  assert.equal(validateTopology(JSON.parse(JSON.stringify(doc))).ok, true);
  const errors = lintTopology(doc, { severity: "error" });
  assert.deepEqual(errors.map((f) => `${f.ruleId}: ${f.message}`), []);
});
