import { test } from "node:test";
import assert from "node:assert/strict";
import { EXAMPLES } from "../../model/examples/index";
import { startSandbox } from "../sandbox";

/** Every seeded example starts in the sandbox, accepts an event on each queue, and stops cleanly. */
for (const { slug, topology } of EXAMPLES) {
  test(`sandbox runs the "${slug}" example`, async () => {
    const sb = await startSandbox(topology, { pollWaitSeconds: 1 });
    try {
      const queues = topology.nodes.filter((n) => n.kind === "queue");
      assert.equal(sb.queueUrls.size, queues.length);
      assert.equal(sb.runtimes.size, topology.nodes.filter((n) => n.kind === "function").length);
      for (const q of queues) await sb.send(q.id, JSON.stringify({ example: slug }));
      const s = await sb.summary();
      assert.deepEqual(Object.keys(s.functions).sort(), [...sb.runtimes.keys()].sort());
      assert.equal(Object.keys(s.triggers).length, topology.edges.filter((e) => e.kind === "trigger").length);
    } finally {
      await sb.stop();
    }
  });
}
