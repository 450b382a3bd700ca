/**
 * The Observe tab against the real server and the real local sandbox: open an example, Run
 * locally, send traffic with a poison fraction from the traffic form, watch node badges and a
 * chart move, open the dead-letter queue, peek a message and redrive it. Then the empty and
 * error states (no environment, sandbox stopped, an AWS environment that cannot be read).
 *
 * The example is a copy of Orders whose order-events queue redelivers after 2 s and gives up
 * after 2 receives (the seeded one waits 180 s × 5), so poison messages reach the DLQ in seconds.
 * Screenshots of each state, light and dark, go to docs/screenshots/observe-*.png when
 * TOPO_SCREENSHOTS=1.
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { fileURLToPath } from "node:url";

const SHOTS = process.env.TOPO_SCREENSHOTS === "1";
const shotsDir = fileURLToPath(new URL("../docs/screenshots/", import.meta.url));

async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}) {
  if (!SHOTS) return;
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute("data-theme", t), theme);
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${shotsDir}observe-${name}${theme === "dark" ? "-dark" : ""}.png`, fullPage: opts.fullPage });
  }
  await page.evaluate(() => document.documentElement.removeAttribute("data-theme"));
}

/** A fresh project from the Orders example, tuned so poison messages reach its DLQ quickly. */
async function ordersCopy(request: APIRequestContext, name: string): Promise<string> {
  const { projects } = await (await request.get("/api/projects")).json();
  const orders = projects.find((p: { name: string }) => p.name === "Orders");
  const { revision } = await (await request.get(`/api/projects/${orders.id}/revisions/latest`)).json();
  const doc = structuredClone(revision.document);
  const queue = doc.nodes.find((n: { id: string }) => n.id === "queue-order-events");
  queue.visibilityTimeoutSeconds = 2;
  queue.redrive.maxReceiveCount = 2;
  doc.name = name;
  const create = (n: string) => request.post("/api/projects", { data: { name: n, description: "The Orders example, with a queue that gives up after 2 receives 2 s apart", document: doc } });
  let res = await create(name);
  if (res.status() === 409) res = await create(`${name} ${Date.now()}`); // left over from an interrupted run
  expect(res.status()).toBe(201);
  return (await res.json()).project.id;
}

const number = (s: string | null) => Number((s ?? "").replace(/[^0-9.]/g, ""));

test.describe.configure({ mode: "serial" });

test("Orders, run locally: traffic with poison moves the badges and charts; a dead letter is peeked and redriven", async ({ page, request }) => {
  test.setTimeout(150_000);
  const id = await ordersCopy(request, "Orders, live");
  try {
    await page.goto(`/projects/${id}/design`);
    await page.getByRole("navigation", { name: "Project sections" }).getByRole("link", { name: "Observe" }).click();
    await expect(page).toHaveURL(/\/observe/);

    // No environment yet: the empty state points at Settings and offers the sandbox.
    const empty = page.getByTestId("observe-no-environment");
    await expect(empty.getByRole("heading", { name: "No environment to observe yet" })).toBeVisible();
    await expect(empty.getByRole("link", { name: "Add an environment" })).toHaveAttribute("href", `/projects/${id}/settings#environments`);
    await shot(page, "no-environment");

    await empty.getByRole("button", { name: "Run locally" }).click();
    await expect(page.getByTestId("sandbox-state")).toHaveText("Running", { timeout: 30_000 });

    // The local environment was created and is picked; the canvas draws the topology with live figures.
    await expect(page.getByLabel("Environment", { exact: true })).toHaveValue(/env-/);
    await expect(page.getByLabel("Environment", { exact: true }).locator("option:checked")).toHaveText("local (local sandbox)");
    await expect(page.getByTestId("observe-canvas")).toBeVisible();
    await expect(page.getByRole("radio", { name: "5 min" })).toBeChecked();
    const ship = page.getByTestId("node-live-fn-ship-order");
    await expect(ship).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("observe-freshness")).toContainText(/read (just now|\d+ s ago) · every 2 s/);

    // Send traffic with a poison fraction through the traffic form.
    const form = page.getByRole("form", { name: "Traffic generator" });
    await form.getByLabel("Source").selectOption({ label: "Order events" });
    await form.getByLabel("Events/s").fill("10");
    await form.getByLabel("Seconds").fill("40");
    await form.getByLabel("Poison %").fill("25");
    await form.getByRole("button", { name: "Send" }).click();

    // Node badges move: invocations per minute on the consumer, the trigger's live label.
    await expect(ship.locator("[data-chip=rate]")).not.toHaveText("0/min", { timeout: 30_000 });
    await expect(ship.locator("[data-chip=p95]")).toHaveText(/^p95 \d/);
    await expect(page.getByTestId("edge-live-e-queue-order-events--fn-ship-order")).toContainText(/\/min · lag /);
    await expect.poll(async () => number(await page.getByTestId("total-invocations").textContent()), { timeout: 20_000 }).toBeGreaterThan(0);

    // The function panel: a chart with points, and it moves while traffic flows.
    await page.locator('.react-flow__node[data-id="fn-ship-order"]').click();
    const panel = page.getByTestId("function-panel");
    await expect(panel.getByRole("heading", { name: "Ship order" })).toBeVisible();
    const chart = panel.getByTestId("chart-invocations");
    await expect(chart.getByRole("img", { name: /^Invocations and errors chart, \d+ points$/ })).toBeVisible({ timeout: 20_000 });
    const charted = number((await chart.locator("figcaption span").textContent())?.split("·")[0] ?? "");
    const before = number(await panel.getByTestId("stat-invocations").locator(".stat-value").textContent());
    await expect.poll(async () => number(await panel.getByTestId("stat-invocations").locator(".stat-value").textContent()), { timeout: 20_000 }).toBeGreaterThan(before);
    await expect.poll(() => chart.locator("path.recharts-rectangle").count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // The chart's own figure moves with it (the bars are the same buckets).
    await expect.poll(async () => number((await chart.locator("figcaption span").textContent())?.split("·")[0] ?? ""), { timeout: 20_000 }).toBeGreaterThan(charted);
    await expect(panel.getByTestId("latest-invocations").locator("tbody tr").first()).toBeVisible();
    await expect(panel.getByTestId("latest-invocations")).toContainText(/success|failure|error/);
    await expect(panel.getByTestId("function-freshness")).toContainText(/^read /);
    await shot(page, "function-panel");

    // The trigger's lag panel opens from its edge label.
    await page.locator('[data-edge-label="e-queue-order-events--fn-ship-order"]').click();
    const lag = page.getByTestId("trigger-panel");
    await expect(lag.getByRole("heading", { name: "Order events → Ship order" })).toBeVisible();
    await expect(lag.getByTestId("trigger-status")).toHaveAttribute("data-status", /OK|WARN|STALL|STOP|UNKNOWN/);
    await expect(lag.getByTestId("chart-lag")).toBeVisible();
    await shot(page, "trigger-panel");

    // Poison messages land in the DLQ: its badge turns red; the DLQ node opens the browser.
    const dlqBadge = page.getByTestId("node-live-queue-order-events-dlq");
    await expect(dlqBadge.locator("[data-chip=depth]")).not.toHaveText(/^0 dead$/, { timeout: 60_000 });
    await expect(page.getByTestId("total-dead-letters")).not.toHaveText("0");
    await page.getByTestId("trigger-panel").getByRole("button", { name: "Close the panel" }).click();
    await expect(page.getByTestId("trigger-panel")).toHaveCount(0);
    await page.waitForTimeout(400); // the canvas fits the graph again once the panel is gone
    await shot(page, "canvas");

    // A collapsed context totals its members: rate, errors, dead letters.
    await page.getByRole("button", { name: "Collapse Orders" }).click();
    await expect(page.getByTestId("context-live-ctx-orders")).toContainText(/\/min · .*% errors · \d+ dead/);
    await page.getByRole("button", { name: "Expand Orders" }).click();

    // Far out (the overview), every context still shows its totals.
    const zoomOut = page.getByRole("button", { name: "Zoom Out" });
    for (let i = 0; i < 5; i++) await zoomOut.click();
    await expect(page.getByTestId("context-live-ctx-orders")).toBeVisible();
    await expect(page.getByTestId("context-live-ctx-shipping")).toContainText("/min");
    await shot(page, "overview");
    await page.getByRole("button", { name: "Fit View" }).click();
    await expect(page.getByTestId("node-live-queue-order-events-dlq")).toBeVisible();
    await page.locator('.react-flow__node[data-id="queue-order-events-dlq"]').click();
    const browser = page.getByTestId("queue-panel").getByTestId("dlq-browser");
    await expect(browser).toBeVisible();
    await expect(browser.getByTestId("dlq-peek-notice")).toContainText("raises every shown message");
    await browser.getByRole("button", { name: "Peek messages" }).click();
    const first = browser.getByTestId("dlq-message").first();
    await expect(first).toBeVisible({ timeout: 15_000 });
    await first.click();
    await expect(browser.getByTestId("dlq-body")).toContainText(/"seq": \d+/);
    await shot(page, "dlq");

    // Redrive, behind a confirmation; the DLQ empties.
    const depthBefore = number(await browser.getByTestId("dlq-depth").textContent());
    expect(depthBefore).toBeGreaterThan(0);
    await browser.getByRole("button", { name: "Redrive…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Redrive" }).click();
    await expect(browser.getByTestId("dlq-redrive")).toHaveAttribute("data-status", /running|completed/, { timeout: 20_000 });
    await expect(browser.getByTestId("dlq-redrive")).toHaveAttribute("data-status", "completed", { timeout: 30_000 });
  } finally {
    await request.delete(`/api/projects/${id}/sandbox`);
    await request.delete(`/api/projects/${id}`);
  }
});

test("empty and error states: sandbox stopped, an AWS environment that cannot be read", async ({ page, request }) => {
  test.setTimeout(60_000);
  const { projects } = await (await request.get("/api/projects")).json();
  const kafka = projects.find((p: { name: string }) => p.name === "Kafka consumers");
  const res = await request.post("/api/projects", { data: { name: `Kafka consumers, observed ${Date.now() % 100_000}`, document: (await (await request.get(`/api/projects/${kafka.id}/revisions/latest`)).json()).revision.document } });
  const id = (await res.json()).project.id;
  try {
    await request.post(`/api/projects/${id}/environments`, { data: { name: "local", kind: "local" } });
    const aws = await request.post(`/api/projects/${id}/environments`, { data: { name: "production", kind: "aws", region: "eu-west-1", credentialsRef: "default", stackName: "kafka-consumers-prod" } });
    expect(aws.status()).toBe(201);
    const awsId = (await aws.json()).environment.id;

    // local comes first, and its sandbox is stopped: say so, with the way to start it.
    await page.goto(`/projects/${id}/observe`);
    const picker = page.getByLabel("Environment", { exact: true });
    await expect(picker.locator("option")).toHaveText(["local (local sandbox)", "production (AWS eu-west-1)"]);
    const stopped = page.getByTestId("observe-not-running");
    await expect(stopped.getByRole("heading", { name: "The local sandbox is not running" })).toBeVisible();
    await expect(stopped.getByRole("button", { name: "Start the sandbox" })).toBeEnabled();
    await shot(page, "not-running");

    // An AWS environment this machine cannot read: the problem with its code and fix, and where to change it.
    await picker.selectOption(awsId);
    await expect(page).toHaveURL(new RegExp(`env=${awsId}`));
    const problem = page.getByTestId("observe-problem").or(page.getByTestId("observe-health").getByRole("listitem").filter({ hasText: /TOPO-E1\d\d/ }).first());
    await expect(problem).toBeVisible({ timeout: 30_000 });
    await expect(problem).toContainText(/TOPO-E1\d\d/);
    await shot(page, "aws-problem");

    // The key to the figures, folded until asked for.
    const key = page.getByTestId("observe-key");
    await key.getByText("Figures").click();
    await expect(key).toContainText("STALL not moving");

    // Keyboard: a focused node opens its panel with Enter; Escape closes it. The panel says why it has no data.
    await page.locator('.react-flow__node[data-id="fn-score-purchases"]').focus();
    await page.keyboard.press("Enter");
    const fnPanel = page.getByTestId("function-panel");
    await expect(fnPanel.getByRole("heading", { name: "Score purchases" })).toBeVisible();
    await expect(fnPanel.getByTestId("function-freshness").or(fnPanel.getByRole("alert"))).toContainText(/no AWS credentials|TOPO-E1\d\d/, { timeout: 20_000 });
    await page.keyboard.press("Escape");
    await expect(fnPanel).toHaveCount(0);

    // The address keeps the view: a reload opens the same environment.
    await page.reload();
    await expect(page.getByLabel("Environment", { exact: true })).toHaveValue(awsId);

    // The window selector: presets and a custom range.
    await page.getByRole("radio", { name: "1 h" }).check();
    await expect(page).toHaveURL(/window=1h/);
    await page.getByRole("radio", { name: "Custom" }).check();
    await expect(page.getByLabel("From", { exact: true })).toBeVisible();
    await expect(page).toHaveURL(/window=custom/);
  } finally {
    await request.delete(`/api/projects/${id}`);
  }
});
