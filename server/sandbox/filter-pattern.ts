/**
 * Event patterns as Lambda event filtering, EventBridge rules and SNS filter policies write them (one matcher):
 * a pattern is a JSON object whose leaves are arrays of matchers; every key must match (AND), any matcher of an
 * array may match (OR), an array value in the event matches when any of its elements does.
 * Matchers: literals (string, number — compared numerically —, true/false, null), `{ "prefix": s }`,
 * `{ "suffix": s }`, `{ "equals-ignore-case": s }`, `{ "wildcard": "a*b" }`, `{ "numeric": [op, n, (op, n)] }`
 * (=, <, <=, >, >=), `{ "exists": true|false }`, `{ "anything-but": literal | [literals] | { prefix } | { suffix } }`;
 * `"$or": [pattern, …]` at any level.
 */
import { TopoError } from "../errors";

export type Pattern = { [key: string]: unknown };

const MATCHER_KEYS = new Set(["prefix", "suffix", "equals-ignore-case", "wildcard", "numeric", "exists", "anything-but"]);
const NUMERIC_OPS = new Set(["=", "<", "<=", ">", ">="]);

/** Parses and checks a pattern; `where` names it in the error (TOPO-E105). */
export function parsePattern(text: string, where: string): Pattern {
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch (e) {
    throw new TopoError("TOPO-E105", `${where}: the pattern is not JSON (${(e as Error).message})`);
  }
  const problem = checkPattern(p, "");
  if (problem) throw new TopoError("TOPO-E105", `${where}: ${problem}`);
  return p as Pattern;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkPattern(p: unknown, path: string): string | undefined {
  if (!isObject(p)) return `${path || "the pattern"} must be a JSON object`;
  for (const [k, v] of Object.entries(p)) {
    const at = path ? `${path}.${k}` : k;
    if (k === "$or") {
      if (!Array.isArray(v) || v.length < 2) return `${at} must list at least two patterns`;
      for (const alt of v) {
        const e = checkPattern(alt, at);
        if (e) return e;
      }
    } else if (Array.isArray(v)) {
      for (const m of v) {
        const e = checkMatcher(m, at);
        if (e) return e;
      }
    } else if (isObject(v)) {
      const e = checkPattern(v, at);
      if (e) return e;
    } else return `${at} must be an array of matchers or a nested object (got ${JSON.stringify(v)})`;
  }
  return undefined;
}

function checkMatcher(m: unknown, at: string): string | undefined {
  if (m === null || ["string", "number", "boolean"].includes(typeof m)) return undefined;
  if (!isObject(m)) return `${at}: a matcher is a literal or an object`;
  const keys = Object.keys(m);
  if (keys.length !== 1 || !MATCHER_KEYS.has(keys[0])) return `${at}: unknown matcher ${JSON.stringify(m)}`;
  const v = m[keys[0]];
  switch (keys[0]) {
    case "prefix":
    case "suffix":
    case "equals-ignore-case":
    case "wildcard":
      return typeof v === "string" ? undefined : `${at}: ${keys[0]} takes a string`;
    case "exists":
      return typeof v === "boolean" ? undefined : `${at}: exists takes true or false`;
    case "numeric": {
      if (!Array.isArray(v) || (v.length !== 2 && v.length !== 4)) return `${at}: numeric takes [op, n] or [op, n, op, n]`;
      for (let i = 0; i < v.length; i += 2) if (!NUMERIC_OPS.has(v[i] as string) || typeof v[i + 1] !== "number") return `${at}: numeric takes [op, n] with op one of = < <= > >=`;
      return undefined;
    }
    case "anything-but": {
      if (isObject(v)) return "prefix" in v || "suffix" in v ? undefined : `${at}: anything-but takes literals, {prefix} or {suffix}`;
      const list = Array.isArray(v) ? v : [v];
      return list.every((x) => x === null || ["string", "number", "boolean"].includes(typeof x)) ? undefined : `${at}: anything-but takes literals`;
    }
  }
  return undefined;
}

/** True when `event` matches `pattern`. */
export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  for (const [k, v] of Object.entries(pattern)) {
    if (k === "$or") {
      if (!(v as Pattern[]).some((alt) => matchesPattern(alt, event))) return false;
      continue;
    }
    const present = isObject(event) && Object.prototype.hasOwnProperty.call(event, k);
    const value = present ? (event as Record<string, unknown>)[k] : undefined;
    if (Array.isArray(v)) {
      if (!matchesLeaf(v, present, value)) return false;
    } else {
      // Nested pattern: the event must have an object here (or an array of objects, one matching).
      const candidates = Array.isArray(value) ? value : [value];
      if (!candidates.some((c) => matchesPattern(v as Pattern, isObject(c) ? c : {}))) return false;
      if (!present && !onlyAbsenceMatchers(v as Pattern)) return false;
    }
  }
  return true;
}

function onlyAbsenceMatchers(p: Pattern): boolean {
  return Object.entries(p).every(([, v]) => (Array.isArray(v) ? v.every((m) => isObject(m) && m.exists === false) : isObject(v) && onlyAbsenceMatchers(v as Pattern)));
}

function matchesLeaf(matchers: unknown[], present: boolean, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((m) => {
    if (isObject(m) && "exists" in m) return m.exists === (present && value !== undefined);
    if (!present) return false;
    return values.some((x) => matchOne(m, x));
  });
}

function matchOne(m: unknown, x: unknown): boolean {
  if (!isObject(m)) {
    if (typeof m === "number") return typeof x === "number" ? x === m : typeof x === "string" && x.trim() !== "" && Number(x) === m;
    return x === m;
  }
  const [key, arg] = Object.entries(m)[0];
  switch (key) {
    case "prefix":
      return typeof x === "string" && x.startsWith(arg as string);
    case "suffix":
      return typeof x === "string" && x.endsWith(arg as string);
    case "equals-ignore-case":
      return typeof x === "string" && x.toLowerCase() === (arg as string).toLowerCase();
    case "wildcard":
      return typeof x === "string" && new RegExp(`^${(arg as string).split("*").map(escapeRe).join(".*")}$`, "s").test(x);
    case "numeric": {
      const n = typeof x === "number" ? x : typeof x === "string" && x.trim() !== "" ? Number(x) : NaN;
      if (!Number.isFinite(n)) return false;
      const ops = arg as (string | number)[];
      for (let i = 0; i < ops.length; i += 2) if (!compare(n, ops[i] as string, ops[i + 1] as number)) return false;
      return true;
    }
    case "anything-but": {
      if (x === undefined) return false;
      if (isObject(arg)) {
        if (typeof x !== "string") return true;
        if ("prefix" in arg) return !x.startsWith(arg.prefix as string);
        return !x.endsWith(arg.suffix as string);
      }
      const list = Array.isArray(arg) ? arg : [arg];
      return !list.some((l) => matchOne(l, x));
    }
  }
  return false;
}

function compare(n: number, op: string, v: number) {
  switch (op) {
    case "=":
      return n === v;
    case "<":
      return n < v;
    case "<=":
      return n <= v;
    case ">":
      return n > v;
    case ">=":
      return n >= v;
  }
  return false;
}

function escapeRe(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Any of the patterns matches (Lambda's FilterCriteria: the filters are OR'ed). */
export function anyPatternMatches(patterns: Pattern[], event: unknown): boolean {
  return patterns.some((p) => matchesPattern(p, event));
}

/** The payload as Lambda's filters see it: JSON when it parses as an object/array, else the raw string. */
export function jsonOrString(s: string): unknown {
  const t = s.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(s);
    } catch {
      return s;
    }
  }
  return s;
}
