import { test } from "node:test";
import assert from "node:assert/strict";
import type { CredentialsConfig } from "next-auth/providers/credentials";
import { testDatabases } from "../../db/__tests__/databases";
import { buildAuthOptions, oidcProvider } from "../options";
import { createUser } from "../users";

test("next-auth options: credentials check the scrypt hash, throttle guessing; OIDC users are provisioned; tokens carry our user id", async () => {
  const { db, close } = await testDatabases()[0].open();
  const env = { NEXTAUTH_SECRET: "options-test-secret-0123456789", TOPO_SESSION_HOURS: "2" };
  try {
    const u = await createUser(db, { email: "ana@example.com", password: "a long enough passphrase" });
    const opts = await buildAuthOptions(db, env);
    assert.equal(opts.secret, env.NEXTAUTH_SECRET);
    assert.equal(opts.session?.strategy, "jwt");
    assert.equal(opts.session?.maxAge, 7200);
    assert.equal(opts.providers.length, 1);
    const creds = opts.providers[0] as unknown as CredentialsConfig;
    // next-auth keeps the user's options under `options`
    const authorize = ((creds as unknown as { options?: CredentialsConfig }).options ?? creds).authorize;
    const req = (ip: string) => ({ headers: { "x-forwarded-for": ip }, body: {}, query: {}, method: "POST" });
    assert.deepEqual(await authorize({ email: "ANA@example.com", password: "a long enough passphrase" }, req("10.0.0.1")), { id: u.id, email: "ana@example.com", name: "ana@example.com" });
    assert.equal(await authorize({ email: "ana@example.com", password: "wrong" }, req("10.0.0.1")), null);
    assert.equal(await authorize({ email: "nobody@example.com", password: "a long enough passphrase" }, req("10.0.0.1")), null);
    // 10 attempts a minute per account: the right password is refused too once they are spent.
    for (let i = 0; i < 10; i++) await authorize({ email: "ana@example.com", password: "wrong" }, req(`10.0.1.${i}`));
    assert.equal(await authorize({ email: "ana@example.com", password: "a long enough passphrase" }, req("10.0.2.1")), null);

    assert.equal(oidcProvider({}), null);
    const oidcEnv = { ...env, TOPO_OIDC_ISSUER: "https://id.example.com/realms/x/", TOPO_OIDC_CLIENT_ID: "topo", TOPO_OIDC_CLIENT_SECRET: "s" };
    const oidc = oidcProvider(oidcEnv)!;
    assert.equal(oidc.wellKnown, "https://id.example.com/realms/x/.well-known/openid-configuration");
    assert.deepEqual(oidc.checks, ["pkce", "state"]);
    const withOidc = await buildAuthOptions(db, oidcEnv);
    assert.deepEqual(withOidc.providers.map((p) => p.id), ["credentials", "oidc"]);
    const signIn = withOidc.callbacks!.signIn!;
    const jwt = withOidc.callbacks!.jwt!;
    const profileUser = { id: "idp-sub-1", email: "Bo@Example.com", name: "Bo" };
    const account = { provider: "oidc", type: "oauth" as const, providerAccountId: "idp-sub-1" };
    assert.equal(await signIn({ user: profileUser, account } as never), true);
    const bo = await db.user.findUniqueOrThrow({ where: { email: "bo@example.com" } });
    assert.equal(bo.passwordHash, null);
    assert.equal(bo.role, "member");
    const token = await jwt({ token: { sub: "idp-sub-1" }, user: profileUser, account } as never);
    assert.equal(token.sub, bo.id);
    assert.equal(await signIn({ user: { id: "x", email: null }, account } as never), "/signin?error=OidcNoEmail");
    // Redirects stay on our origin.
    const redirect = withOidc.callbacks!.redirect!;
    assert.equal(await redirect({ url: "/projects/p-1", baseUrl: "http://localhost:3000" }), "http://localhost:3000/projects/p-1");
    assert.equal(await redirect({ url: "https://evil.example/", baseUrl: "http://localhost:3000" }), "http://localhost:3000");
    assert.equal(await redirect({ url: "//evil.example/", baseUrl: "http://localhost:3000" }), "http://localhost:3000");
  } finally {
    await close();
  }
});
