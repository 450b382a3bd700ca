"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { meQuery } from "./queries";

/** The top bar's end: "Local admin" (sign-in off, and why), or who is signed in with Sign out. */
export function SessionBadge() {
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
