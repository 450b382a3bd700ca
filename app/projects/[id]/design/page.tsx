import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { DesignView } from "@/components/project/DesignView";
import { projectKeys } from "@/components/queries";
import { getDb } from "@/server/db/client";
import { getRevisionOrThrow } from "@/server/db/projects";
import { prefetch } from "../../server-data";
import { requireProjectRole } from "@/server/auth/pages";

export const metadata: Metadata = { title: "Design" };

export default async function DesignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireProjectRole(id); // the layout checks too, but a client navigation renders only this page
  const state = await prefetch([[projectKeys.revision(id, "latest"), () => getRevisionOrThrow(getDb(), id, "latest")]]);
  return (
    <HydrationBoundary state={state}>
      <DesignView projectId={id} />
    </HydrationBoundary>
  );
}
