/**
 * Wire endpoints standing in for the AWS-only APIs Observe calls, speaking exactly what the SDK v3 clients send:
 *
 * - CloudWatch `GetMetricData` (and `ListMetrics`): `@aws-sdk/client-cloudwatch` 3.1164 speaks AWS JSON 1.0
 *   (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`, `application/x-amz-json-1.0`, timestamps as epoch
 *   seconds) in query-compatible mode (`x-amzn-query-mode: true`; errors carry `x-amzn-query-error: Code;Sender`).
 *   Paging: at most `pageSize` datapoints per response, then `NextToken`. Fed by a `MetricStore`.
 * - CloudFormation `ListStackResources`: the query protocol (form-encoded `Action=…&Version=2010-05-15`, XML
 *   answers and `<ErrorResponse>` errors), paged by `stackPageSize` summaries.
 *
 * Faults for tests: throttle the next N calls of an operation (or every k-th), deny an operation (AccessDenied
 * naming the IAM action). Every call is counted per operation (`calls`), which is how tests and the fan-out
 * bench count upstream calls. Binds 127.0.0.1 only.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MetricStore, type Statistic } from "./metric-store";

export interface StackResource {
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  ResourceStatus?: string;
}

export interface WireFaults {
  /** Operation → number of upcoming calls answered with a throttling error. */
  throttleNext: Record<string, number>;
  /** Operation → throttle every k-th call. */
  throttleEvery: Record<string, number>;
  /** Operations answered with AccessDenied. */
  deny: Set<string>;
}

export interface WireEndpoint {
  endpoint: string;
  port: number;
  metrics: MetricStore;
  /** Stack name → resources. */
  stacks: Map<string, StackResource[]>;
  faults: WireFaults;
  /** Calls per operation (including refused ones). */
  calls: Record<string, number>;
  totalCalls(op?: string): number;
  /** Per response; small values exercise paging. */
  pageSize: number;
  stackPageSize: number;
  stop(): Promise<void>;
}

const IAM: Record<string, string> = {
  GetMetricData: "cloudwatch:GetMetricData",
  ListMetrics: "cloudwatch:ListMetrics",
  ListStackResources: "cloudformation:ListStackResources",
};

class WireError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

// --- CloudWatch (JSON 1.0) ----------------------------------------------------------------------

interface MetricDataQuery {
  Id: string;
  Label?: string;
  ReturnData?: boolean;
  Expression?: string;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] }; Period: number; Stat: string };
}

const STATS = /^(Sum|Average|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d+)?)$/;

function toMs(v: unknown, name: string): number {
  if (typeof v === "number") return v * 1000;
  if (typeof v === "string" && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw new WireError("ValidationError", `The parameter ${name} must be a timestamp`);
}

function getMetricData(store: MetricStore, body: Record<string, any>, pageSize: number) {
  const queries = (body.MetricDataQueries ?? []) as MetricDataQuery[];
  if (!Array.isArray(queries) || !queries.length) throw new WireError("ValidationError", "The parameter MetricDataQueries is required");
  if (queries.length > 500) throw new WireError("ValidationError", "The collection MetricDataQueries must not have a size greater than 500");
  const start = toMs(body.StartTime, "StartTime");
  const end = toMs(body.EndTime, "EndTime");
  if (end <= start) throw new WireError("ValidationError", "The parameter StartTime must be less than the parameter EndTime");
  const ascending = body.ScanBy === "TimestampAscending";
  let cursor = { q: 0, i: 0 };
  if (body.NextToken) {
    try {
      cursor = JSON.parse(Buffer.from(String(body.NextToken), "base64url").toString("utf8"));
    } catch {
      throw new WireError("InvalidNextToken", "The service couldn't process your request because the NextToken is not valid");
    }
  }
  const results: { Id: string; Label: string; Timestamps: number[]; Values: number[]; StatusCode: string }[] = [];
  const messages: { Code: string; Value: string }[] = [];
  let budget = pageSize;
  let next: { q: number; i: number } | undefined;
  for (let q = cursor.q; q < queries.length; q++) {
    const query = queries[q];
    if (query.ReturnData === false) continue;
    if (!query.MetricStat) {
      if (q === cursor.q && cursor.i === 0) messages.push({ Code: "Unsupported", Value: `query ${query.Id}: metric math is not supported by this endpoint` });
      results.push({ Id: query.Id, Label: query.Label ?? query.Id, Timestamps: [], Values: [], StatusCode: "Complete" });
      continue;
    }
    const ms = query.MetricStat;
    if (!STATS.test(ms.Stat)) throw new WireError("ValidationError", `The value ${ms.Stat} for parameter MetricDataQueries.member.${q + 1}.MetricStat.Stat is not valid`);
    const data = store.query(ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions ?? [], start, end, ms.Period, ms.Stat as Statistic);
    if (ascending) {
      data.t.reverse();
      data.v.reverse();
    }
    const from = q === cursor.q ? cursor.i : 0;
    const take = Math.min(budget, data.t.length - from);
    results.push({
      Id: query.Id,
      Label: query.Label ?? ms.Metric.MetricName,
      Timestamps: data.t.slice(from, from + take).map((t) => t / 1000),
      Values: data.v.slice(from, from + take),
      StatusCode: from + take < data.t.length ? "PartialData" : "Complete",
    });
    budget -= take;
    if (from + take < data.t.length) {
      next = { q, i: from + take };
      break;
    }
    if (budget <= 0 && q + 1 < queries.length) {
      next = { q: q + 1, i: 0 };
      break;
    }
  }
  return {
    MetricDataResults: results,
    Messages: messages,
    ...(next ? { NextToken: Buffer.from(JSON.stringify(next)).toString("base64url") } : {}),
  };
}

function listMetrics(store: MetricStore, body: Record<string, any>) {
  const metrics = store
    .list()
    .filter((m) => (!body.Namespace || m.namespace === body.Namespace) && (!body.MetricName || m.name === body.MetricName))
    .map((m) => ({ Namespace: m.namespace, MetricName: m.name, Dimensions: m.dimensions }));
  return { Metrics: metrics };
}

// --- CloudFormation (query protocol, XML) --------------------------------------------------------

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function listStackResources(stacks: Map<string, StackResource[]>, params: URLSearchParams, pageSize: number): string {
  const name = params.get("StackName");
  if (!name) throw new WireError("ValidationError", "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null");
  const resources = stacks.get(name);
  if (!resources) throw new WireError("ValidationError", `Stack with id ${name} does not exist`);
  const token = params.get("NextToken");
  const offset = token ? Number(Buffer.from(token, "base64url").toString("utf8")) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new WireError("ValidationError", "Invalid NextToken");
  const page = resources.slice(offset, offset + pageSize);
  const nextToken = offset + pageSize < resources.length ? Buffer.from(String(offset + pageSize)).toString("base64url") : undefined;
  const members = page
    .map(
      (r) =>
        `<member><LogicalResourceId>${xmlEscape(r.LogicalResourceId)}</LogicalResourceId><PhysicalResourceId>${xmlEscape(r.PhysicalResourceId)}</PhysicalResourceId>` +
        `<ResourceType>${xmlEscape(r.ResourceType)}</ResourceType><LastUpdatedTimestamp>2026-01-01T00:00:00.000Z</LastUpdatedTimestamp>` +
        `<ResourceStatus>${r.ResourceStatus ?? "CREATE_COMPLETE"}</ResourceStatus><DriftInformation><StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus></DriftInformation></member>`,
    )
    .join("");
  return (
    `<ListStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListStackResourcesResult>` +
    `<StackResourceSummaries>${members}</StackResourceSummaries>${nextToken ? `<NextToken>${nextToken}</NextToken>` : ""}` +
    `</ListStackResourcesResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></ListStackResourcesResponse>`
  );
}

// --- the server ---------------------------------------------------------------------------------

export async function startWireEndpoint(opts: { metrics?: MetricStore; port?: number; pageSize?: number; stackPageSize?: number } = {}): Promise<WireEndpoint> {
  const calls: Record<string, number> = {};
  const faults: WireFaults = { throttleNext: {}, throttleEvery: {}, deny: new Set() };
  const stacks = new Map<string, StackResource[]>();
  const state = { pageSize: opts.pageSize ?? 100_800, stackPageSize: opts.stackPageSize ?? 100 };
  const metrics = opts.metrics ?? new MetricStore();

  const refusal = (op: string): WireError | undefined => {
    if (faults.deny.has(op)) {
      const action = IAM[op] ?? op;
      return new WireError(
        "AccessDenied",
        `User: arn:aws:sts::123456789012:assumed-role/observer/topograph is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
        403,
      );
    }
    if ((faults.throttleNext[op] ?? 0) > 0) {
      faults.throttleNext[op]--;
      return new WireError("Throttling", "Rate exceeded", 400);
    }
    const every = faults.throttleEvery[op];
    if (every && calls[op] % every === 0) return new WireError("Throttling", "Rate exceeded", 400);
    return undefined;
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const target = req.headers["x-amz-target"] as string | undefined;
      if (target?.startsWith("GraniteServiceVersion20100801.")) {
        const op = target.slice("GraniteServiceVersion20100801.".length);
        calls[op] = (calls[op] ?? 0) + 1;
        const send = (status: number, body: unknown, errCode?: string) => {
          const text = JSON.stringify(body);
          const headers: Record<string, string | number> = {
            "content-type": "application/x-amz-json-1.0",
            "content-length": Buffer.byteLength(text),
            "x-amzn-requestid": randomUUID(),
          };
          if (errCode) headers["x-amzn-query-error"] = `${errCode};Sender`;
          res.writeHead(status, headers).end(text);
        };
        try {
          const refused = refusal(op);
          if (refused) throw refused;
          const body = raw ? JSON.parse(raw) : {};
          if (op === "GetMetricData") return send(200, getMetricData(metrics, body, state.pageSize));
          if (op === "ListMetrics") return send(200, listMetrics(metrics, body));
          throw new WireError("InvalidAction", `Operation ${op} is not supported by this endpoint`);
        } catch (e) {
          const err = e instanceof WireError ? e : new WireError("InternalFailure", (e as Error).message, 500);
          const type = err.code === "AccessDenied" ? "com.amazon.coral.service#AccessDeniedException" : err.code === "Throttling" ? "com.amazon.coral.availability#ThrottlingException" : err.code;
          return send(err.status, { __type: type, message: err.message }, err.code);
        }
      }
      const params = new URLSearchParams(raw);
      const action = params.get("Action");
      if (action) {
        calls[action] = (calls[action] ?? 0) + 1;
        try {
          const refused = refusal(action);
          if (refused) throw refused;
          if (action === "ListStackResources") {
            const xml = listStackResources(stacks, params, state.stackPageSize);
            return res.writeHead(200, { "content-type": "text/xml", "x-amzn-requestid": randomUUID() }).end(xml);
          }
          throw new WireError("InvalidAction", `The action ${action} is not valid for this web service.`);
        } catch (e) {
          const err = e instanceof WireError ? e : new WireError("InternalFailure", (e as Error).message, 500);
          const xml =
            `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>` +
            `<Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
          return res.writeHead(err.status, { "content-type": "text/xml" }).end(xml);
        }
      }
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ __type: "UnknownOperationException", message: "unknown operation" }));
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    metrics,
    stacks,
    faults,
    calls,
    totalCalls: (op?: string) => (op ? (calls[op] ?? 0) : Object.values(calls).reduce((a, b) => a + b, 0)),
    get pageSize() {
      return state.pageSize;
    },
    set pageSize(v: number) {
      state.pageSize = v;
    },
    get stackPageSize() {
      return state.stackPageSize;
    },
    set stackPageSize(v: number) {
      state.stackPageSize = v;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
