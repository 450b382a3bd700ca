/**
 * The design editor as a user drives it: contexts, the palette, connecting, the inspector's
 * trigger settings (saved, reloaded), undo/redo, a refused connection and its reason, a
 * conflict between two tabs, keyboard-only creation, PNG export and the findings panel.
 * Projects are created through the API with unique names, so the spec can run again on one
 * database. Elements are found by role, label, data-id and data-testid, never by CSS class.
 */
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";

const unique = (s: string) => `${s} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

async function createProject(request: APIRequestContext, name: string, document?: unknown): Promise<string> {
  const res = await request.post("/api/projects", { data: { name: unique(name), ...(document ? { document } : {}) } });
  expect(res.status()).toBe(201);
  return (await res.json()).project.id as string;
}

async function latest(request: APIRequestContext, id: string) {
  const res = await request.get(`/api/projects/${id}/revisions/latest`);
  return (await res.json()).revision as { number: number; document: { nodes: { id: string; name: string; kind: string; contextId?: string }[]; edges: Record<string, unknown>[]; contexts: { id: string; name: string }[] } };
}

async function openDesign(page: Page, id: string) {
  await page.goto(`/projects/${id}/design`);
  await expect(page.getByTestId("design-canvas")).toBeVisible();
  await expect(page.getByRole("toolbar", { name: "Design tools" })).toBeVisible();
}

const canvas = (page: Page) => page.getByTestId("design-canvas");
const inspector = (page: Page) => page.getByTestId("design-inspector");
const palette = (page: Page) => page.getByRole("navigation", { name: "Palette" });
const element = (page: Page, id: string) => canvas(page).locator(`[data-id="${id}"]`);
const saveStatus = (page: Page) => page.getByTestId("save-status");

/** Drags a connection from a node's right-hand handle and drops it on the middle of another node. */
async function connect(page: Page, from: Locator, to: Locator) {
  await from.hover();
  const handle = from.locator('[data-handleid="source-right"]');
  const a = (await handle.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  const steps = 12;
  for (let i = 1; i <= steps; i++) await page.mouse.move(a.x + ((b.x + b.width / 2 - a.x) * i) / steps, a.y + ((b.y + b.height / 2 - a.y) * i) / steps);
  await page.mouse.up();
}

async function waitSaved(page: Page) {
  await expect(saveStatus(page)).toHaveAttribute("data-status", "saved", { timeout: 15_000 });
}

test("build a context with a queue triggering a function, set batching in the inspector, undo/redo, reload", async ({ page, request }) => {
  const id = await createProject(request, "E2E editor");
  await openDesign(page, id);

  // A context, renamed in the inspector.
  await page.getByRole("toolbar", { name: "Design tools" }).getByRole("button", { name: "Add context" }).click();
  await expect(inspector(page).getByRole("heading", { name: "New context" })).toBeVisible();
  await inspector(page).getByLabel("Name").fill("Orders");
  await expect(element(page, "ctx-new-context")).toContainText("Orders");

  // A function and a queue from the palette: they go into the selected context.
  await palette(page).getByRole("button", { name: "Add Function" }).click();
  await expect(element(page, "fn-new-function")).toBeVisible();
  await palette(page).getByRole("button", { name: "Add Queue" }).click();
  await expect(element(page, "queue-new-queue")).toBeVisible();
  await expect(page.getByRole("group", { name: "Queue New queue" })).toBeVisible();

  // Queue → function: the model makes it a trigger.
  await connect(page, element(page, "queue-new-queue"), element(page, "fn-new-function"));
  const edgeId = "e-queue-new-queue--fn-new-function";
  await expect(element(page, edgeId)).toHaveCount(1);
  await expect(inspector(page).getByRole("heading", { name: "New queue → New function" })).toBeVisible();

  // Batching, as a form: only SQS settings, with units and AWS ranges.
  await expect(inspector(page).getByLabel("Parallelization factor")).toHaveCount(0);
  await inspector(page).getByLabel("Batch size").fill("50");
  await inspector(page).getByLabel("Maximum batching window").fill("5");
  await expect(canvas(page).locator(`[data-edge-label="${edgeId}"]`)).toContainText("batch 50 · window 5s");
  // An invalid value is refused inline and not committed.
  await inspector(page).getByLabel("Maximum concurrency").fill("lots");
  await expect(inspector(page).getByRole("alert")).toContainText("whole number");
  await inspector(page).getByLabel("Maximum concurrency").fill("");

  // Undo the window, redo it (Escape leaves the inspector for the canvas first).
  await page.keyboard.press("Escape");
  await expect(inspector(page)).toBeHidden();
  await page.keyboard.press("ControlOrMeta+z");
  const label = canvas(page).locator(`[data-edge-label="${edgeId}"]`);
  await expect(label).not.toContainText("window");
  await expect(label).toContainText("batch 50");
  // Batch 50 without a window is a finding (SQS needs a window above 10): the edge shows a badge.
  await expect(label.getByLabel(/worst: error/)).toBeVisible();
  await page.keyboard.press("ControlOrMeta+Shift+z");
  await expect(canvas(page).locator(`[data-edge-label="${edgeId}"]`)).toContainText("window 5s");

  // Autosaved as a new revision; still there after a reload.
  await waitSaved(page);
  const saved = await latest(request, id);
  expect(saved.number).toBeGreaterThan(1);
  const edge = saved.document.edges.find((e) => e.id === edgeId)!;
  expect(edge).toMatchObject({ kind: "trigger", batchSize: 50, maximumBatchingWindowSeconds: 5 });
  expect(saved.document.nodes.find((n) => n.id === "fn-new-function")?.contextId).toBe("ctx-new-context");
  await page.reload();
  await expect(canvas(page).locator(`[data-edge-label="${edgeId}"]`)).toContainText("batch 50 · window 5s");
  await expect(element(page, "ctx-new-context")).toContainText("Orders");
});

test("an invalid connection is refused with the model's reason and fix", async ({ page, request }) => {
  const id = await createProject(request, "E2E refused", {
    schemaVersion: 1,
    name: "Refused",
    nodes: [
      { id: "bucket-files", kind: "bucket", name: "Files", position: { x: 0, y: 0 } },
      { id: "kafka-events", kind: "kafka-topic", name: "Events", topic: "events", position: { x: 400, y: 0 } },
    ],
  });
  await openDesign(page, id);
  await connect(page, element(page, "bucket-files"), element(page, "kafka-events"));
  const notice = page.getByTestId("design-notice");
  await expect(notice).toContainText("Cannot connect: an S3 bucket cannot send to a Kafka topic");
  await expect(notice).toContainText("S3 cannot publish to Kafka");
  await expect(notice).toContainText("TOPO-E013");
  await expect(canvas(page).getByRole("group", { name: /from Files to Events/ })).toHaveCount(0);
  expect((await latest(request, id)).number).toBe(1);
});

test("two tabs: a conflict is shown, and resolved without losing either side", async ({ browser, request }) => {
  const id = await createProject(request, "E2E conflict");
  const context = await browser.newContext();
  const a = await context.newPage();
  const b = await context.newPage();
  await openDesign(a, id);
  await openDesign(b, id);

  // A saves revision 2.
  await palette(a).getByRole("button", { name: "Add Function" }).click();
  await waitSaved(a);
  expect((await latest(request, id)).number).toBe(2);

  // B, still on revision 1, edits: its save is refused and it says so.
  await palette(b).getByRole("button", { name: "Add Queue" }).click();
  const banner = b.getByRole("alert", { name: "Save conflict" });
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await expect(banner).toContainText("revision 2");
  await expect(saveStatus(b)).toHaveAttribute("data-status", "conflict");
  expect((await latest(request, id)).number).toBe(2);

  // B keeps its version as revision 3: A's revision 2 is still in the history.
  await banner.getByRole("button", { name: "Keep mine as a new revision" }).click();
  await waitSaved(b);
  const r3 = await latest(request, id);
  expect(r3.number).toBe(3);
  expect(r3.document.nodes.map((n) => n.id)).toContain("queue-new-queue");
  const r2 = await (await request.get(`/api/projects/${id}/revisions/2`)).json();
  expect(r2.revision.document.nodes.map((n: { id: string }) => n.id)).toContain("fn-new-function");

  // A edits on top of revision 2: conflict again; it loads theirs (revision 3).
  await palette(a).getByRole("button", { name: "Add DynamoDB table" }).click();
  const bannerA = a.getByRole("alert", { name: "Save conflict" });
  await expect(bannerA).toBeVisible({ timeout: 15_000 });
  await bannerA.getByRole("button", { name: "Load theirs" }).click();
  await expect(bannerA).toBeHidden();
  await expect(element(a, "queue-new-queue")).toBeVisible();
  await expect(saveStatus(a)).toContainText("revision 3");
  expect((await latest(request, id)).number).toBe(3);
  await context.close();
});

test("keyboard only: create a node from the palette, name it, select it with Tab and Enter, delete it", async ({ page, request }) => {
  const id = await createProject(request, "E2E keyboard");
  await openDesign(page, id);
  await page.keyboard.press("n");
  await expect(palette(page).getByRole("searchbox", { name: "Search node kinds" })).toBeFocused();
  await page.keyboard.type("sqs");
  await page.keyboard.press("Enter");
  await expect(element(page, "queue-new-queue")).toBeVisible();
  // Focus went to the inspector's first field, the name.
  await expect(inspector(page).getByLabel("Name")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Jobs");
  await expect(element(page, "queue-new-queue")).toContainText("Jobs");

  // A second node, then back to the canvas: Tab goes from node to node, Enter selects, Delete removes.
  await page.keyboard.press("Escape");
  await expect(inspector(page)).toBeHidden();
  await page.keyboard.press("n");
  await page.keyboard.type("lambda");
  await page.keyboard.press("Enter");
  await expect(element(page, "fn-new-function")).toBeVisible();
  await page.keyboard.press("Escape");
  const fn = page.getByRole("group", { name: "Function New function" });
  const node = page.getByRole("group", { name: "Queue Jobs" });
  await node.focus();
  await page.keyboard.press("Tab");
  await expect(fn).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(node).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(inspector(page).getByRole("heading", { name: "Jobs" })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(inspector(page).getByLabel("Name")).toBeFocused();
  await page.keyboard.press("Escape");
  await node.focus();
  await page.keyboard.press("Enter");
  // Arrow keys move the selected node (5 px a press), saved as absolute pixels.
  await waitSaved(page);
  const x0 = (await latest(request, id)).document.nodes.find((n) => n.id === "queue-new-queue") as unknown as { position: { x: number; y: number } };
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  await waitSaved(page);
  const moved = (await latest(request, id)).document.nodes.find((n) => n.id === "queue-new-queue") as unknown as { position: { x: number; y: number } };
  expect(moved.position.x).toBe(x0.position.x + 15);
  expect(moved.position.y).toBe(x0.position.y);
  await page.keyboard.press("Delete");
  await expect(element(page, "queue-new-queue")).toHaveCount(0);
  await page.keyboard.press("ControlOrMeta+z");
  await expect(element(page, "queue-new-queue")).toHaveCount(1);
});

test("export PNG downloads a non-empty image", async ({ page, request }) => {
  const projects = (await (await request.get("/api/projects")).json()).projects as { id: string; name: string }[];
  const orders = projects.find((p) => p.name === "Orders")!;
  await openDesign(page, orders.id);
  await expect(element(page, "fn-order-handler")).toBeVisible();
  await page.getByRole("toolbar", { name: "Design tools" }).getByRole("button", { name: "Export" }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: "PNG image" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.png$/);
  const path = await download.path();
  const { readFileSync } = await import("node:fs");
  const bytes = readFileSync(path!);
  expect(bytes.length).toBeGreaterThan(5_000);
  expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
});

test("the findings panel shows a bad setting; clicking the finding selects its element", async ({ page, request }) => {
  const id = await createProject(request, "E2E findings", {
    schemaVersion: 1,
    name: "Findings",
    nodes: [
      { id: "queue-jobs", kind: "queue", name: "Jobs", position: { x: 0, y: 0 }, visibilityTimeoutSeconds: 600, redrive: { deadLetterQueueId: "queue-jobs-dlq", maxReceiveCount: 5 } },
      { id: "queue-jobs-dlq", kind: "queue", name: "Jobs DLQ", position: { x: 0, y: 200 }, messageRetentionSeconds: 1209600 },
      { id: "fn-worker", kind: "function", name: "Worker", position: { x: 400, y: 0 } },
    ],
    edges: [{ id: "e-queue-jobs--fn-worker", kind: "trigger", source: "queue-jobs", target: "fn-worker", batchSize: 20000, maximumBatchingWindowSeconds: 5, reportBatchItemFailures: true }],
  });
  await openDesign(page, id);
  // The edge carries a badge: count and worst severity.
  await expect(canvas(page).locator('[data-edge-label="e-queue-jobs--fn-worker"]').getByLabel(/finding.*worst: error/)).toBeVisible();
  await page.getByRole("button", { name: /^Findings:/ }).click();
  const panel = page.getByTestId("design-findings");
  await expect(panel).toBeVisible();
  const finding = panel.getByRole("button", { name: /batch-size-range/ });
  await expect(finding).toContainText("20,000");
  await finding.click();
  await expect(inspector(page).getByRole("heading", { name: "Jobs → Worker" })).toBeVisible();
  await expect(inspector(page).getByLabel("Batch size")).toHaveValue("20000");
  await expect(inspector(page).getByText(/AWS range 1–10,000: 20,000 will be refused at deploy/)).toBeVisible();
  // Fixing it clears the finding.
  await inspector(page).getByLabel("Batch size").fill("100");
  await page.getByRole("button", { name: /^Findings:/ }).click();
  await expect(panel.getByRole("button", { name: /batch-size-range/ })).toHaveCount(0);
});

test("Ctrl/Cmd+K finds a node and jumps to it; SVG and Mermaid exports", async ({ page, request }) => {
  const projects = (await (await request.get("/api/projects")).json()).projects as { id: string; name: string }[];
  const kafka = projects.find((p) => p.name === "Kafka consumers")!;
  await openDesign(page, kafka.id);
  await page.keyboard.press("ControlOrMeta+k");
  const dialog = page.getByRole("dialog", { name: "Find a node" });
  await dialog.getByRole("combobox").fill("export pur");
  await expect(dialog.getByRole("option").first()).toContainText("Export purchases");
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(inspector(page).getByRole("heading", { name: "Export purchases" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Function Export purchases" })).toBeFocused();

  const tools = page.getByRole("toolbar", { name: "Design tools" });
  await tools.getByRole("button", { name: "Export" }).click();
  const [svg] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: "SVG image" }).click()]);
  expect(svg.suggestedFilename()).toMatch(/\.svg$/);
  const { readFileSync } = await import("node:fs");
  expect(readFileSync((await svg.path())!, "utf8")).toContain("<svg");

  await tools.getByRole("button", { name: "Export" }).click();
  await page.getByRole("menuitem", { name: "Mermaid flowchart" }).click();
  const mermaid = page.getByRole("dialog", { name: "Mermaid flowchart" });
  const source = mermaid.getByRole("textbox", { name: "Mermaid source" });
  await expect(source).toHaveValue(/^flowchart LR/);
  await expect(source).toHaveValue(/subgraph n_ctx_loyalty\["Loyalty \(team-loyalty\)"\]/);
  await expect(source).toHaveValue(/n_kafka_purchases -->\|"trigger: event-stream listener · batch 250/);
  await mermaid.getByRole("button", { name: "Close" }).click();
  await expect(mermaid).toBeHidden();
});
