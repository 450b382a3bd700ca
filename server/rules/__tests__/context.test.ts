import { test } from "node:test";
import assert from "node:assert/strict";
import { contextDatastoreShared } from "../context-datastore-shared";
import { contextDirectCall } from "../context-direct-call";
import { contextStreamLeak } from "../context-stream-leak";
import { tooManyFunctions } from "../too-many-functions";
import { access, bus, call, ctx, external, fn, produce, queue, run, sns, store, table, topo, trigger } from "./helpers";

const contexts = [ctx("orders"), ctx("billing")];

test("context-datastore-shared: a function reading another context's table is an error", () => {
  const doc = topo({
    contexts,
    nodes: [fn("charge", { contextId: "billing" }), table("orders-table", { contextId: "orders" })],
    edges: [access("charge", "orders-table", { mode: "read" })],
  });
  const [f, ...rest] = run(contextDatastoreShared, doc);
  assert.equal(rest.length, 0);
  assert.equal(f.ruleId, "context-datastore-shared");
  assert.equal(f.severity, "error");
  assert.deepEqual(f.elements, ["access-charge-orders-table", "charge", "orders-table"]);
  assert.match(f.message, /"charge" \(context "Billing"\) reads "orders-table".*"Orders"/);
  assert.equal(f.docs, "docs/rules/context-datastore-shared.md");
});

test("context-datastore-shared: a function outside any context reaching a context's store is reported", () => {
  const doc = topo({ contexts, nodes: [fn("helper"), store("ledger", { contextId: "billing" })], edges: [access("helper", "ledger")] });
  assert.equal(run(contextDatastoreShared, doc).length, 1);
});

test("context-datastore-shared: same-context access and shared stores are fine", () => {
  const doc = topo({
    contexts,
    nodes: [fn("charge", { contextId: "billing" }), store("ledger", { contextId: "billing" }), table("shared-config")],
    edges: [access("charge", "ledger"), access("charge", "shared-config", { mode: "read" })],
  });
  assert.deepEqual(run(contextDatastoreShared, doc), []);
});

test("context-direct-call: a sync call across contexts is a warning", () => {
  const doc = topo({
    contexts,
    nodes: [fn("checkout", { contextId: "orders" }), fn("charge", { contextId: "billing" })],
    edges: [call("checkout", "charge", { mode: "sync" })],
  });
  const found = run(contextDirectCall, doc);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, "warning");
  assert.deepEqual(found[0].elements, ["call-checkout-charge", "checkout", "charge"]);
});

test("context-direct-call: async calls, same-context calls and context-less helpers are not reported", () => {
  const doc = topo({
    contexts,
    nodes: [fn("checkout", { contextId: "orders" }), fn("confirm", { contextId: "orders" }), fn("charge", { contextId: "billing" }), fn("util")],
    edges: [call("checkout", "charge", { mode: "async" }), call("checkout", "confirm"), call("checkout", "util")],
  });
  assert.deepEqual(run(contextDirectCall, doc), []);
});

test("context-stream-leak: another context consuming an internal queue is a warning", () => {
  const doc = topo({
    contexts,
    nodes: [queue("order-events", { contextId: "orders" }), fn("invoice", { contextId: "billing" })],
    edges: [trigger("order-events", "invoice")],
  });
  const found = run(contextStreamLeak, doc);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /"invoice" \(context "Billing"\) consumes "order-events"/);
});

test("context-stream-leak: SNS fan-out into another context and writes into another context's stream are reported", () => {
  const doc = topo({
    contexts,
    nodes: [sns("order-topic", { contextId: "orders" }), queue("billing-inbox", { contextId: "billing" }), fn("charge", { contextId: "billing" }), queue("orders-internal", { contextId: "orders" })],
    edges: [produce("order-topic", "billing-inbox"), trigger("billing-inbox", "charge"), produce("charge", "orders-internal")],
  });
  const found = run(contextStreamLeak, doc);
  assert.deepEqual(
    found.map((f) => f.elements[0]),
    ["produce-order-topic-billing-inbox", "produce-charge-orders-internal"],
  );
  assert.match(found[1].message, /writes into "orders-internal"/);
});

test("context-stream-leak: published streams, subscriptions of one's own queue, same-context use and external sinks are fine", () => {
  const doc = topo({
    contexts,
    nodes: [
      queue("order-events", { contextId: "orders", published: true }),
      fn("invoice", { contextId: "billing" }),
      bus("orders-bus", { contextId: "orders" }),
      fn("ship", { contextId: "orders" }),
      external("erp"),
      sns("order-topic", { contextId: "orders", published: true }),
      queue("billing-inbox", { contextId: "billing" }),
    ],
    edges: [
      trigger("order-events", "invoice"),
      trigger("orders-bus", "ship"),
      produce("orders-bus", "erp"),
      produce("order-topic", "billing-inbox"),
      trigger("billing-inbox", "invoice"),
    ],
  });
  assert.deepEqual(run(contextStreamLeak, doc), []);
});

test("too-many-functions: more functions than the threshold in one context is info", () => {
  const nodes = Array.from({ length: 13 }, (_, i) => fn(`f${i}`, { contextId: "orders" }));
  const doc = topo({ contexts, nodes });
  const found = run(tooManyFunctions, doc);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, "info");
  assert.deepEqual(found[0].elements, ["orders"]);
  assert.match(found[0].message, /13 functions, more than 12/);
});

test("too-many-functions: at the threshold, or with a raised threshold, nothing is reported", () => {
  const twelve = topo({ contexts, nodes: Array.from({ length: 12 }, (_, i) => fn(`f${i}`, { contextId: "orders" })) });
  assert.deepEqual(run(tooManyFunctions, twelve), []);
  const twenty = topo({ contexts, nodes: Array.from({ length: 20 }, (_, i) => fn(`f${i}`, { contextId: "orders" })) });
  assert.deepEqual(run(tooManyFunctions, twenty, { tooManyFunctions: 20 }), []);
  assert.equal(run(tooManyFunctions, twenty, { tooManyFunctions: 5 }).length, 1);
});
