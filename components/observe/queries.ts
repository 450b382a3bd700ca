/**
 * The Observe tab's reads: one `queryOptions` per Observe resource, keys resource-first under the
 * environment (`['observe', envId, …]`), so switching environment or window is a new key and
 * never a mix of two. Polling follows the window: a 5-minute view moves every 2 s, a day's view
 * every minute; a custom range that ended in the past is read once. React Query pauses the
 * interval while the tab is hidden (`refetchIntervalInBackground: false`), and a poll never
 * overlaps the previous one, so a viewer costs at most one request per interval per panel.
 */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import type { FunctionDetail, ObserveWindow, Snapshot, TriggerDetail } from "@/server/observe/types";
import { apiFetch } from "../api";

export type { FunctionDetail, ObserveWindow, Snapshot, TriggerDetail };

/** The selector's choice: a preset, or a custom range (ISO times). */
export type WindowChoice = { kind: Exclude<ObserveWindow, "custom"> } | { kind: "custom"; from: string; to: string };

const enc = encodeURIComponent;

/** The API may answer with the object itself or wrapped under a name (`{ snapshot }`): accept both. */
export function unwrap<T>(body: unknown, name: string): T {
  if (body && typeof body === "object" && name in body) return (body as Record<string, unknown>)[name] as T;
  return body as T;
}

/** Seconds between polls for a window (null: read once). */
export function pollSeconds(w: WindowChoice, now = Date.now()): number | null {
  switch (w.kind) {
    case "5m":
      return 2;
    case "1h":
      return 10;
    case "24h":
      return 60;
    case "custom":
      // A range still open at its end (to within a minute from now) keeps moving; one in the past does not.
      return Date.parse(w.to) >= now - 60_000 ? 10 : null;
  }
}

/**
 * The query string of a window.
 * @example windowParams({ kind: "custom", from: "2026-01-01T10:00:00.000Z", to: "2026-01-01T11:00:00.000Z" }) // "window=custom&from=2026-01-01T10%3A00%3A00.000Z&to=…"
 */
export function windowParams(w: WindowChoice): string {
  const p = new URLSearchParams({ window: w.kind });
  if (w.kind === "custom") {
    p.set("from", w.from);
    p.set("to", w.to);
  }
  return p.toString();
}

const windowKey = (w: WindowChoice) => (w.kind === "custom" ? { window: w.kind, from: w.from, to: w.to } : { window: w.kind });

export const observeKeys = {
  all: ["observe"] as const,
  env: (envId: string) => ["observe", envId] as const,
  snapshot: (envId: string, w: WindowChoice) => ["observe", envId, "snapshot", windowKey(w)] as const,
  fn: (envId: string, nodeId: string, w: WindowChoice) => ["observe", envId, "functions", nodeId, windowKey(w)] as const,
  trigger: (envId: string, edgeId: string, w: WindowChoice) => ["observe", envId, "triggers", edgeId, windowKey(w)] as const,
};

export function observeUrl(projectId: string, envId: string, rest = ""): string {
  return `/api/projects/${enc(projectId)}/environments/${enc(envId)}/observe${rest}`;
}

/** Shared polling behaviour: the interval of the window, never in the background. (Each query also keeps its old data while a new window loads.) */
function polling(w: WindowChoice) {
  const seconds = pollSeconds(w);
  return {
    refetchInterval: seconds === null ? (false as const) : seconds * 1000,
    refetchIntervalInBackground: false,
    // Polling already keeps it fresh; a focus event must not add a request on top.
    refetchOnWindowFocus: false,
    staleTime: seconds === null ? Infinity : seconds * 1000,
    // A failing environment answers with an error: retry slowly, the next poll retries anyway.
    retry: 1,
    retryDelay: 2_000,
  };
}

/** The whole environment at a glance: every function, trigger and queue with its freshness. */
export const snapshotQuery = (projectId: string, envId: string, w: WindowChoice) =>
  queryOptions<Snapshot, Error, Snapshot, ReturnType<typeof observeKeys.snapshot>>({
    queryKey: observeKeys.snapshot(envId, w),
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => apiFetch<unknown>(observeUrl(projectId, envId, `?${windowParams(w)}`), { signal }).then((b) => unwrap<Snapshot>(b, "snapshot")),
    ...polling(w),
  });

/** One function's time series and latest invocations. */
export const functionDetailQuery = (projectId: string, envId: string, nodeId: string, w: WindowChoice) =>
  queryOptions<FunctionDetail, Error, FunctionDetail, ReturnType<typeof observeKeys.fn>>({
    queryKey: observeKeys.fn(envId, nodeId, w),
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => apiFetch<unknown>(observeUrl(projectId, envId, `/functions/${enc(nodeId)}?${windowParams(w)}`), { signal }).then((b) => unwrap<FunctionDetail>(b, "function")),
    ...polling(w),
  });

/** One trigger's lag over time, per shard or partition. */
export const triggerDetailQuery = (projectId: string, envId: string, edgeId: string, w: WindowChoice) =>
  queryOptions<TriggerDetail, Error, TriggerDetail, ReturnType<typeof observeKeys.trigger>>({
    queryKey: observeKeys.trigger(envId, edgeId, w),
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => apiFetch<unknown>(observeUrl(projectId, envId, `/triggers/${enc(edgeId)}?${windowParams(w)}`), { signal }).then((b) => unwrap<TriggerDetail>(b, "trigger")),
    ...polling(w),
  });
