/**
 * Token buckets per client (signed-in user, else client IP). `TOPO_RATE_LIMIT="<per second>,<burst>"`
 * (default 50,500: live Observe panels in a few tabs stay well inside) applies when sign-in is on; a loopback-only local-admin server has every client
 * on this machine and uses `TOPO_RATE_LIMIT_LOCAL` (default off), so benches and tests are unaffected.
 * `off` or `0` disables a limit. Buckets live in this process (one server instance each).
 */
import type { Env } from "./mode";
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export function parseRateLimit(value: string | undefined, fallback: RateLimit | null): RateLimit | null {
  const v = (value ?? "").trim().toLowerCase();
  if (!v) return fallback;
  if (v === "off" || v === "0" || v === "none") return null;
  const [a, b] = v.split(/[,/ ]+/).map(Number);
  if (!(a > 0)) return fallback;
  return { perSecond: a, burst: b > 0 ? b : Math.max(1, Math.ceil(a * 10)) };
}

export function rateLimitFor(mode: "local-admin" | "sign-in", env: Env = process.env): RateLimit | null {
  return mode === "local-admin" ? parseRateLimit(env.TOPO_RATE_LIMIT_LOCAL, null) : parseRateLimit(env.TOPO_RATE_LIMIT, { perSecond: 50, burst: 500 });
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait for the next token. */
  take(key: string, limit: RateLimit): number {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: limit.burst, at: t };
    b.tokens = Math.min(limit.burst, b.tokens + ((t - b.at) / 1000) * limit.perSecond);
    b.at = t;
    this.buckets.delete(key); // re-insert: Map order = least recently used first
    this.buckets.set(key, b);
    if (this.buckets.size > 50_000) this.prune(t, limit);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / limit.perSecond));
  }

  private prune(t: number, limit: RateLimit) {
    const full = (limit.burst / limit.perSecond) * 1000;
    for (const [k, b] of this.buckets) {
      if (t - b.at < full && this.buckets.size <= 40_000) break;
      this.buckets.delete(k);
    }
  }

  clear() {
    this.buckets.clear();
  }

  get size() {
    return this.buckets.size;
  }
}

/**
 * The client's address from X-Forwarded-For. Next fills the header from the socket when it is
 * absent; a proxy appends the address it saw. With `TOPO_TRUST_PROXY=<n>` proxies in front, the
 * client is the n-th entry from the right (n = 1 is the default: the last entry).
 */
export function clientAddress(headers: Headers, env: Env = process.env): string {
  const list = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const hops = Math.max(1, Math.floor(Number(env.TOPO_TRUST_PROXY) || 1));
  return list[Math.max(0, list.length - hops)] ?? "unknown";
}
