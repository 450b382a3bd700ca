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

export default async function ObservePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireProjectRole(id); // the layout checks too, but a client navigation renders only this page
  // The environments and the topology arrive with the page; live figures are read by the browser.
  const state = await prefetch([
    [projectKeys.environments(id), () => listEnvironments(getDb(), id)],
    [projectKeys.revision(id, "latest"), () => getRevisionOrThrow(getDb(), id, "latest")],
  ]);
  return (
    <HydrationBoundary state={state}>
      <ObserveView projectId={id} />
    </HydrationBoundary>
  );
}
