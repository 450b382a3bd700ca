"use client";
/**
 * Saving and checking, as hooks around the store:
 * - `useAutosave`: a while after the last change (debounced), validates the document with the
 *   model (`validateTopology`) and saves it as a new revision with `baseRevision`; a 409
 *   (TOPO-E021) turns into the conflict state and autosave stops until the user chooses
 *   "load theirs" or "keep mine" (`resolveConflict`). An invalid document is never sent: its
 *   problems show instead.
 * - `useFindingsRunner`: ~200 ms after each change, runs the design rules and the integrity
 *   check (findings.ts) and stores the result for the badges and the panel.
 */
import { useCallback, useEffect, useRef } from "react";
import { validateTopology } from "../../server/model/validate";
import type { Topology } from "../../server/model/schema";
import { ApiError, apiFetch } from "../api";
import { useDesignStore } from "./context";
import { computeFindings } from "./findings";
import { revisionMessage, type DesignStore } from "./store";

export const AUTOSAVE_MS = 1_200;
export const FINDINGS_MS = 200;

interface SavedRevision {
  number: number;
}

const enc = encodeURIComponent;

/** POST /api/projects/:id/revisions; resolves to the new revision number. */
async function postRevision(projectId: string, baseRevision: number, document: Topology, message: string): Promise<number> {
  const { revision } = await apiFetch<{ revision: SavedRevision }>(`/api/projects/${enc(projectId)}/revisions`, {
    method: "POST",
    body: { baseRevision, document, message },
  });
  return revision.number;
}

/**
 * Validates and saves the store's document on top of `baseRevision` (the store's by default).
 * Returns "saved", "conflict", "invalid" or "error", having set the matching save state.
 */
export async function saveNow(store: DesignStore, projectId: string, baseRevision?: number): Promise<"saved" | "conflict" | "invalid" | "error"> {
  const s = store.getState();
  const version = s.version;
  const checked = validateTopology(s.doc);
  if (!checked.ok) {
    store.getState().markInvalid(checked.problems);
    return "invalid";
  }
  store.getState().markSaving();
  try {
    const number = await postRevision(projectId, baseRevision ?? s.save.revision, checked.topology, revisionMessage(s.unsaved));
    store.getState().markSaved(number, version);
    return "saved";
  } catch (e) {
    if (e instanceof ApiError && e.code === "TOPO-E021") {
      const latest = typeof e.extra.latestRevision === "number" ? e.extra.latestRevision : s.save.revision + 1;
      store.getState().markConflict(latest);
      return "conflict";
    }
    const err = e instanceof ApiError ? { code: e.code, message: e.message, fix: e.fix } : { code: "TOPO-E050", message: e instanceof Error ? e.message : String(e), fix: "Retry; your changes are kept in this tab." };
    store.getState().markError(err);
    return "error";
  }
}

/**
 * The two ways out of a conflict. "theirs": load the latest revision (your unsaved changes are
 * dropped; your earlier revisions stay in History). "mine": save your document as a new
 * revision on top of the latest (theirs stays in History, nothing is overwritten silently).
 */
export async function resolveConflict(store: DesignStore, projectId: string, choice: "theirs" | "mine"): Promise<void> {
  if (choice === "mine") {
    const latest = store.getState().save.latestRevision ?? store.getState().save.revision;
    await saveNow(store, projectId, latest);
    return;
  }
  try {
    const { revision } = await apiFetch<{ revision: { number: number; document: Topology } }>(`/api/projects/${enc(projectId)}/revisions/latest`);
    store.getState().loadRevision(revision.document, revision.number);
  } catch (e) {
    const err = e instanceof ApiError ? { code: e.code, message: e.message, fix: e.fix } : { code: "TOPO-E050", message: String(e), fix: "Retry." };
    store.getState().markError(err);
  }
}

/** Saves a while after the last change; never during a conflict or while a save is running. */
export function useAutosave(projectId: string, enabled = true) {
  const store = useDesignStore();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const running = useRef(false);

  const flush = useCallback(async () => {
    timer.current = null;
    const s = store.getState();
    if (running.current || s.version === s.save.savedVersion || s.save.status === "conflict") return;
    running.current = true;
    try {
      await saveNow(store, projectId);
    } finally {
      running.current = false;
    }
    // Changes made while the request was in flight: save them too.
    const after = store.getState();
    if (after.version !== after.save.savedVersion && after.save.status === "unsaved") timer.current = setTimeout(flush, AUTOSAVE_MS);
  }, [store, projectId]);

  useEffect(() => {
    if (!enabled) return;
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.version === prev.version || s.save.status === "conflict") return;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(flush, AUTOSAVE_MS);
    });
    return () => {
      unsubscribe();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [store, flush, enabled]);

  // Leaving with unsaved changes asks first (the browser's own dialog).
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      const s = store.getState();
      if (s.version !== s.save.savedVersion) e.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [store]);

  return flush;
}

/** Runs the findings FINDINGS_MS after the document last changed (and once on open). */
export function useFindingsRunner() {
  const store = useDesignStore();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const run = () => {
      timer = null;
      const s = store.getState();
      const { list, byElement } = computeFindings(s.doc, s.findings.byElement);
      store.getState().setFindings(list, byElement);
    };
    // The first run waits for the canvas to paint: opening a large topology stays quick.
    timer = setTimeout(run, 400);
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.doc === prev.doc) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, FINDINGS_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store]);
}
