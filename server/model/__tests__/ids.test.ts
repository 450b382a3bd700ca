import { test } from "node:test";
import assert from "node:assert/strict";
import { makeEdgeId, makeId, slugify, takenIds } from "../ids";
import { IdSchema, NODE_KINDS } from "../schema";

test("slugify folds accents, lower-cases and joins words with single dashes", () => {
  assert.equal(slugify("Commandes — Expédition"), "commandes-expedition");
  assert.equal(slugify("Créer une commande"), "creer-une-commande");
  assert.equal(slugify("  Ça   déborde!!  "), "ca-deborde");
  assert.equal(slugify("Ordering / Billing v2"), "ordering-billing-v2");
  assert.equal(slugify("Ñandú Über"), "nandu-uber");
});

test("slugify spells out letters that have no decomposition (œ, æ, ß, ø, ł…)", () => {
  // French names are common here (the seeds are French): "cœur" must not become "c-ur".
  assert.equal(slugify("Gestion des cœurs"), "gestion-des-coeurs");
  assert.equal(slugify("Œuvre"), "oeuvre");
  assert.equal(slugify("Ex æquo"), "ex-aequo");
  assert.equal(slugify("Straße"), "strasse");
  assert.equal(slugify("Ørsted Łódź"), "orsted-lodz");
});

test("slugify is stable: same name, same slug; a slug slugifies to itself", () => {
  for (const name of ["Order handler", "Gestion des stocks (Odoo)", "Kafka → Lambda", "x"]) {
    assert.equal(slugify(name), slugify(name));
    assert.equal(slugify(slugify(name)), slugify(name));
  }
});

test("slugify never returns an empty or over-long slug, nor one ending in a dash", () => {
  assert.equal(slugify(""), "x");
  assert.equal(slugify("!!!"), "x");
  assert.equal(slugify("注文"), "x");
  const long = slugify("word ".repeat(40));
  assert.ok(long.length <= 60);
  assert.doesNotMatch(long, /-$/);
});

test("makeId prefixes by kind and every result is a valid id", () => {
  assert.equal(makeId("function", "Order handler", new Set()), "fn-order-handler");
  assert.equal(makeId("queue", "Order events", new Set()), "queue-order-events");
  assert.equal(makeId("context", "Orders", new Set()), "ctx-orders");
  assert.equal(makeId("kafka-topic", "Purchases", new Set()), "kafka-purchases");
  assert.equal(makeId("edge", "x", new Set()), "e-x");
  for (const kind of NODE_KINDS) {
    const id = makeId(kind, "Évènement spécial n°1", new Set());
    assert.ok(IdSchema.safeParse(id).success, id);
  }
});

test("makeId avoids collisions with numbered suffixes, including names that only differ by accents", () => {
  const taken = new Set<string>();
  const a = makeId("function", "Créer commande", taken);
  taken.add(a);
  const b = makeId("function", "Creer commande", taken);
  taken.add(b);
  const c = makeId("function", "CRÉER  COMMANDE!", taken);
  assert.deepEqual([a, b, c], ["fn-creer-commande", "fn-creer-commande-2", "fn-creer-commande-3"]);
  // A gap is reused: ids are unique, not sequential.
  assert.equal(makeId("function", "Créer commande", new Set(["fn-creer-commande", "fn-creer-commande-3"])), "fn-creer-commande-2");
});

test("makeId does not depend on other kinds' ids", () => {
  assert.equal(makeId("queue", "Orders", new Set(["ctx-orders", "fn-orders"])), "queue-orders");
});

test("makeEdgeId joins source and target and suffixes parallel edges", () => {
  const taken = new Set<string>();
  const first = makeEdgeId("fn-a", "queue-b", taken);
  taken.add(first);
  assert.equal(first, "e-fn-a--queue-b");
  assert.equal(makeEdgeId("fn-a", "queue-b", taken), "e-fn-a--queue-b-2");
  const long = makeEdgeId("fn-" + "a".repeat(100), "fn-" + "b".repeat(100), new Set());
  assert.ok(IdSchema.safeParse(long).success);
});

test("takenIds collects contexts, nodes and edges", () => {
  const ids = takenIds({ contexts: [{ id: "ctx-a" }], nodes: [{ id: "fn-a" }], edges: [{ id: "e-1" }] });
  assert.deepEqual([...ids].sort(), ["ctx-a", "e-1", "fn-a"]);
});
