/**
 * Whether sign-in is required. Single-user local use stays frictionless: a server bound to
 * loopback only, with no auth configured, runs everyone as a local admin (everyone who can
 * reach it is on this machine). Bound to any other address, or with auth configured, sign-in
 * is required. Unknown binding counts as "any address" (Next's default is every interface),
 * so the mode fails closed.
 */
export type Env = Record<string, string | undefined>;
export type AuthModeKind = "local-admin" | "sign-in";

export interface AuthMode {
  kind: AuthModeKind;
  /** One sentence for the header, the sign-in page and the logs. */
  reason: string;
  /** The address `next start -H` was given, when known. */
  bindHost: string | null;
}

/** `-H host`, `--hostname host` or `--hostname=host` from next's command line (next start runs in-process). */
export function bindHostFromArgv(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === "-H" || a === "--hostname") && argv[i + 1]) return argv[i + 1];
    if (a.startsWith("--hostname=")) return a.slice("--hostname=".length);
  }
  return null;
}

/** localhost, 127.0.0.0/8, ::1 (bracketed or not), and *.localhost. */
export function isLoopbackHost(host: string | null | undefined): boolean {
  if (!host) return false;
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  if (/^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The host part of a Host header value ("localhost:3000" → "localhost", "[::1]:3000" → "::1"). */
export function hostnameOf(hostHeader: string | null | undefined): string {
  const v = (hostHeader ?? "").trim();
  if (v.startsWith("[")) return v.slice(1, v.indexOf("]") > 0 ? v.indexOf("]") : undefined);
  return v.split(":")[0];
}

/** Which setting turns sign-in on, if any. */
export function authConfiguredBy(env: Env): string | null {
  const on = (env.TOPO_AUTH ?? "").trim().toLowerCase();
  if (["on", "1", "true", "yes", "required"].includes(on)) return "TOPO_AUTH=on";
  if (env.NEXTAUTH_SECRET) return "NEXTAUTH_SECRET is set";
  if (env.AUTH_SECRET) return "AUTH_SECRET is set";
  if (env.TOPO_OIDC_ISSUER) return "TOPO_OIDC_ISSUER is set";
  return null;
}

/**
 * @example resolveAuthMode({}, ["node", "next", "start", "-H", "127.0.0.1"]).kind // "local-admin"
 * @example resolveAuthMode({ TOPO_AUTH: "on" }, ["node", "next", "start", "-H", "127.0.0.1"]).kind // "sign-in"
 */
export function resolveAuthMode(env: Env = process.env, argv: readonly string[] = process.argv): AuthMode {
  let bindHost = bindHostFromArgv(argv);
  // `next dev` serves from a child process without the flags; its origin still names a literal loopback address.
  if (!bindHost && env.__NEXT_PRIVATE_ORIGIN) {
    const h = hostnameOf(env.__NEXT_PRIVATE_ORIGIN.replace(/^https?:\/\//, ""));
    if (h === "127.0.0.1" || h === "::1") bindHost = h;
  }
  const configured = authConfiguredBy(env);
  if (configured) return { kind: "sign-in", reason: `Sign-in is required because ${configured}.`, bindHost };
  // Node's test runner (route handlers called in-process, no server listening): as on loopback.
  if (!bindHost && env.NODE_TEST_CONTEXT) bindHost = "127.0.0.1";
  if (isLoopbackHost(bindHost)) {
    return { kind: "local-admin", reason: `Local admin — sign-in off because this server listens on ${bindHost} only.`, bindHost };
  }
  return {
    kind: "sign-in",
    reason: bindHost ? `Sign-in is required because this server listens on ${bindHost}, not on loopback only.` : "Sign-in is required because this server may listen on every network interface (no -H 127.0.0.1).",
    bindHost,
  };
}
