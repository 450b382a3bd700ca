/**
 * HTTP routes served on a sandbox port (127.0.0.1 only): each `http-route` node with a trigger edge to a function
 * answers `method path` (path parameters as `{name}`, greedy `{proxy+}`), invoking the function synchronously with an
 * API Gateway event: payload format 2.0 for HTTP APIs, 1.0 for REST APIs. A handler result with `statusCode` is used
 * as the response; any other result is returned as JSON with 200 (the HTTP API convention). Function errors and
 * timeouts answer 500 {"message":"Internal Server Error"}, throttles 429 {"message":"Too Many Requests"}, unknown
 * routes 404 {"message":"Not Found"}.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { NodeOf } from "../model/schema";
import type { FunctionRuntime } from "./runtime/function-runtime";

export interface Route {
  node: NodeOf<"http-route">;
  rt: FunctionRuntime;
}

interface Compiled extends Route {
  re: RegExp;
  names: string[];
}

export function compileRoutePath(path: string): { re: RegExp; names: string[] } {
  const names: string[] = [];
  const src = path
    .split("/")
    .map((seg) => {
      const m = /^\{([A-Za-z0-9_]+)(\+)?\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(m[1]);
      return m[2] ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return { re: new RegExp(`^${src}/?$`), names };
}

export async function startHttpRoutes(routes: Route[]): Promise<{ port: number; endpoint: string; stop: () => Promise<void> }> {
  // Literal paths before parameterised ones, as API Gateway prefers the most specific route.
  const compiled: Compiled[] = routes
    .map((r) => ({ ...r, ...compileRoutePath(r.node.path) }))
    .sort((a, b) => a.names.length - b.names.length);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const method = (req.method ?? "GET").toUpperCase();
      let match: { route: Compiled; params: Record<string, string> } | undefined;
      for (const r of compiled) {
        if (r.node.method !== "ANY" && r.node.method !== method) continue;
        const m = r.re.exec(url.pathname);
        if (m) {
          match = { route: r, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
          break;
        }
      }
      const send = (status: number, body: string, headers: Record<string, string> = { "content-type": "application/json" }) => res.writeHead(status, headers).end(body);
      if (!match) return send(404, JSON.stringify({ message: "Not Found" }));
      const body = Buffer.concat(chunks).toString("utf8");
      const event = match.route.node.api === "rest" ? restEvent(req, url, method, body, match) : httpEvent(req, url, method, body, match);
      const r = await match.route.rt.invoke(event);
      if (r.status === "throttled") return send(429, JSON.stringify({ message: "Too Many Requests" }));
      if (r.status !== "success") return send(500, JSON.stringify({ message: "Internal Server Error" }));
      const out = r.response as { statusCode?: number; body?: unknown; headers?: Record<string, string>; isBase64Encoded?: boolean } | undefined;
      if (out && typeof out === "object" && typeof out.statusCode === "number") {
        const b = out.body === undefined ? "" : typeof out.body === "string" ? out.body : JSON.stringify(out.body);
        return send(out.statusCode, out.isBase64Encoded ? Buffer.from(b, "base64").toString() : b, { "content-type": "application/json", ...(out.headers ?? {}) });
      }
      send(200, JSON.stringify(out ?? null));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(",") : v;
  return h;
}

function httpEvent(req: IncomingMessage, url: URL, method: string, body: string, m: { route: Compiled; params: Record<string, string> }) {
  const now = new Date();
  return {
    version: "2.0",
    routeKey: `${m.route.node.method === "ANY" ? "ANY" : m.route.node.method} ${m.route.node.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    headers: headersOf(req),
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters: Object.keys(m.params).length ? m.params : undefined,
    requestContext: {
      accountId: "000000000000",
      apiId: "sandbox",
      domainName: req.headers.host ?? "127.0.0.1",
      http: { method, path: url.pathname, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: req.headers["user-agent"] ?? "" },
      requestId: randomUUID(),
      routeKey: `${m.route.node.method} ${m.route.node.path}`,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body || undefined,
    isBase64Encoded: false,
  };
}

function restEvent(req: IncomingMessage, url: URL, method: string, body: string, m: { route: Compiled; params: Record<string, string> }) {
  return {
    resource: m.route.node.path,
    path: url.pathname,
    httpMethod: method,
    headers: headersOf(req),
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : null,
    pathParameters: Object.keys(m.params).length ? m.params : null,
    requestContext: { accountId: "000000000000", apiId: "sandbox", httpMethod: method, path: url.pathname, requestId: randomUUID(), stage: "sandbox", resourcePath: m.route.node.path },
    body: body || null,
    isBase64Encoded: false,
  };
}
