/**
 * The project pages in a browser: create, list, open, tabs, rename (in the list and in
 * Settings), environments with the API's validation shown next to the fields, and deletion
 * with confirmation. Every project is uniquely named, so the spec can run again on one database.
 */
import { expect, test, type Page } from "@playwright/test";

const unique = (s: string) => `${s} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

const projectRow = (page: Page, name: string) => page.getByRole("table", { name: "Projects" }).getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
const tab = (page: Page, name: string) => page.getByRole("navigation", { name: "Project sections" }).getByRole("link", { name, exact: true });

async function createProject(page: Page, name: string, description = "") {
  await page.goto("/");
  await page.getByRole("button", { name: "New project" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  if (description) await dialog.getByLabel(/^Description/).fill(description);
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(dialog).toBeHidden();
}

test("create a project, open it, switch tabs, rename it in Settings, delete it there", async ({ page }) => {
  const name = unique("E2E project");
  await createProject(page, name, "Made by the e2e suite");
  await expect(page).toHaveTitle("Projects · Topograph");

  const row = projectRow(page, name);
  await expect(row).toBeVisible();
  await expect(row).toContainText("Made by the e2e suite");
  await expect(row).toContainText("r1");

  await row.getByRole("link", { name, exact: true }).click();
  await expect(page).toHaveURL(/\/projects\/[^/]+\/design$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page).toHaveTitle(`Design · ${name} · Topograph`);
  await expect(tab(page, "Design")).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("design-canvas")).toBeVisible();
  await expect(page.getByRole("region", { name: "Revision summary" })).toContainText("Revision 1");
  await expect(page.getByRole("link", { name: "Download JSON" })).toHaveAttribute("download", /-r1\.topology\.json$/);

  await tab(page, "Observe").click();
  await expect(page).toHaveURL(/\/observe$/);
  await expect(tab(page, "Observe")).toHaveAttribute("aria-current", "page");
  await expect(tab(page, "Design")).not.toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "No environment to observe yet" })).toBeVisible();

  await tab(page, "History").click();
  await expect(page).toHaveURL(/\/history$/);
  const revisions = page.getByRole("table", { name: "Revisions" });
  await expect(revisions.getByRole("row")).toHaveCount(2); // header + revision 1
  await revisions.getByRole("button", { name: "Revision 1" }).click();
  const details = page.getByRole("complementary", { name: "Revision details" });
  await expect(details.getByRole("heading", { name: "Revision 1" })).toBeVisible();
  await expect(details.getByRole("link", { name: "View JSON" })).toHaveAttribute("href", /\/api\/projects\/[^/]+\/revisions\/1$/);

  await tab(page, "Settings").click();
  await expect(page).toHaveURL(/\/settings$/);
  const renamed = `${name} renamed`;
  await page.getByLabel("Project name").fill(renamed);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();
  await expect(page).toHaveTitle(`Settings · ${renamed} · Topograph`);

  await page.getByRole("button", { name: "Delete project" }).click();
  const confirm = page.getByRole("dialog", { name: `Delete “${renamed}”?` });
  const del = confirm.getByRole("button", { name: "Delete this project" });
  await expect(del).toBeDisabled();
  await confirm.getByLabel(`Type ${renamed} to confirm`).fill("not the name");
  await expect(del).toBeDisabled();
  await confirm.getByLabel(`Type ${renamed} to confirm`).fill(renamed);
  await del.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("table", { name: "Projects" })).toBeVisible();
  await expect(projectRow(page, renamed)).toHaveCount(0);
});

test("rename inline in the list, then delete from the list with a confirmation naming the project", async ({ page }) => {
  const name = unique("E2E inline");
  await createProject(page, name);

  await page.getByRole("button", { name: `Rename ${name}` }).click();
  const renamed = `${name} bis`;
  const input = page.getByLabel(`New name for ${name}`);
  await input.fill(renamed);
  await input.press("Enter");
  await expect(projectRow(page, renamed)).toBeVisible();
  await expect(projectRow(page, name)).toHaveCount(0);

  // A name that is taken is refused, and the error says so with its code and fix.
  await page.getByRole("button", { name: `Rename ${renamed}` }).click();
  await page.getByLabel(`New name for ${renamed}`).fill("Orders");
  await page.getByLabel(`New name for ${renamed}`).press("Enter");
  const alert = page.getByRole("alert").filter({ hasText: "TOPO-E022" });
  await expect(alert).toContainText("already exists");
  await expect(alert).toContainText("Fix:");
  await page.getByLabel(`New name for ${renamed}`).press("Escape");

  await page.getByRole("button", { name: `Delete ${renamed}` }).click();
  const dialog = page.getByRole("dialog", { name: `Delete “${renamed}”?` });
  await expect(dialog).toContainText(renamed);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(projectRow(page, renamed)).toBeVisible();

  await page.getByRole("button", { name: `Delete ${renamed}` }).click();
  await dialog.getByRole("button", { name: "Delete project" }).click();
  await expect(dialog).toBeHidden();
  await expect(projectRow(page, renamed)).toHaveCount(0);
});

test("environments: the API's validation errors appear next to their fields", async ({ page, request }) => {
  const name = unique("E2E envs");
  const { project } = await (await request.post("/api/projects", { data: { name } })).json();
  await page.goto(`/projects/${project.id}/settings`);

  await page.getByRole("button", { name: "Add environment" }).click();
  const form = page.getByRole("form", { name: "New environment" });
  await form.getByLabel("Environment name").fill("prod");
  await form.getByRole("radio", { name: "AWS" }).check();
  await form.getByLabel("Region").fill("Ireland");
  await form.getByLabel("Credentials").selectOption("role");
  await form.getByLabel("Role ARN").fill("not-an-arn");
  await form.getByRole("button", { name: "Add environment" }).click();

  await expect(form.getByLabel("Region")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Region")).toHaveAccessibleDescription(/a region looks like eu-west-1/);
  await expect(form.getByLabel("Role ARN")).toHaveAccessibleDescription(/role ARN/);
  await expect(form.getByRole("alert")).toContainText("TOPO-E023");

  await form.getByLabel("Region").fill("eu-west-1");
  await form.getByLabel("Role ARN").fill("arn:aws:iam::123456789012:role/TopographObserver");
  await form.getByLabel("Stack name").fill("orders-prod");
  await form.getByRole("button", { name: "Add environment" }).click();
  await expect(form).toBeHidden();

  const envs = page.getByRole("table", { name: "Environments" });
  await expect(envs.getByRole("row").filter({ hasText: "prod" })).toContainText("eu-west-1");

  await tab(page, "Observe").click();
  await expect(page.getByLabel("Environment", { exact: true })).toContainText("prod (AWS eu-west-1)");

  await tab(page, "Settings").click();
  await page.getByRole("button", { name: "Delete prod" }).click();
  await page.getByRole("dialog", { name: "Delete environment “prod”?" }).getByRole("button", { name: "Delete environment" }).click();
  await expect(page.getByRole("table", { name: "Environments" })).toHaveCount(0);

  await request.delete(`/api/projects/${project.id}`);
});
