"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { isApiError } from "../api";
import { meQuery } from "./queries";

/**
 * When a session ends (expired, signed out in another tab, user removed), the next API call
 * answers 401 TOPO-E170: go to /signin and come back here afterwards, instead of showing errors.
 */
function useSignInOnExpiry() {
  const qc = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    const expired = (e: unknown) => isApiError(e) && e.status === 401 && e.code === "TOPO-E170";
    const go = () => {
      if (pathname.startsWith("/signin")) return;
      qc.clear();
      router.push(`/signin?callbackUrl=${encodeURIComponent(pathname)}`);
    };
    const unQueries = qc.getQueryCache().subscribe((ev) => {
      if (ev.type === "updated" && ev.action.type === "error" && expired(ev.action.error)) go();
    });
    const unMutations = qc.getMutationCache().subscribe((ev) => {
      if (ev.type === "updated" && ev.action.type === "error" && expired(ev.action.error)) go();
    });
    return () => {
      unQueries();
      unMutations();
    };
  }, [qc, router, pathname]);
}

/** The top bar's end: "Local admin" (sign-in off, and why), or who is signed in with Sign out. */
export function SessionBadge() {
  useSignInOnExpiry();
  const me = useQuery(meQuery());
  const router = useRouter();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  if (!me.data) return null;
  if (me.data.mode === "local-admin") {
    return (
      <span className="badge badge-warning" data-testid="session-badge" title={me.data.reason} aria-label={me.data.reason}>
        {me.data.reason}
      </span>
    );
  }
  if (!me.data.user) {
    return (
      <Link className="btn btn-sm" href="/signin" data-testid="session-badge">
        Sign in
      </Link>
    );
  }
  const u = me.data.user;
  return (
    <span className="session" data-testid="session-badge" style={{ display: "inline-flex", alignItems: "center", gap: 8 }}>
      <span className="subtle" title={u.role === "admin" ? "Topograph administrator" : "Member"}>
        {u.email}
        {u.role === "admin" && <span className="badge badge-accent" style={{ marginLeft: 6 }}>admin</span>}
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          await signOut({ redirect: false });
          qc.clear();
          router.push("/signin");
          router.refresh();
        }}
      >
        Sign out
      </button>
    </span>
  );
}
