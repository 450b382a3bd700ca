import { test } from "node:test";
import assert from "node:assert/strict";
import { formatAgeShort, formatBody, letterSummary, progressPercent, sourcesLine, taskLine } from "../present";

test("bodies: JSON pretty-printed, text verbatim (markup stays text)", () => {
  assert.equal(formatBody({ body: '{"a":[1,2]}', json: { a: [1, 2] } }), '{\n  "a": [\n    1,\n    2\n  ]\n}');
  assert.equal(formatBody({ body: "<script>alert(1)</script>" }), "<script>alert(1)</script>");
});

test("row summary: the failure first, else the body's start, cut at max", () => {
  const failure = { condition: "RetriesExhausted", functionArn: null, errorType: "TypeError", errorMessage: "x is undefined" };
  assert.equal(letterSummary({ body: "{}", failure }), "RetriesExhausted · TypeError: x is undefined");
  assert.equal(letterSummary({ body: "  hello\n  world " }), "hello world");
  assert.equal(letterSummary({ body: "" }), "(empty body)");
  assert.equal(letterSummary({ body: "a".repeat(200) }, 10), "aaaaaaaaa…");
});

test("sources line", () => {
  assert.equal(sourcesLine([]), "Nothing in the design feeds this queue.");
  assert.equal(
    sourcesLine([
      { nodeId: "q", name: "Orders", relation: "redrive", maxReceiveCount: 5 },
      { nodeId: "f", name: "Worker", relation: "function-dlq" },
    ]),
    "Fed by Orders (redrive policy, after 5 receives), Worker (async DLQ).",
  );
});

test("redrive progress and status lines", () => {
  assert.equal(progressPercent({ moved: 40, total: 100, status: "running" }), 40);
  assert.equal(progressPercent({ moved: 120, total: 100, status: "running" }), 100, "duplicates never push the bar past 100 %");
  assert.equal(progressPercent({ moved: 0, total: 0, status: "running" }), null);
  assert.equal(progressPercent({ moved: 0, total: 0, status: "completed" }), 100);
  assert.equal(taskLine({ status: "running", moved: 40, total: 100, mode: "copy-delete", error: null }), "Redriving: 40 of 100 moved (copy, then delete)");
  assert.equal(taskLine({ status: "interrupted", moved: 40, total: 100, mode: "copy-delete", error: null }), "Redrive interrupted at 40 of 100: nothing was lost; resume to move the rest");
  assert.equal(taskLine({ status: "failed", moved: 3, total: 9, mode: "message-move-task", error: "AccessDenied" }), "Redrive stopped after 3 of 9: AccessDenied. The rest is still in the DLQ.");
});

test("ages", () => {
  assert.equal(formatAgeShort(null), "–");
  assert.equal(formatAgeShort(42), "42 s");
  assert.equal(formatAgeShort(7_500), "2 h 5 min");
  assert.equal(formatAgeShort(3 * 86_400), "3 d");
});
