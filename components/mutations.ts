/**
 * Every write the pages make, with the cache invalidation it implies. Invalidation goes by key
 * prefix (see queries.ts): a project write refreshes `['projects']` exactly and `['projects', id]`;
 * an environment write refreshes `['projects', id, 'environments']`.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Environment } from "@/server/model/schema";
import { apiFetch } from "./api";
import { projectKeys, type EnvironmentRecord, type ProjectSummary, type RevisionMeta } from "./queries";

const enc = encodeURIComponent;

export function useCreateProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description: string }) =>
      apiFetch<{ project: ProjectSummary }>("/api/projects", { method: "POST", body }).then((r) => r.project),
    onSuccess: (project) => {
      qc.setQueryData(projectKeys.detail(project.id), project);
      return qc.invalidateQueries({ queryKey: projectKeys.all, exact: true });
    },
  });
}

export function useUpdateProject(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; description?: string }) =>
      apiFetch<{ project: ProjectSummary }>(`/api/projects/${enc(id)}`, { method: "PATCH", body }).then((r) => r.project),
    onSuccess: (project) => {
      qc.setQueryData(projectKeys.detail(id), project);
      return qc.invalidateQueries({ queryKey: projectKeys.all, exact: true });
    },
  });
}

export function useDeleteProject() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(`/api/projects/${enc(id)}`, { method: "DELETE" }),
    onSuccess: (_void, id) => {
      // Drop rather than invalidate: refetching a deleted project would only yield 404s.
      qc.removeQueries({ queryKey: projectKeys.detail(id) });
      return qc.invalidateQueries({ queryKey: projectKeys.all, exact: true });
    },
  });
}

/** What the environment form sends; `null` clears a field on update. */
export type EnvironmentFields = Pick<Environment, "name" | "kind"> & {
  region: string | null;
  credentialsRef: string | null;
  stackName: string | null;
};

export function useSaveEnvironment(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, fields }: { id?: string; fields: EnvironmentFields }) => {
      if (id)
        return apiFetch<{ environment: EnvironmentRecord }>(`/api/projects/${enc(projectId)}/environments/${enc(id)}`, { method: "PATCH", body: fields }).then(
          (r) => r.environment,
        );
      // Creation validates with the model's schema, where an absent field is `undefined`, not null.
      const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
      return apiFetch<{ environment: EnvironmentRecord }>(`/api/projects/${enc(projectId)}/environments`, { method: "POST", body }).then((r) => r.environment);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: projectKeys.environments(projectId) }),
  });
}

export function useDeleteEnvironment(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(`/api/projects/${enc(projectId)}/environments/${enc(id)}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: projectKeys.environments(projectId) }),
  });
}

/**
 * Saves an old revision's document as a new revision ("Restored revision N"). `baseRevision` is
 * the latest revision the page knows; a stale one is refused with 409 (TOPO-E021), like any save.
 * Success refreshes everything under `['projects', id]`: the project, its revisions, "latest".
 */
export function useRestoreRevision(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ number, baseRevision }: { number: number; baseRevision: number }) =>
      apiFetch<{ revision: RevisionMeta }>(`/api/projects/${enc(projectId)}/revisions/${number}/restore`, { method: "POST", body: { baseRevision } }).then(
        (r) => r.revision,
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: projectKeys.detail(projectId) }),
  });
}
