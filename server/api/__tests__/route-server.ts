/**
 * The app's own route handlers (app/api/** /route.ts) served on node:http, for tests and benches
 * that need a real HTTP server without a `next build`: the same handlers, the same `route()`
 * wrapper, the same database code; only Next's router is replaced by a small matcher of the
 * folder names (`[id]` segments become params, static segments win over dynamic ones).
 *
 * In process: `const srv = await startRouteServer({ db })` (the handlers' `getDb()` is pointed at
 * `db`). As a process of its own (crash tests kill it):
 *   node --import tsx server/api/__tests__/route-server.ts --port 0
 * prints `listening http://127.0.0.1:<port>` once it accepts requests; DATABASE_URL picks the database.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Db } from "../../db/client";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const API_DIR = join(ROOT, "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface RouteFile {
  segments: string[];
  file: string;
  module?: Promise<Record<string, unknown>>;
}

function findRoutes(dir: string, out: RouteFile[] = []): RouteFile[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findRoutes(p, out);
    else if (name === "route.ts") out.push({ segments: ["api", ...relative(API_DIR, dirname(p)).split(sep).filter(Boolean)], file: p });
  }
  return out;
}

/** Static segments sort before dynamic ones, so `/api/projects/import` is not read as `[id]` = "import". */
function specificity(r: RouteFile): string {
  return r.segments.map((s) => (s.startsWith("[") ? "1" : "0")).join("");
}

export interface RouteServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Routes are matched in process order; modules load on first use (as Next does). */
export function createRouter() {
  const routes = findRoutes(API_DIR).sort((a, b) => specificity(a).localeCompare(specificity(b)));
  return function match(pathname: string): { route: RouteFile; params: Record<string, string> } | undefined {
    const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
    for (const route of routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const s = route.segments[i];
        if (s.startsWith("[") && s.endsWith("]")) params[s.slice(1, -1)] = parts[i];
        else ok = s === parts[i];
      }
      if (ok) return { route, params };
    }
    return undefined;
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function handle(match: ReturnType<typeof createRouter>, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const found = match(url.pathname);
  if (!found) return json(res, 404, { error: { code: "TOPO-E020", message: `no route ${url.pathname}`, fix: "Check the path; docs/api.md lists the routes." } });
  found.route.module ??= import(pathToFileURL(found.route.file).href);
  const mod = await found.route.module;
  const method = (req.method ?? "GET").toUpperCase();
  const handler = (METHODS as readonly string[]).includes(method) ? (mod[method] as Handler | undefined) : undefined;
  if (!handler) {
    res.writeHead(405, { allow: METHODS.filter((m) => mod[m]).join(", ") });
    return res.end();
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const body = method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks);
  const response = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve(found.params) });
  const out = Buffer.from(await response.arrayBuffer());
  const h: Record<string, string> = {};
  response.headers.forEach((v, k) => (h[k] = v));
  res.writeHead(response.status, h);
  res.end(out);
}

/**
 * Serves the route handlers on a loopback port (0: any free one).
 * @param opts.db the database the handlers use (default: DATABASE_URL, as in the app)
 */
export async function startRouteServer(opts: { db?: Db; port?: number } = {}): Promise<RouteServer> {
  if (opts.db) (globalThis as unknown as { __topographDb?: Db }).__topographDb = opts.db;
  // The auth mode reads the bind address from `next start -H …`; this server binds 127.0.0.1 only, so say so.
  if (!process.argv.some((a) => a === "-H" || a === "--hostname" || a.startsWith("--hostname="))) process.argv.push("-H", "127.0.0.1");
  const match = createRouter();
  const server = createServer((req, res) => {
    handle(match, req, res).catch((e) => {
      console.error("[route-server]", e);
      if (!res.headersSent) json(res, 500, { error: { code: "TOPO-E050", message: "route server failure", fix: "See the server log." } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Imports every route module and opens the database (a cheap query), as a warm server would have. */
export async function preload(): Promise<void> {
  await Promise.all(findRoutes(API_DIR).map((r) => import(pathToFileURL(r.file).href)));
  const { getDb } = await import("../../db/client");
  await getDb().project.count();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf("--port");
  const srv = await startRouteServer({ port: i > 0 ? Number(process.argv[i + 1]) : 0 });
  // Load every route (and the database client) before saying so: a test that kills this process
  // at a random moment should spend its time saving, not compiling.
  await preload();
  process.stdout.write(`listening ${srv.url}\n`);
}
