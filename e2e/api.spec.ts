/**
 * The HTTP API over real HTTP against the built app: status codes, error shapes (code, message,
 * fix, never a stack), and optimistic concurrency on saves.
 */
import { expect, test, type APIResponse } from "@playwright/test";

const unique = (s: string) => `${s} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const doc = (name: string, fns: string[]) => ({ schemaVersion: 1, name, nodes: fns.map((f) => ({ id: `fn-${f}`, kind: "function", name: f })) });

async function expectError(res: APIResponse, status: number, code: string) {
  expect(res.status()).toBe(status);
  const body = await res.json();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.fix.length).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack frames
  return body.error;
}

test("projects CRUD over HTTP", async ({ request }) => {
  const name = unique("API project");
  const created = await request.post("/api/projects", { data: { name, description: "made by the API test" } });
  expect(created.status()).toBe(201);
  const { project } = await created.json();
  expect(project.latestRevision).toBe(1);

  const list = await (await request.get("/api/projects")).json();
  expect(list.projects.map((p: { name: string }) => p.name)).toContain(name);

  const renamed = await request.patch(`/api/projects/${project.id}`, { data: { name: `${name} renamed` } });
  expect((await renamed.json()).project.name).toBe(`${name} renamed`);

  expect((await request.delete(`/api/projects/${project.id}`)).status()).toBe(204);
  await expectError(await request.get(`/api/projects/${project.id}`), 404, "TOPO-E020");
});

test("saving on a stale revision returns 409 with both numbers and loses nothing", async ({ request }) => {
  const name = unique("Conflict");
  const { project } = await (await request.post("/api/projects", { data: { name, document: doc(name, ["a"]) } })).json();
  const url = `/api/projects/${project.id}/revisions`;

  const mine = await request.post(url, { data: { baseRevision: 1, document: doc(name, ["a", "mine"]), message: "mine" } });
  expect(mine.status()).toBe(201);
  expect((await mine.json()).revision.number).toBe(2);

  const theirs = await request.post(url, { data: { baseRevision: 1, document: doc(name, ["a", "theirs"]), message: "theirs" } });
  const err = await expectError(theirs, 409, "TOPO-E021");
  expect(err.baseRevision).toBe(1);
  expect(err.latestRevision).toBe(2);

  const latest = await (await request.get(`${url}/latest`)).json();
  expect(latest.revision.number).toBe(2);
  expect(latest.revision.document.nodes.map((n: { id: string }) => n.id)).toEqual(["fn-a", "fn-mine"]);

  // The loser rebases on 2 and saves as a new revision: both edits are kept in history.
  const again = await request.post(url, { data: { baseRevision: 2, document: doc(name, ["a", "mine", "theirs"]), message: "theirs, rebased" } });
  expect((await again.json()).revision.number).toBe(3);
  const history = await (await request.get(url)).json();
  expect(history.revisions.map((r: { number: number }) => r.number)).toEqual([3, 2, 1]);
  await request.delete(`/api/projects/${project.id}`);
});

test("bad input gets a clear error and writes nothing", async ({ request }) => {
  const before = (await (await request.get("/api/projects")).json()).projects.length;
  await expectError(await request.post("/api/projects", { headers: { "content-type": "application/json" }, data: Buffer.from("{not json") }), 400, "TOPO-E001");
  await expectError(await request.post("/api/projects", { data: { name: "" } }), 400, "TOPO-E023");
  const broken = await expectError(
    await request.post("/api/projects", { data: { name: unique("Broken"), document: { schemaVersion: 1, name: "b", edges: [{ id: "e-x", kind: "call", source: "fn-a", target: "fn-b" }] } } }),
    422,
    "TOPO-E011",
  );
  expect(broken.details.length).toBe(2);
  await expectError(await request.get("/api/projects/nope/revisions/abc"), 400, "TOPO-E023");
  await expectError(await request.get("/api/projects/p-missing/revisions/latest"), 404, "TOPO-E020");
  expect((await (await request.get("/api/projects")).json()).projects.length).toBe(before);
});

test("environments CRUD and validation", async ({ request }) => {
  const { project } = await (await request.post("/api/projects", { data: { name: unique("Envs") } })).json();
  const base = `/api/projects/${project.id}/environments`;
  const bad = await expectError(await request.post(base, { data: { name: "prod", kind: "aws", credentialsRef: "AKIA-secret" } }), 400, "TOPO-E023");
  expect(bad.details.map((d: { path: string }) => d.path).sort()).toEqual(["credentialsRef", "region"]);
  const created = await request.post(base, { data: { name: "prod", kind: "aws", region: "eu-west-1", credentialsRef: "profile:prod" } });
  expect(created.status()).toBe(201);
  const { environment } = await created.json();
  const patched = await (await request.patch(`${base}/${environment.id}`, { data: { stackName: "orders-prod" } })).json();
  expect(patched.environment.stackName).toBe("orders-prod");
  expect((await request.delete(`${base}/${environment.id}`)).status()).toBe(204);
  await request.delete(`/api/projects/${project.id}`);
});

test("schema and validate endpoints", async ({ request }) => {
  const schema = await (await request.get("/api/schema")).json();
  expect(schema.title).toBe("Topograph topology");
  const ok = await (await request.post("/api/validate", { data: doc("v", ["a"]) })).json();
  expect(ok).toEqual({ ok: true, problems: [] });
  const bad = await (await request.post("/api/validate", { data: { schemaVersion: 1, name: "v", nodes: [{ id: "Bad Id", kind: "function", name: "x" }] } })).json();
  expect(bad.ok).toBe(false);
  expect(bad.problems[0].path).toBe("nodes[0].id");
});
