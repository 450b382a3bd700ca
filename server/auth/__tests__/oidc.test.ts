/**
 * Single sign-on end to end through next-auth's own handler, against a small OpenID Connect
 * provider of ours on loopback (discovery, authorization code with PKCE, token endpoint with a
 * signed RS256 id_token, JWKS): the browser's hops are replayed by hand. The user is created on
 * first sign-in, and the session cookie names our user id.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import * as nextAuthModule from "next-auth";
import { testDatabases } from "../../db/__tests__/databases";
import { buildAuthOptions } from "../options";
import { readSession } from "../session";

// A CommonJS module: Node's ESM loader hands over the exports object as the default.
type Handler = (req: unknown, res: unknown, options: unknown) => Promise<unknown>;
const NextAuth = ((nextAuthModule as unknown as { default: { default?: Handler } }).default.default ?? nextAuthModule.default) as unknown as Handler;

async function fakeIdp(clientId: string, clientSecret: string) {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  let issuer = "";
  const tokenRequests: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url!, issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/.well-known/openid-configuration")
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        code_challenge_methods_supported: ["S256"],
      });
    if (url.pathname === "/jwks") return json(200, { keys: [jwk] });
    if (url.pathname === "/token" && req.method === "POST") {
      let text = "";
      for await (const c of req) text += c;
      const form = new URLSearchParams(text);
      tokenRequests.push(text);
      const auth = req.headers.authorization ?? "";
      const basic = auth.startsWith("Basic ") ? Buffer.from(auth.slice(6), "base64").toString() : `${form.get("client_id")}:${form.get("client_secret")}`;
      const [id, secret] = basic.split(":").map(decodeURIComponent);
      if (id !== clientId || secret !== clientSecret) return json(401, { error: "invalid_client" });
      const grant = codes.get(form.get("code") ?? "");
      const verifier = form.get("code_verifier") ?? "";
      if (!grant || createHash("sha256").update(verifier).digest("base64url") !== grant.challenge || form.get("redirect_uri") !== grant.redirectUri) return json(400, { error: "invalid_grant" });
      codes.delete(form.get("code")!);
      const idToken = await new SignJWT({ email: "Bo@Example.com", name: "Bo" })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(issuer)
        .setAudience(clientId)
        .setSubject("idp-user-7")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(privateKey);
      return json(200, { access_token: "at-1", token_type: "Bearer", expires_in: 300, id_token: idToken });
    }
    if (url.pathname === "/userinfo") return json(200, { sub: "idp-user-7", email: "Bo@Example.com", name: "Bo" });
    json(404, { error: "not_found" });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, server, tokenRequests, grant: (code: string, challenge: string, redirectUri: string) => codes.set(code, { challenge, redirectUri }) };
}

test("OIDC sign-in: code flow with PKCE against a loopback provider creates the user and a session naming our user id", async () => {
  const { db, close } = await testDatabases()[0].open();
  const idp = await fakeIdp("topograph", "client-secret");
  const env = { NEXTAUTH_SECRET: "oidc-test-secret-0123456789abcdef", TOPO_OIDC_ISSUER: idp.issuer, TOPO_OIDC_CLIENT_ID: "topograph", TOPO_OIDC_CLIENT_SECRET: "client-secret" };
  const savedUrl = process.env.NEXTAUTH_URL;
  process.env.NEXTAUTH_URL = "http://localhost:3000";
  try {
    const options = await buildAuthOptions(db, env);
    const jar = new Map<string, string>();
    // next-auth's API-route handler (the App Router one reads next/headers, which needs a live Next request).
    const call = async (action: string, method: string, extra: { providerId?: string; body?: Record<string, string>; query?: Record<string, string> } = {}) => {
      const out = new Map<string, unknown>();
      let status = 200;
      let body: unknown;
      const res = {
        status: (s: number) => ((status = s), res),
        setHeader: (k: string, v: unknown) => (out.set(k.toLowerCase(), v), res),
        getHeader: (k: string) => out.get(k.toLowerCase()),
        end: () => res,
        send: (b: unknown) => ((body = b), res),
        json: (b: unknown) => ((body = b), res),
      };
      const segments = [action, ...(extra.providerId ? [extra.providerId] : [])];
      await NextAuth({ query: { nextauth: segments, ...(extra.query ?? {}) }, body: extra.body ?? {}, cookies: Object.fromEntries(jar), headers: { host: "localhost:3000" }, method }, res, options);
      for (const c of ([out.get("set-cookie") ?? []] as unknown[]).flat() as string[]) {
        const pair = c.split(";")[0];
        const name = pair.slice(0, pair.indexOf("="));
        if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
        else jar.set(name, decodeURIComponent(pair.slice(pair.indexOf("=") + 1)));
      }
      return { status, redirect: out.get("location") as string | undefined, body };
    };
    const { csrfToken } = (await call("csrf", "GET")).body as { csrfToken: string };
    const start = await call("signin", "POST", { providerId: "oidc", body: { csrfToken, callbackUrl: "http://localhost:3000/projects" } });
    const authorize = new URL(start.redirect!);
    assert.equal(authorize.origin + authorize.pathname, `${idp.issuer}/authorize`);
    assert.equal(authorize.searchParams.get("client_id"), "topograph");
    assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
    assert.match(authorize.searchParams.get("scope") ?? "", /openid email profile/);
    const redirectUri = authorize.searchParams.get("redirect_uri")!;
    assert.equal(redirectUri, "http://localhost:3000/api/auth/callback/oidc");
    // The provider authenticates the user and sends the browser back with a code.
    idp.grant("code-1", authorize.searchParams.get("code_challenge")!, redirectUri);
    const back = await call("callback", "GET", { providerId: "oidc", query: { code: "code-1", state: authorize.searchParams.get("state")! } });
    assert.equal(back.redirect, "http://localhost:3000/projects", JSON.stringify(back));
    assert.equal(idp.tokenRequests.length, 1);

    const user = await db.user.findUniqueOrThrow({ where: { email: "bo@example.com" } });
    assert.equal(user.passwordHash, null);
    assert.equal(user.role, "member");
    const token = jar.get("next-auth.session-token");
    assert.ok(token, "a session cookie was set");
    const session = await readSession(`next-auth.session-token=${token}`, env.NEXTAUTH_SECRET);
    assert.equal(session?.sub, user.id);

    // A replayed code is refused by the provider: no second session.
    jar.delete("next-auth.session-token");
    const replay = await call("callback", "GET", { providerId: "oidc", query: { code: "code-1", state: authorize.searchParams.get("state")! } });
    assert.match(replay.redirect ?? "", /error=/);
    assert.equal(jar.get("next-auth.session-token"), undefined);
  } finally {
    if (savedUrl === undefined) delete process.env.NEXTAUTH_URL;
    else process.env.NEXTAUTH_URL = savedUrl;
    idp.server.close();
    await close();
  }
});
