/**
 * The authorization matrix, generated from POLICY: every row × {anonymous, signed-in non-member,
 * viewer, editor, project admin, Topograph admin} → the expected status, through the real route
 * modules (imported from app/api and called as Next calls them) on a fresh SQLite database with
 * sign-in on. Allowed cells run in probe mode (route() stops after authorization and answers 204
 * naming the row it matched), so the table is checked without starting sandboxes or deleting
 * projects; server/auth/__tests__/enforcement.test.ts runs real handlers end to end.
 *
 * A second test walks app/api/**\/route.ts and fails when an exported method has no row, when a
 * row names no route, or when a route module is not wrapped by route().
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { testDatabases } from "../../db/__tests__/databases";
import type { Db } from "../../db/client";
import { createProject } from "../../db/projects";
import { POLICY, type PolicyRow } from "../policy";
import { findPolicyRow, projectParamOf } from "../match";
import { mintSessionCookie } from "../session";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const API = join(ROOT, "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
// next-auth's own handler: public by nature, not wrapped by route(), CSRF-checked by next-auth.
const NOT_WRAPPED = new Set(["/api/auth/[...nextauth]"]);

function routeFiles(dir = API, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) routeFiles(p, out);
    else if (name === "route.ts") out.push(p);
  }
  return out;
}

function patternOf(file: string): string {
  return "/" + relative(join(ROOT, "app"), file).split(sep).slice(0, -1).join("/");
}

type Column = "anonymous" | "non-member" | "viewer" | "editor" | "admin" | "global-admin";
const COLUMNS: Column[] = ["anonymous", "non-member", "viewer", "editor", "admin", "global-admin"];
const RANK = { viewer: 1, editor: 2, admin: 3 } as const;

/** The status a column must get on a row: "allowed" (204 in probe mode), or the refusal. */
export function expected(row: PolicyRow, col: Column): "allowed" | 401 | 403 | 404 {
  if (row.access === "public") return "allowed";
  if (col === "anonymous") return 401;
  if (col === "global-admin") return "allowed";
  const onProject = !!projectParamOf(row);
  if (onProject) {
    if (col === "non-member") return 404;
    if (row.access === "signed-in") return "allowed";
    return RANK[col as keyof typeof RANK] >= RANK[row.access] ? "allowed" : 403;
  }
  return row.access === "admin" ? 403 : "allowed";
}

const sqlite = testDatabases()[0];

describe("authorization matrix (from POLICY, sign-in on, SQLite)", () => {
  let db: Db;
  let close: () => Promise<void>;
  const cookies: Partial<Record<Column, string>> = {};
  const ids: Record<string, string> = {};
  const saved = { auth: process.env.TOPO_AUTH, secret: process.env.NEXTAUTH_SECRET, limit: process.env.TOPO_RATE_LIMIT };
  const modules = new Map<string, Record<string, unknown>>();

  before(async () => {
    process.env.TOPO_AUTH = "on";
    process.env.NEXTAUTH_SECRET = "matrix-test-secret-0123456789abcdef";
    process.env.TOPO_RATE_LIMIT = "off";
    ({ db, close } = await sqlite.open());
    (globalThis as { __topographDb?: Db }).__topographDb = db;
    for (const col of COLUMNS.slice(1)) {
      const id = `u-${col}`;
      ids[col] = id;
      await db.user.create({ data: { id, email: `${col}@example.com`, name: col, role: col === "global-admin" ? "admin" : "member" } });
      cookies[col] = await mintSessionCookie(id, `${col}@example.com`, process.env.NEXTAUTH_SECRET!);
    }
    for (const file of routeFiles()) modules.set(patternOf(file), (await import(pathToFileURL(file).href)) as Record<string, unknown>);
  });

  after(async () => {
    (globalThis as { __topographAuthProbe?: boolean }).__topographAuthProbe = false;
    (globalThis as { __topographDb?: Db }).__topographDb = undefined;
    await close?.();
    for (const [k, v] of [["TOPO_AUTH", saved.auth], ["NEXTAUTH_SECRET", saved.secret], ["TOPO_RATE_LIMIT", saved.limit]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  test("every exported method of every app/api route has exactly its row, and every row has a route", () => {
    const missing: string[] = [];
    const exported = new Set<string>();
    for (const [pattern, mod] of modules) {
      for (const m of METHODS) {
        if (typeof mod[m] !== "function") continue;
        exported.add(`${m} ${pattern}`);
        const rows = POLICY.filter((r) => r.method === m && r.path === pattern);
        if (rows.length !== 1) missing.push(`${m} ${pattern} (${rows.length} rows)`);
      }
    }
    assert.deepEqual(missing, [], `routes without exactly one row in server/auth/policy.ts:\n  ${missing.join("\n  ")}`);
    const stale = POLICY.filter((r) => !exported.has(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(stale, [], "rows naming no exported route handler");
  });

  test("every route module wraps its handlers in route() (next-auth's own handler excepted)", () => {
    const unwrapped: string[] = [];
    for (const file of routeFiles()) {
      const pattern = patternOf(file);
      if (NOT_WRAPPED.has(pattern)) continue;
      const src = readFileSync(file, "utf8");
      for (const m of METHODS) {
        const decl = new RegExp(`export\\s+(const|async function|function)\\s+${m}\\b(\\s*=\\s*route\\s*[<(])?`).exec(src);
        if (decl && !decl[2]) unwrapped.push(`${m} ${pattern}`);
        if (new RegExp(`\\bas\\s+${m}\\b`).test(src)) unwrapped.push(`${m} ${pattern} (re-exported)`);
      }
    }
    assert.deepEqual(unwrapped, []);
  });

  test("a concrete URL of every row resolves to that row (no shadowing)", () => {
    for (const row of POLICY) {
      const url = row.path.replace(/\[\.\.\.[^\]]+\]/g, "x/y").replace(/\[[^\]]+\]/g, "p-1");
      assert.equal(findPolicyRow(row.method, url), row, `${row.method} ${url}`);
    }
  });

  test("every row × {anonymous, non-member, viewer, editor, admin, global admin}", async () => {
    (globalThis as { __topographAuthProbe?: boolean }).__topographAuthProbe = true;
    const failures: string[] = [];
    let cells = 0;
    for (const row of POLICY) {
      if (NOT_WRAPPED.has(row.path)) continue;
      const handler = modules.get(row.path)?.[row.method] as ((req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>) | undefined;
      if (!handler) continue; // reported by the walker test
      const project = await createProject(db, { name: `Matrix ${row.method} ${row.path}`.slice(0, 140) } as never);
      for (const role of ["viewer", "editor", "admin"] as const) {
        await db.membership.create({ data: { id: `${project.id}-${role}`, projectId: project.id, userId: ids[role], role } });
      }
      const params: Record<string, string> = {};
      const path = row.path.replace(/\[([^\]]+)\]/g, (_m, name: string) => {
        const v = name === "id" ? project.id : name === "userId" ? ids.viewer : name === "number" ? "1" : `x-${name}`;
        params[name.replace(/^\.\.\./, "")] = v;
        return v;
      });
      for (const col of COLUMNS) {
        cells++;
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (cookies[col]) headers.cookie = cookies[col]!;
        const req = new Request(`http://localhost:3000${path}`, { method: row.method, headers, body: row.method === "GET" ? undefined : "{}" });
        const res = await handler(req, { params: Promise.resolve(params) });
        const want = expected(row, col);
        const probe = res.headers.get("x-topo-probe");
        const ok = want === "allowed" ? res.status === 204 && probe === `${row.method} ${row.path}` : res.status === want;
        if (!ok) {
          const body = res.status === 204 ? "" : await res.text();
          failures.push(`${row.method} ${row.path} as ${col}: want ${want}, got ${res.status} ${probe ?? ""} ${body.slice(0, 160)}`);
        } else if (want !== "allowed") {
          const code = ((await res.json()) as { error: { code: string } }).error.code;
          const wantCode = want === 401 ? "TOPO-E170" : want === 404 ? "TOPO-E020" : projectParamOf(row) ? "TOPO-E171" : "TOPO-E172";
          if (code !== wantCode) failures.push(`${row.method} ${row.path} as ${col}: want ${wantCode}, got ${code}`);
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(cells >= 6 * 30, `only ${cells} cells`);
  });
});
