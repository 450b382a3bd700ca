/**
 * The seeded examples open from the list: the Design tab draws the canvas with the latest
 * revision's counts, and the History tab lists revision 1.
 */
import { expect, test } from "@playwright/test";

const EXAMPLES = ["Orders", "Chocolate box subscription", "Kafka consumers"];

for (const name of EXAMPLES) {
  test(`example "${name}": design canvas and history`, async ({ page, request }) => {
    await page.goto("/");
    await page.getByRole("table", { name: "Projects" }).getByRole("link", { name, exact: true }).click();

    await expect(page).toHaveURL(/\/projects\/[^/]+\/design$/);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByTestId("design-canvas")).toBeVisible();

    const id = page.url().split("/").at(-2)!;
    const { revision } = await (await request.get(`/api/projects/${id}/revisions/latest`)).json();
    const functions = revision.document.nodes.filter((n: { kind: string }) => n.kind === "function").length;
    const summary = page.getByRole("region", { name: "Revision summary" });
    await expect(summary).toContainText(`Revision ${revision.number}`);
    await expect(summary).toContainText(`${functions} function${functions === 1 ? "" : "s"}`);

    await page.getByRole("navigation", { name: "Project sections" }).getByRole("link", { name: "History" }).click();
    await expect(page).toHaveURL(/\/history$/);
    const revisions = page.getByRole("table", { name: "Revisions" });
    await revisions.getByRole("button", { name: "Revision 1" }).click();
    await expect(page.getByRole("complementary", { name: "Revision details" }).getByRole("heading", { name: "Revision 1" })).toBeVisible();
  });
}
