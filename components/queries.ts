/**
 * One `queryOptions` per API resource, shared by server prefetch (which swaps in a direct
 * `queryFn`) and client hooks. Keys are resource-first, so invalidating a prefix refreshes
 * everything under it: `['projects', id]` covers the project, its revisions and environments.
 */
import { queryOptions } from "@tanstack/react-query";
import type { EnvironmentRecord } from "@/server/db/environments";
import type { RevisionDiff } from "@/server/db/history";
import type { ProjectSummary, Revision, RevisionMeta } from "@/server/db/projects";
import { apiFetch } from "./api";

export type { EnvironmentRecord, ProjectSummary, Revision, RevisionDiff, RevisionMeta };

export const projectKeys = {
  all: ["projects"] as const,
  detail: (id: string) => ["projects", id] as const,
  revisions: (id: string) => ["projects", id, "revisions"] as const,
  revision: (id: string, number: number | "latest") => ["projects", id, "revisions", number] as const,
  environments: (id: string) => ["projects", id, "environments"] as const,
  /** `against` null: the previous revision. */
  revisionDiff: (id: string, number: number, against: number | null, positions: boolean) =>
    ["projects", id, "revisions", number, "diff", against ?? "previous", positions ? "positions" : "layout-counted"] as const,
};

const enc = encodeURIComponent;

/** Every project with its latest revision number and counts. */
export const projectsQuery = () =>
  queryOptions({
    queryKey: projectKeys.all,
    queryFn: ({ signal }) => apiFetch<{ projects: ProjectSummary[] }>("/api/projects", { signal }).then((r) => r.projects),
  });

export const projectQuery = (id: string) =>
  queryOptions({
    queryKey: projectKeys.detail(id),
    queryFn: ({ signal }) => apiFetch<{ project: ProjectSummary }>(`/api/projects/${enc(id)}`, { signal }).then((r) => r.project),
  });

/** Revision metadata, newest first. */
export const revisionsQuery = (id: string) =>
  queryOptions({
    queryKey: projectKeys.revisions(id),
    queryFn: ({ signal }) => apiFetch<{ revisions: RevisionMeta[] }>(`/api/projects/${enc(id)}/revisions`, { signal }).then((r) => r.revisions),
  });

/** One revision with its document. A numbered revision never changes, so it never goes stale. */
export const revisionQuery = (id: string, number: number | "latest") =>
  queryOptions({
    queryKey: projectKeys.revision(id, number),
    queryFn: ({ signal }) => apiFetch<{ revision: Revision }>(revisionUrl(id, number), { signal }).then((r) => r.revision),
    staleTime: number === "latest" ? undefined : Infinity,
  });

export const environmentsQuery = (id: string) =>
  queryOptions({
    queryKey: projectKeys.environments(id),
    queryFn: ({ signal }) => apiFetch<{ environments: EnvironmentRecord[] }>(`/api/projects/${enc(id)}/environments`, { signal }).then((r) => r.environments),
  });

/**
 * What changed in revision `number`, against revision `against` (null: the one before it; revision
 * 1 against the empty start). Two numbered revisions never change, so neither does their diff.
 */
export const revisionDiffQuery = (id: string, number: number, against: number | null = null, positions = false) =>
  queryOptions({
    queryKey: projectKeys.revisionDiff(id, number, against, positions),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams();
      if (against !== null) params.set("against", String(against));
      if (positions) params.set("positions", "1");
      const qs = params.toString() ? `?${params}` : "";
      return apiFetch<{ diff: RevisionDiff }>(`${revisionUrl(id, number)}/diff${qs}`, { signal }).then((r) => r.diff);
    },
    staleTime: Infinity,
  });

/** The API address of a revision, also used for "View JSON" links. */
export function revisionUrl(id: string, number: number | "latest"): string {
  return `/api/projects/${enc(id)}/revisions/${number}`;
}
