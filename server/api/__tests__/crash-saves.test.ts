/**
 * Crash safety (issue 8, "Nothing lost"), the small version of the `crash-saves` bench: the server
 * process is SIGKILLed in the middle of saves 3 times; the database must then pass its integrity
 * check and hold every save a client was told 201 about, exactly as sent. SQLite, and PostgreSQL
 * when DATABASE_URL_PG is set (2 kills there: the server is killed, not PostgreSQL).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { testDatabases } from "../../db/__tests__/databases";
import { runCrashSaves } from "../../bench/scenarios/crash-saves";

for (const target of testDatabases()) {
  test(`crash-saves (${target.name}): SIGKILL mid-save, every acknowledged save present, integrity ok`, { skip: target.skip, timeout: 120_000 }, async () => {
    const { db, config, close } = await target.open();
    await db.$disconnect();
    try {
      const kills = target.name === "sqlite" ? 3 : 2;
      const r = await runCrashSaves(config, { kills, clients: 3, seed: 7 });
      assert.deepEqual(r.problems, []);
      assert.equal(r.kills, kills);
      assert.equal(r.integrity, "ok");
      assert.ok(r.acknowledged >= kills, `saves were acknowledged in every round (${r.acknowledged})`);
      assert.equal(r.present, r.acknowledged);
      assert.equal(r.lost, 0);
      assert.equal(r.wrongDocuments, 0);
      assert.equal(r.gaps, 0);
      // Stored = the first revision + acknowledged saves + saves that committed while their response was cut.
      assert.equal(r.revisions, 1 + r.acknowledged + r.inFlightStored);
    } finally {
      await close();
    }
  });
}
