/**
 * The one wrapper every route handler goes through: it reads JSON bodies with a size limit,
 * maps every error to `{ error: { code, message, fix } }` with the right status, and never
 * sends a stack trace to a client (unexpected errors are logged here with a request id).
 */
import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { TopoError, isTopoError } from "../errors";
import { mapDbError } from "../db/errors";
import { MAX_DOCUMENT_BYTES } from "./schemas";

type Params = Record<string, string>;

/** Who is asking. `actor` is what the audit log records (a user's email, or "local" for the loopback admin). */
export interface RequestContext {
  actor: string;
}

type Handler<P extends Params> = (req: Request, params: P, ctx: RequestContext) => Promise<unknown>;

/** Wraps a handler; a returned value is sent as JSON (200, or `status` from `created()`/`noContent()`). */
export function route<P extends Params = Params>(handler: Handler<P>) {
  return async (req: Request, ctx: { params: Promise<P> }) => {
    try {
      const result = await handler(req, await ctx.params, { actor: "local" });
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? null);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

export function errorResponse(e: unknown): Response {
  const mapped = mapDbError(e);
  if (isTopoError(mapped)) return NextResponse.json(mapped.toJSON(), { status: mapped.status });
  const requestId = randomUUID();
  console.error(`[api] request ${requestId} failed:`, e);
  const err = new TopoError("TOPO-E050", "something went wrong on the server", { extra: { requestId } });
  return NextResponse.json(err.toJSON(), { status: 500 });
}

export function created(body: unknown) {
  return NextResponse.json(body, { status: 201 });
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
