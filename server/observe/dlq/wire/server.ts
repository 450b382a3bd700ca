/**
 * A small SQS endpoint for tests and demos that speaks the message-move API fauxqs lacks —
 * StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask — over the real SQS JSON protocol
 * (`X-Amz-Target: AmazonSQS.<Op>`, `application/x-amz-json-1.0`), and forwards every other operation to an
 * upstream SQS endpoint (fauxqs). The AWS SDK v3 client talks to it exactly as to AWS.
 *
 * Behaviour follows the SQS API reference: one active task per source queue; the source must be a DLQ (some
 * queue's RedrivePolicy names it); without DestinationArn messages go back to the source queue (here: the one
 * queue that redrives into it; several → InvalidParameterValue, a limit of this endpoint, since fauxqs does not
 * record each message's source); TaskHandle only on RUNNING results; ApproximateNumberOfMessagesToMove is the depth
 * at start. `deny` answers chosen operations with AWS's AccessDenied (403), naming the IAM action in the message.
 * Loopback only.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { moveBatch, readQueueState } from "../sqs";

export interface MoveWireOptions {
  /** The SQS endpoint every other operation goes to (fauxqs). */
  upstream: string;
  /** Operations (e.g. "StartMessageMoveTask") answered with AccessDenied. */
  deny?: Iterable<string>;
  /** Delay between batches of a task, so progress can be watched (default 0). */
  batchDelayMs?: number;
  /** The account in ARNs and the denied principal (default 000000000000). */
  account?: string;
}

export interface MoveWireEndpoint {
  endpoint: string;
  /** Changes which operations are denied. */
  setDenied(ops: Iterable<string>): void;
  /** Calls each operation received, by name (forwarded ones included). */
  calls: Map<string, number>;
  stop(): Promise<void>;
}

interface Task {
  handle: string;
  sourceArn: string;
  sourceUrl: string;
  destArn: string;
  destUrl: string;
  maxPerSecond?: number;
  status: "RUNNING" | "COMPLETED" | "CANCELLING" | "CANCELLED" | "FAILED";
  moved: number;
  toMove: number;
  failureReason?: string;
  started: number;
}

class WireError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

/** Errors whose legacy (query-protocol) code carries SQS's prefix; the message-move API's newer ones do not. */
const QUERY_PREFIXED = new Set(["UnsupportedOperation", "InvalidAddress", "InvalidSecurity"]);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startMoveWireEndpoint(opts: MoveWireOptions): Promise<MoveWireEndpoint> {
  let denied = new Set(opts.deny ?? []);
  const account = opts.account ?? "000000000000";
  const calls = new Map<string, number>();
  const tasks: Task[] = [];
  const sqs = new SQSClient({ endpoint: opts.upstream, region: "us-east-1", credentials: { accessKeyId: "wire", secretAccessKey: "wire" }, md5: false });
  let stopped = false;

  const urlOfArn = async (arn: string): Promise<string> => {
    const name = arn.split(":").at(-1) ?? "";
    try {
      const r = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      return r.QueueUrl!;
    } catch {
      throw new WireError("ResourceNotFoundException", `The resource that you specified for the SourceArn parameter doesn't exist: ${arn}`);
    }
  };

  /** Queues whose RedrivePolicy names `dlqArn`. */
  const sourcesOf = async (dlqArn: string): Promise<{ url: string; arn: string }[]> => {
    const out: { url: string; arn: string }[] = [];
    const list = await sqs.send(new ListQueuesCommand({ MaxResults: 1000 }));
    for (const url of list.QueueUrls ?? []) {
      const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn", "RedrivePolicy"] }))).Attributes ?? {};
      if (!a.RedrivePolicy) continue;
      try {
        if ((JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn === dlqArn) out.push({ url, arn: a.QueueArn! });
      } catch {
        // not a readable policy
      }
    }
    return out;
  };

  const run = async (t: Task) => {
    try {
      const destFifo = (await readQueueState(sqs, t.destUrl)).fifo;
      const begun = Date.now();
      while (!stopped && t.status === "RUNNING") {
        const r = await moveBatch(sqs, t.sourceUrl, t.destUrl, { visibilitySeconds: 30, destFifo });
        if (!r.received) {
          const q = await readQueueState(sqs, t.sourceUrl);
          if (q.depth === 0) break;
          continue;
        }
        if (r.moved === 0 && r.failed.length === r.received) throw new Error(r.failed[0].message);
        t.moved += r.moved;
        if (t.maxPerSecond) {
          const ahead = (t.moved / t.maxPerSecond) * 1000 - (Date.now() - begun);
          if (ahead > 0) await sleep(ahead);
        }
        if (opts.batchDelayMs) await sleep(opts.batchDelayMs);
      }
      if (t.status === "CANCELLING") t.status = "CANCELLED";
      else if (t.status === "RUNNING") t.status = "COMPLETED";
    } catch (e) {
      t.status = "FAILED";
      t.failureReason = (e as Error).message;
    }
  };

  const ops: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    async StartMessageMoveTask(body) {
      const sourceArn = String(body.SourceArn ?? "");
      if (!sourceArn) throw new WireError("MissingParameter", "The request must contain the parameter SourceArn.");
      const sourceUrl = await urlOfArn(sourceArn);
      if (tasks.some((t) => t.sourceArn === sourceArn && (t.status === "RUNNING" || t.status === "CANCELLING")))
        throw new WireError("UnsupportedOperation", "There is already a task running. Only one active task is allowed for each source queue.");
      const sources = await sourcesOf(sourceArn);
      if (!sources.length) throw new WireError("UnsupportedOperation", "Source queue must be configured as a Dead Letter Queue.");
      let destArn = body.DestinationArn ? String(body.DestinationArn) : "";
      let destUrl: string;
      if (destArn) destUrl = await urlOfArn(destArn);
      else if (sources.length === 1) ({ url: destUrl, arn: destArn } = sources[0]);
      else throw new WireError("InvalidParameterValue", "This endpoint needs a DestinationArn when several queues redrive into the source.");
      const maxPerSecond = body.MaxNumberOfMessagesPerSecond === undefined ? undefined : Number(body.MaxNumberOfMessagesPerSecond);
      if (maxPerSecond !== undefined && !(maxPerSecond >= 1 && maxPerSecond <= 500)) throw new WireError("InvalidParameterValue", "MaxNumberOfMessagesPerSecond must be between 1 and 500.");
      const handle = Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn })).toString("base64");
      const toMove = (await readQueueState(sqs, sourceUrl)).depth;
      const t: Task = { handle, sourceArn, sourceUrl, destArn, destUrl, maxPerSecond, status: "RUNNING", moved: 0, toMove, started: Date.now() };
      tasks.push(t);
      void run(t);
      return { TaskHandle: handle };
    },
    async ListMessageMoveTasks(body) {
      const sourceArn = String(body.SourceArn ?? "");
      await urlOfArn(sourceArn);
      const max = Math.min(10, Math.max(1, Number(body.MaxResults ?? 1)));
      const results = tasks
        .filter((t) => t.sourceArn === sourceArn)
        .sort((a, b) => b.started - a.started)
        .slice(0, max)
        .map((t) => ({
          ...(t.status === "RUNNING" ? { TaskHandle: t.handle } : {}),
          Status: t.status,
          SourceArn: t.sourceArn,
          DestinationArn: t.destArn,
          ...(t.maxPerSecond ? { MaxNumberOfMessagesPerSecond: t.maxPerSecond } : {}),
          ApproximateNumberOfMessagesMoved: t.moved,
          ApproximateNumberOfMessagesToMove: t.toMove,
          ...(t.failureReason ? { FailureReason: t.failureReason } : {}),
          StartedTimestamp: t.started,
        }));
      return { Results: results };
    },
    async CancelMessageMoveTask(body) {
      const t = tasks.find((x) => x.handle === body.TaskHandle);
      if (!t) throw new WireError("ResourceNotFoundException", "The task handle does not exist.");
      if (t.status !== "RUNNING") throw new WireError("UnsupportedOperation", `The task is ${t.status}; only a running task can be cancelled.`);
      t.status = "CANCELLING";
      return { ApproximateNumberOfMessagesMoved: t.moved };
    },
  };

  const send = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": randomUUID(), ...extra });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer(async (req, res) => {
    try {
      const raw = await readBody(req);
      const target = String(req.headers["x-amz-target"] ?? "");
      const op = target.replace(/^AmazonSQS\./, "");
      calls.set(op, (calls.get(op) ?? 0) + 1);
      if (denied.has(op)) {
        const body = raw.length ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
        const resource = String(body.SourceArn ?? body.QueueUrl ?? "*");
        const action = `sqs:${op}`;
        return send(
          res,
          403,
          { __type: "com.amazonaws.sqs#AccessDenied", message: `User: arn:aws:iam::${account}:user/observer is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action` },
          { "x-amzn-query-error": "AccessDenied;Sender" },
        );
      }
      const handler = ops[op];
      if (handler) {
        try {
          return send(res, 200, await handler(raw.length ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {}));
        } catch (e) {
          if (e instanceof WireError) return send(res, e.status, { __type: `com.amazonaws.sqs#${e.code}`, message: e.message }, { "x-amzn-query-error": `${QUERY_PREFIXED.has(e.code) ? "AWS.SimpleQueueService." : ""}${e.code};Sender` });
          throw e;
        }
      }
      // Everything else: to the upstream emulator, as it came.
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string" && !["host", "content-length", "connection"].includes(k)) headers[k] = v;
      const up = await fetch(opts.upstream + (req.url ?? "/"), { method: req.method, headers, body: raw.length ? new Uint8Array(raw) : undefined });
      const out = Buffer.from(await up.arrayBuffer());
      const outHeaders: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (!["content-length", "transfer-encoding", "connection", "content-encoding"].includes(k)) outHeaders[k] = v;
      });
      res.writeHead(up.status, outHeaders);
      res.end(out);
    } catch (e) {
      if (!res.headersSent) send(res, 500, { __type: "com.amazonaws.sqs#InternalError", message: (e as Error).message });
      else res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    setDenied(ops) {
      denied = new Set(ops);
    },
    async stop() {
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      sqs.destroy();
    },
  };
}
