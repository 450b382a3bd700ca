/**
 * Server-side reads for the pages: the same data the API serves, read through the same
 * `server/db` functions, handed to the browser's query cache under the keys of
 * components/queries.ts so the first paint already has it and no request repeats it.
 */
import { cache } from "react";
import { QueryClient, dehydrate, type DehydratedState, type QueryKey } from "@tanstack/react-query";
import { getDb } from "@/server/db/client";
import { getProjectOrThrow } from "@/server/db/projects";
import { isTopoError } from "@/server/errors";
import { requireProjectRole } from "@/server/auth/pages";
import type { ErrorInfo } from "@/components/ui/ErrorNotice";
import type { ProjectSummary } from "@/components/queries";

/** The project, or the API's error for it (not found, database down), read once per request. */
export const loadProject = cache(async (id: string): Promise<{ project: ProjectSummary } | { error: ErrorInfo }> => {
  // Anonymous viewers go to /signin; non-members get the not-found page, as the API's 404.
  await requireProjectRole(id);
  try {
    return { project: await getProjectOrThrow(getDb(), id) };
  } catch (e) {
    if (isTopoError(e)) return { error: { code: e.code, message: e.message, fix: e.fix } };
    throw e;
  }
});

/**
 * Runs reads on the server and returns them as a dehydrated query cache. A read that fails is
 * left out, so the client fetches it itself and shows the API's error the usual way.
 * @example <HydrationBoundary state={await prefetch([[projectKeys.all, () => listProjects(getDb())]])}>
 */
export async function prefetch(reads: [QueryKey, () => Promise<unknown>][]): Promise<DehydratedState> {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  await Promise.all(reads.map(([queryKey, queryFn]) => qc.prefetchQuery({ queryKey, queryFn })));
  return dehydrate(qc);
}
