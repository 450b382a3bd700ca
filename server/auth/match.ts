/**
 * Finds the POLICY row of a request: method + URL path matched against Next's route patterns
 * (`[id]` one segment, `[...rest]` one or more, `[[...rest]]` zero or more). Static segments win
 * over dynamic ones, as in Next's own routing (`/api/projects/import` before `/api/projects/[id]`).
 */
import { POLICY, type PolicyRow } from "./policy";

function segments(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/** A score when `pattern` matches `path` (higher = more specific), or -1. */
export function matchScore(pattern: string, path: string): number {
  const ps = segments(pattern);
  const xs = segments(path);
  let score = 0;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i];
    if (p.startsWith("[[...")) return i <= xs.length ? score : -1;
    if (p.startsWith("[...")) return i < xs.length ? score : -1;
    if (i >= xs.length) return -1;
    if (p.startsWith("[")) continue;
    if (p !== xs[i]) return -1;
    score += 1 << Math.max(0, 20 - i);
  }
  return ps.length === xs.length ? score + 1 : -1;
}

export function findPolicyRow(method: string, pathname: string, rows: readonly PolicyRow[] = POLICY): PolicyRow | undefined {
  let best: PolicyRow | undefined;
  let bestScore = -1;
  const m = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  let path = pathname;
  try {
    path = decodeURI(pathname);
  } catch {
    // keep the raw path
  }
  for (const row of rows) {
    if (row.method !== m) continue;
    const s = matchScore(row.path, path);
    if (s > bestScore) {
      best = row;
      bestScore = s;
    }
  }
  return best;
}

/** The route's project id param name, when its pattern lives under /api/projects/[id]. */
export function projectParamOf(row: PolicyRow): string | undefined {
  return /^\/api\/projects\/\[id\](\/|$)/.test(row.path) ? "id" : undefined;
}

const STRICTNESS = { public: 0, "signed-in": 1, viewer: 2, editor: 3, admin: 4 } as const;

/**
 * The row for a request whose URL is not an API path, which only happens when a handler is called
 * directly with a made-up URL (tests): rows of the same method whose dynamic segments are exactly
 * the given params, the strictest first, so such a call is never granted more than any candidate.
 */
export function findPolicyRowByParams(method: string, paramNames: readonly string[], rows: readonly PolicyRow[] = POLICY): PolicyRow | undefined {
  const want = [...paramNames].sort().join(",");
  const m = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  const candidates = rows.filter((r) => r.method === m && [...r.path.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((x) => x[1]).sort().join(",") === want);
  return candidates.sort((a, b) => STRICTNESS[b.access] - STRICTNESS[a.access])[0];
}
