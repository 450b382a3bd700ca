"use client";

import { useQueryClient } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "../api";
import { ErrorNotice } from "../ui/ErrorNotice";
import { Field } from "../ui/Field";

/** Only our own paths: a callbackUrl pointing elsewhere is ignored (no open redirect). */
export function safeReturnPath(callbackUrl: string | undefined): string {
  return callbackUrl && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") && !callbackUrl.startsWith("/\\") ? callbackUrl : "/";
}

const MESSAGES: Record<string, { code: string; message: string; fix: string }> = {
  CredentialsSignin: { code: "TOPO-E170", message: "wrong email or password", fix: "Check both and try again; after 10 failed attempts in a minute, wait a minute." },
  OidcNoEmail: { code: "TOPO-E170", message: "the identity provider sent no email address", fix: "Allow the 'email' scope for Topograph at your identity provider." },
  SessionRequired: { code: "TOPO-E170", message: "your session ended", fix: "Sign in again." },
};

function errorOf(code: string) {
  return MESSAGES[code] ?? { code: "TOPO-E170", message: `sign-in failed (${code})`, fix: "Try again; if it persists, ask an administrator to check the server's log." };
}

async function credentialsSignIn(email: string, password: string): Promise<string | null> {
  const res = await signIn("credentials", { email, password, redirect: false });
  if (!res || res.error) return res?.error ?? "CredentialsSignin";
  return null;
}

export function SignInForm({ callbackUrl, providers, initialError }: { callbackUrl?: string; providers: string[]; initialError?: string }) {
  const router = useRouter();
  const qc = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(initialError);
  const to = safeReturnPath(callbackUrl);
  return (
    <form
      className="card-body form-stack"
      aria-label="Sign in"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        const failed = await credentialsSignIn(email, password);
        setBusy(false);
        if (failed) return setError(failed);
        qc.clear();
        router.push(to);
        router.refresh();
      }}
    >
      {error && <ErrorNotice error={errorOf(error)} title="Could not sign in" compact />}
      <Field label="Email">{(p) => <input {...p} className="input" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}</Field>
      <Field label="Password">{(p) => <input {...p} className="input" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}</Field>
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        {providers.includes("oidc") && (
          <button type="button" className="btn" onClick={() => signIn("oidc", { callbackUrl: to })}>
            Sign in with single sign-on
          </button>
        )}
      </div>
    </form>
  );
}

/** First run: creates the administrator, then signs them in. */
export function SetupForm({ tokenRequired = false }: { tokenRequired?: boolean }) {
  const router = useRouter();
  const qc = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [setupToken, setSetupToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const mismatch = confirm.length > 0 && confirm !== password;
  return (
    <form
      className="card-body form-stack"
      aria-label="Create the administrator"
      onSubmit={async (e) => {
        e.preventDefault();
        if (mismatch) return;
        setBusy(true);
        setError(undefined);
        try {
          await apiFetch("/api/auth/setup", { method: "POST", body: { email, name: name || undefined, password, ...(tokenRequired ? { setupToken } : {}) } });
          const failed = await credentialsSignIn(email, password);
          if (failed) throw errorOf(failed);
          qc.clear();
          router.push("/");
          router.refresh();
        } catch (err) {
          setError(err);
          setBusy(false);
        }
      }}
    >
      {error !== undefined && <ErrorNotice error={error} title="Could not create the administrator" compact />}
      {tokenRequired && (
        <Field label="Setup token" hint="The TOPO_SETUP_TOKEN this server was started with.">
          {(p) => <input {...p} className="input" type="password" autoComplete="off" required value={setupToken} onChange={(e) => setSetupToken(e.target.value)} />}
        </Field>
      )}
      <Field label="Email">{(p) => <input {...p} className="input" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}</Field>
      <Field label="Name" optional>
        {(p) => <input {...p} className="input" autoComplete="name" value={name} maxLength={140} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Password" hint="At least 12 characters; a few words make a good one. Stored as a salted scrypt hash.">
        {(p) => <input {...p} className="input" type="password" autoComplete="new-password" required minLength={12} value={password} onChange={(e) => setPassword(e.target.value)} />}
      </Field>
      <Field label="Repeat the password" error={mismatch ? "the passwords differ" : undefined}>
        {(p) => <input {...p} className="input" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} />}
      </Field>
      <div className="btn-row">
        <button type="submit" className="btn btn-primary" disabled={busy || mismatch}>
          {busy ? "Creating…" : "Create administrator and sign in"}
        </button>
      </div>
    </form>
  );
}
