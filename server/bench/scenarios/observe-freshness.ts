/**
 * `observe-freshness`: time from an invocation in the local sandbox to its count in the Observe API response.
 * One message at a time goes to an SQS-triggered function; a viewer asks GET …/observe/functions/place?window=5m
 * (route handler, in process) every 50 ms until `invocations` goes up; the sample is (time seen − the REPORT's
 * timestamp, read back from `latest`). 20 samples (`--quick`: 8). Reports freshnessP50Ms / freshnessP95Ms; goal
 * (issue 7): p95 ≤ 1,500 ms. The logs poller of a local environment reads every 500 ms.
 */
import { callRoute, observedProject } from "../../observe/bench-fixture";
import { summarize } from "../measure";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run() {
  const quick = process.argv.includes("--quick") || !!process.env.BENCH_QUICK;
  const n = quick ? 8 : 20;
  const p = await observedProject();
  const route = await import("../../../app/api/projects/[id]/environments/[envId]/observe/functions/[nodeId]/route");
  const params = { id: p.projectId, envId: p.environmentId, nodeId: "place" };
  const read = async () => {
    const r = await callRoute(route.GET as never, params, "?window=5m");
    if (r.status !== 200) throw new Error(JSON.stringify(r.json));
    return r.json as { stats: { invocations: number }; latest: { at: string; requestId: string }[] };
  };
  const samples: number[] = [];
  try {
    // Warm: the first message starts the environment (cold start) and the pollers.
    await p.send("orders", "warm");
    for (let t = Date.now(); Date.now() - t < 10_000 && (await read()).stats.invocations < 1; ) await sleep(50);
    for (let i = 0; i < n; i++) {
      const before = (await read()).stats.invocations;
      await p.send("orders", JSON.stringify({ i }));
      const deadline = Date.now() + 10_000;
      for (;;) {
        const d = await read();
        if (d.stats.invocations > before) {
          const seen = Date.now();
          samples.push(seen - Date.parse(d.latest[0].at));
          break;
        }
        if (Date.now() > deadline) throw new Error("an invocation was not counted within 10 s");
        await sleep(50);
      }
      await sleep(200 + ((i * 137) % 500)); // spread the sends over the poller's cycle
    }
    const s = summarize(samples);
    return { samples: n, freshnessP50Ms: s.median, freshnessP95Ms: s.p95, freshnessMaxMs: s.max, goalP95Ms: 1500, meetsGoal: s.p95 <= 1500 };
  } finally {
    await p.stop();
  }
}
