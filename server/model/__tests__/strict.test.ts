import { test } from "node:test";
import assert from "node:assert/strict";
import { topologyJsonSchema } from "../schema";
import { validateTopology } from "../validate";

test("a misspelt field is an error, not a silently dropped value", () => {
  const r = validateTopology({ schemaVersion: 1, name: "t", nodes: [{ id: "fn-a", kind: "function", name: "A", timeout: 30 }] });
  assert.equal(r.ok, false);
  assert.equal(r.problems[0].code, "TOPO-E002");
  assert.equal(r.problems[0].path, "nodes[0]");
  assert.match(r.problems[0].message, /timeout/);
});

test("a version-1 document using the draft field `context` is refused rather than losing its context", () => {
  const r = validateTopology({ schemaVersion: 1, name: "t", contexts: [{ id: "ctx-a", name: "A" }], nodes: [{ id: "fn-a", kind: "function", name: "A", context: "ctx-a" }] });
  assert.equal(r.ok, false);
  assert.match(r.problems[0].message, /context/);
});

test("the generated JSON Schema forbids unknown properties too", () => {
  const s = topologyJsonSchema() as { additionalProperties?: boolean };
  assert.equal(s.additionalProperties, false);
});

test("a FIFO queue cannot be a function's async DLQ or destination", () => {
  const r = validateTopology({
    schemaVersion: 1,
    name: "t",
    nodes: [
      { id: "fn-a", kind: "function", name: "A", deadLetterQueueId: "queue-f", asyncInvoke: { onFailureDestinationId: "queue-f" } },
      { id: "queue-f", kind: "queue", name: "F.fifo", fifo: true },
    ],
  });
  assert.equal(r.ok, false);
  assert.deepEqual(r.problems.map((p) => [p.code, p.path]), [
    ["TOPO-E015", "nodes[0].deadLetterQueueId"],
    ["TOPO-E015", "nodes[0].asyncInvoke.onFailureDestinationId"],
  ]);
});
