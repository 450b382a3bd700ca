/** Test helpers: fauxqs on loopback, queues with a redrive policy, a DLQ filled with numbered messages. */
import type { AddressInfo } from "node:net";
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { buildApp } from "fauxqs";
import { TopologySchema, type Topology } from "../../../model/schema";

export interface Fauxqs {
  endpoint: string;
  sqs: SQSClient;
  client(endpoint?: string): SQSClient;
  stop(): Promise<void>;
}

export async function startFauxqs(): Promise<Fauxqs> {
  const app = buildApp({ logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const clients: SQSClient[] = [];
  const client = (ep = endpoint) => {
    const c = new SQSClient({ endpoint: ep, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" }, md5: false, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  const sqs = client();
  return {
    endpoint,
    sqs,
    client,
    async stop() {
      for (const c of clients) c.destroy();
      await app.close();
    },
  };
}

/** A source queue redriving into a DLQ (maxReceiveCount 2), both created; returns their URLs and ARNs. */
export async function createPair(sqs: SQSClient, prefix: string, opts: { fifo?: boolean } = {}) {
  const sfx = opts.fifo ? ".fifo" : "";
  const fifoAttrs: Record<string, string> = opts.fifo ? { FifoQueue: "true" } : {};
  const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-dlq${sfx}`, Attributes: fifoAttrs }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  const source = (
    await sqs.send(
      new CreateQueueCommand({ QueueName: `${prefix}${sfx}`, Attributes: { ...fifoAttrs, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) } }),
    )
  ).QueueUrl!;
  return { source, dlq, dlqArn };
}

/** Sends n messages whose bodies are {"n": i} (i = from … from+n-1), 10 at a time. */
export async function fill(sqs: SQSClient, url: string, n: number, from = 0, fifo = false) {
  for (let i = 0; i < n; i += 10) {
    const entries = [];
    for (let j = i; j < Math.min(n, i + 10); j++)
      entries.push({ Id: String(j - i), MessageBody: JSON.stringify({ n: from + j }), MessageAttributes: { origin: { DataType: "String", StringValue: `test-${from + j}` } }, ...(fifo ? { MessageGroupId: `g${(from + j) % 3}`, MessageDeduplicationId: `d${from + j}` } : {}) });
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
  }
}

/** Drains a queue (receiving with a long visibility; FIFO queues need `deleteEach`, since a group in flight blocks) and returns the `n` of every body seen. */
export async function drainNumbers(sqs: SQSClient, url: string, opts: { deleteEach?: boolean } = {}): Promise<number[]> {
  const out: number[] = [];
  for (;;) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600, WaitTimeSeconds: 0 }));
    if (!r.Messages?.length) return out;
    for (const m of r.Messages) {
      out.push((JSON.parse(m.Body!) as { n: number }).n);
      if (opts.deleteEach) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}

export async function depthOf(sqs: SQSClient, url: string) {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }))).Attributes ?? {};
  return { visible: Number(a.ApproximateNumberOfMessages), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible) };
}

/** Counts lost (expected but absent) and duplicated numbers. */
export function lossAndDuplicates(expected: number, seen: number[]) {
  const counts = new Map<number, number>();
  for (const n of seen) counts.set(n, (counts.get(n) ?? 0) + 1);
  let lost = 0;
  for (let i = 0; i < expected; i++) if (!counts.has(i)) lost++;
  let duplicates = 0;
  for (const c of counts.values()) if (c > 1) duplicates += c - 1;
  return { lost, duplicates };
}

/** orders → orders-dlq (redrive), plus a function whose async DLQ is fn-dlq. */
export function dlqTopology(): Topology {
  return TopologySchema.parse({
    schemaVersion: 1,
    name: "dlq test",
    nodes: [
      { id: "orders-dlq", kind: "queue", name: "Orders DLQ" },
      { id: "orders", kind: "queue", name: "Orders", redrive: { deadLetterQueueId: "orders-dlq", maxReceiveCount: 2 } },
      { id: "replay", kind: "queue", name: "Replay" },
      { id: "worker", kind: "function", name: "Worker", deadLetterQueueId: "fn-dlq" },
      { id: "fn-dlq", kind: "queue", name: "Worker DLQ" },
    ],
    edges: [{ id: "orders-worker", kind: "trigger", source: "orders", target: "worker" }],
  });
}

export async function waitFor<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
