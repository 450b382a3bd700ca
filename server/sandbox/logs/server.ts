/**
 * A CloudWatch Logs endpoint over the real JSON protocol (`X-Amz-Target: Logs_20140328.<Op>`,
 * `application/x-amz-json-1.1`), so the AWS SDK v3 client works against it unchanged. Thin: parse the body,
 * call the store, write JSON or an AWS-shaped error (`__type` + `x-amzn-ErrorType`). Binds 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LogStore, LogsError } from "./store";
import { InsightsQueries } from "./insights";
import { startLiveTail, type LiveTailOptions } from "./live-tail";

export interface LogsEndpoint {
  store: LogStore;
  port: number;
  endpoint: string;
  stop(): Promise<void>;
}

type Body = Record<string, any>;

const OPS: Record<string, (store: LogStore, b: Body) => unknown> = {
  CreateLogGroup: (s, b) => (s.createLogGroup(b.logGroupName), {}),
  CreateLogStream: (s, b) => (s.createLogStream(groupName(b), b.logStreamName), {}),
  PutLogEvents: (s, b) => s.putLogEvents(groupName(b), b.logStreamName, b.logEvents ?? []),
  DescribeLogGroups: (s, b) => s.describeLogGroups(b),
  DescribeLogStreams: (s, b) => s.describeLogStreams({ ...b, logGroupName: groupName(b) }),
  GetLogEvents: (s, b) => s.getLogEvents({ ...b, logGroupName: groupName(b), logStreamName: b.logStreamName }),
  FilterLogEvents: (s, b) => s.filterLogEvents({ ...b, logGroupName: groupName(b) }),
  // Logs Insights (insights.ts): queries live with the store they read.
  StartQuery: (s, b) => insightsOf(s).startQuery(s, b),
  GetQueryResults: (s, b) => insightsOf(s).getQueryResults(b),
  StopQuery: (s, b) => insightsOf(s).stopQuery(b),
};

const insights = new WeakMap<LogStore, InsightsQueries>();
function insightsOf(store: LogStore): InsightsQueries {
  let q = insights.get(store);
  if (!q) insights.set(store, (q = new InsightsQueries()));
  return q;
}

/** Accepts logGroupName or logGroupIdentifier (a name or an ARN). */
function groupName(b: Body): string {
  const v = b.logGroupName ?? b.logGroupIdentifier;
  if (typeof v !== "string") throw new LogsError("InvalidParameterException", "logGroupName is required");
  const arn = /^arn:aws[^:]*:logs:[^:]*:\d*:log-group:(.+?)(:\*)?$/.exec(v);
  return arn ? arn[1] : v;
}

export function handleLogsRequest(store: LogStore, target: string | undefined, raw: string): { status: number; body: unknown } {
  const op = target?.startsWith("Logs_20140328.") ? target.slice("Logs_20140328.".length) : undefined;
  const fn = op ? OPS[op] : undefined;
  if (!fn) return { status: 400, body: { __type: "UnknownOperationException", message: `Operation ${op ?? target ?? "(none)"} is not supported by the sandbox` } };
  let b: Body;
  try {
    b = raw ? JSON.parse(raw) : {};
  } catch {
    return { status: 400, body: { __type: "SerializationException", message: "The request body is not valid JSON" } };
  }
  try {
    return { status: 200, body: fn(store, b) };
  } catch (e) {
    if (e instanceof LogsError) return { status: e.status, body: { __type: e.type, message: e.message } };
    return { status: 500, body: { __type: "ServiceUnavailableException", message: (e as Error).message } };
  }
}

export async function startLogsEndpoint(opts: { dataDir?: string; store?: LogStore; port?: number; liveTail?: LiveTailOptions } = {}): Promise<LogsEndpoint> {
  const store = opts.store ?? new LogStore(opts.dataDir);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = req.headers["x-amz-target"] as string | undefined;
      if (target === "Logs_20140328.StartLiveTail") {
        // An event stream, not one JSON answer (live-tail.ts).
        try {
          startLiveTail(store, JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"), res, opts.liveTail);
        } catch (e) {
          const err = e instanceof LogsError ? e : new LogsError("InvalidParameterException", (e as Error).message);
          const text = JSON.stringify({ __type: err.type, message: err.message });
          res.writeHead(err.status, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": err.type, "content-length": Buffer.byteLength(text) }).end(text);
        }
        return;
      }
      const { status, body } = handleLogsRequest(store, req.headers["x-amz-target"] as string | undefined, Buffer.concat(chunks).toString("utf8"));
      const text = JSON.stringify(body);
      const headers: Record<string, string | number> = {
        "content-type": "application/x-amz-json-1.1",
        "content-length": Buffer.byteLength(text),
        "x-amzn-requestid": crypto.randomUUID(),
      };
      if (status !== 200) headers["x-amzn-errortype"] = (body as { __type: string }).__type;
      res.writeHead(status, headers).end(text);
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    store,
    port,
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
