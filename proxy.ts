/**
 * Runs before every page (not /api, which route() guards, nor static files):
 * - a fresh CSP nonce per request (server/auth/csp.ts), passed to Next in the request's
 *   Content-Security-Policy header, which Next reads to put the nonce on its scripts;
 * - without sign-in (loopback-only local admin), pages answer only to loopback host names, so a
 *   site that rebinds its DNS name to 127.0.0.1 cannot read them (the API checks the same).
 */
import { NextResponse, type NextRequest } from "next/server";
import { buildCsp } from "./server/auth/csp";
import { hostnameOf, isLoopbackHost, resolveAuthMode } from "./server/auth/mode";

export function proxy(req: NextRequest) {
  const mode = resolveAuthMode();
  if (mode.kind === "local-admin" && !isLoopbackHost(hostnameOf(req.headers.get("host")))) {
    return new NextResponse(
      "TOPO-E175: this Topograph server runs without sign-in and answers only to localhost, 127.0.0.1 and [::1].\nOpen it by one of those names, or turn sign-in on (TOPO_AUTH=on) to serve it under another name.\n",
      { status: 403, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } },
    );
  }
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const https = req.headers.get("x-forwarded-proto") === "https" || req.nextUrl.protocol === "https:";
  const csp = buildCsp(nonce, { dev: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon\\.svg|favicon\\.ico|logo\\.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
