/**
 * `observe-fanout`: 1 then 50 simulated viewers polling one project's Observe snapshot (GET …/observe?window=5m
 * through the route handler, each viewer every second as the Observe tab's refetchInterval does) for 60 s each
 * (`--quick` or BENCH_QUICK=1: 10 s), with the same steady traffic in the local sandbox. Upstream calls are counted
 * on the SDK clients the pollers use (every HTTP request to the sandbox's SQS, Kinesis and CloudWatch Logs
 * endpoints). Reports upstreamCallsPerMin1 and upstreamCallsPerMin50; goal (issue 7): equal (ratio 1.0).
 */
import { callRoute, observedProject } from "../../observe/bench-fixture";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run() {
  const quick = process.argv.includes("--quick") || !!process.env.BENCH_QUICK;
  const seconds = quick ? 10 : 60;
  const p = await observedProject();
  const stopTraffic = p.traffic(5);
  const { getDb } = await import("../../db/client");
  const { resolveEnvironment } = await import("../../observe/environment");
  const route = await import("../../../app/api/projects/[id]/environments/[envId]/observe/route");
  const db = getDb();
  let upstream = 0;
  const r = await resolveEnvironment(db, p.projectId, p.environmentId);
  for (const c of [r.clients.sqs, r.clients.kinesis, r.clients.logs]) {
    (c.middlewareStack as { add: (mw: unknown, o: unknown) => void }).add(
      (next: (a: unknown) => Promise<unknown>) => async (args: unknown) => {
        upstream++;
        return next(args);
      },
      { step: "finalizeRequest", name: "countUpstream" },
    );
  }
  const params = { id: p.projectId, envId: p.environmentId };
  const phase = async (viewers: number) => {
    const { getPollerHub } = await import("../../observe/poller");
    await getPollerHub(db).stop();
    delete (globalThis as { __topographPollerHub?: unknown }).__topographPollerHub;
    await db.pollerLease.deleteMany({});
    await db.observeSample.deleteMany({});
    const before = upstream;
    const end = Date.now() + seconds * 1000;
    let requests = 0;
    let failures = 0;
    await Promise.all(
      Array.from({ length: viewers }, async (_, v) => {
        await sleep((v * 1000) / viewers);
        while (Date.now() < end) {
          const res = await callRoute(route.GET as never, params, "?window=5m");
          requests++;
          if (res.status !== 200) failures++;
          await sleep(1000);
        }
      }),
    );
    return { perMin: Math.round(((upstream - before) / seconds) * 60 * 10) / 10, requests, failures };
  };
  try {
    const one = await phase(1);
    const fifty = await phase(50);
    return {
      seconds,
      upstreamCallsPerMin1: one.perMin,
      upstreamCallsPerMin50: fifty.perMin,
      ratio: Math.round((fifty.perMin / one.perMin) * 100) / 100,
      apiRequests1: one.requests,
      apiRequests50: fifty.requests,
      apiFailures: one.failures + fifty.failures,
    };
  } finally {
    stopTraffic();
    await p.stop();
  }
}
