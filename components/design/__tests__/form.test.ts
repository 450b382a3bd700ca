import { test } from "node:test";
import assert from "node:assert/strict";
import { EXAMPLES, kafkaConsumersTopology, ordersTopology } from "../../../server/model/examples/index";
import { LAG_TRIGGER_SETTINGS, TRIGGER_SETTINGS } from "../../../server/model/graph";
import { NODE_KINDS, TopologySchema, type TopoEdge, type Topology } from "../../../server/model/schema";
import { formFor, formForEdge, formForNode, formatInput, parseInput, rangeProblem, type FormField, type FormSection } from "../form";
import { createNode } from "../operations";

const fields = (sections: FormSection[]) => sections.flatMap((s) => s.fields);
const field = (sections: FormSection[], key: string): FormField => {
  const f = fields(sections).find((x) => x.key === key);
  assert.ok(f, `no field ${key}: ${fields(sections).map((x) => x.key).join(", ")}`);
  return f;
};

const trigger = (doc: Topology, id: string) => {
  const e = doc.edges.find((x) => x.id === id);
  assert.ok(e && e.kind === "trigger");
  return e;
};

test("a function's form: every model field, units, ranges from LIMITS, defaults, enum choices", () => {
  const fn = ordersTopology.nodes.find((n) => n.id === "fn-order-handler")!;
  const form = formForNode(fn);
  const memory = field(form, "memoryMb");
  assert.equal(memory.label, "Memory");
  assert.equal(memory.unit, "MB");
  assert.deepEqual(memory.control, { type: "number", integer: true });
  assert.equal(memory.range?.min, 128);
  assert.equal(memory.range?.max, 10_240);
  assert.match(memory.help ?? "", /AWS range 128–10240 MB/);
  assert.equal(memory.placeholder, "default 128");
  assert.equal(field(form, "timeoutSeconds").unit, "s");
  const runtime = field(form, "runtime");
  assert.equal(runtime.control.type, "enum");
  assert.ok(runtime.control.type === "enum" && runtime.control.options.includes("python3.12"));
  assert.deepEqual(field(form, "deadLetterQueueId").control, { type: "node-ref", kinds: ["queue", "sns-topic"] });
  assert.equal(field(form, "contextId").control.type, "context-ref");
  assert.equal(field(form, "environment").control.type, "record");
  assert.equal(field(form, "layers").control.type, "list");
  assert.equal(field(form, "snapStart").control.type, "boolean");
  assert.equal(field(form, "asyncInvoke.maximumRetryAttempts").range?.max, 2);
  assert.deepEqual(field(form, "asyncInvoke.onFailureDestinationId").control, { type: "node-ref", kinds: ["queue", "sns-topic", "event-bus", "function"] });
  assert.ok(form.some((s) => s.id === "asyncInvoke" && s.optional), "optional objects are sections that can be added and removed");
  for (const hidden of ["id", "kind", "position"]) assert.ok(!fields(form).some((f) => f.key === hidden), `${hidden} is not an input`);
});

test("every node kind has a form covering each of its top-level schema fields", () => {
  const doc = TopologySchema.parse({ schemaVersion: 1, name: "All" });
  for (const kind of NODE_KINDS) {
    const n = createNode(doc, kind, { position: { x: 0, y: 0 } });
    const form = formForNode(n);
    assert.ok(fields(form).some((f) => f.key === "name"), `${kind}: name`);
    assert.ok(fields(form).length >= 3, `${kind}: fields`);
  }
});

test("a queue trigger shows only SQS settings, with SQS defaults as placeholders", () => {
  const e = trigger(ordersTopology, "e-queue-order-events--fn-ship-order");
  const form = formForEdge(e, ordersTopology);
  const keys = new Set(fields(form).map((f) => f.key));
  for (const k of TRIGGER_SETTINGS.queue) if (k !== "filterCriteria") assert.ok(keys.has(k), `queue trigger shows ${k}`);
  for (const k of ["parallelizationFactor", "startingPosition", "bisectBatchOnFunctionError", "consumerGroupId", "lagThreshold", "tumblingWindowSeconds"]) assert.ok(!keys.has(k), `queue trigger hides ${k}`);
  const batch = field(form, "batchSize");
  assert.equal(batch.range?.max, 10_000, "standard queue: up to 10,000");
  const window = field(form, "maximumBatchingWindowSeconds");
  assert.equal(window.unit, "s");
  assert.equal(window.placeholder, "AWS default: 0");
  assert.ok(form.some((s) => s.title === "Batching"));
});

test("a stream trigger shows bisect, retries, record age, on-failure; a Kafka one its consumer group", () => {
  const listener = trigger(kafkaConsumersTopology, "e-kafka-purchases--fn-score-purchases");
  const form = formForEdge(listener, kafkaConsumersTopology);
  const keys = new Set(fields(form).map((f) => f.key));
  for (const k of ["bisectBatchOnFunctionError", "maximumRetryAttempts", "maximumRecordAgeSeconds", "onFailureDestinationId", "consumerGroupId", "filterCriteria.patterns"]) assert.ok(keys.has(k), `kafka trigger shows ${k}`);
  assert.ok(!keys.has("maximumConcurrency") && !keys.has("parallelizationFactor"));
  assert.equal(field(form, "bisectBatchOnFunctionError").control.type, "tristate", "optional booleans can be left to AWS");
  assert.equal(field(form, "maximumRecordAgeSeconds").range?.also?.[0], -1);
  const lag = kafkaConsumersTopology.edges.find((e) => e.kind === "trigger" && e.type === "consumer-lag")!;
  const lagKeys = new Set(fields(formForEdge(lag, kafkaConsumersTopology)).map((f) => f.key));
  for (const k of LAG_TRIGGER_SETTINGS) assert.ok(lagKeys.has(k), `lag trigger shows ${k}`);
  assert.ok(!lagKeys.has("batchSize"));
});

test("a FIFO queue's trigger has the FIFO batch range; settings that do not apply are listed apart", () => {
  const doc = TopologySchema.parse({
    schemaVersion: 1,
    name: "Fifo",
    nodes: [
      { id: "q", kind: "queue", name: "Q", fifo: true },
      { id: "f", kind: "function", name: "F" },
    ],
    edges: [{ id: "t", kind: "trigger", source: "q", target: "f", batchSize: 10, parallelizationFactor: 2 }],
  });
  const form = formForEdge(doc.edges[0] as TopoEdge, doc);
  assert.equal(field(form, "batchSize").range?.max, 10);
  const stray = form.find((s) => s.id === "stray");
  assert.ok(stray, "stray section");
  assert.deepEqual(stray.fields.map((f) => f.key), ["parallelizationFactor"]);
});

test("a call edge and a context have their forms", () => {
  const doc = EXAMPLES[1].topology;
  const call = doc.edges.find((e) => e.kind === "call");
  if (call) assert.equal(field(formForEdge(call, doc), "mode").control.type, "enum");
  const ctx = formFor(ordersTopology, "ctx-orders");
  assert.equal(ctx?.type, "context");
  assert.equal(field(ctx!.sections, "color").control.type, "color");
  assert.equal(field(ctx!.sections, "owner").control.type, "text");
});

test("parseInput: numbers, integers, empty fields, lists, records, JSON, schema rules", () => {
  const fn = ordersTopology.nodes.find((n) => n.id === "fn-order-handler")!;
  const form = formForNode(fn);
  const memory = field(form, "memoryMb");
  assert.deepEqual(parseInput(memory, "512"), { ok: true, value: 512 });
  assert.deepEqual(parseInput(memory, "1,024"), { ok: true, value: 1024 });
  assert.equal(parseInput(memory, "12a").ok, false);
  assert.equal(parseInput(memory, "12.5").ok, false, "integers only");
  assert.deepEqual(parseInput(memory, ""), { ok: true, value: 128 }, "empty resets to the default");
  assert.deepEqual(parseInput(field(form, "reservedConcurrency"), ""), { ok: true, value: undefined }, "empty unsets an optional field");
  assert.deepEqual(parseInput(field(form, "layers"), "arn:a\n\n arn:b "), { ok: true, value: ["arn:a", "arn:b"] });
  assert.deepEqual(parseInput(field(form, "environment"), "A=1\nB = two"), { ok: true, value: { A: "1", B: "two" } });
  assert.equal(parseInput(field(form, "environment"), "nonsense").ok, false);
  assert.equal(parseInput(field(form, "name"), "").ok, false, "a name is required");
  const route = formForNode(ordersTopology.nodes.find((n) => n.kind === "http-route")!);
  assert.equal(parseInput(field(route, "path"), "orders").ok, false, "the schema's regex");
  assert.equal(parseInput(field(route, "path"), "/orders").ok, true);
  const listener = trigger(kafkaConsumersTopology, "e-kafka-purchases--fn-score-purchases");
  const patterns = field(formForEdge(listener, kafkaConsumersTopology), "filterCriteria.patterns");
  assert.equal(parseInput(patterns, "{not json").ok, false);
  assert.equal(parseInput(patterns, '{"value":{"type":["A"]}}').ok, true);
});

test("formatInput round-trips with parseInput", () => {
  const fn = ordersTopology.nodes.find((n) => n.id === "fn-order-handler")!;
  const form = formForNode(fn);
  for (const key of ["memoryMb", "environment", "layers", "runtime", "handler"]) {
    const f = field(form, key);
    const value = (fn as Record<string, unknown>)[key];
    const back = parseInput(f, formatInput(f, value));
    assert.ok(back.ok, key);
    if (back.ok) assert.deepEqual(back.value, value, key);
  }
});

test("rangeProblem warns outside AWS ranges, not inside, and knows -1", () => {
  const range = { min: 1, max: 10_000, text: "AWS range 1–10,000" };
  assert.equal(rangeProblem(range, 50), undefined);
  assert.match(rangeProblem(range, 20_000) ?? "", /AWS range 1–10,000: 20,000/);
  assert.equal(rangeProblem({ min: 60, max: 604_800, also: [-1], text: "" }, -1), undefined);
  assert.ok(rangeProblem({ min: 60, max: 604_800, also: [-1], text: "x" }, 5));
});
