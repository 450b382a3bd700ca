/**
 * IaC in the browser: import a real SAM template from the corpus and see its nodes on the
 * canvas; download a project as SAM and as CDK.
 */
import { expect, test } from "@playwright/test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync, strFromU8 } from "fflate";

const shared = process.env.TOPO_SHARED_DIR || fileURLToPath(new URL("../../shared", import.meta.url));
const corpusTemplate = join(shared, "corpus", "sam", "fifo-sqs-redrive__template.yaml");

test("import a corpus SAM template and see its nodes on the canvas", async ({ page }) => {
  test.skip(!existsSync(corpusTemplate), `the SAM corpus is not beside the repository (${corpusTemplate})`);
  const name = `FIFO redrive ${Date.now()}`;
  await page.goto("/");
  await page.getByRole("button", { name: "Import SAM template" }).click();
  const dialog = page.getByRole("dialog", { name: "Import a SAM template" });
  await dialog.getByLabel("Template file").setInputFiles(corpusTemplate);
  await dialog.getByLabel(/Project name/).fill(name);
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(dialog.getByRole("status")).toContainText(`Imported ${name}`);
  await expect(dialog.getByTestId("import-summary")).toContainText("understood");
  await dialog.getByRole("link", { name: "Open its design" }).click();
  const canvas = page.getByTestId("design-canvas");
  await expect(canvas).toBeVisible();
  for (const id of ["queue-my-original-queue", "queue-my-dead-letter-queue", "fn-my-original-queue-function", "fn-re-process-queue-function"])
    await expect(canvas.locator(`[data-id="${id}"]`).first()).toBeAttached();
});

test("a template that is not YAML gets a clear error and creates nothing", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Import SAM template" }).click();
  const dialog = page.getByRole("dialog", { name: "Import a SAM template" });
  await dialog.getByLabel("Template file").setInputFiles({ name: "broken.yaml", mimeType: "text/yaml", buffer: Buffer.from("Resources: [unclosed") });
  await dialog.getByLabel(/Project name/).fill(`Broken ${Date.now()}`);
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(dialog).toContainText("TOPO-E060");
});

test("download a seeded example as SAM and as CDK", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Orders", exact: true }).click();
  await expect(page.getByTestId("design-canvas")).toBeVisible();
  for (const [label, entry] of [
    ["Export SAM", /-sam\/template\.yaml$/],
    ["Export CDK", /-cdk\/bin\/app\.ts$/],
  ] as const) {
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: label }).click();
    const file = await (await download).path();
    const files = unzipSync(readFileSync(file));
    const names = Object.keys(files);
    const main = names.find((n) => entry.test(n));
    expect(main, `${label} zip holds ${entry}`).toBeTruthy();
    expect(strFromU8(files[main!]).length).toBeGreaterThan(200);
  }
});
