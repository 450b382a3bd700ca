import { test } from "node:test";
import assert from "node:assert/strict";
import { EXAMPLES, ordersTopology } from "../../../server/model/examples/index";
import { TopologySchema } from "../../../server/model/schema";
import { mermaidId, mermaidText, toMermaid } from "../mermaid";

test("orders: a left-to-right flowchart with one subgraph per context and labelled edges", () => {
  const text = toMermaid(ordersTopology);
  const lines = text.split("\n");
  assert.equal(lines[0], "flowchart LR");
  assert.ok(lines.includes('  subgraph n_ctx_orders["Orders (team-orders)"]'), text);
  assert.ok(lines.includes('  subgraph n_ctx_shipping["Shipping (team-logistics)"]'));
  // Members inside their subgraph, free nodes outside.
  const start = lines.indexOf('  subgraph n_ctx_orders["Orders (team-orders)"]');
  const end = lines.indexOf("  end", start);
  const inside = lines.slice(start, end).join("\n");
  assert.match(inside, /n_fn_order_handler\["Order handler<br\/><small>Function<\/small>"\]/);
  assert.match(inside, /n_queue_order_events\[\["Order events/, "queues are subroutine boxes");
  assert.match(inside, /n_table_orders\[\("Orders table/, "tables are cylinders");
  assert.doesNotMatch(inside, /n_ext_carrier/);
  assert.match(text, /\n  n_ext_carrier\{\{"Carrier API/, "an external system is a free hexagon");
  // Edges with their kind and settings.
  assert.match(text, /n_queue_order_events -->\|"trigger: batch 10 · max 20 conc\."\| n_fn_ship_order/);
  assert.match(text, /n_fn_order_handler -->\|"produce: OrderPlaced"\| n_queue_order_events/);
  assert.match(text, /n_fn_order_handler -.->\|"access: read\/write"\| n_table_orders/);
  assert.match(text, /n_queue_order_events -.->\|"redrive ×5"\| n_queue_order_events_dlq/);
  assert.match(text, /style n_ctx_orders stroke:#/);
});

for (const { slug, topology } of EXAMPLES) {
  test(`${slug}: every node and edge appears, every subgraph closes, ids are Mermaid-safe`, () => {
    const text = toMermaid(topology);
    for (const n of topology.nodes) assert.ok(text.includes(`${mermaidId(n.id)}`), n.id);
    const edgeLines = text.split("\n").filter((l) => /\|".*"\|/.test(l));
    const references =
      topology.nodes.reduce((k, n) => k + (n.kind === "function" ? [n.deadLetterQueueId, n.asyncInvoke?.onFailureDestinationId, n.asyncInvoke?.onSuccessDestinationId].filter(Boolean).length : n.kind === "queue" && n.redrive ? 1 : 0), 0) +
      topology.edges.filter((e) => e.kind === "trigger" && e.onFailureDestinationId).length;
    assert.equal(edgeLines.length, topology.edges.length + references);
    assert.equal(text.split("\n").filter((l) => l.trim().startsWith("subgraph")).length, topology.contexts.length);
    assert.equal(text.split("\n").filter((l) => l.trim() === "end").length, topology.contexts.length);
    for (const id of text.matchAll(/\bn_[a-z0-9_]+/g)) assert.doesNotMatch(id[0], /-/);
  });
}

test("labels are escaped: quotes, angle brackets, new lines", () => {
  assert.equal(mermaidText('say "hi" <b>\nnow'), "say #quot;hi#quot; #lt;b#gt; now");
  const doc = TopologySchema.parse({
    schemaVersion: 1,
    name: 'Quote "test"',
    nodes: [
      { id: "a", kind: "function", name: 'The "A" <function>' },
      { id: "b", kind: "function", name: "B" },
    ],
    edges: [{ id: "c", kind: "call", source: "a", target: "b", mode: "async", label: 'fire "now"' }],
  });
  const text = toMermaid(doc);
  assert.match(text, /n_a\["The #quot;A#quot; #lt;function#gt;/);
  assert.match(text, /n_a -.->\|"call: fire #quot;now#quot; · async"\| n_b/, "async calls are dotted");
  assert.doesNotMatch(text.replace(/"[^"]*"/g, ""), /</, "no raw markup outside labels");
});
