import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { ObserveView } from "@/components/project/ObserveView";
import { projectKeys } from "@/components/queries";
import { getDb } from "@/server/db/client";
import { listEnvironments } from "@/server/db/environments";
import { getRevisionOrThrow } from "@/server/db/projects";
import { prefetch } from "../../server-data";
import { requireProjectRole } from "@/server/auth/pages";

export const metadata: Metadata = { title: "Observe" };

export default async function ObservePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  // ?env=…&window=… pick the view on the server too, so the first render already reads the right environment.
  const query = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  await requireProjectRole(id); // the layout checks too, but a client navigation renders only this page
  // The environments and the topology arrive with the page; live figures are read by the browser.
  const state = await prefetch([
    [projectKeys.environments(id), () => listEnvironments(getDb(), id)],
    [projectKeys.revision(id, "latest"), () => getRevisionOrThrow(getDb(), id, "latest")],
  ]);
  return (
    <HydrationBoundary state={state}>
      <ObserveView projectId={id} initialEnv={one(query.env)} initialWindow={one(query.window)} />
    </HydrationBoundary>
  );
}
