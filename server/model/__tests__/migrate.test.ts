import { test } from "node:test";
import assert from "node:assert/strict";
import { TopoError } from "../../errors";
import { declaredVersion, migrateDocument, MIGRATIONS, type Migration } from "../migrate";
import { SCHEMA_VERSION } from "../schema";
import { validateTopology } from "../validate";

/** The pre-release draft format: no schemaVersion, `context` instead of `contextId`. */
const draft = () => ({
  name: "Draft",
  contexts: [{ id: "ctx-orders", name: "Orders" }],
  nodes: [
    { id: "fn-order-handler", kind: "function", name: "Order handler", context: "ctx-orders" },
    { id: "ext-partner", kind: "external", name: "Partner" },
  ],
  edges: [{ id: "e-fn-order-handler--ext-partner", kind: "produce", source: "fn-order-handler", target: "ext-partner" }],
});

test("a version-0 draft upgrades to the current version, context → contextId", () => {
  const raw = draft();
  const out = migrateDocument(raw);
  assert.equal(out.schemaVersion, SCHEMA_VERSION);
  assert.equal(SCHEMA_VERSION, 1);
  const nodes = out.nodes as Record<string, unknown>[];
  assert.equal(nodes[0].contextId, "ctx-orders");
  assert.equal("context" in nodes[0], false);
  assert.deepEqual(nodes[1], { id: "ext-partner", kind: "external", name: "Partner" });
  // The input is not mutated: stored revisions are never rewritten.
  assert.deepEqual(raw, draft());
});

test("a version-0 draft validates after migration", () => {
  const r = validateTopology(draft());
  assert.equal(r.ok, true, JSON.stringify(r.problems));
  if (r.ok) assert.equal(r.topology.nodes[0].contextId, "ctx-orders");
});

test("schemaVersion 0 written explicitly is the same draft format", () => {
  const out = migrateDocument({ ...draft(), schemaVersion: 0 });
  assert.equal(out.schemaVersion, 1);
  assert.equal((out.nodes as Record<string, unknown>[])[0].contextId, "ctx-orders");
});

test("the version-0 step keeps an existing contextId and tolerates odd nodes", () => {
  const out = MIGRATIONS[0]({ nodes: [{ id: "a", context: "old", contextId: "new" }, null, "x"] });
  assert.deepEqual(out.nodes, [{ id: "a", context: "old", contextId: "new" }, null, "x"]);
  assert.equal(MIGRATIONS[0]({ name: "no nodes" }).nodes, undefined);
});

test("a current document passes through unchanged", () => {
  const doc = { schemaVersion: 1, name: "Now", nodes: [] };
  assert.deepEqual(migrateDocument(doc), doc);
});

test("a future version is refused with TOPO-E003", () => {
  assert.throws(
    () => migrateDocument({ schemaVersion: 99, name: "Future" }),
    (e: unknown) => e instanceof TopoError && e.code === "TOPO-E003" && /99/.test(e.message) && /Upgrade Topograph/.test(e.fix),
  );
  const r = validateTopology({ schemaVersion: 99, name: "Future" });
  assert.equal(r.ok, false);
  assert.equal(r.problems[0].code, "TOPO-E003");
  assert.equal(r.problems[0].path, "schemaVersion");
});

test("a schemaVersion that is not a whole number is TOPO-E003", () => {
  for (const v of ["1", 1.5, -1, null]) {
    assert.throws(() => declaredVersion({ schemaVersion: v }), (e: unknown) => e instanceof TopoError && e.code === "TOPO-E003", String(v));
    assert.equal(validateTopology({ schemaVersion: v, name: "x" }).problems[0]?.code, "TOPO-E003");
  }
});

test("a custom migration chain runs in order, one step per version", () => {
  const calls: number[] = [];
  const step =
    (n: number): Migration =>
    (doc) => {
      calls.push(n);
      // Each step sees the version set by the previous one.
      assert.equal(doc.schemaVersion ?? 0, n);
      return { ...doc, trail: [...((doc.trail as number[]) ?? []), n] };
    };
  const out = migrateDocument({ name: "x" }, { 0: step(0), 1: step(1), 2: step(2) }, 3);
  assert.deepEqual(calls, [0, 1, 2]);
  assert.deepEqual(out.trail, [0, 1, 2]);
  assert.equal(out.schemaVersion, 3);

  calls.length = 0;
  const fromOne = migrateDocument({ name: "x", schemaVersion: 1 }, { 0: step(0), 1: step(1), 2: step(2) }, 3);
  assert.deepEqual(calls, [1, 2]);
  assert.equal(fromOne.schemaVersion, 3);
});

test("a gap in the chain is TOPO-E003", () => {
  assert.throws(
    () => migrateDocument({ name: "x" }, { 0: (d) => d }, 2),
    (e: unknown) => e instanceof TopoError && e.code === "TOPO-E003" && /no upgrade from schemaVersion 1/.test(e.message),
  );
});
