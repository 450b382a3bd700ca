/**
 * Example "Chocolate box subscription": the monthly chocolate-box site of seed 003 (French
 * slides on serverless use cases). Third-party services call webhooks; each context owns its
 * data; contexts talk through one published EventBridge bus.
 *
 * Positions are absolute canvas pixels: contexts sit in two rows, each node inside its context's
 * box on a 280 × 130 px grid; external systems sit next to the context that talks to them.
 */
import { TopologySchema, type Topology, type TopologyInput } from "../schema";

const DX = 280;
const DY = 130;
const PAD_X = 30;
const PAD_TOP = 50;
const NODE_W = 170;
const NODE_H = 60;
const GAP = 110;
/** Room above the first row for the third-party services that call the webhooks. */
const TOP = NODE_H + 90;

function box(x: number, y: number, cols: number, rows: number) {
  return {
    position: { x, y },
    size: { width: 2 * PAD_X + (cols - 1) * DX + NODE_W, height: PAD_TOP + (rows - 1) * DY + NODE_H + PAD_X },
  };
}
type Box = ReturnType<typeof box>;
const cell = (b: Box, col: number, row: number) => ({ x: b.position.x + PAD_X + col * DX, y: b.position.y + PAD_TOP + row * DY });
const above = (b: Box, col: number) => ({ x: b.position.x + PAD_X + col * DX, y: b.position.y - TOP });
const below = (b: Box, col: number) => ({ x: b.position.x + PAD_X + col * DX, y: b.position.y + b.size.height + 70 });

// Two rows: the contexts that receive webhooks on top (their callers above them), the
// contexts that react to subscription events below, with the integration bus between them.
const CUSTOMERS = box(0, TOP, 4, 2);
const BILLING = box(CUSTOMERS.size.width + GAP, TOP, 3, 1);
const ROW2_Y = TOP + CUSTOMERS.size.height + 120;
const FULFILMENT = box(0, ROW2_Y, 3, 3);
const BUS_POS = { x: FULFILMENT.size.width + GAP, y: ROW2_Y + PAD_TOP };
const MARKETING = box(BUS_POS.x + NODE_W + GAP, ROW2_Y, 2, 2);
const C = CUSTOMERS;
const B = BILLING;
const F = FULFILMENT;
const M = MARKETING;

const CUSTOMER_EVENTS = JSON.stringify({ source: ["chocobox.customers"], "detail-type": ["CustomerRegistered", "CustomerEmailChanged"] });
const ORDERABLE_EVENTS = JSON.stringify({
  source: ["chocobox.customers", "chocobox.billing"],
  "detail-type": ["CustomerRegistered", "InvoicePaid", "SubscriptionCancelled"],
});

const doc: TopologyInput = {
  schemaVersion: 1,
  name: "Chocolate box subscription",
  description: [
    "The monthly chocolate-box site of seed 003 (\"Exemple de use case\"): forms are handled by a",
    "form service (Typeform, Formstack), payment by Stripe, stock by an external stock manager (Odoo or SAP).",
    "The seed's rules become events: a new sign-up adds the customer to the customer base; a new customer in the base",
    "adds an order to the stock manager; a new e-mail in the base starts marketing mails.",
    "The seed keeps the customer base in a SaaS (Google Sheets, Firebase); here it is a DynamoDB table owned by the",
    "Customers context, whose stream feeds a small publisher that turns inserts and e-mail changes into",
    "CustomerRegistered / CustomerEmailChanged events on a published EventBridge bus. Billing publishes InvoicePaid",
    "from Stripe's webhook. Fulfilment and Marketing subscribe with rules and never read another context's table:",
    "Fulfilment keeps its own projection of active subscriptions, which a monthly schedule reads to prepare the",
    "boxes. Calls to the stock manager go through an SQS queue with a maximum concurrency of 2, so a slow ERP",
    "throttles the queue rather than the whole site. Every asynchronous path ends in a dead-letter queue kept 14 days.",
  ].join(" "),
  contexts: [
    {
      id: "ctx-customers",
      name: "Customers",
      color: "#f59e0b",
      owner: "team-web",
      description: "Sign-ups from the form service; owns the customer base and announces new customers.",
      ...CUSTOMERS,
    },
    {
      id: "ctx-billing",
      name: "Billing",
      color: "#10b981",
      owner: "team-web",
      description: "Payments from Stripe; owns the payments ledger.",
      ...BILLING,
    },
    {
      id: "ctx-fulfilment",
      name: "Fulfilment",
      color: "#8b5cf6",
      owner: "team-operations",
      description: "Turns subscriptions into orders in the stock manager, every month.",
      ...FULFILMENT,
    },
    {
      id: "ctx-marketing",
      name: "Marketing",
      color: "#ec4899",
      owner: "team-growth",
      description: "Welcome and upsell mails (the bigger boxes, with more chocolates).",
      ...MARKETING,
    },
  ],
  nodes: [
    // ---- Customers ----
    {
      id: "route-form-webhook",
      kind: "http-route",
      name: "POST /webhooks/forms",
      contextId: "ctx-customers",
      description: "Typeform calls this on each submitted sign-up form; the handler checks the HMAC signature.",
      api: "http",
      method: "POST",
      path: "/webhooks/forms",
      auth: "none",
      webhook: true,
      position: cell(C, 0, 0),
    },
    {
      id: "fn-register-customer",
      kind: "function",
      name: "Register customer",
      contextId: "ctx-customers",
      description: "Verifies the form webhook signature and upserts the customer by e-mail.",
      runtime: "nodejs22.x",
      handler: "register.handler",
      codeUri: "src/customers",
      memoryMb: 256,
      timeoutSeconds: 10,
      architecture: "arm64",
      logFormat: "JSON",
      environment: { FORM_SECRET_NAME: "chocobox/typeform-webhook-secret" },
      simulate: { latencyMs: 40, initMs: 200, failureRate: 0.01, poisonMarker: "POISON" },
      position: cell(C, 1, 0),
    },
    {
      id: "table-customers",
      kind: "table",
      name: "Customer base",
      contextId: "ctx-customers",
      partitionKey: { name: "customerId", type: "S" },
      billingMode: "PAY_PER_REQUEST",
      stream: { viewType: "NEW_AND_OLD_IMAGES" },
      position: cell(C, 2, 0),
    },
    {
      id: "fn-publish-customer-events",
      kind: "function",
      name: "Publish customer events",
      contextId: "ctx-customers",
      description: "Turns stream records into CustomerRegistered (insert) and CustomerEmailChanged (e-mail modified) events.",
      runtime: "nodejs22.x",
      handler: "publish.handler",
      codeUri: "src/customers",
      memoryMb: 256,
      timeoutSeconds: 30,
      architecture: "arm64",
      logFormat: "JSON",
      simulate: { latencyMs: 25, initMs: 180, failureRate: 0.005, poisonMarker: "POISON" },
      position: cell(C, 3, 0),
    },
    {
      id: "queue-customer-events-failed",
      kind: "queue",
      name: "Customer stream failures",
      contextId: "ctx-customers",
      description: "On-failure destination of the customer stream: metadata of batches that exhausted their retries.",
      messageRetentionSeconds: 1_209_600,
      tags: { alarm: "ApproximateNumberOfMessagesVisible above 0" },
      position: cell(C, 3, 1),
    },
    // ---- Billing ----
    {
      id: "route-payment-webhook",
      kind: "http-route",
      name: "POST /webhooks/payments",
      contextId: "ctx-billing",
      description: "Stripe calls this for invoice.paid and customer.subscription.deleted; the handler checks the Stripe-Signature header.",
      api: "http",
      method: "POST",
      path: "/webhooks/payments",
      auth: "none",
      webhook: true,
      position: cell(B, 0, 0),
    },
    {
      id: "fn-handle-payment",
      kind: "function",
      name: "Handle payment",
      contextId: "ctx-billing",
      description: "Records the payment idempotently (Stripe retries webhooks) and publishes InvoicePaid or SubscriptionCancelled.",
      runtime: "nodejs22.x",
      handler: "payment.handler",
      codeUri: "src/billing",
      memoryMb: 256,
      timeoutSeconds: 10,
      architecture: "arm64",
      logFormat: "JSON",
      environment: { STRIPE_SECRET_NAME: "chocobox/stripe-webhook-secret" },
      simulate: { latencyMs: 45, initMs: 220, failureRate: 0.01, poisonMarker: "POISON" },
      position: cell(B, 1, 0),
    },
    {
      id: "table-payments",
      kind: "table",
      name: "Payments ledger",
      contextId: "ctx-billing",
      partitionKey: { name: "customerId", type: "S" },
      sortKey: { name: "invoiceId", type: "S" },
      billingMode: "PAY_PER_REQUEST",
      position: cell(B, 2, 0),
    },
    // ---- Shared integration bus ----
    {
      id: "bus-subscriptions",
      kind: "event-bus",
      name: "Subscription events",
      description: "The integration bus between contexts: customers and billing publish, fulfilment and marketing subscribe.",
      busName: "chocobox-subscriptions",
      published: true,
      position: BUS_POS,
    },
    // ---- Fulfilment ----
    {
      id: "fn-track-subscription",
      kind: "function",
      name: "Track subscription",
      contextId: "ctx-fulfilment",
      description: "Keeps Fulfilment's own view of active subscriptions; a new paying customer also gets a first box right away.",
      runtime: "nodejs22.x",
      handler: "track.handler",
      codeUri: "src/fulfilment",
      memoryMb: 256,
      timeoutSeconds: 15,
      architecture: "arm64",
      logFormat: "JSON",
      asyncInvoke: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3_600, onFailureDestinationId: "queue-fulfilment-failed" },
      simulate: { latencyMs: 30, initMs: 200, failureRate: 0.01, poisonMarker: "POISON" },
      position: cell(F, 0, 0),
    },
    {
      id: "queue-stock-orders",
      kind: "queue",
      name: "Stock orders",
      contextId: "ctx-fulfilment",
      description: "Box orders waiting to be created in the stock manager.",
      visibilityTimeoutSeconds: 360,
      messageRetentionSeconds: 345_600,
      redrive: { deadLetterQueueId: "queue-stock-orders-dlq", maxReceiveCount: 5 },
      position: cell(F, 1, 0),
    },
    {
      id: "fn-sync-stock-order",
      kind: "function",
      name: "Create stock order",
      contextId: "ctx-fulfilment",
      description: "Creates the sales order in Odoo/SAP (idempotent on the order reference).",
      runtime: "python3.12",
      handler: "stock.handler",
      codeUri: "src/fulfilment",
      memoryMb: 256,
      timeoutSeconds: 60,
      architecture: "arm64",
      logFormat: "JSON",
      environment: { STOCK_MANAGER_URL: "https://erp.chocobox.example" },
      simulate: { latencyMs: 600, initMs: 450, failureRate: 0.03, poisonMarker: "POISON" },
      position: cell(F, 2, 0),
    },
    {
      id: "table-subscriptions",
      kind: "table",
      name: "Active subscriptions",
      contextId: "ctx-fulfilment",
      description: "Fulfilment's projection of subscriptions, built from bus events (it never reads the customer base).",
      partitionKey: { name: "customerId", type: "S" },
      billingMode: "PAY_PER_REQUEST",
      position: cell(F, 0, 1),
    },
    {
      id: "queue-stock-orders-dlq",
      kind: "queue",
      name: "Stock orders DLQ",
      contextId: "ctx-fulfilment",
      messageRetentionSeconds: 1_209_600,
      tags: { alarm: "ApproximateNumberOfMessagesVisible above 0" },
      position: cell(F, 1, 1),
    },
    {
      id: "queue-fulfilment-failed",
      kind: "queue",
      name: "Fulfilment failed events",
      contextId: "ctx-fulfilment",
      description: "On-failure destination of the asynchronous Fulfilment functions (bus rule, monthly schedule).",
      messageRetentionSeconds: 1_209_600,
      tags: { alarm: "ApproximateNumberOfMessagesVisible above 0" },
      position: cell(F, 2, 1),
    },
    {
      id: "schedule-monthly-boxes",
      kind: "schedule",
      name: "First of the month",
      contextId: "ctx-fulfilment",
      expression: "cron(0 6 1 * ? *)",
      timezone: "Europe/Paris",
      scheduler: "scheduler",
      position: cell(F, 0, 2),
    },
    {
      id: "fn-prepare-monthly-boxes",
      kind: "function",
      name: "Prepare monthly boxes",
      contextId: "ctx-fulfilment",
      description: "Reads the active subscriptions and queues one stock order per box for the month.",
      runtime: "python3.12",
      handler: "monthly.handler",
      codeUri: "src/fulfilment",
      memoryMb: 512,
      timeoutSeconds: 300,
      architecture: "arm64",
      logFormat: "JSON",
      reservedConcurrency: 1,
      asyncInvoke: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 3_600, onFailureDestinationId: "queue-fulfilment-failed" },
      simulate: { latencyMs: 1_500, initMs: 450, failureRate: 0, poisonMarker: "POISON" },
      position: cell(F, 1, 2),
    },
    // ---- Marketing ----
    {
      id: "fn-send-marketing-mails",
      kind: "function",
      name: "Send marketing mails",
      contextId: "ctx-marketing",
      description: "Adds the new address to the mailing list and starts the welcome and upsell sequence.",
      runtime: "nodejs22.x",
      handler: "mails.handler",
      codeUri: "src/marketing",
      memoryMb: 256,
      timeoutSeconds: 30,
      architecture: "arm64",
      logFormat: "JSON",
      reservedConcurrency: 5,
      asyncInvoke: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600, onFailureDestinationId: "queue-marketing-failed" },
      simulate: { latencyMs: 150, initMs: 200, failureRate: 0.02, poisonMarker: "POISON" },
      position: cell(M, 0, 0),
    },
    {
      id: "table-mailing-list",
      kind: "table",
      name: "Mailing list",
      contextId: "ctx-marketing",
      partitionKey: { name: "email", type: "S" },
      billingMode: "PAY_PER_REQUEST",
      position: cell(M, 1, 0),
    },
    {
      id: "queue-marketing-failed",
      kind: "queue",
      name: "Marketing failed events",
      contextId: "ctx-marketing",
      messageRetentionSeconds: 1_209_600,
      tags: { alarm: "ApproximateNumberOfMessagesVisible above 0" },
      position: cell(M, 0, 1),
    },
    // ---- External services ----
    {
      id: "ext-form-service",
      kind: "external",
      name: "Form service",
      description: "Hosted sign-up forms (the seed names Formstack).",
      vendor: "Typeform",
      position: above(CUSTOMERS, 0),
    },
    {
      id: "ext-payment-service",
      kind: "external",
      name: "Payment service",
      description: "Card payments and monthly invoices (the seed names Stripe or PayPal).",
      vendor: "Stripe",
      url: "https://api.stripe.com",
      position: above(BILLING, 0),
    },
    {
      id: "ext-stock-manager",
      kind: "external",
      name: "Stock manager",
      description: "Stock and sales orders (the seed names Odoo or SAP).",
      vendor: "Odoo",
      url: "https://erp.chocobox.example",
      position: below(FULFILMENT, 2),
    },
    {
      id: "ext-mailing-service",
      kind: "external",
      name: "Mailing service",
      description: "Sends the marketing campaigns.",
      vendor: "Brevo",
      position: below(MARKETING, 0),
    },
  ],
  edges: [
    // Customers
    { id: "e-ext-form-service--route-form-webhook", kind: "produce", source: "ext-form-service", target: "route-form-webhook", label: "form submitted" },
    { id: "e-route-form-webhook--fn-register-customer", kind: "trigger", source: "route-form-webhook", target: "fn-register-customer" },
    { id: "e-fn-register-customer--table-customers", kind: "access", source: "fn-register-customer", target: "table-customers", mode: "read-write" },
    {
      id: "e-table-customers--fn-publish-customer-events",
      kind: "trigger",
      source: "table-customers",
      target: "fn-publish-customer-events",
      batchSize: 25,
      maximumBatchingWindowSeconds: 1,
      startingPosition: "TRIM_HORIZON",
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 5,
      maximumRecordAgeSeconds: 3_600,
      reportBatchItemFailures: true,
      onFailureDestinationId: "queue-customer-events-failed",
      filterCriteria: { patterns: [JSON.stringify({ eventName: ["INSERT", "MODIFY"] })] },
    },
    { id: "e-fn-publish-customer-events--bus-subscriptions", kind: "produce", source: "fn-publish-customer-events", target: "bus-subscriptions", label: "CustomerRegistered, CustomerEmailChanged" },
    // Billing
    { id: "e-ext-payment-service--route-payment-webhook", kind: "produce", source: "ext-payment-service", target: "route-payment-webhook", label: "invoice.paid" },
    { id: "e-route-payment-webhook--fn-handle-payment", kind: "trigger", source: "route-payment-webhook", target: "fn-handle-payment" },
    { id: "e-fn-handle-payment--table-payments", kind: "access", source: "fn-handle-payment", target: "table-payments", mode: "read-write" },
    { id: "e-fn-handle-payment--bus-subscriptions", kind: "produce", source: "fn-handle-payment", target: "bus-subscriptions", label: "InvoicePaid, SubscriptionCancelled" },
    // Fulfilment
    {
      id: "e-bus-subscriptions--fn-track-subscription",
      kind: "trigger",
      source: "bus-subscriptions",
      target: "fn-track-subscription",
      eventPattern: ORDERABLE_EVENTS,
    },
    { id: "e-fn-track-subscription--table-subscriptions", kind: "access", source: "fn-track-subscription", target: "table-subscriptions", mode: "read-write" },
    { id: "e-fn-track-subscription--queue-stock-orders", kind: "produce", source: "fn-track-subscription", target: "queue-stock-orders", label: "first box" },
    { id: "e-schedule-monthly-boxes--fn-prepare-monthly-boxes", kind: "trigger", source: "schedule-monthly-boxes", target: "fn-prepare-monthly-boxes" },
    { id: "e-fn-prepare-monthly-boxes--table-subscriptions", kind: "access", source: "fn-prepare-monthly-boxes", target: "table-subscriptions", mode: "read" },
    { id: "e-fn-prepare-monthly-boxes--queue-stock-orders", kind: "produce", source: "fn-prepare-monthly-boxes", target: "queue-stock-orders", label: "monthly boxes" },
    {
      id: "e-queue-stock-orders--fn-sync-stock-order",
      kind: "trigger",
      source: "queue-stock-orders",
      target: "fn-sync-stock-order",
      batchSize: 5,
      maximumBatchingWindowSeconds: 0,
      reportBatchItemFailures: true,
      maximumConcurrency: 2,
    },
    { id: "e-fn-sync-stock-order--ext-stock-manager", kind: "produce", source: "fn-sync-stock-order", target: "ext-stock-manager", label: "create sales order" },
    // Marketing
    {
      id: "e-bus-subscriptions--fn-send-marketing-mails",
      kind: "trigger",
      source: "bus-subscriptions",
      target: "fn-send-marketing-mails",
      eventPattern: CUSTOMER_EVENTS,
    },
    { id: "e-fn-send-marketing-mails--table-mailing-list", kind: "access", source: "fn-send-marketing-mails", target: "table-mailing-list", mode: "read-write" },
    { id: "e-fn-send-marketing-mails--ext-mailing-service", kind: "produce", source: "fn-send-marketing-mails", target: "ext-mailing-service", label: "campaign mails" },
  ],
};

export const chocolateBoxTopology: Topology = TopologySchema.parse(doc);
