"use client";
/**
 * Save state, said plainly: a compact status (saved / saving / unsaved / conflict / not saved),
 * and banners when the user must act: a conflict (someone saved since this tab's base
 * revision: load theirs, or keep mine as a new revision; never a silent overwrite), a document
 * the model refuses (its problems, not sent), or a failed save (the server's code and fix).
 */
import { useEffect, useState } from "react";
import { useDesign, useDesignStore } from "./context";
import { resolveConflict, saveNow } from "./persistence";
import styles from "./design.module.css";

function useNow(every = 15_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(t);
  }, [every]);
  return now;
}

function ago(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 10) return "just now";
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min ago` : `${Math.round(m / 60)} h ago`;
}

/** "Saved · revision 4" and friends; a live region, so screen readers hear saves and conflicts. */
export function SaveStatus({ compact = false }: { compact?: boolean }) {
  const save = useDesign((s) => s.save);
  const dirty = useDesign((s) => s.version !== s.save.savedVersion);
  const now = useNow();
  let text: string;
  switch (save.status) {
    case "saved":
      text = dirty ? "Unsaved changes" : `Saved${save.savedAt ? ` ${ago(now - save.savedAt)}` : ""} · revision ${save.revision}`;
      break;
    case "unsaved":
      text = "Unsaved changes";
      break;
    case "saving":
      text = "Saving…";
      break;
    case "conflict":
      text = `Conflict: revision ${save.latestRevision} was saved elsewhere`;
      break;
    case "invalid":
      text = `Not saved: ${save.problems?.length ?? 0} problem${save.problems?.length === 1 ? "" : "s"}`;
      break;
    case "error":
      text = `Not saved: ${save.error?.code ?? "error"}`;
      break;
  }
  const tone = save.status === "saved" && !dirty ? "ok" : save.status === "conflict" || save.status === "invalid" || save.status === "error" ? "bad" : "busy";
  return (
    <span className={`${styles.saveStatus} ${styles[`save_${tone}`]} ${compact ? styles.saveCompact : ""}`} role="status" aria-live="polite" data-testid="save-status" data-status={dirty && save.status === "saved" ? "unsaved" : save.status}>
      <span className={styles.saveDot} aria-hidden="true" />
      {text}
    </span>
  );
}

export function Banners({ projectId, onShowProblems }: { projectId: string; onShowProblems: () => void }) {
  const store = useDesignStore();
  const save = useDesign((s) => s.save);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await f();
    } finally {
      setBusy(false);
    }
  };
  if (save.status === "conflict") {
    return (
      <div className={`${styles.banner} ${styles.bannerConflict}`} role="alert" aria-label="Save conflict">
        <div className={styles.bannerText}>
          <strong>Someone else saved revision {save.latestRevision} while you were editing revision {save.revision}.</strong> Your changes are kept in this tab and nothing was overwritten (TOPO-E021). Load their revision (your unsaved changes are dropped), or save yours as a new revision on top of theirs (theirs stays in History).
        </div>
        <div className={styles.bannerActions}>
          <button type="button" className={styles.bannerButton} disabled={busy} onClick={() => run(() => resolveConflict(store, projectId, "theirs"))}>
            Load theirs
          </button>
          <button type="button" className={`${styles.bannerButton} ${styles.bannerPrimary}`} disabled={busy} onClick={() => run(() => resolveConflict(store, projectId, "mine"))}>
            Keep mine as a new revision
          </button>
        </div>
      </div>
    );
  }
  if (save.status === "invalid") {
    const first = save.problems?.[0];
    return (
      <div className={`${styles.banner} ${styles.bannerError}`} role="alert" aria-label="Not saved">
        <div className={styles.bannerText}>
          <strong>Not saved: the model refuses this design ({save.problems?.length} problem{save.problems?.length === 1 ? "" : "s"}).</strong> {first && `${first.code ?? ""} ${first.path ? `${first.path}: ` : ""}${first.message}. ${first.fix ?? ""}`}
        </div>
        <div className={styles.bannerActions}>
          <button type="button" className={styles.bannerButton} onClick={onShowProblems}>
            Show findings
          </button>
          <button type="button" className={styles.bannerButton} disabled={busy} onClick={() => run(() => saveNow(store, projectId))}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  if (save.status === "error") {
    return (
      <div className={`${styles.banner} ${styles.bannerError}`} role="alert" aria-label="Save failed">
        <div className={styles.bannerText}>
          <strong>
            Could not save ({save.error?.code}): {save.error?.message}.
          </strong>{" "}
          {save.error?.fix} Your changes are kept in this tab.
        </div>
        <div className={styles.bannerActions}>
          <button type="button" className={styles.bannerButton} disabled={busy} onClick={() => run(() => saveNow(store, projectId))}>
            Retry
          </button>
        </div>
      </div>
    );
  }
  return null;
}
