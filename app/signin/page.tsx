import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { SetupForm, SignInForm } from "@/components/auth/SignInForm";
import { currentPrincipal } from "@/server/auth/pages";
import { oidcProvider } from "@/server/auth/options";
import { resolveAuthMode } from "@/server/auth/mode";
import { countUsers } from "@/server/auth/users";
import { getDb } from "@/server/db/client";

export const metadata: Metadata = { title: "Sign in · Topograph" };

type Props = { searchParams: Promise<{ callbackUrl?: string; error?: string }> };

// /signin – sign in; on first run (no user yet) create the administrator; without sign-in, say why
export default async function SignInPage({ searchParams }: Props) {
  await connection();
  const { callbackUrl, error } = await searchParams;
  const mode = resolveAuthMode();
  const needsSetup = mode.kind === "sign-in" && (await countUsers(getDb())) === 0;
  const me = mode.kind === "sign-in" && !needsSetup ? await currentPrincipal() : null;
  return (
    <div className="container page" style={{ maxWidth: 460 }}>
      <section className="card" aria-labelledby="signin-title">
        <div className="card-header">
          <div>
            <h1 id="signin-title">{mode.kind === "local-admin" ? "Sign-in is off" : needsSetup ? "Set up Topograph" : "Sign in to Topograph"}</h1>
            <p>
              {mode.kind === "local-admin"
                ? mode.reason
                : needsSetup
                  ? "No one has an account yet: create the administrator. Administrators add the other users and give them roles per project."
                  : me
                    ? `You are signed in as ${me.email}.`
                    : "Projects can hold logs with customer data and dead letters: sign in to see yours."}
            </p>
          </div>
        </div>
        {mode.kind === "local-admin" || me ? (
          <div className="card-body">
            <Link className="btn btn-primary" href="/">
              Open the projects
            </Link>
          </div>
        ) : needsSetup ? (
          <SetupForm tokenRequired={!!process.env.TOPO_SETUP_TOKEN} />
        ) : (
          <SignInForm callbackUrl={callbackUrl} providers={["credentials", ...(oidcProvider() ? ["oidc"] : [])]} initialError={error} />
        )}
      </section>
    </div>
  );
}
