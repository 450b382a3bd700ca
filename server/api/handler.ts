/**
 * The one wrapper every route handler goes through. In order, for every request:
 * 1. finds the route's row in the authorization table (server/auth/policy.ts); none → 500 TOPO-E173;
 * 2. refuses foreign hosts without sign-in (DNS rebinding) and cross-site state changes (CSRF);
 * 3. works out who is asking (the local admin on a loopback-only server, else the session cookie);
 * 4. applies the rate limit (429 TOPO-E176 with Retry-After);
 * 5. checks the row's role against the caller's role on the route's project (401/403/404);
 * 6. runs the handler, then writes the audit row for audited changes (server/audit/route-audit.ts).
 * It also reads JSON bodies with a size limit, maps every error to `{ error: { code, message, fix } }`
 * with the right status, and never sends a stack trace to a client (unexpected errors are logged
 * here with a request id).
 */
import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { TopoError, isTopoError } from "../errors";
import { mapDbError } from "../db/errors";
import { getDb } from "../db/client";
import { MAX_DOCUMENT_BYTES } from "./schemas";
import { authorize, checkRequestOrigin, principalFromCookies, type Principal } from "../auth/access";
import { findPolicyRow, findPolicyRowByParams } from "../auth/match";
import { resolveAuthMode, type AuthMode } from "../auth/mode";
import type { PolicyRow, Role } from "../auth/policy";
import { TokenBuckets, clientAddress, rateLimitFor } from "../auth/rate-limit";
import { CREATES_PROJECT, auditedFor, recordRouteAudit } from "../audit/route-audit";
import { grantCreator } from "../auth/users";

type Params = Record<string, string>;

/** Who is asking. `actor` is what the audit log records (a user's email, or "local" for the loopback admin). */
export interface RequestContext {
  actor: string;
  /** The signed-in user or the local admin; null only on public routes called anonymously. */
  user: Principal | null;
  /** The caller's role on the route's project (routes under /api/projects/[id]), else null. */
  role: Role | null;
  mode: AuthMode["kind"];
  /** The authorization row this request matched. */
  policy: PolicyRow;
}

type Handler<P extends Params> = (req: Request, params: P, ctx: RequestContext) => Promise<unknown>;

const g = globalThis as unknown as { __topographBuckets?: TokenBuckets };
const buckets = (g.__topographBuckets ??= new TokenBuckets());
const bodies = new WeakMap<Response, unknown>();

/** Wraps a handler; a returned value is sent as JSON (200, or `status` from `created()`/`noContent()`). */
export function route<P extends Params = Params>(handler: Handler<P>) {
  return async (req: Request, nextCtx: { params: Promise<P> }) => {
    try {
      const params = ((await nextCtx?.params) ?? {}) as P;
      const pathname = new URL(req.url).pathname;
      const row = pathname.startsWith("/api/") ? findPolicyRow(req.method, pathname) : findPolicyRowByParams(req.method, Object.keys(params));
      if (!row) {
        console.error(`[auth] no authorization rule for ${req.method} ${pathname}: add a row to server/auth/policy.ts; refusing the request`);
        throw new TopoError("TOPO-E173", `no authorization rule for ${req.method} ${pathname}`);
      }
      const mode = resolveAuthMode();
      checkRequestOrigin(req, mode);
      const db = getDb();
      const user = await principalFromCookies(db, req.headers.get("cookie"), mode);
      const limit = rateLimitFor(mode.kind);
      if (limit) {
        const wait = buckets.take(user && !user.local ? `u:${user.id}` : `ip:${clientAddress(req.headers)}`, limit);
        if (wait > 0) throw new TopoError("TOPO-E176", `too many requests; retry in ${wait} s`, { extra: { retryAfter: wait } });
      }
      const role = await authorize(db, row, user, params);
      // The authorization matrix test sets this to check every real route module's wrapping and
      // row without running what the handler does (starting sandboxes, deleting projects…).
      if ((globalThis as { __topographAuthProbe?: boolean }).__topographAuthProbe) return new Response(null, { status: 204, headers: { "x-topo-probe": `${row.method} ${row.path}` } });
      const ctx: RequestContext = { actor: user?.email ?? "anonymous", user, role, mode: mode.kind, policy: row };
      const audited = auditedFor(row.method, row.path);
      const before = audited?.before ? await audited.before(db, params) : {};
      const body = audited && req.method === "PATCH" ? await peekJson(req) : undefined;
      const result = await handler(req, params, ctx);
      const res = result instanceof Response ? result : NextResponse.json(result ?? null);
      if (audited && res.ok) {
        const { projectId } = await recordRouteAudit(db, audited, ctx.actor, { params, body, result: result instanceof Response ? bodies.get(result) : result, before });
        if (projectId && user && !user.local && CREATES_PROJECT.has(audited.action)) await grantCreator(db, projectId, user.id);
      }
      return res;
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/** A small JSON body read without consuming the request (for the audit's list of changed fields). */
async function peekJson(req: Request): Promise<unknown> {
  // A chunked body has no length: it is read (the handler reads it anyway) but not parsed past 64 kB.
  if (Number(req.headers.get("content-length") ?? "0") > 64 * 1024) return undefined;
  try {
    const text = await req.clone().text();
    return text.length > 64 * 1024 ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function errorResponse(e: unknown): Response {
  const mapped = mapDbError(e);
  if (isTopoError(mapped)) {
    const res = NextResponse.json(mapped.toJSON(), { status: mapped.status });
    if (mapped.status === 429 && typeof mapped.extra?.retryAfter === "number") res.headers.set("Retry-After", String(mapped.extra.retryAfter));
    if (mapped.status === 401) res.headers.set("WWW-Authenticate", 'Cookie realm="Topograph", sign-in="/signin"');
    return res;
  }
  const requestId = randomUUID();
  console.error(`[api] request ${requestId} failed:`, e);
  const err = new TopoError("TOPO-E050", "something went wrong on the server", { extra: { requestId } });
  return NextResponse.json(err.toJSON(), { status: 500 });
}

export function created(body: unknown) {
  const res = NextResponse.json(body, { status: 201 });
  bodies.set(res, body);
  return res;
}

export function noContent() {
  return new Response(null, { status: 204 });
}

/** Reads a JSON body: too large → 413 (TOPO-E024), not JSON → 400 (TOPO-E001). */
export async function readJson(req: Request, maxBytes = MAX_DOCUMENT_BYTES + 64 * 1024): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new TopoError("TOPO-E024", `the request is ${declared} bytes; the limit is ${maxBytes}`);
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new TopoError("TOPO-E024", `the request is larger than ${maxBytes} bytes`);
  if (!text.trim()) throw new TopoError("TOPO-E001", "the request body is empty", { fix: "Send a JSON object (Content-Type: application/json)." });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TopoError("TOPO-E001", `the request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** A revision number from the URL: a positive integer or "latest". */
export function parseRevisionNumber(s: string): number | "latest" {
  if (s === "latest") return s;
  if (!/^\d{1,9}$/.test(s) || Number(s) < 1) throw new TopoError("TOPO-E023", `revision "${s}" is not a revision number`, { fix: "Use a positive whole number or 'latest'." });
  return Number(s);
}
