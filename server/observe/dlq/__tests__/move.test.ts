/**
 * The copy-then-delete redrive loses nothing when it is interrupted: stopped after k batches (at the worst point,
 * between a batch's copy and its delete) and SIGKILLed in a child process midway, then resumed. Each test counts
 * the messages lost (must be 0) and duplicated (allowed: at least once; counted and checked).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { testDatabases } from "../../../db/__tests__/databases";
import type { Db } from "../../../db/client";
import { createMoveTask, getMoveTaskRow, runCopyMove, SimulatedCrash, toMoveTask } from "../move";
import { createPair, depthOf, drainNumbers, fill, lossAndDuplicates, startFauxqs, waitFor, type Fauxqs } from "./helpers";

let fq: Fauxqs;
before(async () => {
  fq = await startFauxqs();
});
after(async () => {
  await fq.stop();
});

for (const target of testDatabases()) {
  describe(`redrive moves (${target.name})`, { skip: target.skip }, () => {
    let db: Db;
    let dbUrl: string;
    let closeDb: () => Promise<void>;
    let n = 0;
    before(async () => {
      const opened = await target.open();
      db = opened.db;
      closeDb = opened.close;
      dbUrl = opened.config.url;
    });
    after(async () => {
      await closeDb();
    });
    const q = (name: string) => `${target.name}-${name}-${n++}`;

    const FAST = { visibilitySeconds: 1, leaseMs: 300 };

    async function newTask(source: string, dest: string, total: number) {
      return createMoveTask(db, { mode: "copy-delete", projectId: "p", environmentId: "e", sourceUrl: source, destUrl: dest, startedBy: "admin@test", total });
    }

    test("a copy-delete move moves every message once, attributes included, and records its progress", async () => {
      const { source, dlq } = await createPair(fq.sqs, q("full"));
      await fill(fq.sqs, dlq, 35);
      const task = await newTask(dlq, source, 35);
      assert.equal(task.mode, "copy-delete");
      const done = await runCopyMove(db, fq.sqs, task.id, { ...FAST, justCreated: true });
      assert.equal(done.status, "completed");
      assert.equal(done.moved, 35);
      assert.equal(done.error, null);
      assert.deepEqual(await depthOf(fq.sqs, dlq), { visible: 0, inFlight: 0 });
      const seen = await drainNumbers(fq.sqs, source);
      assert.deepEqual(lossAndDuplicates(35, seen), { lost: 0, duplicates: 0 });
    });

    test("FIFO: the move keeps message groups and deduplicates a re-sent batch", async () => {
      const { source, dlq } = await createPair(fq.sqs, q("fifo"), { fifo: true });
      await fill(fq.sqs, dlq, 12, 0, true);
      const task = await newTask(dlq, source, 12);
      const crash = (batch: number) => {
        if (batch === 0) throw new SimulatedCrash("stopped between the first batch's copy and its delete");
      };
      await assert.rejects(runCopyMove(db, fq.sqs, task.id, { ...FAST, justCreated: true, afterSend: crash }), SimulatedCrash);
      await waitFor("the lease to lapse", async () => toMoveTask(await getMoveTaskRow(db, task.id), Date.now(), FAST.leaseMs).status === "interrupted");
      const done = await runCopyMove(db, fq.sqs, task.id, FAST);
      assert.equal(done.status, "completed");
      const seen = await drainNumbers(fq.sqs, source, { deleteEach: true });
      assert.deepEqual(lossAndDuplicates(12, seen), { lost: 0, duplicates: 0 });
    });

    test("interrupted after 2 batches between copy and delete, then resumed: 0 lost, exactly that batch duplicated", async () => {
      const { source, dlq } = await createPair(fq.sqs, q("abort"));
      await fill(fq.sqs, dlq, 50);
      const task = await newTask(dlq, source, 50);
      await assert.rejects(
        runCopyMove(db, fq.sqs, task.id, {
          ...FAST,
          justCreated: true,
          afterSend: (batch) => {
            if (batch === 2) throw new SimulatedCrash("stopped after the third batch's copy, before its delete");
          },
        }),
        SimulatedCrash,
      );
      const row = await getMoveTaskRow(db, task.id);
      assert.equal(row.status, "running");
      assert.equal(row.moved, 20, "two batches were moved and recorded");
      // A fresh heartbeat is not interrupted yet; once the lease lapses it is, and a resume claims it.
      await waitFor("the lease to lapse", async () => toMoveTask(await getMoveTaskRow(db, task.id), Date.now(), FAST.leaseMs).status === "interrupted");
      const resumed = await runCopyMove(db, fq.sqs, task.id, FAST);
      assert.equal(resumed.status, "completed");
      const seen = await drainNumbers(fq.sqs, source);
      const counts = lossAndDuplicates(50, seen);
      console.log(`# abort after k=2 batches: lost ${counts.lost}, duplicates ${counts.duplicates}, moved ${resumed.moved}`);
      assert.deepEqual(counts, { lost: 0, duplicates: 10 }, "the batch copied but not deleted is copied again: 10 duplicates, nothing lost");
      assert.equal(resumed.moved, 50, "moved counts deletions: each message once");
      assert.deepEqual(await depthOf(fq.sqs, dlq), { visible: 0, inFlight: 0 });
    });

    test("a fresh heartbeat is not claimed by a second worker", async () => {
      const { source, dlq } = await createPair(fq.sqs, q("claim"));
      await fill(fq.sqs, dlq, 3);
      const task = await newTask(dlq, source, 3);
      // Not created by this caller and not stale: another worker may be alive, so it is left alone.
      const t = await runCopyMove(db, fq.sqs, task.id, { ...FAST, leaseMs: 60_000 });
      assert.equal(t.status, "running");
      assert.equal(t.moved, 0);
      assert.deepEqual(await depthOf(fq.sqs, dlq), { visible: 3, inFlight: 0 });
    });

    test("worker processes SIGKILLed mid-move three times, then resumed: 0 lost, duplicates counted (at most one batch per kill)", async () => {
      const N = 300;
      const KILLS = 3;
      const { source, dlq } = await createPair(fq.sqs, q("sigkill"));
      await fill(fq.sqs, dlq, N);
      const task = await newTask(dlq, source, N);
      const killedAt: number[] = [];
      for (let k = 0; k < KILLS; k++) {
        // The first child claims the fresh task; the next ones resume it once the previous heartbeat is stale.
        if (k > 0) await waitFor("the lease to lapse", async () => toMoveTask(await getMoveTaskRow(db, task.id), Date.now(), FAST.leaseMs).status === "interrupted");
        const from = (await getMoveTaskRow(db, task.id)).moved;
        const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./move-child.ts", import.meta.url)), dbUrl, fq.endpoint, task.id, "0", k === 0 ? "fresh" : "resume"], {
          stdio: ["ignore", "pipe", "pipe"],
        });
        const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_c, sig) => r(sig)));
        try {
          await waitFor("the child to move some batches", async () => (await getMoveTaskRow(db, task.id)).moved >= from + 30, 30_000);
        } finally {
          child.kill("SIGKILL");
        }
        assert.equal(await exited, "SIGKILL");
        killedAt.push((await getMoveTaskRow(db, task.id)).moved);
      }
      assert.ok(killedAt.at(-1)! < N, `killed midway each time (${killedAt.join(", ")} of ${N} moved)`);
      await waitFor("the lease to lapse", async () => toMoveTask(await getMoveTaskRow(db, task.id), Date.now(), FAST.leaseMs).status === "interrupted");
      const resumed = await runCopyMove(db, fq.sqs, task.id, FAST);
      assert.equal(resumed.status, "completed");
      const seen = await drainNumbers(fq.sqs, source);
      const counts = lossAndDuplicates(N, seen);
      console.log(`# ${KILLS} SIGKILLs at ${killedAt.join(", ")} of ${N} moved: lost ${counts.lost}, duplicates ${counts.duplicates}`);
      assert.equal(counts.lost, 0);
      assert.ok(counts.duplicates <= KILLS * 10, `at most the batch in flight at each kill is duplicated (${counts.duplicates})`);
      assert.equal(seen.length, N + counts.duplicates);
      assert.deepEqual(await depthOf(fq.sqs, dlq), { visible: 0, inFlight: 0 });
    });
  });
}
