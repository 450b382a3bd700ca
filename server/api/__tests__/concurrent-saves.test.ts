/**
 * Concurrent saves on one project over HTTP (issue 8, "Nothing lost"), the small version of the
 * `concurrent-saves` bench: every accepted save is stored exactly as sent and in its client's
 * order, every rejected one is told 409, nothing is overwritten or lost. SQLite, and PostgreSQL
 * when DATABASE_URL_PG is set.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { testDatabases } from "../../db/__tests__/databases";
import { clientDocument, runConcurrentSaves } from "../../bench/scenarios/concurrent-saves";
import { startRouteServer, type RouteServer } from "./route-server";

for (const target of testDatabases()) {
  describe(`concurrent saves (${target.name})`, { skip: target.skip }, () => {
    let srv: RouteServer;
    let close: () => Promise<void>;
    before(async () => {
      const opened = await target.open();
      close = opened.close;
      srv = await startRouteServer({ db: opened.db });
    });
    after(async () => {
      await srv?.close();
      await close?.();
    });

    test("10 saves racing on the same base: exactly one is stored, nine are told 409 TOPO-E021", async () => {
      const created = await fetch(`${srv.url}/api/projects`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Race" }) });
      const id = (await created.json()).project.id as string;
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, c) =>
          fetch(`${srv.url}/api/projects/${id}/revisions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ baseRevision: 1, document: clientDocument(c, 0), author: `client-${c}` }) }),
        ),
      );
      const bodies = await Promise.all(responses.map((r) => r.json()));
      const statuses = responses.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, ...Array(9).fill(409)]);
      const winner = responses.findIndex((r) => r.status === 201);
      for (const [i, b] of bodies.entries()) {
        if (i === winner) continue;
        assert.equal(b.error.code, "TOPO-E021");
        assert.equal(b.error.baseRevision, 1);
        assert.equal(b.error.latestRevision, 2);
        assert.match(b.error.message, /nothing was overwritten/);
      }
      const revisions = (await (await fetch(`${srv.url}/api/projects/${id}/revisions`)).json()).revisions;
      assert.deepEqual(revisions.map((r: { number: number }) => r.number), [2, 1]);
      const stored = (await (await fetch(`${srv.url}/api/projects/${id}/revisions/2`)).json()).revision;
      assert.deepEqual(stored.document, clientDocument(winner, 0));
      assert.equal(stored.author, `client-${winner}`);
    });

    test("4 clients × 5 saves, re-reading on 409: 20 accepted, 0 silent overwrites, 0 lost", async () => {
      const r = await runConcurrentSaves(srv.url, { clients: 4, saves: 5 });
      assert.deepEqual(r.problems, []);
      assert.equal(r.accepted, 20);
      assert.equal(r.silentOverwrites, 0);
      assert.equal(r.lost, 0);
      assert.equal(r.outOfOrder, 0);
      assert.equal(r.gaps, 0);
      assert.equal(r.unexpected, 0);
      assert.equal(r.revisions, 21);
      // Every 409 was a save that lost a race; each was retried until it got in.
      assert.ok(r.rejected >= 0);
    });
  });
}
