/**
 * The History tab: two saves made through the API show up as revisions with a readable diff
 * (the trigger's batch size 10 → 50, the handler's memory in MB), and restoring revision 1
 * saves its document again as revision 4 "Restored revision 1", leaving the history intact.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { ordersTopology } from "../server/model/examples/orders";

const unique = (s: string) => `${s} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const TRIGGER = "e-queue-order-events--fn-ship-order";

async function save(request: APIRequestContext, id: string, baseRevision: number, document: unknown, message: string) {
  const res = await request.post(`/api/projects/${id}/revisions`, { data: { baseRevision, document, message, author: "e2e" } });
  expect(res.status()).toBe(201);
  return (await res.json()).revision.number as number;
}

async function documentOf(request: APIRequestContext, id: string, number: number) {
  const res = await request.get(`/api/projects/${id}/revisions/${number}`);
  expect(res.ok()).toBe(true);
  return (await res.json()).revision.document;
}

test("History: the diff of revision 3 against 2, then restoring revision 1 as revision 4", async ({ page, request }) => {
  const name = unique("History");
  const created = await request.post("/api/projects", { data: { name, document: { ...ordersTopology, name } } });
  expect(created.status()).toBe(201);
  const { project } = await created.json();
  const id: string = project.id;

  // Revision 2: more memory for the order handler. Revision 3: bigger batches on the trigger.
  const r2 = structuredClone({ ...ordersTopology, name });
  const handler = r2.nodes.find((n) => n.id === "fn-order-handler");
  if (handler?.kind !== "function") throw new Error("the Orders example has an order handler");
  handler.memoryMb = 1024;
  expect(await save(request, id, 1, r2, "Order handler: 1 GB")).toBe(2);
  const r3 = structuredClone(r2);
  const trigger = r3.edges.find((e) => e.id === TRIGGER);
  if (trigger?.kind !== "trigger") throw new Error("the Orders example has a queue trigger");
  trigger.batchSize = 50;
  trigger.maximumBatchingWindowSeconds = 5;
  expect(await save(request, id, 2, r3, "Ship order: batches of 50")).toBe(3);

  await page.goto(`/projects/${id}/history`);
  const revisions = page.getByRole("table", { name: "Revisions" });
  await expect(revisions.getByRole("row")).toHaveCount(4); // header + 3 revisions
  const details = page.getByRole("complementary", { name: "Revision details" });

  // Revision 3 against revision 2: one edge changed, named by its ends, with before → after.
  await revisions.getByRole("button", { name: "Revision 3", exact: true }).click();
  await expect(details.getByRole("heading", { name: "Revision 3", exact: true })).toBeVisible();
  await expect(details.getByRole("heading", { name: "Changes since revision 2" })).toBeVisible();
  const diff = details.getByTestId("revision-diff");
  await expect(diff.getByRole("status")).toHaveText("1 edge changed");
  const edges = diff.getByRole("region", { name: "Edges changes" });
  await expect(edges).toContainText("Order events → Ship order");
  const batch = edges.getByTestId("diff-field").filter({ hasText: "batchSize" });
  await expect(batch).toHaveText("batchSize 10 → 50");
  await expect(edges.getByTestId("diff-field").filter({ hasText: "maximumBatchingWindowSeconds" })).toHaveText("maximumBatchingWindowSeconds not set → 5 s");
  await expect(diff.getByRole("region", { name: "Nodes changes" })).toHaveCount(0);

  // Revision 2: the memory change, with its unit.
  await revisions.getByRole("button", { name: "Revision 2", exact: true }).click();
  await expect(details.getByRole("heading", { name: "Revision 2", exact: true })).toBeVisible();
  const nodes = details.getByTestId("revision-diff").getByRole("region", { name: "Nodes changes" });
  await expect(nodes).toContainText("Order handler");
  await expect(nodes.getByTestId("diff-field")).toHaveText([/^memoryMb 512 MB → 1,024 MB$/]);

  // Restore revision 1, after a confirmation.
  await revisions.getByRole("button", { name: "Revision 1", exact: true }).click();
  await expect(details.getByRole("heading", { name: "Revision 1", exact: true })).toBeVisible();
  await details.getByRole("button", { name: "Restore as new revision" }).click();
  const confirm = page.getByRole("dialog", { name: "Restore revision 1?" });
  await expect(confirm).toContainText("revision 4");
  await confirm.getByRole("button", { name: "Restore revision 1" }).click();
  await expect(confirm).toBeHidden();

  // Revision 4 is listed and selected, says where it comes from, and undoes revisions 2 and 3.
  await expect(revisions.getByRole("row")).toHaveCount(5);
  const r4 = revisions.getByRole("row").filter({ has: page.getByRole("button", { name: "Revision 4", exact: true }) });
  await expect(r4).toContainText("Restored revision 1");
  await expect(details.getByRole("heading", { name: "Revision 4", exact: true })).toBeVisible();
  await expect(details.getByRole("button", { name: "Restore as new revision" })).toHaveCount(0); // it is the latest
  await expect(details.getByTestId("revision-diff").getByRole("status")).toHaveText("1 node changed, 1 edge changed");
  await expect(details.getByTestId("revision-diff").getByTestId("diff-field").filter({ hasText: "batchSize" })).toHaveText("batchSize 50 → 10");
  // The project header follows: its latest revision is 4.
  const header = page.locator("header").filter({ has: page.getByRole("heading", { level: 1, name }) });
  await expect(header.getByText("Revision 4", { exact: true })).toBeVisible();

  expect(await documentOf(request, id, 4)).toEqual(await documentOf(request, id, 1));
  const diff41 = await (await request.get(`/api/projects/${id}/revisions/4/diff?against=1`)).json();
  expect(diff41.diff.identical).toBe(true);

  await request.delete(`/api/projects/${id}`);
});

test("History: a restore on a stale base is refused and explained, then works", async ({ page, request }) => {
  const name = unique("History stale");
  const { project } = await (await request.post("/api/projects", { data: { name, document: { ...ordersTopology, name } } })).json();
  const id: string = project.id;
  const r2 = structuredClone({ ...ordersTopology, name, description: "second" });
  expect(await save(request, id, 1, r2, "second")).toBe(2);

  await page.goto(`/projects/${id}/history`);
  const revisions = page.getByRole("table", { name: "Revisions" });
  await revisions.getByRole("button", { name: "Revision 1", exact: true }).click();
  const details = page.getByRole("complementary", { name: "Revision details" });
  await expect(details.getByRole("heading", { name: "Changes since the empty project" })).toBeVisible();
  await details.getByRole("button", { name: "Restore as new revision" }).click();

  // Someone else saves while the dialog is open.
  expect(await save(request, id, 2, { ...r2, description: "third" }, "third")).toBe(3);
  const confirm = page.getByRole("dialog", { name: "Restore revision 1?" });
  await confirm.getByRole("button", { name: "Restore revision 1" }).click();
  await expect(confirm.getByRole("alert")).toContainText("TOPO-E021");
  // The list refreshed; a second try is based on revision 3 and lands as revision 4.
  await expect(revisions.getByRole("row")).toHaveCount(4);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await details.getByRole("button", { name: "Restore as new revision" }).click();
  await expect(confirm).toContainText("revision 4");
  await confirm.getByRole("button", { name: "Restore revision 1" }).click();
  await expect(revisions.getByRole("row").filter({ hasText: "Restored revision 1" })).toHaveCount(1);
  expect(await documentOf(request, id, 4)).toEqual(await documentOf(request, id, 1));

  await request.delete(`/api/projects/${id}`);
});
