/**
 * `sandbox-throughput`: an SQS-triggered no-op function (batch 10, default handler with latencyMs 0) in the local
 * sandbox, logs persisted to a temp dir.
 * - invocationsPerSec: sustained invocations/s over 6 s with producers kept ahead of the consumer (SendMessageBatch,
 *   backlog capped at 2,000 messages so the queue never runs dry nor grows without bound).
 * - e2eP95Ms: p95 from just before SendMessage to the REPORT line written, over 6 s of open-loop load at half the
 *   measured throughput (messages/s), i.e. latency under a sustainable load, not queueing under overload.
 * Goal (issue 6): ≥ 1,000 invocations/s and p95 ≤ 250 ms on a 2-core machine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { TopologySchema } from "../../model/schema";
import { startSandbox } from "../../sandbox/sandbox";
import { summarize } from "../measure";

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run() {
  const topology = TopologySchema.parse({
    schemaVersion: 1,
    name: "throughput",
    nodes: [
      { id: "in", kind: "queue", name: "In", visibilityTimeoutSeconds: 30 },
      { id: "noop", kind: "function", name: "noop", simulate: { latencyMs: 0, initMs: 0 } },
    ],
    edges: [{ id: "in-noop", kind: "trigger", source: "in", target: "noop", batchSize: 10, maximumConcurrency: 8 }],
  });
  const dataDir = mkdtempSync(join(tmpdir(), "topo-bench-sandbox-"));
  let processed = 0;
  let invocations = 0;
  let recording = false;
  const latencies: number[] = [];
  const sb = await startSandbox(topology, {
    dataDir,
    onReport: (_fn, r, event) => {
      invocations++;
      const recs = (event as { Records: { body: string }[] }).Records;
      processed += recs.length;
      if (!recording) return;
      for (const rec of recs) latencies.push(r.reportedAt! - Number(rec.body));
    },
  });
  const url = sb.queueUrls.get("in")!;
  const sendBatch = () =>
    sb.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: String(now()) })) }));
  try {
    // Phase A: saturation.
    let sent = 0;
    let stopA = false;
    const producer = async () => {
      while (!stopA) {
        if (sent - processed > 2_000) {
          await sleep(2);
          continue;
        }
        sent += 10;
        await sendBatch();
      }
    };
    const producers = Array.from({ length: 4 }, producer);
    await sleep(1_000); // warm-up
    const i0 = invocations;
    const t0 = performance.now();
    await sleep(6_000);
    const invocationsPerSec = ((invocations - i0) / (performance.now() - t0)) * 1000;
    stopA = true;
    await Promise.all(producers);
    while (processed < sent) await sleep(10);

    // Phase B: open loop at half the throughput, in messages/s, sent as single SendMessage-equivalents in batches of 10 per tick.
    const msgPerSec = Math.max(10, Math.floor((invocationsPerSec * 10) / 2));
    recording = true;
    const tB = performance.now();
    let sentB = 0;
    const inflight: Promise<unknown>[] = [];
    while (performance.now() - tB < 6_000) {
      const due = Math.floor(((performance.now() - tB) / 1000) * msgPerSec);
      while (sentB + 10 <= due) {
        sentB += 10;
        inflight.push(sendBatch());
      }
      await sleep(5);
    }
    await Promise.all(inflight);
    const target = processed + 0;
    const deadline = Date.now() + 10_000;
    while (latencies.length < sentB && Date.now() < deadline) await sleep(10);
    void target;
    const lat = summarize(latencies);
    const summary = await sb.summary();
    return {
      invocationsPerSec: Math.round(invocationsPerSec),
      messagesPerSec: Math.round(invocationsPerSec * 10 * 10) / 10,
      e2eP95Ms: lat.p95,
      e2eMedianMs: lat.median,
      latencyLoadMsgPerSec: msgPerSec,
      latencySamples: lat.runs,
      coldStarts: summary.functions.noop.coldStarts,
      errors: summary.functions.noop.errors,
    };
  } finally {
    await sb.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
