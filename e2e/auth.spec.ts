/**
 * Sign-in on (the "auth" project's server runs with TOPO_AUTH=on on its own fresh database):
 * first-run setup of the administrator, the project list per user, adding a viewer in Settings →
 * Members, sign out, a wrong password, sign in as the viewer, who sees only their project, finds
 * the editor locked (UI) and is refused a save by the API (403), and the CSP with no violation.
 * The steps depend on each other, so they run in order in one test.
 */
import { expect, test, type Page } from "@playwright/test";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const VIEWER = { email: "viewer@example.com", password: "viewer passphrase 2026" };

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: "Sign in to Topograph" })).toBeVisible();
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("session-badge")).toContainText(who.email);
}

test("first run, roles and sign-out with sign-in on", async ({ page }) => {
  const cspViolations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) cspViolations.push(m.text());
  });

  // Anonymous: pages go to sign-in, the API answers 401 with the code.
  const anon = await page.request.get("/api/projects");
  expect(anon.status()).toBe(401);
  expect((await anon.json()).error.code).toBe("TOPO-E170");
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2F$/);

  // First run: no user yet, so the page creates the administrator and signs them in.
  await expect(page.getByRole("heading", { name: "Set up Topograph" })).toBeVisible();
  const response = await page.goto("/signin");
  expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'.*frame-ancestors 'none'/);
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Repeat the password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create administrator and sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("session-badge")).toContainText(ADMIN.email);
  // The session cookie: httpOnly, SameSite=Lax, expiring (12 h by default), never readable by scripts.
  const session = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
  expect(session).toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
  const hours = (session!.expires * 1000 - Date.now()) / 3_600_000;
  expect(hours).toBeGreaterThan(11.5);
  expect(hours).toBeLessThan(12.5);
  expect(await page.evaluate(() => document.cookie)).not.toContain("session-token");
  // The seeded examples are visible to the administrator.
  await expect(page.getByRole("table", { name: "Projects" }).getByRole("link", { name: "Orders", exact: true })).toBeVisible();
  const again = await page.request.post("/api/auth/setup", { data: { email: "late@example.com", password: "another long passphrase" } });
  expect(again.status()).toBe(409);

  // The administrator creates a project (and becomes its admin) and adds a viewer with a first password.
  const created = await page.request.post("/api/projects", { data: { name: "Team design" } });
  expect(created.status()).toBe(201);
  const { project } = await created.json();
  await page.goto(`/projects/${project.id}/settings`);
  const members = page.getByRole("region", { name: "Members" });
  await members.getByLabel("Member email").fill(VIEWER.email);
  await members.getByLabel("Role", { exact: true }).selectOption("viewer");
  await members.getByLabel(/^First password/).fill(VIEWER.password);
  await members.getByRole("button", { name: "Add member" }).click();
  await expect(members.getByRole("table", { name: "Members" })).toContainText(VIEWER.email);
  await expect(page.getByRole("table", { name: "Audit log" })).toContainText(`added member ${VIEWER.email} (viewer)`);

  // Sign out: back to the sign-in page, and the API no longer knows us.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  expect((await page.request.get("/api/projects")).status()).toBe(401);

  // A wrong password is refused with a message, and no session.
  await page.getByLabel("Email").fill(VIEWER.email);
  await page.getByLabel("Password").fill("not the password at all");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText("wrong email or password");
  expect((await page.request.get("/api/projects")).status()).toBe(401);

  // The viewer sees only their project.
  await signIn(page, VIEWER);
  await page.goto("/");
  const list = page.getByRole("table", { name: "Projects" });
  await expect(list.getByRole("link", { name: "Team design", exact: true })).toBeVisible();
  await expect(list.getByRole("link", { name: "Orders", exact: true })).toHaveCount(0);

  // A viewer cannot save: the editor is locked in the UI…
  await page.goto(`/projects/${project.id}/design`);
  await expect(page.getByTestId("view-only")).toContainText("View only");
  await expect(page.getByRole("navigation", { name: "Palette" }).getByRole("button").first()).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath("viewer-design.png") });
  // …and the API refuses the save with 403, writing nothing.
  const save = await page.request.post(`/api/projects/${project.id}/revisions`, { data: { baseRevision: 1, document: { schemaVersion: 1, name: "Team design" } } });
  expect(save.status()).toBe(403);
  expect((await save.json()).error.code).toBe("TOPO-E171");
  const revisions = await (await page.request.get(`/api/projects/${project.id}/revisions`)).json();
  expect(revisions.revisions).toHaveLength(1);
  // Settings and History follow the role too: renaming, environments, deletion and restore are locked.
  await page.goto(`/projects/${project.id}/settings`);
  await expect(page.getByLabel("Project name")).toBeDisabled();
  await expect(page.getByRole("button", { name: "Add environment" })).toBeDisabled();
  await expect(page.getByRole("region", { name: "Members" }).getByRole("button", { name: "Add member" })).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Audit log" })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath("viewer-settings.png"), fullPage: true });
  // Another project's page is a 404 for them, as its API is.
  const other = await page.goto(`/projects/${encodeURIComponent("p-does-not-matter")}/design`);
  expect(other?.status()).toBe(404);

  // When the session ends under an open page, the next API answer (401) leads to sign-in and back.
  await page.goto("/");
  await page.context().clearCookies();
  await page.getByRole("button", { name: "New project" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByLabel("Name", { exact: true }).fill("After expiry");
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2F$/);
  await expect(page.getByRole("heading", { name: "Sign in to Topograph" })).toBeVisible();

  expect(cspViolations).toEqual([]);
});
