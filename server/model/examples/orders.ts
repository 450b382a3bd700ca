/**
 * Example "Orders": the order bounded context of seed 002 (Lambda architecture notes).
 * HTTP API routes → one routed handler → DynamoDB, order events on a published SQS queue that
 * a Shipping context consumes, with a dead-letter queue on the queue's redrive policy.
 *
 * Positions are absolute canvas pixels: contexts are laid out left to right, each node sits
 * inside its context's box on a 270 × 125 px grid; external systems sit below the context that
 * talks to them.
 */
import { TopologySchema, type Topology, type TopologyInput } from "../schema";

const DX = 270;
const DY = 125;
const PAD_X = 30;
const PAD_TOP = 50;
const NODE_W = 170;
const NODE_H = 60;
const GAP = 110;

/** Box of a context starting at `x` that holds `cols` × `rows` nodes. */
function box(x: number, cols: number, rows: number) {
  return {
    position: { x, y: 0 },
    size: { width: 2 * PAD_X + (cols - 1) * DX + NODE_W, height: PAD_TOP + (rows - 1) * DY + NODE_H + PAD_X },
  };
}
/** Position of the node in column `col`, row `row` of the box starting at `x`. */
const cell = (x: number, col: number, row: number) => ({ x: x + PAD_X + col * DX, y: PAD_TOP + row * DY });

const ORDERS = box(0, 3, 3);
const SHIPPING_X = ORDERS.size.width + GAP;
const SHIPPING = box(SHIPPING_X, 2, 2);
const BELOW_SHIPPING = SHIPPING.size.height + 60;

const doc: TopologyInput = {
  schemaVersion: 1,
  name: "Orders",
  description: [
    "The order bounded context of seed 002 (\"Lambda to implement microservice\").",
    "The commands of the Order entity are API Gateway routes (GET /orders/{id}, POST /orders) that all reach one",
    "function routing on the HTTP method (the seed's second choice: one handler with routing, simpler to test and",
    "package than one Lambda per verb). The order repository is a DynamoDB table owned by the context, and events",
    "propagate through an SQS queue (\"queueing for event propagation\").",
    "The queue is published: the Shipping context consumes it with partial batch responses, so one bad order does",
    "not replay the nine good ones; after 5 failed receives a message moves to a dead-letter queue kept 14 days.",
    "The queue's visibility timeout (180 s) is 6 × the consumer's timeout (30 s), as AWS recommends for SQS triggers.",
    "Shipping never reads the orders table: it keeps its own shipments table, fed by the events.",
    "Alternative noted by the seed: a transactional outbox (write the event to the table and propagate it with a",
    "DynamoDB stream) when the write and the event must never diverge.",
  ].join(" "),
  contexts: [
    {
      id: "ctx-orders",
      name: "Orders",
      color: "#6366f1",
      owner: "team-orders",
      description: "Takes and serves orders; owns the orders table and publishes order events.",
      ...ORDERS,
    },
    {
      id: "ctx-shipping",
      name: "Shipping",
      color: "#0ea5e9",
      owner: "team-logistics",
      description: "Books a carrier for each placed order; owns the shipments table.",
      ...SHIPPING,
    },
  ],
  nodes: [
    {
      id: "route-get-order",
      kind: "http-route",
      name: "GET /orders/{id}",
      contextId: "ctx-orders",
      api: "http",
      method: "GET",
      path: "/orders/{id}",
      auth: "jwt",
      position: cell(0, 0, 0),
    },
    {
      id: "route-create-order",
      kind: "http-route",
      name: "POST /orders",
      contextId: "ctx-orders",
      api: "http",
      method: "POST",
      path: "/orders",
      auth: "jwt",
      position: cell(0, 0, 1),
    },
    {
      id: "fn-order-handler",
      kind: "function",
      name: "Order handler",
      contextId: "ctx-orders",
      description: "Routes on the HTTP method: GET reads an order, POST validates, stores it and emits OrderPlaced.",
      runtime: "nodejs22.x",
      handler: "handler.handler",
      codeUri: "src/orders",
      memoryMb: 512,
      timeoutSeconds: 10,
      architecture: "arm64",
      logFormat: "JSON",
      environment: { POWERTOOLS_SERVICE_NAME: "orders", LOG_LEVEL: "INFO" },
      alias: { name: "live", versions: [{ version: "1", weight: 1 }], deploymentPreference: "Canary10Percent5Minutes" },
      simulate: { latencyMs: 35, initMs: 220, failureRate: 0.01, poisonMarker: "POISON" },
      position: cell(0, 1, 0),
    },
    {
      id: "table-orders",
      kind: "table",
      name: "Orders table",
      contextId: "ctx-orders",
      partitionKey: { name: "orderId", type: "S" },
      billingMode: "PAY_PER_REQUEST",
      extras: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
      position: cell(0, 2, 0),
    },
    {
      id: "queue-order-events",
      kind: "queue",
      name: "Order events",
      contextId: "ctx-orders",
      description: "OrderPlaced events for other contexts.",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      messageRetentionSeconds: 345_600,
      redrive: { deadLetterQueueId: "queue-order-events-dlq", maxReceiveCount: 5 },
      published: true,
      position: cell(0, 2, 1),
    },
    {
      id: "queue-order-events-dlq",
      kind: "queue",
      name: "Order events DLQ",
      contextId: "ctx-orders",
      description: "Order events that failed 5 receives; inspect, fix, then redrive.",
      fifo: false,
      messageRetentionSeconds: 1_209_600,
      tags: { alarm: "ApproximateNumberOfMessagesVisible above 0" },
      position: cell(0, 2, 2),
    },
    {
      id: "fn-ship-order",
      kind: "function",
      name: "Ship order",
      contextId: "ctx-shipping",
      description: "Books a carrier for each OrderPlaced event and records the shipment; reports failed records one by one.",
      runtime: "python3.12",
      handler: "app.handler",
      codeUri: "src/shipping",
      memoryMb: 256,
      timeoutSeconds: 30,
      architecture: "arm64",
      logFormat: "JSON",
      environment: { POWERTOOLS_SERVICE_NAME: "shipping" },
      simulate: { latencyMs: 120, initMs: 400, failureRate: 0.02, poisonMarker: "POISON" },
      position: cell(SHIPPING_X, 0, 0),
    },
    {
      id: "table-shipments",
      kind: "table",
      name: "Shipments table",
      contextId: "ctx-shipping",
      partitionKey: { name: "orderId", type: "S" },
      billingMode: "PAY_PER_REQUEST",
      position: cell(SHIPPING_X, 1, 0),
    },
    {
      id: "ext-carrier",
      kind: "external",
      name: "Carrier API",
      description: "The parcel carrier's booking API.",
      vendor: "Carrier",
      url: "https://api.carrier.example/v2/shipments",
      position: { x: SHIPPING_X + PAD_X, y: BELOW_SHIPPING },
    },
  ],
  edges: [
    { id: "e-route-get-order--fn-order-handler", kind: "trigger", source: "route-get-order", target: "fn-order-handler" },
    { id: "e-route-create-order--fn-order-handler", kind: "trigger", source: "route-create-order", target: "fn-order-handler" },
    { id: "e-fn-order-handler--table-orders", kind: "access", source: "fn-order-handler", target: "table-orders", mode: "read-write" },
    { id: "e-fn-order-handler--queue-order-events", kind: "produce", source: "fn-order-handler", target: "queue-order-events", label: "OrderPlaced" },
    {
      id: "e-queue-order-events--fn-ship-order",
      kind: "trigger",
      source: "queue-order-events",
      target: "fn-ship-order",
      batchSize: 10,
      reportBatchItemFailures: true,
      maximumConcurrency: 20,
    },
    { id: "e-fn-ship-order--table-shipments", kind: "access", source: "fn-ship-order", target: "table-shipments", mode: "read-write" },
    { id: "e-fn-ship-order--ext-carrier", kind: "produce", source: "fn-ship-order", target: "ext-carrier", label: "book shipment" },
  ],
};

export const ordersTopology: Topology = TopologySchema.parse(doc);
