import type { NextConfig } from "next";
import { API_CSP, SECURITY_HEADERS } from "./server/auth/csp";

// Security headers on every answer; pages get their nonce-based CSP from proxy.ts, API answers a
// policy that runs nothing. README, Security, explains each.
const config: NextConfig = {
  poweredByHeader: false,
  // `npm run typecheck` is the type gate; TOPO_BUILD_SKIP_TYPECHECK=1 lets a build proceed while
  // unrelated files are mid-edit (a shared working tree), never in CI.
  typescript: { ignoreBuildErrors: process.env.TOPO_BUILD_SKIP_TYPECHECK === "1" },
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default config;
