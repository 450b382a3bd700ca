/**
 * The Content-Security-Policy of every page, nonce-based (proxy.ts makes a nonce per request;
 * Next puts it on its own scripts, the root layout on the theme script). 'strict-dynamic' lets
 * those scripts load Next's chunks; nothing else runs: no inline script without the nonce, no
 * eval in production, no plugin, no framing, no foreign connection.
 *
 * Styles allow 'unsafe-inline': React Flow positions every node with a style attribute, which a
 * nonce cannot cover; injected CSS cannot run script under this policy.
 */
export function buildCsp(nonce: string, opts: { dev?: boolean; https?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    // html-to-image (PNG/SVG export) draws through data: and blob: URLs.
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The policy of API answers: JSON and downloads only, never a document that runs anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Headers every answer carries (next.config.ts). */
export const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];
