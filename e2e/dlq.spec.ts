/**
 * The DLQ browser end to end: the Kafka consumers example runs in the local sandbox, poison events to its
 * fire-and-forget "Notify tier upgrade" function exhaust their retries and land in the Loyalty DLQ as Lambda
 * on-failure destination records. On the Observe tab the DLQ node opens the browser: the depth, the notice that
 * peeking raises the receive count, a peeked message with its decoded failure record; a redrive (to the
 * "Export failures" queue, since a function feeds this DLQ) runs to the end and the depth drops to 0; then one
 * message deleted and the rest purged, each behind its confirmation, all three in the audit log.
 * Screenshots in light and dark go to the test output folder.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";

const DLQ = "queue-loyalty-dlq";
const DEST = "queue-export-failed";

async function projectId(request: APIRequestContext, name: string): Promise<string> {
  const { projects } = await (await request.get("/api/projects")).json();
  const p = (projects as { id: string; name: string }[]).find((x) => x.name === name);
  expect(p, `the seeded example "${name}"`).toBeTruthy();
  return p!.id;
}

test("DLQ browser: poison fills the Loyalty DLQ; peek a message, redrive it, the depth drops", async ({ page, request }, info) => {
  test.setTimeout(90_000);
  const id = await projectId(request, "Kafka consumers");
  const start = await request.post(`/api/projects/${id}/sandbox`);
  expect(start.ok(), await start.text()).toBeTruthy();
  try {
    const envs = (await (await request.get(`/api/projects/${id}/environments`)).json()).environments as { id: string; name: string }[];
    const env = envs.find((e) => e.name === "local")!;
    const dlqApi = `/api/projects/${id}/environments/${env.id}/observe/dlq`;
    const depthOf = async (nodeId: string) => ((await (await request.get(dlqApi)).json()).dlqs as { nodeId: string; depth: number | null }[]).find((d) => d.nodeId === nodeId)?.depth ?? null;
    expect(await depthOf(DLQ)).toBe(0);

    // Every event is poison: 2 retries (1 s, then 2 s in the sandbox), then the on-failure destination record.
    const traffic = await request.post(`/api/projects/${id}/sandbox/traffic`, { data: { nodeId: "fn-notify-tier-upgrade", ratePerSec: 3, durationSec: 1, poisonFraction: 1 } });
    expect(traffic.status(), await traffic.text()).toBe(201);
    await expect.poll(() => depthOf(DLQ), { timeout: 30_000, message: "the poison events reach the DLQ" }).toBeGreaterThanOrEqual(3);
    await page.waitForTimeout(1_500);
    const depth = (await depthOf(DLQ))!;

    await page.goto(`/projects/${id}/observe?env=${env.id}`);
    await page.locator(`.react-flow__node[data-id="${DLQ}"]`).click();
    const browser = page.getByTestId("dlq-browser");
    await expect(browser).toBeVisible();
    await expect(browser.getByTestId("dlq-depth")).toHaveText(String(depth));
    await expect(browser.getByTestId("dlq-peek-notice")).toContainText("raises every shown message's receive count");
    await expect(browser).toContainText("Notify tier upgrade (async on-failure destination)");

    await browser.getByRole("button", { name: "Peek messages" }).click();
    await expect(browser.getByTestId("dlq-message")).toHaveCount(depth);
    await expect(browser.getByTestId("dlq-oldest")).toHaveText(/^\d+ s$/);
    await browser.getByTestId("dlq-message").first().click();
    const failure = browser.getByTestId("dlq-failure");
    await expect(failure).toContainText("RetriesExhausted");
    await expect(failure).toContainText("function:Notify tier upgrade");
    await expect(browser.getByTestId("dlq-body")).toContainText('"condition": "RetriesExhausted"');
    // Peeking consumed nothing.
    expect(await depthOf(DLQ)).toBe(depth);
    const panel = page.getByTestId("queue-panel");
    await page.screenshot({ path: info.outputPath("dlq-observe-light.png") });
    // A tall window shows the whole panel (list and detail) in one picture, in both themes.
    await page.setViewportSize({ width: 1440, height: 1700 });
    await panel.screenshot({ path: info.outputPath("dlq-browser-light.png") });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.evaluate(() => document.documentElement.setAttribute("data-theme", "dark"));
    await panel.screenshot({ path: info.outputPath("dlq-browser-dark.png") });
    await page.emulateMedia({ colorScheme: "light" });
    await page.evaluate(() => document.documentElement.setAttribute("data-theme", "light"));
    await page.setViewportSize({ width: 1440, height: 900 });

    await browser.getByRole("button", { name: "Redrive…" }).click();
    const dialog = page.getByRole("dialog", { name: "Redrive Loyalty DLQ" });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel("Destination").selectOption(DEST);
    await page.screenshot({ path: info.outputPath("dlq-redrive-dialog.png") });
    await dialog.getByRole("button", { name: "Redrive", exact: true }).click();
    await expect(dialog).toBeHidden();
    const progress = browser.getByTestId("dlq-redrive");
    await expect(progress).toHaveAttribute("data-status", "completed", { timeout: 20_000 });
    await expect(progress).toContainText(`Redrive finished: ${depth} moved`);
    await expect(browser.getByTestId("dlq-depth")).toHaveText("0", { timeout: 10_000 });
    expect(await depthOf(DLQ)).toBe(0);
    const sandbox = (await (await request.get(`/api/projects/${id}/sandbox`)).json()).sandbox;
    expect(sandbox.summary.queues[DEST].depth).toBe(depth);
    await panel.screenshot({ path: info.outputPath("dlq-browser-redriven.png") });

    // More poison: delete one message, then purge the rest, each behind its confirmation.
    const again = await request.post(`/api/projects/${id}/sandbox/traffic`, { data: { nodeId: "fn-notify-tier-upgrade", ratePerSec: 2, durationSec: 1, poisonFraction: 1 } });
    expect(again.status()).toBe(201);
    await expect(browser.getByTestId("dlq-depth")).toHaveText("2", { timeout: 30_000 });
    await browser.getByRole("button", { name: "Peek messages" }).click();
    await expect(browser.getByTestId("dlq-message")).toHaveCount(2);
    await browser.getByTestId("dlq-message").first().click();
    await browser.getByTestId("dlq-detail").getByRole("button", { name: "Delete…" }).click();
    const del = page.getByRole("dialog", { name: "Delete this message?" });
    await del.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(del).toBeHidden();
    await expect(browser.getByTestId("dlq-message")).toHaveCount(1);
    await expect(browser.getByTestId("dlq-depth")).toHaveText("1", { timeout: 10_000 });
    await browser.getByRole("button", { name: "Purge…" }).click();
    const purge = page.getByRole("dialog", { name: "Purge Loyalty DLQ?" });
    await expect(purge).toContainText("all 1 message");
    await purge.getByRole("button", { name: "Purge", exact: true }).click();
    await expect(purge).toBeHidden();
    await expect(browser.getByTestId("dlq-depth")).toHaveText("0", { timeout: 10_000 });
    await expect(browser.getByTestId("dlq-messages")).toHaveCount(0);

    // The audit log has the redrive, by the local admin.
    const audit = await request.get(`/api/projects/${id}/audit`);
    expect(audit.ok(), await audit.text()).toBeTruthy();
    const events = (await audit.json()).events as { action: string; actor: string }[];
    expect(events.filter((e) => e.action.startsWith("dlq.")).map((e) => e.action).sort()).toEqual(["dlq.delete", "dlq.purge", "dlq.redrive"]);
  } finally {
    await request.delete(`/api/projects/${id}/sandbox`);
  }
});
