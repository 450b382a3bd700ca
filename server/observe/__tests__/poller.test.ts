import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PollerHub, problemThrow } from "../poller";
import { startWireEndpoint } from "../wire/server";
import { testDatabases } from "../../db/__tests__/databases";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("one upstream read per interval however many viewers ask (no database)", async () => {
  const hub = new PollerHub(null, { ttlMs: 1_000 });
  let calls = 0;
  const spec = { key: "e|r|s", intervalMs: 200, action: "x:Read", fetch: async () => ++calls };
  const results = await Promise.all(Array.from({ length: 50 }, () => hub.get(spec)));
  assert.equal(calls, 1);
  assert.ok(results.every((r) => r.data === 1 && r.freshness.state === "fresh"));
  const t0 = Date.now();
  while (Date.now() - t0 < 1_000) {
    await Promise.all(Array.from({ length: 50 }, () => hub.get(spec)));
    await sleep(20);
  }
  // 1 s at 200 ms: the first read plus about five more, whatever the 50 viewers did.
  assert.ok(calls >= 4 && calls <= 7, `calls ${calls}`);
  await hub.stop();
});

test("throttling backs off exponentially and keeps the last good data; access denied names the action", async () => {
  const hub = new PollerHub(null, { ttlMs: 5_000, maxBackoffMs: 800 });
  let calls = 0;
  let mode: "ok" | "throttle" | "deny" = "ok";
  const spec = {
    key: "e|q|attrs",
    intervalMs: 100,
    action: "sqs:GetQueueAttributes",
    fetch: async () => {
      calls++;
      if (mode === "throttle") throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
      if (mode === "deny") throw Object.assign(new Error("User: x is not authorized to perform: sqs:GetQueueAttributes on resource: q"), { name: "AccessDenied" });
      return { depth: 7 };
    },
  };
  assert.deepEqual((await hub.get(spec)).data, { depth: 7 });
  mode = "throttle";
  calls = 0;
  await sleep(1_600);
  // Backoff 100, 200, 400, 800, 800 ms after the interval: ~5 calls in 1.6 s instead of 16.
  assert.ok(calls >= 3 && calls <= 6, `throttled calls ${calls}`);
  const r = await hub.get(spec);
  assert.deepEqual(r.data, { depth: 7 });
  assert.equal(r.freshness.state, "failing");
  assert.equal(r.freshness.problem?.kind, "throttled");
  assert.ok(r.freshness.readAt);
  mode = "deny";
  await sleep(1_000);
  const d = await hub.get(spec);
  assert.equal(d.freshness.problem?.kind, "access-denied");
  assert.equal(d.freshness.problem?.missingAction, "sqs:GetQueueAttributes");
  assert.deepEqual(d.data, { depth: 7 });
  await hub.stop();

  const hub2 = new PollerHub(null);
  const u = await hub2.get({ key: "u", intervalMs: 1_000, action: "x", fetch: async () => problemThrow("unbound", "queue q is not bound") });
  assert.equal(u.data, undefined);
  assert.equal(u.freshness.state, "failing");
  assert.equal(u.freshness.problem?.kind, "unbound");
  await hub2.stop();
});

test("a poller stops after its TTL without viewers", async () => {
  const hub = new PollerHub(null, { ttlMs: 300 });
  let calls = 0;
  await hub.get({ key: "ttl", intervalMs: 50, action: "x", fetch: async () => ++calls });
  await sleep(700);
  const n = calls;
  assert.deepEqual(hub.keys(), []);
  await sleep(300);
  assert.equal(calls, n);
  await hub.stop();
});

for (const tdb of testDatabases()) {
  test(`${tdb.name}: two instances share one lease — upstream calls equal one instance's`, { skip: tdb.skip }, async () => {
    const { db, config, close } = await tdb.open();
    const wire = await startWireEndpoint();
    try {
      const run = (instance: string, viewers: number) =>
        new Promise<{ instance: string; upstream: number; gets: number; withData: number; times: number[] }>((resolve, reject) => {
          const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fixtures/instance.ts", import.meta.url))], {
            env: { ...process.env, OBS_DB_URL: config.url, OBS_WIRE: wire.endpoint, OBS_INSTANCE: instance, OBS_VIEWERS: String(viewers), OBS_DURATION_MS: "3000", OBS_INTERVAL_MS: "250" },
            stdio: ["ignore", "pipe", "pipe"],
          });
          let out = "";
          let err = "";
          child.stdout.on("data", (c) => (out += c));
          child.stderr.on("data", (c) => (err += c));
          child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!)) : reject(new Error(`instance ${instance} exited ${code}: ${err.slice(-2000)}`))));
        });
      const one = await run("solo", 5);
      const soloCalls = wire.totalCalls("GetMetricData");
      assert.equal(one.upstream, soloCalls);
      await db.pollerLease.deleteMany({});
      await db.observeSample.deleteMany({});
      const [a, b] = await Promise.all([run("a", 5), run("b", 5)]);
      const pairCalls = wire.totalCalls("GetMetricData") - soloCalls;
      assert.equal(a.upstream + b.upstream, pairCalls, "every upstream read is counted at the wire");
      // One poller at a time: in time order the reads form runs by instance, changing hands only if a lease expired
      // (a tick stalled past it on a loaded machine), and the pair reads at one instance's rate.
      const merged = [...a.times.map((t) => ({ t, who: "a" })), ...b.times.map((t) => ({ t, who: "b" }))].sort((x, y) => x.t - y.t);
      const switches = merged.slice(1).filter((m, i) => m.who !== merged[i].who).length;
      assert.ok(switches <= 2, `the lease changed hands ${switches} times: ${merged.map((m) => m.who).join("")}`);
      const rate = (ts: number[]) => (ts.length - 1) / ((ts[ts.length - 1] - ts[0]) / 1000);
      const pairRate = rate(merged.map((m) => m.t));
      const soloRate = rate(one.times);
      assert.ok(pairRate <= soloRate * 1.25 + 0.5, `pair ${pairRate.toFixed(2)}/s vs one instance ${soloRate.toFixed(2)}/s (interval 250 ms: 4/s)`);
      assert.ok(pairRate <= 4.5 && soloRate <= 4.5, `${pairRate} ${soloRate}`);
      // Both instances served their viewers; the one without the lease from ObserveSample.
      assert.ok(a.withData > 0 && b.withData > 0, JSON.stringify({ a: { ...a, times: a.times.length }, b: { ...b, times: b.times.length } }));
    } finally {
      await wire.stop();
      await close();
    }
  });
}
