/**
 * `observe-api`: the Observe snapshot route (GET …/observe?window=5m, what the canvas overlay polls) served over
 * HTTP on loopback at an open-loop 200 requests/s for 10 s (`--quick`: 4 s), the local sandbox carrying 5 msgs/s.
 * The route handler is mounted on a node:http server on 127.0.0.1 (the same handler Next calls; Next's own
 * routing and rendering are not in the figure). Latency from request start to the full body, with a keep-alive
 * agent. Reports p50Ms / p95Ms / p99Ms and the achieved rate; goal (issue 7): p95 ≤ 25 ms.
 */
import { createServer, Agent, request } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { AddressInfo } from "node:net";
import { observedProject } from "../../observe/bench-fixture";
import { summarize } from "../measure";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(0.99 * (s.length - 1) + 0.5))] * 100) / 100;
};

export async function run() {
  const quick = process.argv.includes("--quick") || !!process.env.BENCH_QUICK;
  const seconds = quick ? 4 : 10;
  const rate = 200;
  const p = await observedProject();
  const stopTraffic = p.traffic(5);
  const route = await import("../../../app/api/projects/[id]/environments/[envId]/observe/route");
  const params = { id: p.projectId, envId: p.environmentId };
  const server = createServer(async (req, res) => {
    const r = await (route.GET as unknown as (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>)(
      new Request(`http://127.0.0.1${req.url}`, { headers: { host: req.headers.host ?? "127.0.0.1" } }),
      { params: Promise.resolve(params) },
    );
    const body = Buffer.from(await r.arrayBuffer());
    res.writeHead(r.status, { "content-type": "application/json", "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const get = () =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const req = request({ host: "127.0.0.1", port, path: `/api/projects/${p.projectId}/environments/${p.environmentId}/observe?window=5m`, agent }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end();
    });
  try {
    // Warm-up: pollers started, first reads done.
    for (let i = 0; i < 20; i++) await get();
    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    let failures = 0;
    const inflight: Promise<void>[] = [];
    const t0 = performance.now();
    let sent = 0;
    while (performance.now() - t0 < seconds * 1000) {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate);
      while (sent < due) {
        sent++;
        inflight.push(get().then((ms) => void latencies.push(ms), () => void failures++));
      }
      await sleep(2);
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    loop.disable();
    // How late this process's event loop ran (the machine's other work and GC show here, not in the handler's cost).
    const eventLoopDelayP99Ms = Math.round(loop.percentile(99) / 1e4) / 100;
    // This one process also runs the sandbox (emulators, functions, traffic) and the load generator.
    const cpuPerRequestMs = Math.round(((cpu.user + cpu.system) / 1000 / sent) * 100) / 100;
    const s = summarize(latencies);
    return { seconds, targetRate: rate, achievedRate: Math.round(latencies.length / elapsed), requests: sent, failures, p50Ms: s.median, p95Ms: s.p95, p99Ms: p99(latencies), maxMs: s.max, cpuPerRequestMs, eventLoopDelayP99Ms, cpuUtilisation: Math.round(((cpu.user + cpu.system) / 1e6 / elapsed) * 100) / 100, goalP95Ms: 25, meetsGoal: s.p95 <= 25 };
  } finally {
    stopTraffic();
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await p.stop();
  }
}
