import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { TopoError } from "../../errors";
import { ordersTopology } from "../../model/examples";
import type { Topology } from "../../model/schema";
import type { Db } from "../client";
import { diffRevisions, restoreRevision } from "../history";
import { createProject, getRevisionOrThrow, listRevisions, saveRevision } from "../projects";
import { testDatabases } from "./databases";

async function rejectsWith(p: Promise<unknown>, code: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof TopoError, `expected a TopoError, got ${String(e)}`);
    assert.equal(e.code, code);
    return true;
  });
}

/** Orders with the Order events → Ship order trigger's batch size set, and optionally nodes moved. */
function withBatchSize(batchSize: number, moveNodes = 0): Topology {
  const doc = structuredClone(ordersTopology);
  const e = doc.edges.find((x) => x.id === "e-queue-order-events--fn-ship-order");
  assert.ok(e && e.kind === "trigger");
  e.batchSize = batchSize;
  if (batchSize > 10) e.maximumBatchingWindowSeconds = 5;
  for (const n of doc.nodes.slice(0, moveNodes)) n.position = { x: (n.position?.x ?? 0) + 10, y: n.position?.y ?? 0 };
  return doc;
}

for (const target of testDatabases()) {
  describe(`revision history on ${target.name}`, { skip: target.skip }, () => {
    let db: Db;
    let close: () => Promise<void>;
    before(async () => {
      ({ db, close } = await target.open());
    });
    after(async () => close?.());

    async function project(name: string) {
      const p = await createProject(db, { name: `${name} ${target.name}`, document: ordersTopology });
      await saveRevision(db, p.id, { baseRevision: 1, document: withBatchSize(10, 2), message: "move two nodes" });
      await saveRevision(db, p.id, { baseRevision: 2, document: withBatchSize(50, 2), message: "bigger batches" });
      return p.id;
    }

    test("a revision's diff against the previous one, by default", async () => {
      const id = await project("Diff default");
      const d = await diffRevisions(db, id, 3);
      assert.equal(d.from, 2);
      assert.equal(d.to, 3);
      assert.equal(d.summary, "1 edge changed");
      const edge = d.edges.changed[0];
      assert.equal(edge.name, "Order events → Ship order");
      assert.deepEqual(edge.fields.find((f) => f.path === "batchSize"), { path: "batchSize", change: "changed", before: 10, after: 50 });
      assert.deepEqual(edge.fields.find((f) => f.path === "maximumBatchingWindowSeconds"), {
        path: "maximumBatchingWindowSeconds",
        change: "added",
        after: 5,
        unit: "s",
      });

      const moves = await diffRevisions(db, id, 2);
      assert.equal(moves.summary, "2 nodes moved");
      assert.equal(moves.nodes.changed.length, 0);
      const listed = await diffRevisions(db, id, 2, undefined, { includePositions: true });
      assert.equal(listed.nodes.changed.length, 2);
    });

    test("against another revision, 'latest', and revision 1 against the empty start", async () => {
      const id = await project("Diff against");
      const d = await diffRevisions(db, id, "latest", 1);
      assert.equal(d.from, 1);
      assert.equal(d.to, 3);
      assert.equal(d.summary, "1 edge changed, 2 nodes moved");
      const back = await diffRevisions(db, id, 1, 3);
      assert.equal(back.edges.changed[0].fields.find((f) => f.path === "batchSize")?.after, 10);

      const first = await diffRevisions(db, id, 1);
      assert.equal(first.from, 0);
      assert.equal(first.nodes.added.length, ordersTopology.nodes.length);
      assert.equal(first.edges.added.length, ordersTopology.edges.length);
      assert.equal(first.contexts.added.length, ordersTopology.contexts.length);
    });

    test("unknown revisions and projects are 404", async () => {
      const id = await project("Diff missing");
      await rejectsWith(diffRevisions(db, id, 9), "TOPO-E020");
      await rejectsWith(diffRevisions(db, id, 3, 9), "TOPO-E020");
      await rejectsWith(diffRevisions(db, "p-missing", 1), "TOPO-E020");
      await rejectsWith(restoreRevision(db, id, 9, 3), "TOPO-E020");
    });

    test("restore saves the old document as a new revision; history is kept", async () => {
      const id = await project("Restore");
      const r = await restoreRevision(db, id, 1, 3, "alice");
      assert.equal(r.number, 4);
      assert.equal(r.message, "Restored revision 1");
      assert.equal(r.author, "alice");
      const [one, four] = await Promise.all([getRevisionOrThrow(db, id, 1), getRevisionOrThrow(db, id, 4)]);
      assert.deepEqual(four.document, one.document);
      assert.equal(four.size, one.size);
      assert.deepEqual(
        (await listRevisions(db, id)).map((x) => x.number),
        [4, 3, 2, 1],
      );
      // The diff of the restore reads as the undo of revisions 2 and 3.
      const d = await diffRevisions(db, id, 4);
      assert.equal(d.summary, "1 edge changed, 2 nodes moved");
      assert.equal((await diffRevisions(db, id, 4, 1)).identical, true);
    });

    test("a restore on a stale base is refused with 409 and writes nothing", async () => {
      const id = await project("Restore stale");
      await rejectsWith(restoreRevision(db, id, 1, 2), "TOPO-E021");
      await assert.rejects(restoreRevision(db, id, 1, 2), (e: unknown) => {
        assert.ok(e instanceof TopoError);
        assert.deepEqual(e.extra, { baseRevision: 2, latestRevision: 3 });
        return true;
      });
      await rejectsWith(restoreRevision(db, id, 1, -1), "TOPO-E023");
      assert.equal((await listRevisions(db, id)).length, 3);
    });
  });
}
