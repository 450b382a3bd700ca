/**
 * Real route handlers (no probe) with sign-in on, on SQLite (and PostgreSQL when DATABASE_URL_PG
 * is set): who may save, what is written and audited, what a non-member and an anonymous caller
 * get, the filtered project list, first-run setup, members, rate limiting, and the local admin.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { testDatabases } from "../../db/__tests__/databases";
import type { Db } from "../../db/client";
import { mintSessionCookie, resetAuthSecretCache } from "../session";

type H = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const base = "http://localhost:3000";
const SECRET = "enforcement-test-secret-0123456789";

const routes = {
  projects: () => import("../../../app/api/projects/route"),
  project: () => import("../../../app/api/projects/[id]/route"),
  revisions: () => import("../../../app/api/projects/[id]/revisions/route"),
  members: () => import("../../../app/api/projects/[id]/members/route"),
  member: () => import("../../../app/api/projects/[id]/members/[userId]/route"),
  audit: () => import("../../../app/api/projects/[id]/audit/route"),
  environments: () => import("../../../app/api/projects/[id]/environments/route"),
  setup: () => import("../../../app/api/auth/setup/route"),
  me: () => import("../../../app/api/auth/me/route"),
};

async function call(h: unknown, method: string, path: string, opts: { cookie?: string; body?: unknown; params?: Record<string, string>; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...(opts.headers ?? {}) };
  if (opts.cookie) headers.cookie = opts.cookie;
  const res = await (h as H)(new Request(base + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }), { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

for (const database of testDatabases()) {
  describe(`enforcement with real handlers (${database.name})`, { skip: database.skip }, () => {
    let db: Db;
    let close: () => Promise<void>;
    const env = { ...process.env };
    const cookie: Record<string, string> = {};
    const uid: Record<string, string> = {};
    let projectId = "";

    before(async () => {
      Object.assign(process.env, { TOPO_AUTH: "on", NEXTAUTH_SECRET: SECRET, TOPO_RATE_LIMIT: "off" });
      ({ db, close } = await database.open());
      (globalThis as { __topographDb?: Db }).__topographDb = db;
      resetAuthSecretCache();
    });
    after(async () => {
      (globalThis as { __topographDb?: Db }).__topographDb = undefined;
      for (const k of ["TOPO_AUTH", "NEXTAUTH_SECRET", "TOPO_RATE_LIMIT", "TOPO_AUTH"]) if (env[k] === undefined) delete process.env[k];
      Object.assign(process.env, env);
      await close?.();
    });

    test("first run: setup creates the administrator once; anonymous callers are told to sign in", async () => {
      const setup = await routes.setup();
      assert.deepEqual((await call(setup.GET, "GET", "/api/auth/setup")).body, { needsSetup: true, tokenRequired: false });
      // With TOPO_SETUP_TOKEN set, the first run needs it (a server exposed before its administrator exists).
      process.env.TOPO_SETUP_TOKEN = "s3tup-token";
      try {
        assert.equal((await call(setup.GET, "GET", "/api/auth/setup")).body.tokenRequired, true);
        const noToken = await call(setup.POST, "POST", "/api/auth/setup", { body: { email: "root@example.com", password: "a long enough passphrase" } });
        assert.equal(noToken.status, 403);
        assert.equal(noToken.body.error.code, "TOPO-E182");
        const wrong = await call(setup.POST, "POST", "/api/auth/setup", { body: { email: "root@example.com", password: "a long enough passphrase", setupToken: "guess" } });
        assert.equal(wrong.status, 403);
        assert.equal(await db.user.count(), 0);
      } finally {
        delete process.env.TOPO_SETUP_TOKEN;
      }
      const me0 = await call((await routes.me()).GET, "GET", "/api/auth/me");
      assert.equal(me0.body.mode, "sign-in");
      assert.equal(me0.body.needsSetup, true);
      assert.equal(me0.body.user, null);
      const weak = await call(setup.POST, "POST", "/api/auth/setup", { body: { email: "root@example.com", password: "short" } });
      assert.equal(weak.status, 400);
      assert.equal(weak.body.error.code, "TOPO-E178");
      const ok = await call(setup.POST, "POST", "/api/auth/setup", { body: { email: "Root@Example.com", password: "a long enough passphrase" } });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.user.email, "root@example.com");
      assert.equal(ok.body.user.role, "admin");
      assert.equal("passwordHash" in ok.body.user, false);
      const again = await call(setup.POST, "POST", "/api/auth/setup", { body: { email: "other@example.com", password: "a long enough passphrase" } });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, "TOPO-E177");
      assert.equal(await db.user.count(), 1);
      const stored = await db.user.findFirstOrThrow();
      assert.match(stored.passwordHash!, /^scrypt\$/);
      uid.root = stored.id;
      cookie.root = await mintSessionCookie(stored.id, stored.email, SECRET);
      const anon = await call((await routes.projects()).GET, "GET", "/api/projects");
      assert.equal(anon.status, 401);
      assert.equal(anon.body.error.code, "TOPO-E170");
      assert.match(anon.headers.get("www-authenticate") ?? "", /sign-in/);
    });

    test("a member's created project makes them its admin; others do not see it", async () => {
      for (const name of ["ed", "vi", "out"]) {
        const u = await db.user.create({ data: { id: `u-${name}`, email: `${name}@example.com`, role: "member" } });
        uid[name] = u.id;
        cookie[name] = await mintSessionCookie(u.id, u.email, SECRET);
      }
      const projects = await routes.projects();
      const made = await call(projects.POST, "POST", "/api/projects", { cookie: cookie.ed, body: { name: "Billing" } });
      assert.equal(made.status, 201);
      projectId = made.body.project.id;
      assert.equal((await db.topologyRevision.findFirstOrThrow({ where: { projectId, number: 1 } })).author, "ed@example.com");
      assert.equal((await db.membership.findFirstOrThrow({ where: { projectId, userId: uid.ed } })).role, "admin");
      const listed = async (who: string) => (await call(projects.GET, "GET", "/api/projects", { cookie: cookie[who] })).body.projects.map((p: { name: string }) => p.name);
      assert.deepEqual(await listed("ed"), ["Billing"]);
      assert.deepEqual(await listed("out"), []);
      assert.deepEqual(await listed("root"), ["Billing"]);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { projectId, action: "project.create" } });
      assert.equal(audit.actor, "ed@example.com");
    });

    test("members: add a viewer, refuse unknown users and demoting the last admin", async () => {
      const members = await routes.members();
      const p = { id: projectId };
      const add = await call(members.POST, "POST", `/api/projects/${projectId}/members`, { cookie: cookie.ed, params: p, body: { email: "vi@example.com", role: "viewer" } });
      assert.equal(add.status, 201);
      assert.equal(add.body.member.role, "viewer");
      const unknown = await call(members.POST, "POST", `/api/projects/${projectId}/members`, { cookie: cookie.ed, params: p, body: { email: "new@example.com", role: "viewer", password: "a long enough passphrase" } });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, "TOPO-E179");
      // A Topograph administrator may create the user on the spot.
      const created = await call(members.POST, "POST", `/api/projects/${projectId}/members`, { cookie: cookie.root, params: p, body: { email: "new@example.com", role: "editor", password: "a long enough passphrase" } });
      assert.equal(created.status, 201);
      const member = await routes.member();
      const demote = await call(member.PATCH, "PATCH", `/api/projects/${projectId}/members/${uid.ed}`, { cookie: cookie.ed, params: { ...p, userId: uid.ed }, body: { role: "editor" } });
      assert.equal(demote.status, 409);
      assert.equal(demote.body.error.code, "TOPO-E180");
      const byViewer = await call(members.POST, "POST", `/api/projects/${projectId}/members`, { cookie: cookie.vi, params: p, body: { email: "out@example.com", role: "admin" } });
      assert.equal(byViewer.status, 403);
      assert.equal(byViewer.body.error.code, "TOPO-E171");
      const list = await call(members.GET, "GET", `/api/projects/${projectId}/members`, { cookie: cookie.vi, params: p });
      assert.deepEqual(list.body.members.map((m: { email: string; role: string }) => `${m.email}:${m.role}`), ["ed@example.com:admin", "vi@example.com:viewer", "new@example.com:editor"]);
      assert.equal(list.body.you.role, "viewer");
    });

    test("a viewer cannot save (403, nothing written); an editor's save records the signed-in author and an audit row", async () => {
      const revisions = await routes.revisions();
      const p = { id: projectId };
      const latest = await db.topologyRevision.count({ where: { projectId } });
      const doc = { schemaVersion: 1, name: "Billing" };
      const denied = await call(revisions.POST, "POST", `/api/projects/${projectId}/revisions`, { cookie: cookie.vi, params: p, body: { baseRevision: 1, document: doc } });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.error.code, "TOPO-E171");
      assert.equal(await db.topologyRevision.count({ where: { projectId } }), latest);
      const outsider = await call(revisions.GET, "GET", `/api/projects/${projectId}/revisions`, { cookie: cookie.out, params: p });
      assert.equal(outsider.status, 404);
      assert.equal(outsider.body.error.code, "TOPO-E020");
      const saved = await call(revisions.POST, "POST", `/api/projects/${projectId}/revisions`, { cookie: cookie.ed, params: p, body: { baseRevision: 1, document: doc, author: "someone else" } });
      assert.equal(saved.status, 201);
      assert.equal(saved.body.revision.author, "ed@example.com");
      const view = await call(revisions.GET, "GET", `/api/projects/${projectId}/revisions`, { cookie: cookie.vi, params: p });
      assert.equal(view.status, 200);
      assert.equal(view.body.revisions.length, 2);
      const audit = await call((await routes.audit()).GET, "GET", `/api/projects/${projectId}/audit`, { cookie: cookie.ed, params: p });
      assert.equal(audit.status, 200);
      assert.deepEqual(
        audit.body.events.map((e: { actor: string; action: string; target: string }) => `${e.actor} ${e.action} ${e.target}`).sort(),
        ["ed@example.com member.add vi@example.com", "ed@example.com project.create " + projectId, "ed@example.com revision.save 2", "root@example.com member.add new@example.com"].sort(),
      );
      const auditByViewer = await call((await routes.audit()).GET, "GET", `/api/projects/${projectId}/audit`, { cookie: cookie.vi, params: p });
      assert.equal(auditByViewer.status, 403);
    });

    test("rename and delete are audited with the names before and after", async () => {
      const project = await routes.project();
      const p = { id: projectId };
      assert.equal((await call(project.PATCH, "PATCH", `/api/projects/${projectId}`, { cookie: cookie.vi, params: p, body: { name: "X" } })).status, 403);
      assert.equal((await call(project.PATCH, "PATCH", `/api/projects/${projectId}`, { cookie: cookie.ed, params: p, body: { name: "Invoicing" } })).status, 200);
      const ren = await db.auditEvent.findFirstOrThrow({ where: { projectId, action: "project.update" } });
      assert.deepEqual(JSON.parse(ren.details), { fields: ["name"], from: "Billing", to: "Invoicing" });
      assert.equal((await call(project.DELETE, "DELETE", `/api/projects/${projectId}`, { cookie: cookie.ed, params: p })).status, 204);
      const del = await db.auditEvent.findFirstOrThrow({ where: { projectId, action: "project.delete" } });
      assert.deepEqual(JSON.parse(del.details), { name: "Invoicing" });
      assert.equal(del.actor, "ed@example.com");
    });

    test("AWS: a secret is never stored, returned or logged; environments keep references only and no endpoint", async () => {
      const made = await call((await routes.projects()).POST, "POST", "/api/projects", { cookie: cookie.ed, body: { name: "Creds" } });
      const p = { id: made.body.project.id };
      const envs = (await routes.environments()).POST;
      const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
      const logged: string[] = [];
      const orig = { error: console.error, warn: console.warn, log: console.log };
      for (const k of ["error", "warn", "log"] as const) console[k] = (...a: unknown[]) => void logged.push(a.map(String).join(" "));
      try {
        const asRef = await call(envs, "POST", `/api/projects/${p.id}/environments`, { cookie: cookie.ed, params: p, body: { name: "prod", kind: "aws", region: "eu-west-1", credentialsRef: secret } });
        assert.ok(asRef.status === 400 || asRef.status === 422, String(asRef.status));
        assert.equal(JSON.stringify(asRef.body).includes(secret), false);
        const extra = await call(envs, "POST", `/api/projects/${p.id}/environments`, {
          cookie: cookie.ed,
          params: p,
          body: { name: "prod", kind: "aws", region: "eu-west-1", credentialsRef: "profile:prod", secretAccessKey: secret, endpoint: "http://169.254.169.254/" },
        });
        assert.equal(extra.status, 201);
        assert.equal(JSON.stringify(extra.body).includes(secret), false);
        assert.equal(JSON.stringify(extra.body).includes("169.254"), false);
        const row = await db.environment.findFirstOrThrow({ where: { projectId: p.id } });
        assert.equal(JSON.stringify(row).includes(secret), false);
        assert.equal(JSON.stringify(row).includes("169.254"), false);
        const audits = await db.auditEvent.findMany({ where: { projectId: p.id } });
        assert.equal(JSON.stringify(audits).includes(secret), false);
      } finally {
        Object.assign(console, orig);
      }
      assert.equal(logged.join("\n").includes(secret), false);
    });

    test("rate limit: past the burst, 429 TOPO-E176 with Retry-After", async () => {
      process.env.TOPO_RATE_LIMIT = "1,3";
      (globalThis as { __topographBuckets?: { clear(): void } }).__topographBuckets?.clear();
      try {
        const me = (await routes.me()).GET;
        const statuses: number[] = [];
        let last: Awaited<ReturnType<typeof call>> | undefined;
        for (let i = 0; i < 5; i++) {
          last = await call(me, "GET", "/api/auth/me", { cookie: cookie.out });
          statuses.push(last.status);
        }
        assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
        assert.equal(last!.body.error.code, "TOPO-E176");
        assert.equal(last!.headers.get("retry-after"), "1");
      } finally {
        process.env.TOPO_RATE_LIMIT = "off";
      }
    });

    test("local admin: loopback binding with no auth settings needs no sign-in, answers loopback names only", async () => {
      const saved = { auth: process.env.TOPO_AUTH, secret: process.env.NEXTAUTH_SECRET, argv: [...process.argv] };
      delete process.env.TOPO_AUTH;
      delete process.env.NEXTAUTH_SECRET;
      process.argv.push("-H", "127.0.0.1");
      try {
        const projects = await routes.projects();
        const me = await call((await routes.me()).GET, "GET", "/api/auth/me");
        assert.equal(me.body.mode, "local-admin");
        assert.equal(me.body.reason, "Local admin — sign-in off because this server listens on 127.0.0.1 only.");
        assert.equal(me.body.user.local, true);
        assert.equal((await call(projects.GET, "GET", "/api/projects")).status, 200);
        const rebinding = await call(projects.GET, "GET", "/api/projects", { headers: { host: "attacker.example:3000" } });
        assert.equal(rebinding.status, 403);
        assert.equal(rebinding.body.error.code, "TOPO-E175");
        const csrf = await call(projects.POST, "POST", "/api/projects", { headers: { origin: "https://attacker.example" }, body: { name: "Pwned" } });
        assert.equal(csrf.status, 403);
        assert.equal(csrf.body.error.code, "TOPO-E174");
        assert.equal(await db.project.count({ where: { name: "Pwned" } }), 0);
      } finally {
        process.argv.splice(0, process.argv.length, ...saved.argv);
        process.env.TOPO_AUTH = saved.auth;
        process.env.NEXTAUTH_SECRET = saved.secret;
      }
    });
  });
}
