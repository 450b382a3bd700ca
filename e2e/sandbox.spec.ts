/**
 * The local sandbox's controls on the Observe tab: Run locally, the status (revision, endpoints), traffic from the
 * traffic generator with its progress line, the counts moving, Stop. On a copy of the Orders example (starting a
 * sandbox gives a project its `local` environment, which the seeded examples must not get from this spec).
 * Screenshots (light and dark) go to $TOPO_TEST_TMP/sandbox-*.png for a look.
 */
import { expect, test, type Page } from "@playwright/test";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const tmp = process.env.TOPO_TEST_TMP || fileURLToPath(new URL("../.tmp/test/", import.meta.url));

async function shot(page: Page, name: string) {
  const region = page.getByTestId("sandbox-controls");
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute("data-theme", t), theme);
    await page.waitForTimeout(100);
    await region.screenshot({ path: join(tmp, `sandbox-${name}-${theme}.png`) });
  }
  await page.evaluate(() => document.documentElement.removeAttribute("data-theme"));
}

const count = async (page: Page, fn: string) => Number(await page.getByTestId(`sandbox-fn-${fn}`).getByTestId("invocations").textContent());

test("sandbox controls: Run locally, send traffic to an HTTP route, counts move, Stop frees it", async ({ page, request }) => {
  test.setTimeout(90_000);
  const { projects } = await (await request.get("/api/projects")).json();
  const orders = projects.find((p: { name: string }) => p.name === "Orders");
  const { revision } = await (await request.get(`/api/projects/${orders.id}/revisions/latest`)).json();
  const name = `Orders sandbox ${Date.now()}`;
  const res = await request.post("/api/projects", { data: { name, document: { ...revision.document, name } } });
  expect(res.status()).toBe(201);
  const id = (await res.json()).project.id;
  try {
    await page.goto(`/projects/${id}/observe`);
    const controls = page.getByTestId("sandbox-controls");
    await expect(controls.getByTestId("sandbox-state")).toHaveText("Stopped");
    await controls.getByRole("button", { name: "Run locally" }).click();
    await expect(controls.getByTestId("sandbox-state")).toHaveText("Running", { timeout: 30_000 });
    await expect(controls.getByTestId("sandbox-revision")).toHaveText("1");
    await expect(controls.getByText(/^http:\/\/127\.0\.0\.1:\d+$/).first()).toBeVisible();
    await expect(controls.getByRole("table", { name: "Functions" })).toBeVisible();
    expect(await count(page, "fn-order-handler")).toBe(0);

    // 20 events/s for 2 s to POST /orders: 40 requests, each one invocation of the order handler, whose events
    // then reach the shipping function through the queue.
    const form = controls.getByRole("form", { name: "Traffic generator" });
    await form.getByLabel("Source").selectOption({ label: "POST /orders" });
    await form.getByLabel("Events/s").fill("20");
    await form.getByLabel("Seconds").fill("2");
    await form.getByLabel("Poison %").fill("0");
    await form.getByRole("button", { name: "Send" }).click();
    const run = controls.getByTestId("traffic-run").first();
    await expect(run).toHaveAttribute("data-state", "running");
    await expect(run).toContainText("Sending 20 events/s to");
    await shot(page, "running");
    await expect(run).toHaveAttribute("data-state", "done", { timeout: 15_000 });
    await expect(run).toContainText("40 of 40");
    await expect.poll(() => count(page, "fn-order-handler"), { timeout: 15_000 }).toBe(40);
    await expect.poll(() => count(page, "fn-ship-order"), { timeout: 20_000 }).toBeGreaterThan(0);
    await shot(page, "counts");

    // The API agrees with the screen.
    const { sandbox } = await (await request.get(`/api/projects/${id}/sandbox`)).json();
    expect(sandbox.summary.functions["fn-order-handler"].invocations).toBe(40);
    expect(sandbox.traffic[0]).toMatchObject({ nodeId: "route-create-order", sent: 40, state: "done" });

    await controls.getByRole("button", { name: "Stop" }).click();
    await expect(controls.getByTestId("sandbox-state")).toHaveText("Stopped", { timeout: 15_000 });
    await expect(controls.getByRole("button", { name: "Run locally" })).toBeVisible();
  } finally {
    await request.delete(`/api/projects/${id}/sandbox`);
    await request.delete(`/api/projects/${id}`);
  }
});
