/**
 * CloudWatch Logs Insights for the sandbox's logs endpoint: StartQuery / GetQueryResults / StopQuery over the
 * same JSON protocol, with the part of the query language Observe and people use on Lambda logs:
 *
 *   fields a, b | filter <expr> | parse @message /(?<name>…)/ | stats agg(x) [as y], … [by bin(5m), field]
 *   | sort x [asc|desc] | limit n | display a, b
 *
 * Expressions: = != < <= > >= (numbers or "strings"), like /regex/ or "substring", not like, in [..], ispresent(f),
 * not, and, or, parentheses, + - * /, coalesce(a, b), strcontains(a, "s"), abs, floor, ceil.
 * Aggregations: count(*), count(f), count_distinct(f), sum, avg, min, max, pct(f, p), earliest, latest.
 * Fields: @timestamp, @message, @logStream, @log, @ptr; Lambda's auto-discovered REPORT fields (@type, @requestId,
 * @duration, @billedDuration, @memorySize, @maxMemoryUsed, @initDuration, @restoreDuration) on REPORT lines; and
 * every key of a JSON message (dotted, e.g. `record.metrics.durationMs`, `type`).
 * A query is Running on its first GetQueryResults and Complete on the next (as AWS, results come after a poll).
 */
import { randomUUID } from "node:crypto";
import { parsePlatformLine } from "../../observe/report-parse";
import { LogsError, type LogStore } from "./store";

type Value = string | number | boolean | null | undefined;
type Row = Record<string, Value>;

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

type Expr =
  | { k: "lit"; v: Value }
  | { k: "re"; re: RegExp }
  | { k: "field"; name: string }
  | { k: "call"; fn: string; args: Expr[] }
  | { k: "bin"; op: string; a: Expr; b: Expr }
  | { k: "not"; a: Expr }
  | { k: "list"; items: Expr[] };

class Lexer {
  i = 0;
  constructor(readonly s: string) {}
  ws() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  peek(): string {
    this.ws();
    return this.s[this.i] ?? "";
  }
  eof() {
    this.ws();
    return this.i >= this.s.length;
  }
  word(): string | undefined {
    this.ws();
    const m = /^(@?[A-Za-z_][\w.$@-]*|`[^`]+`)/.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0].startsWith("`") ? m[0].slice(1, -1) : m[0];
  }
  tryKeyword(kw: string): boolean {
    this.ws();
    const rest = this.s.slice(this.i);
    const m = new RegExp(`^${kw}(?![\\w.@])`, "i").exec(rest);
    if (!m) return false;
    this.i += m[0].length;
    return true;
  }
  tryOp(...ops: string[]): string | undefined {
    this.ws();
    for (const op of ops) if (this.s.startsWith(op, this.i)) return (this.i += op.length), op;
    return undefined;
  }
  expect(ch: string) {
    if (!this.tryOp(ch)) throw malformed(`expected "${ch}" at ${this.i}`);
  }
}

const malformed = (msg: string) => new LogsError("MalformedQueryException", `Query is malformed: ${msg}`);

function parseString(lx: Lexer): string {
  const q = lx.s[lx.i];
  let j = lx.i + 1;
  let out = "";
  while (j < lx.s.length && lx.s[j] !== q) {
    if (lx.s[j] === "\\" && j + 1 < lx.s.length) j++;
    out += lx.s[j++];
  }
  if (j >= lx.s.length) throw malformed("unterminated string");
  lx.i = j + 1;
  return out;
}

function parseRegex(lx: Lexer): RegExp {
  let j = lx.i + 1;
  let body = "";
  while (j < lx.s.length && lx.s[j] !== "/") {
    if (lx.s[j] === "\\" && j + 1 < lx.s.length) body += lx.s[j++];
    body += lx.s[j++];
  }
  if (j >= lx.s.length) throw malformed("unterminated regular expression");
  j++;
  let flags = "";
  while (j < lx.s.length && /[imsu]/.test(lx.s[j])) flags += lx.s[j++];
  lx.i = j;
  try {
    return new RegExp(body, flags);
  } catch (e) {
    throw malformed(`bad regular expression: ${(e as Error).message}`);
  }
}

function parseExpr(lx: Lexer): Expr {
  let a = parseAnd(lx);
  while (lx.tryKeyword("or")) a = { k: "bin", op: "or", a, b: parseAnd(lx) };
  return a;
}
function parseAnd(lx: Lexer): Expr {
  let a = parseNot(lx);
  while (lx.tryKeyword("and")) a = { k: "bin", op: "and", a, b: parseNot(lx) };
  return a;
}
function parseNot(lx: Lexer): Expr {
  if (lx.tryKeyword("not")) return { k: "not", a: parseNot(lx) };
  return parseCmp(lx);
}
function parseCmp(lx: Lexer): Expr {
  const a = parseSum(lx);
  if (lx.tryKeyword("not like")) return { k: "not", a: { k: "bin", op: "like", a, b: parseAtom(lx) } };
  if (lx.tryKeyword("like")) return { k: "bin", op: "like", a, b: parseAtom(lx) };
  if (lx.tryKeyword("not in")) return { k: "not", a: { k: "bin", op: "in", a, b: parseAtom(lx) } };
  if (lx.tryKeyword("in")) return { k: "bin", op: "in", a, b: parseAtom(lx) };
  const op = lx.tryOp("!=", "<=", ">=", "=~", "=", "<", ">");
  if (op) return { k: "bin", op: op === "=~" ? "like" : op, a, b: parseSum(lx) };
  return a;
}
function parseSum(lx: Lexer): Expr {
  let a = parseProduct(lx);
  for (let op = lx.tryOp("+", "-"); op; op = lx.tryOp("+", "-")) a = { k: "bin", op, a, b: parseProduct(lx) };
  return a;
}
function parseProduct(lx: Lexer): Expr {
  let a = parseAtom(lx);
  for (let op = lx.tryOp("*", "/"); op; op = lx.tryOp("*", "/")) a = { k: "bin", op, a, b: parseAtom(lx) };
  return a;
}
function parseAtom(lx: Lexer): Expr {
  const c = lx.peek();
  if (c === "(") {
    lx.i++;
    const e = parseExpr(lx);
    lx.expect(")");
    return e;
  }
  if (c === "[") {
    lx.i++;
    const items: Expr[] = [];
    if (!lx.tryOp("]")) {
      do items.push(parseSum(lx));
      while (lx.tryOp(","));
      lx.expect("]");
    }
    return { k: "list", items };
  }
  if (c === '"' || c === "'") return { k: "lit", v: parseString(lx) };
  if (c === "/") return { k: "re", re: parseRegex(lx) };
  const num = /^-?\d+(\.\d+)?/.exec(lx.s.slice(lx.i));
  if (num) {
    lx.i += num[0].length;
    return { k: "lit", v: Number(num[0]) };
  }
  if (c === "*") {
    lx.i++;
    return { k: "lit", v: "*" };
  }
  const w = lx.word();
  if (!w) throw malformed(`unexpected "${lx.s.slice(lx.i, lx.i + 12)}"`);
  if (/^(true|false)$/i.test(w)) return { k: "lit", v: w.toLowerCase() === "true" };
  if (lx.peek() === "(") {
    lx.i++;
    if (w.toLowerCase() === "bin") {
      // bin(5m): a period, not an expression.
      const close = lx.s.indexOf(")", lx.i);
      if (close < 0) throw malformed("bin( without )");
      const period = lx.s.slice(lx.i, close).trim();
      lx.i = close + 1;
      return { k: "call", fn: "bin", args: [{ k: "lit", v: period }] };
    }
    const args: Expr[] = [];
    if (!lx.tryOp(")")) {
      do args.push(parseExpr(lx));
      while (lx.tryOp(","));
      lx.expect(")");
    }
    return { k: "call", fn: w.toLowerCase(), args };
  }
  return { k: "field", name: w };
}

const num = (v: Value): number | undefined => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : undefined);

function evalExpr(e: Expr, row: Row): Value {
  switch (e.k) {
    case "lit":
      return e.v;
    case "re":
      return e.re.source;
    case "field":
      return row[e.name];
    case "list":
      return JSON.stringify(e.items.map((x) => evalExpr(x, row)));
    case "not":
      return !truthy(evalExpr(e.a, row));
    case "call": {
      const a = e.args.map((x) => evalExpr(x, row));
      switch (e.fn) {
        case "ispresent":
          return a[0] !== undefined && a[0] !== null;
        case "isempty":
          return a[0] === undefined || a[0] === null || a[0] === "";
        case "coalesce":
          return a.find((x) => x !== undefined && x !== null);
        case "strcontains":
          return typeof a[0] === "string" && a[0].includes(String(a[1]));
        case "abs":
          return num(a[0]) === undefined ? undefined : Math.abs(num(a[0])!);
        case "floor":
          return num(a[0]) === undefined ? undefined : Math.floor(num(a[0])!);
        case "ceil":
          return num(a[0]) === undefined ? undefined : Math.ceil(num(a[0])!);
        case "tolower":
          return typeof a[0] === "string" ? a[0].toLowerCase() : a[0];
        case "toupper":
          return typeof a[0] === "string" ? a[0].toUpperCase() : a[0];
        default:
          throw malformed(`unknown function ${e.fn}()`);
      }
    }
    case "bin": {
      if (e.op === "and") return truthy(evalExpr(e.a, row)) && truthy(evalExpr(e.b, row));
      if (e.op === "or") return truthy(evalExpr(e.a, row)) || truthy(evalExpr(e.b, row));
      const a = evalExpr(e.a, row);
      if (e.op === "like") {
        if (a === undefined || a === null) return false;
        const text = String(a);
        return e.b.k === "re" ? e.b.re.test(text) : text.includes(String(evalExpr(e.b, row)));
      }
      if (e.op === "in") {
        if (e.b.k !== "list") throw malformed("in needs a [list]");
        return e.b.items.some((x) => looseEq(a, evalExpr(x, row)));
      }
      const b = evalExpr(e.b, row);
      if (e.op === "=") return looseEq(a, b);
      if (e.op === "!=") return !looseEq(a, b);
      const x = num(a);
      const y = num(b);
      if (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/") {
        if (x === undefined || y === undefined) return undefined;
        return e.op === "+" ? x + y : e.op === "-" ? x - y : e.op === "*" ? x * y : y === 0 ? undefined : x / y;
      }
      if (x !== undefined && y !== undefined) return e.op === "<" ? x < y : e.op === "<=" ? x <= y : e.op === ">" ? x > y : x >= y;
      if (a === undefined || b === undefined || a === null || b === null) return false;
      const sa = String(a);
      const sb = String(b);
      return e.op === "<" ? sa < sb : e.op === "<=" ? sa <= sb : e.op === ">" ? sa > sb : sa >= sb;
    }
  }
}

function looseEq(a: Value, b: Value): boolean {
  if (a === undefined || a === null) return b === undefined || b === null;
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x === y;
  return String(a) === String(b);
}

const truthy = (v: Value) => v !== undefined && v !== null && v !== false && v !== 0 && v !== "";

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

interface Agg {
  fn: string;
  arg: Expr | "*";
  p?: number;
  as: string;
}

type Command =
  | { k: "fields"; items: { e: Expr; as: string }[] }
  | { k: "display"; names: string[] }
  | { k: "filter"; e: Expr }
  | { k: "parse"; field: string; re: RegExp }
  | { k: "stats"; aggs: Agg[]; by: { e: Expr; as: string; binMs?: number }[] }
  | { k: "sort"; keys: { name: string; desc: boolean }[] }
  | { k: "limit"; n: number }
  | { k: "dedup"; names: string[] };

/** Splits at `|` outside quotes and regular expressions. */
function splitPipes(q: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  let prevNonSpace = "";
  for (let i = 0; i < q.length; i++) {
    const c = q[i];
    if (quote) {
      cur += c;
      if (c === "\\") {
        cur += q[++i] ?? "";
        continue;
      }
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    // A "/" starts a regular expression after like, =~, parse's field, "(" or ","; not in a / b.
    // A "/" opens a regular expression after like, =~, "parse <field>", "(", "," or "["; elsewhere it divides.
    else if (c === "/" && /(\blike|=~|^\s*parse\s+\S+|\(|,|\[)\s*$/i.test(cur)) quote = "/";
    if (c === "|") {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += c;
    if (c.trim()) prevNonSpace = c;
  }
  if (quote) throw malformed("unterminated quote or regular expression");
  void prevNonSpace;
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

const nameOf = (e: Expr): string => (e.k === "field" ? e.name : e.k === "call" ? `${e.fn}(${e.args.map(nameOf).join(",")})` : e.k === "lit" ? String(e.v) : "expr");

function parseDurationMs(s: string): number {
  const m = /^(\d+)\s*(ms|s|sec|m|min|h|hr|d)?$/i.exec(s.trim());
  if (!m) throw malformed(`bad bin period "${s}"`);
  const n = Number(m[1]);
  const u = (m[2] ?? "m").toLowerCase();
  return n * (u === "ms" ? 1 : u === "s" || u === "sec" ? 1000 : u === "m" || u === "min" ? 60_000 : u === "h" || u === "hr" ? 3_600_000 : 86_400_000);
}

function parseCommand(text: string): Command {
  const lx = new Lexer(text);
  const cmd = lx.word()?.toLowerCase();
  const rest = () => text.slice(lx.i).trim();
  switch (cmd) {
    case "fields": {
      const items: { e: Expr; as: string }[] = [];
      do {
        const e = parseSum(lx);
        const as = lx.tryKeyword("as") ? lx.word()! : nameOf(e);
        items.push({ e, as });
      } while (lx.tryOp(","));
      return { k: "fields", items };
    }
    case "display":
    case "dedup":
      return { k: cmd, names: rest().split(",").map((s) => s.trim()).filter(Boolean) } as Command;
    case "filter":
      return { k: "filter", e: parseExpr(lx) };
    case "parse": {
      const field = lx.word();
      if (!field) throw malformed("parse needs a field");
      if (lx.peek() !== "/") throw malformed("parse needs a /regular expression/ with named groups (glob patterns are not supported here)");
      return { k: "parse", field, re: parseRegex(lx) };
    }
    case "stats": {
      const aggs: Agg[] = [];
      do {
        const fn = lx.word()?.toLowerCase();
        if (!fn) throw malformed("stats needs an aggregation");
        lx.expect("(");
        let arg: Expr | "*";
        if (lx.tryOp("*")) arg = "*";
        else arg = parseExpr(lx);
        let p: number | undefined;
        if (lx.tryOp(",")) {
          const n = /^\s*(\d+(\.\d+)?)/.exec(text.slice(lx.i));
          if (!n) throw malformed("pct needs a percentile");
          lx.i += n[0].length;
          p = Number(n[1]);
        }
        lx.expect(")");
        const as = lx.tryKeyword("as") ? lx.word()! : `${fn}(${arg === "*" ? "*" : nameOf(arg)}${p !== undefined ? `, ${p}` : ""})`;
        if (!["count", "count_distinct", "sum", "avg", "min", "max", "pct", "earliest", "latest"].includes(fn)) throw malformed(`unknown aggregation ${fn}()`);
        aggs.push({ fn, arg, p, as });
      } while (lx.tryOp(","));
      const by: { e: Expr; as: string; binMs?: number }[] = [];
      if (lx.tryKeyword("by")) {
        do {
          const e = parseSum(lx);
          let binMs: number | undefined;
          if (e.k === "call" && e.fn === "bin") {
            const a = e.args[0];
            binMs = parseDurationMs(a?.k === "field" ? a.name : a?.k === "lit" ? String(a.v) : "");
          }
          const as = lx.tryKeyword("as") ? lx.word()! : binMs && e.k === "call" ? `bin(${nameOf(e.args[0])})` : nameOf(e);
          by.push({ e, as, binMs });
        } while (lx.tryOp(","));
      }
      if (!lx.eof()) throw malformed(`unexpected "${rest()}"`);
      return { k: "stats", aggs, by };
    }
    case "sort": {
      const keys = rest()
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => {
          const [name, dir] = s.split(/\s+/);
          return { name, desc: (dir ?? "asc").toLowerCase() === "desc" };
        });
      return { k: "sort", keys };
    }
    case "limit": {
      const n = Number(rest());
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw malformed("limit takes 1–10,000");
      return { k: "limit", n };
    }
    default:
      throw malformed(`unknown command "${cmd ?? text}"`);
  }
}

// ---------------------------------------------------------------------------------------------
// Fields of an event
// ---------------------------------------------------------------------------------------------

function flatten(o: unknown, prefix: string, out: Row) {
  if (o && typeof o === "object" && !Array.isArray(o)) {
    for (const [k, v] of Object.entries(o)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = o === null || typeof o === "number" || typeof o === "string" || typeof o === "boolean" ? o : JSON.stringify(o);
  }
}

export function eventRow(message: string, timestamp: number, stream: string, group: string, ptr: string): Row {
  const row: Row = { "@timestamp": timestamp, "@message": message, "@logStream": stream, "@log": `000000000000:${group}`, "@ptr": ptr };
  const rec = parsePlatformLine(message);
  if (rec?.type === "report" && rec.format === "text") {
    row["@type"] = "REPORT";
    row["@requestId"] = rec.requestId;
    row["@duration"] = rec.durationMs;
    row["@billedDuration"] = rec.billedDurationMs;
    row["@memorySize"] = rec.memorySizeMb * 1_000_000;
    row["@maxMemoryUsed"] = rec.maxMemoryUsedMb * 1_000_000;
    if (rec.initDurationMs !== undefined) row["@initDuration"] = rec.initDurationMs;
    if (rec.restoreDurationMs !== undefined) row["@restoreDuration"] = rec.restoreDurationMs;
  } else if (/^(START|END) RequestId: /.test(message)) {
    row["@type"] = message.slice(0, message.indexOf(" "));
    row["@requestId"] = /RequestId: (\S+)/.exec(message)?.[1];
  }
  if (message.startsWith("{")) {
    try {
      flatten(JSON.parse(message), "", row);
    } catch {
      // not JSON after all
    }
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// Running a query
// ---------------------------------------------------------------------------------------------

function aggregate(a: Agg, rows: Row[]): Value {
  if (a.fn === "count") return a.arg === "*" ? rows.length : rows.filter((r) => evalExpr(a.arg as Expr, r) !== undefined && evalExpr(a.arg as Expr, r) !== null).length;
  const vals = rows.map((r) => evalExpr(a.arg as Expr, r)).filter((v) => v !== undefined && v !== null);
  if (a.fn === "count_distinct") return new Set(vals.map(String)).size;
  if (a.fn === "earliest") return vals[0];
  if (a.fn === "latest") return vals[vals.length - 1];
  const ns = vals.map(num).filter((v): v is number => v !== undefined);
  if (!ns.length) return undefined;
  switch (a.fn) {
    case "sum":
      return ns.reduce((x, y) => x + y, 0);
    case "avg":
      return ns.reduce((x, y) => x + y, 0) / ns.length;
    case "min":
      return Math.min(...ns);
    case "max":
      return Math.max(...ns);
    case "pct": {
      const s = ns.sort((x, y) => x - y);
      return s[Math.min(s.length - 1, Math.max(0, Math.ceil(((a.p ?? 50) / 100) * s.length) - 1))];
    }
  }
  return undefined;
}

/** "2026-01-01 10:00:00.000", as Insights prints timestamps. */
const fmtTime = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

function fmt(name: string, v: Value): string {
  if (name === "@timestamp" || name.startsWith("bin(")) return typeof v === "number" ? fmtTime(v) : String(v);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  return String(v);
}

export interface QueryResult {
  results: { field: string; value: string }[][];
  statistics: { recordsMatched: number; recordsScanned: number; bytesScanned: number };
}

/** Runs a query over the store's events (pure over the store; the endpoint handles ids and status). */
export function runQuery(store: LogStore, groups: string[], startMs: number, endMs: number, queryString: string, limit?: number): QueryResult {
  if (!queryString?.trim()) throw malformed("the query is empty");
  const commands = splitPipes(queryString).map(parseCommand);
  let rows: Row[] = [];
  let scanned = 0;
  let bytes = 0;
  for (const g of groups) {
    store.scan(g, startMs, endMs, (e, stream, i) => {
      scanned++;
      bytes += Buffer.byteLength(e.message);
      rows.push(eventRow(e.message, e.timestamp, stream, g, `${g}|${stream}|${i}`));
    });
  }
  rows.sort((a, b) => (b["@timestamp"] as number) - (a["@timestamp"] as number));
  let projected: string[] | undefined;
  let aggregated = false;
  let maxRows = limit ?? 10_000;
  for (const c of commands) {
    switch (c.k) {
      case "filter":
        rows = rows.filter((r) => truthy(evalExpr(c.e, r)));
        break;
      case "parse":
        for (const r of rows) {
          const m = c.re.exec(String(r[c.field] ?? ""));
          if (m?.groups) for (const [k, v] of Object.entries(m.groups)) r[k] = v === undefined ? undefined : num(v) ?? v;
        }
        break;
      case "fields":
        for (const r of rows) for (const f of c.items) r[f.as] = evalExpr(f.e, r);
        projected = [...new Set([...(projected ?? []), ...c.items.map((f) => f.as)])];
        break;
      case "display":
        projected = c.names;
        break;
      case "dedup": {
        const seen = new Set<string>();
        rows = rows.filter((r) => {
          const k = c.names.map((n) => String(r[n])).join("\u0000");
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
        break;
      }
      case "stats": {
        const groupsOut = new Map<string, { key: Row; rows: Row[] }>();
        for (const r of rows) {
          const key: Row = {};
          for (const b of c.by) {
            if (b.binMs) {
              const t = r["@timestamp"] as number;
              key[b.as] = Math.floor(t / b.binMs) * b.binMs;
            } else key[b.as] = evalExpr(b.e, r);
          }
          const k = JSON.stringify(key);
          let g = groupsOut.get(k);
          if (!g) groupsOut.set(k, (g = { key, rows: [] }));
          g.rows.push(r);
        }
        if (!c.by.length && !groupsOut.size) groupsOut.set("{}", { key: {}, rows: [] });
        rows = [...groupsOut.values()].map(({ key, rows: rs }) => {
          const out: Row = { ...key };
          for (const a of c.aggs) out[a.as] = aggregate(a, rs);
          return out;
        });
        const bin = c.by.find((b) => b.binMs);
        if (bin) rows.sort((a, b) => (a[bin.as] as number) - (b[bin.as] as number));
        projected = [...c.by.map((b) => b.as), ...c.aggs.map((a) => a.as)];
        aggregated = true;
        break;
      }
      case "sort":
        rows.sort((a, b) => {
          for (const key of c.keys) {
            const x = a[key.name];
            const y = b[key.name];
            const nx = num(x);
            const ny = num(y);
            const d = nx !== undefined && ny !== undefined ? nx - ny : String(x ?? "").localeCompare(String(y ?? ""));
            if (d) return key.desc ? -d : d;
          }
          return 0;
        });
        break;
      case "limit":
        maxRows = Math.min(maxRows, c.n);
        break;
    }
  }
  const matched = rows.length;
  const fieldsOf = (r: Row) => (projected ? projected : ["@timestamp", "@message"]).filter((f) => r[f] !== undefined && r[f] !== null);
  const results = rows.slice(0, maxRows).map((r) => {
    const cells = fieldsOf(r).map((f) => ({ field: f, value: fmt(f, r[f]) }));
    if (!aggregated && r["@ptr"] !== undefined) cells.push({ field: "@ptr", value: String(r["@ptr"]) });
    return cells;
  });
  return { results, statistics: { recordsMatched: matched, recordsScanned: scanned, bytesScanned: bytes } };
}

// ---------------------------------------------------------------------------------------------
// The API operations
// ---------------------------------------------------------------------------------------------

interface Query {
  id: string;
  status: "Scheduled" | "Running" | "Complete" | "Cancelled" | "Failed";
  polls: number;
  result?: QueryResult;
  run: () => QueryResult;
}

/** Query ids → queries of one endpoint; old ones are dropped (AWS keeps results for 7 days). */
export class InsightsQueries {
  private queries = new Map<string, Query>();

  startQuery(store: LogStore, b: Record<string, any>) {
    const groups: string[] = (b.logGroupNames ?? b.logGroupIdentifiers ?? (b.logGroupName ? [b.logGroupName] : [])).map((g: string) => {
      const arn = /^arn:aws[^:]*:logs:[^:]*:\d*:log-group:(.+?)(:\*)?$/.exec(g);
      return arn ? arn[1] : g;
    });
    if (!groups.length) throw new LogsError("InvalidParameterException", "Specify logGroupName, logGroupNames or logGroupIdentifiers.");
    if (typeof b.startTime !== "number" || typeof b.endTime !== "number") throw new LogsError("InvalidParameterException", "startTime and endTime (epoch seconds) are required.");
    if (b.endTime < b.startTime) throw new LogsError("InvalidParameterException", "endTime must be after startTime.");
    const qs = String(b.queryString ?? "");
    // Validate now (MalformedQueryException at StartQuery, as AWS), and the groups' existence.
    splitPipes(qs).map(parseCommand);
    for (const g of groups) store.scan(g, 0, -1, () => {});
    const id = randomUUID();
    const running = [...this.queries.values()].filter((q) => q.status === "Running" || q.status === "Scheduled").length;
    if (running >= 30) throw new LogsError("LimitExceededException", "Account maximum query concurrency limit of [30] reached.");
    this.queries.set(id, { id, status: "Scheduled", polls: 0, run: () => runQuery(store, groups, b.startTime * 1000, b.endTime * 1000 + 999, qs, b.limit) });
    if (this.queries.size > 1_000) this.queries.delete(this.queries.keys().next().value!);
    return { queryId: id };
  }

  getQueryResults(b: Record<string, any>) {
    const q = this.queries.get(String(b.queryId));
    if (!q) throw new LogsError("ResourceNotFoundException", `Query ${b.queryId} does not exist.`);
    q.polls++;
    if (q.status === "Scheduled") q.status = "Running";
    else if (q.status === "Running") {
      try {
        q.result = q.run();
        q.status = "Complete";
      } catch (e) {
        q.status = "Failed";
        if (e instanceof LogsError) throw e;
      }
    }
    const stats = q.result?.statistics ?? { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
    return { status: q.status, results: q.status === "Complete" ? q.result!.results : [], statistics: stats, encryptionKey: undefined };
  }

  stopQuery(b: Record<string, any>) {
    const q = this.queries.get(String(b.queryId));
    if (!q) throw new LogsError("ResourceNotFoundException", `Query ${b.queryId} does not exist.`);
    if (q.status !== "Scheduled" && q.status !== "Running") return { success: false };
    q.status = "Cancelled";
    return { success: true };
  }
}
