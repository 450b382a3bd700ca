import { test } from "node:test";
import assert from "node:assert/strict";
import { encode } from "next-auth/jwt";
import { hashPassword, verifyPassword, checkPasswordStrength } from "../password";
import { bindHostFromArgv, isLoopbackHost, resolveAuthMode } from "../mode";
import { findPolicyRow, findPolicyRowByParams, matchScore } from "../match";
import { TokenBuckets, clientAddress, parseRateLimit, rateLimitFor } from "../rate-limit";
import { mintSessionCookie, parseCookies, readSession } from "../session";
import { checkRequestOrigin } from "../access";
import { isTopoError } from "../../errors";

test("scrypt hashes are salted, verify only the right password, and reject malformed stored values", async () => {
  const a = await hashPassword("correct horse battery staple");
  const b = await hashPassword("correct horse battery staple");
  assert.notEqual(a, b);
  assert.match(a, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.equal(await verifyPassword("correct horse battery staple", a), true);
  assert.equal(await verifyPassword("correct horse battery stapl", a), false);
  assert.equal(await verifyPassword("anything", null), false);
  assert.equal(await verifyPassword("anything", "md5$abc"), false);
  assert.equal(await verifyPassword("anything", "scrypt$99999999$8$1$AAAA$AAAA"), false);
  assert.throws(() => checkPasswordStrength("short"), (e) => isTopoError(e) && e.code === "TOPO-E178");
});

test("mode: loopback binding without auth settings is the local admin; anything else needs sign-in", () => {
  assert.equal(bindHostFromArgv(["node", "next", "start", "-p", "3000", "-H", "127.0.0.1"]), "127.0.0.1");
  assert.equal(bindHostFromArgv(["node", "next", "start", "--hostname=::1"]), "::1");
  for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "app.localhost"]) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ["0.0.0.0", "::", "192.168.1.4", "example.com", "", "127.0.0.1.nip.io"]) assert.equal(isLoopbackHost(h), false, h);
  const argv = ["node", "next", "start", "-H", "127.0.0.1"];
  const local = resolveAuthMode({}, argv);
  assert.equal(local.kind, "local-admin");
  assert.equal(local.reason, "Local admin — sign-in off because this server listens on 127.0.0.1 only.");
  assert.equal(resolveAuthMode({ TOPO_AUTH: "on" }, argv).kind, "sign-in");
  assert.equal(resolveAuthMode({ NEXTAUTH_SECRET: "x" }, argv).kind, "sign-in");
  assert.equal(resolveAuthMode({ TOPO_OIDC_ISSUER: "https://id.example.com" }, argv).kind, "sign-in");
  assert.equal(resolveAuthMode({}, ["node", "next", "start", "-H", "0.0.0.0"]).kind, "sign-in");
  // No -H: Next listens on every interface, so sign-in (fails closed).
  assert.equal(resolveAuthMode({}, ["node", "next", "start"]).kind, "sign-in");
  // `next dev` children: a literal loopback origin counts, "localhost" (also what 0.0.0.0 prints) does not.
  assert.equal(resolveAuthMode({ __NEXT_PRIVATE_ORIGIN: "http://127.0.0.1:3000" }, ["node"]).kind, "local-admin");
  assert.equal(resolveAuthMode({ __NEXT_PRIVATE_ORIGIN: "http://localhost:3000" }, ["node"]).kind, "sign-in");
});

test("policy matching prefers static segments and handles catch-alls; direct calls take the strictest candidate", () => {
  assert.equal(findPolicyRow("POST", "/api/projects/import")?.path, "/api/projects/import");
  assert.equal(findPolicyRow("GET", "/api/projects/p-1")?.path, "/api/projects/[id]");
  assert.equal(findPolicyRow("GET", "/api/projects/p-1/revisions/3/diff")?.path, "/api/projects/[id]/revisions/[number]/diff");
  assert.equal(findPolicyRow("POST", "/api/auth/callback/credentials")?.path, "/api/auth/[...nextauth]");
  assert.equal(findPolicyRow("GET", "/api/auth/me")?.path, "/api/auth/me");
  assert.equal(findPolicyRow("GET", "/api/nothing-here"), undefined);
  assert.equal(findPolicyRow("PUT", "/api/projects/p-1"), undefined);
  assert.equal(matchScore("/api/projects/[id]", "/api/projects/p-1/x"), -1);
  assert.equal(findPolicyRowByParams("GET", ["id"])?.access, "admin");
  assert.equal(findPolicyRowByParams("POST", ["nope"]), undefined);
});

test("token buckets: a burst, then one token per interval, with the seconds to wait", () => {
  let now = 0;
  const b = new TokenBuckets(() => now);
  const limit = { perSecond: 2, burst: 3 };
  assert.deepEqual([b.take("k", limit), b.take("k", limit), b.take("k", limit)], [0, 0, 0]);
  assert.equal(b.take("k", limit), 1);
  assert.equal(b.take("other", limit), 0);
  now += 500;
  assert.equal(b.take("k", limit), 0);
  assert.equal(b.take("k", limit), 1);
  assert.deepEqual(parseRateLimit("off", { perSecond: 1, burst: 1 }), null);
  assert.deepEqual(parseRateLimit("5,50", null), { perSecond: 5, burst: 50 });
  assert.deepEqual(rateLimitFor("sign-in", {}), { perSecond: 50, burst: 500 });
  assert.equal(rateLimitFor("local-admin", {}), null);
  assert.equal(clientAddress(new Headers({ "x-forwarded-for": "1.2.3.4, 10.0.0.1" }), {}), "10.0.0.1");
  assert.equal(clientAddress(new Headers({ "x-forwarded-for": "1.2.3.4, 10.0.0.1" }), { TOPO_TRUST_PROXY: "2" }), "1.2.3.4");
});

test("sessions: a next-auth cookie reads back; tampered, expired or foreign-secret cookies do not", async () => {
  const secret = "session-test-secret-0123456789";
  const cookie = await mintSessionCookie("u-1", "a@example.com", secret, 60);
  assert.deepEqual(Object.keys((await readSession(`theme=dark; ${cookie}`, secret))!).sort(), ["email", "exp", "sub"]);
  assert.equal((await readSession(cookie, secret))!.sub, "u-1");
  assert.equal(await readSession(cookie, "another-secret-0123456789"), null);
  assert.equal(await readSession(cookie.slice(0, -4) + "AAAA", secret), null);
  assert.equal(await readSession("", secret), null);
  const expired = await encode({ token: { sub: "u-1" }, secret, maxAge: -60 });
  assert.equal(await readSession(`next-auth.session-token=${expired}`, secret), null);
  // next-auth's chunked form
  const token = cookie.split("=")[1];
  assert.equal((await readSession(`next-auth.session-token.0=${token.slice(0, 100)}; next-auth.session-token.1=${token.slice(100)}`, secret))!.sub, "u-1");
  assert.equal(parseCookies("a=1; b=%20x; a=2").get("a"), "1");
  // An https site reads only the __Secure- cookie.
  assert.equal(await readSession(cookie, secret, { secureOnly: true }), null);
  assert.equal((await readSession(`__Secure-${cookie}`, secret, { secureOnly: true }))!.sub, "u-1");
});

test("origin checks: foreign hosts without sign-in, and cross-site state changes, are refused", () => {
  const local = resolveAuthMode({}, ["-H", "127.0.0.1"]);
  const signIn = resolveAuthMode({ TOPO_AUTH: "on" }, []);
  const code = (f: () => void) => {
    try {
      f();
      return "ok";
    } catch (e) {
      return isTopoError(e) ? e.code : String(e);
    }
  };
  const req = (url: string, method: string, headers: Record<string, string>) => new Request(url, { method, headers });
  assert.equal(code(() => checkRequestOrigin(req("http://127.0.0.1:3000/api/projects", "GET", { host: "127.0.0.1:3000" }), local, {})), "ok");
  // DNS rebinding: evil.example resolving to 127.0.0.1
  assert.equal(code(() => checkRequestOrigin(req("http://evil.example:3000/api/projects", "GET", { host: "evil.example:3000" }), local, {})), "TOPO-E175");
  assert.equal(code(() => checkRequestOrigin(req("http://localhost:3000/api/projects", "POST", { host: "localhost:3000", origin: "http://localhost:3000" }), local, {})), "ok");
  assert.equal(code(() => checkRequestOrigin(req("http://localhost:3000/api/projects", "POST", { host: "localhost:3000", origin: "https://evil.example" }), local, {})), "TOPO-E174");
  assert.equal(code(() => checkRequestOrigin(req("http://localhost:3000/api/projects", "DELETE", { host: "localhost:3000", "sec-fetch-site": "cross-site" }), local, {})), "TOPO-E174");
  assert.equal(code(() => checkRequestOrigin(req("http://localhost:3000/api/projects", "POST", { host: "localhost:3000", origin: "null" }), local, {})), "TOPO-E174");
  // No Origin (curl, the CLI): not a browser, allowed.
  assert.equal(code(() => checkRequestOrigin(req("http://localhost:3000/api/projects", "POST", { host: "localhost:3000" }), local, {})), "ok");
  // Behind a proxy: the public origin is allowed by NEXTAUTH_URL or X-Forwarded-Host.
  const proxied = req("http://127.0.0.1:3000/api/projects", "POST", { host: "127.0.0.1:3000", origin: "https://topo.example.com" });
  assert.equal(code(() => checkRequestOrigin(proxied, signIn, {})), "TOPO-E174");
  assert.equal(code(() => checkRequestOrigin(proxied, signIn, { NEXTAUTH_URL: "https://topo.example.com" })), "ok");
  assert.equal(code(() => checkRequestOrigin(req("http://127.0.0.1:3000/api/projects", "POST", { host: "127.0.0.1:3000", origin: "https://topo.example.com", "x-forwarded-host": "topo.example.com" }), signIn, {})), "ok");
  assert.equal(code(() => checkRequestOrigin(req("http://topo.example.com/api/projects", "GET", { host: "topo.example.com" }), signIn, {})), "ok");
});
