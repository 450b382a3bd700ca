/**
 * CloudWatch Logs filter patterns, the forms the sandbox and the observers use (pure):
 * - "" (or absent): every event.
 * - terms: `ERROR timeout` (all must appear), `"Task timed out"` (quoted phrase), `?ERROR ?WARN` (any of),
 *   `-DEBUG` (must not appear). Matching is case-sensitive, as in CloudWatch.
 * - JSON: `{ $.a.b = value }`, `{ $.x != "y" }`, numeric `< <= > >=`, joined with `&&` or `||` (no parentheses);
 *   string values may end with `*` (prefix match); `$.f IS TRUE|FALSE|NULL`, `NOT EXISTS`.
 */
export type Matcher = (message: string) => boolean;

export class FilterPatternError extends Error {}

export function compileFilterPattern(pattern: string | undefined): Matcher {
  const p = (pattern ?? "").trim();
  if (!p) return () => true;
  if (p.startsWith("{")) return compileJson(p);
  if (p.startsWith("[")) throw new FilterPatternError("space-delimited filter patterns ([...]) are not supported by the sandbox");
  return compileTerms(p);
}

function compileTerms(p: string): Matcher {
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const m of p.matchAll(re)) {
    const term = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3];
    (m[1] === "?" ? any : m[1] === "-" ? none : all).push(term);
  }
  return (msg) =>
    all.every((t) => msg.includes(t)) && (any.length === 0 || any.some((t) => msg.includes(t))) && !none.some((t) => msg.includes(t));
}

type Cond = (doc: unknown) => boolean;

function compileJson(p: string): Matcher {
  if (!p.endsWith("}")) throw new FilterPatternError(`invalid JSON filter pattern: ${p}`);
  const body = p.slice(1, -1).trim();
  const orParts = splitTop(body, "||");
  const ors: Cond[][] = orParts.map((part) => splitTop(part, "&&").map(compileCond));
  return (msg) => {
    const s = msg.trim();
    if (!s.startsWith("{") && !s.startsWith("[")) return false;
    let doc: unknown;
    try {
      doc = JSON.parse(s);
    } catch {
      return false;
    }
    return ors.some((ands) => ands.every((c) => c(doc)));
  };
}

/** Splits on `sep` outside double quotes. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inQ = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' && s[i - 1] !== "\\") inQ = !inQ;
    if (!inQ && s.startsWith(sep, i)) {
      out.push(cur);
      cur = "";
      i += sep.length - 1;
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

function selector(path: string): (doc: unknown) => unknown {
  if (!path.startsWith("$")) throw new FilterPatternError(`a JSON selector starts with $: ${path}`);
  const keys: (string | number)[] = [];
  const re = /\.([A-Za-z0-9_@-]+)|\[(\d+)\]/g;
  const rest = path.slice(1);
  let consumed = 0;
  for (const m of rest.matchAll(re)) {
    if (m.index !== consumed) throw new FilterPatternError(`invalid selector ${path}`);
    keys.push(m[1] !== undefined ? m[1] : Number(m[2]));
    consumed = m.index + m[0].length;
  }
  if (consumed !== rest.length) throw new FilterPatternError(`invalid selector ${path}`);
  return (doc) => {
    let v: unknown = doc;
    for (const k of keys) {
      if (v === null || typeof v !== "object") return undefined;
      v = (v as Record<string | number, unknown>)[k];
    }
    return v;
  };
}

function compileCond(c: string): Cond {
  let m = /^(\$[^\s=!<>]*)\s+(IS\s+(TRUE|FALSE|NULL)|NOT\s+EXISTS)$/i.exec(c);
  if (m) {
    const get = selector(m[1]);
    const what = m[2].toUpperCase().replace(/\s+/g, " ");
    if (what === "NOT EXISTS") return (d) => get(d) === undefined;
    if (what === "IS TRUE") return (d) => get(d) === true;
    if (what === "IS FALSE") return (d) => get(d) === false;
    return (d) => get(d) === null;
  }
  m = /^(\$[^\s=!<>]*)\s*(=|!=|<=|>=|<|>)\s*(.+)$/.exec(c);
  if (!m) throw new FilterPatternError(`invalid JSON filter condition: ${c}`);
  const get = selector(m[1]);
  const op = m[2];
  const raw = m[3].trim();
  const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(raw);
  const num = !quoted && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw) ? Number(raw) : undefined;
  if (op !== "=" && op !== "!=") {
    if (num === undefined) throw new FilterPatternError(`${op} needs a number: ${c}`);
    return (d) => {
      const v = get(d);
      if (typeof v !== "number") return false;
      return op === "<" ? v < num : op === "<=" ? v <= num : op === ">" ? v > num : v >= num;
    };
  }
  let eq: (v: unknown) => boolean;
  if (num !== undefined) eq = (v) => typeof v === "number" && v === num;
  else {
    const text = quoted ? quoted[1].replace(/\\(.)/g, "$1") : raw;
    if (text.endsWith("*")) {
      const prefix = text.slice(0, -1);
      eq = (v) => typeof v === "string" && v.startsWith(prefix);
    } else eq = (v) => (typeof v === "string" || typeof v === "boolean" ? String(v) === text : false);
  }
  return op === "=" ? (d) => eq(get(d)) : (d) => get(d) !== undefined && !eq(get(d));
}
