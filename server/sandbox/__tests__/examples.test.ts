import { test } from "node:test";
import assert from "node:assert/strict";
import { EXAMPLES } from "../../model/examples/index";
import { startSandbox } from "../sandbox";
import { startTraffic } from "../traffic";

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

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Traffic into an example's entry point flows through the whole design: table writes feed table streams, default
 * handlers put the events their produce edges name on the bus (so the rules match), calls and queues carry on.
 */
const CHAINS: { slug: string; entry: string; ends: string[]; tables: string[] }[] = [
  { slug: "chocolate-box", entry: "route-form-webhook", ends: ["fn-publish-customer-events", "fn-track-subscription", "fn-send-marketing-mails", "fn-sync-stock-order"], tables: ["table-customers", "table-subscriptions", "table-mailing-list"] },
  { slug: "kafka-consumers", entry: "kafka-purchases", ends: ["fn-score-purchases", "fn-apply-points", "fn-notify-tier-upgrade"], tables: ["table-loyalty-accounts"] },
  { slug: "orders", entry: "route-create-order", ends: ["fn-order-handler", "fn-ship-order"], tables: ["table-orders", "table-shipments"] },
];
for (const chain of CHAINS) {
  test(`traffic flows through the "${chain.slug}" example end to end`, async () => {
    const { topology } = EXAMPLES.find((e) => e.slug === chain.slug)!;
    const sb = await startSandbox(topology, { pollWaitSeconds: 0.5, kinesisPollIntervalMs: 20 });
    try {
      const t = startTraffic(sb, topology, { nodeId: chain.entry, perSecond: 20, poisonFraction: 0, total: 10 });
      await new Promise((r) => setTimeout(r, 600));
      await t.complete();
      assert.deepEqual(t.stats(), { nodeId: chain.entry, sent: 10, poison: 0, failed: 0 });
      await waitFor(`every function of the chain invoked and every table written (${chain.slug})`, async () => {
        const s = await sb.summary();
        return chain.ends.every((f) => s.functions[f].invocations > 0) && chain.tables.every((x) => s.tables[x].items > 0);
      });
    } finally {
      await sb.stop();
    }
  });
}
