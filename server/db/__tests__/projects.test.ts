import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { TopoError } from "../../errors";
import { EXAMPLES } from "../../model/examples";
import type { Db } from "../client";
import { createEnvironment, deleteEnvironment, listEnvironments, updateEnvironment } from "../environments";
import { createProject, deleteProject, getProjectOrThrow, getRevisionOrThrow, listProjects, listRevisions, saveRevision, updateProject } from "../projects";
import { seedExamples } from "../seed";
import { testDatabases } from "./databases";

const topo = (name: string, fns: string[] = []) => ({
  schemaVersion: 1,
  name,
  nodes: fns.map((f) => ({ id: `fn-${f}`, kind: "function", name: f })),
});

async function rejectsWith(p: Promise<unknown>, code: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof TopoError, `expected a TopoError, got ${String(e)}`);
    assert.equal(e.code, code);
    return true;
  });
}

for (const target of testDatabases()) {
  describe(`projects and revisions on ${target.name}`, { skip: target.skip }, () => {
    let db: Db;
    let close: () => Promise<void>;
    before(async () => {
      ({ db, close } = await target.open());
    });
    after(async () => close?.());

    test("create, list, rename, delete a project", async () => {
      const p = await createProject(db, { name: "Alpha", description: "first" });
      assert.equal(p.latestRevision, 1);
      assert.ok((await listProjects(db)).some((x) => x.id === p.id));
      const renamed = await updateProject(db, p.id, { name: "Alpha 2" });
      assert.equal(renamed.name, "Alpha 2");
      await createProject(db, { name: "Beta" });
      await rejectsWith(updateProject(db, p.id, { name: "Beta" }), "TOPO-E022");
      await rejectsWith(createProject(db, { name: "Beta" }), "TOPO-E022");
      await deleteProject(db, p.id);
      await rejectsWith(getProjectOrThrow(db, p.id), "TOPO-E020");
      // Nothing of the deleted project is left behind.
      assert.equal(await db.topologyRevision.count({ where: { projectId: p.id } }), 0);
    });

    test("bad input is refused with a code and nothing is written", async () => {
      const before = await db.project.count();
      await rejectsWith(createProject(db, { name: "" }), "TOPO-E023");
      await rejectsWith(createProject(db, { name: "Broken", document: { schemaVersion: 1, name: "x", edges: [{ id: "e-1", kind: "call", source: "fn-a", target: "fn-b" }] } }), "TOPO-E011");
      await rejectsWith(createProject(db, { name: "Future", document: { schemaVersion: 7, name: "x" } }), "TOPO-E003");
      assert.equal(await db.project.count(), before);
    });

    test("every save is a new revision; a stale base gets 409 with both numbers and loses nothing", async () => {
      const p = await createProject(db, { name: "Gamma", document: topo("Gamma", ["a"]) });
      const r2 = await saveRevision(db, p.id, { baseRevision: 1, document: topo("Gamma", ["a", "b"]), message: "add b" });
      assert.equal(r2.number, 2);
      // A second editor still on revision 1 tries to save.
      await assert.rejects(saveRevision(db, p.id, { baseRevision: 1, document: topo("Gamma", ["c"]) }), (e: unknown) => {
        assert.ok(e instanceof TopoError);
        assert.equal(e.code, "TOPO-E021");
        assert.equal(e.status, 409);
        assert.deepEqual(e.extra, { baseRevision: 1, latestRevision: 2 });
        return true;
      });
      const latest = await getRevisionOrThrow(db, p.id, "latest");
      assert.equal(latest.number, 2);
      assert.deepEqual(latest.document.nodes.map((n) => n.id), ["fn-a", "fn-b"]);
      // Revision 1 is still there, unchanged.
      const first = await getRevisionOrThrow(db, p.id, 1);
      assert.deepEqual(first.document.nodes.map((n) => n.id), ["fn-a"]);
      const list = await listRevisions(db, p.id);
      assert.deepEqual(list.map((r) => r.number), [2, 1]);
      assert.equal(list[0].message, "add b");
      assert.ok(list[0].size > 0);
    });

    test("concurrent saves on the same base: exactly one wins, the others get 409", async () => {
      const p = await createProject(db, { name: "Delta" });
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => saveRevision(db, p.id, { baseRevision: 1, document: topo("Delta", [`n${i}`]) })),
      );
      const ok = results.filter((r) => r.status === "fulfilled");
      const conflicts = results.filter((r) => r.status === "rejected" && (r.reason as TopoError).code === "TOPO-E021");
      assert.equal(ok.length, 1);
      assert.equal(conflicts.length, 7);
      assert.deepEqual((await listRevisions(db, p.id)).map((r) => r.number), [2, 1]);
    });

    test("a document of an older schema version is upgraded on read", async () => {
      const p = await createProject(db, { name: "Epsilon" });
      // Write a version-0 draft directly, as an old Topograph would have stored it.
      await db.topologyRevision.create({
        data: { id: `old-${Date.now()}`, projectId: p.id, number: 2, document: JSON.stringify({ name: "Epsilon", contexts: [{ id: "ctx-a", name: "A" }], nodes: [{ id: "fn-x", kind: "function", name: "X", context: "ctx-a" }] }), size: 10 },
      });
      const r = await getRevisionOrThrow(db, p.id, 2);
      assert.equal(r.document.schemaVersion, 1);
      assert.equal(r.document.nodes[0].contextId, "ctx-a");
    });

    test("environments: create, validate, update, delete; credentials are references only", async () => {
      const p = await createProject(db, { name: "Zeta" });
      const local = await createEnvironment(db, p.id, { name: "local", kind: "local" });
      assert.equal(local.kind, "local");
      await rejectsWith(createEnvironment(db, p.id, { name: "prod", kind: "aws" }), "TOPO-E023"); // no region
      await rejectsWith(createEnvironment(db, p.id, { name: "prod", kind: "aws", region: "eu-west-1", credentialsRef: "AKIAIOSFODNN7EXAMPLE" }), "TOPO-E023");
      const prod = await createEnvironment(db, p.id, { name: "prod", kind: "aws", region: "eu-west-1", credentialsRef: "profile:prod", stackName: "orders-prod", bindings: { "fn-a": { functionName: "orders-a" } } });
      assert.equal(prod.bindings["fn-a"].functionName, "orders-a");
      await rejectsWith(createEnvironment(db, p.id, { name: "prod", kind: "local" }), "TOPO-E022");
      const moved = await updateEnvironment(db, p.id, prod.id, { region: "us-east-1" });
      assert.equal(moved.region, "us-east-1");
      assert.equal(moved.credentialsRef, "profile:prod");
      await rejectsWith(updateEnvironment(db, p.id, prod.id, { region: null }), "TOPO-E023"); // aws needs a region
      await deleteEnvironment(db, p.id, local.id);
      assert.deepEqual((await listEnvironments(db, p.id)).map((e) => e.name), ["prod"]);
    });

    test("examples are seeded once, and not again after a user deletes them", async () => {
      const first = await seedExamples(db);
      assert.deepEqual(first.seeded, EXAMPLES.map((e) => e.topology.name));
      const all = await listProjects(db);
      for (const ex of EXAMPLES) {
        const p = all.find((x) => x.name === ex.topology.name);
        assert.ok(p, `${ex.topology.name} is seeded`);
        const r = await getRevisionOrThrow(db, p.id, "latest");
        assert.deepEqual(r.document, ex.topology);
      }
      await deleteProject(db, all.find((x) => x.name === EXAMPLES[0].topology.name)!.id);
      assert.deepEqual((await seedExamples(db)).seeded, []);
    });
  });
}
