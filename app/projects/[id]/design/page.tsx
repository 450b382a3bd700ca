import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { DesignView } from "@/components/project/DesignView";
import { projectKeys } from "@/components/queries";
import { getDb } from "@/server/db/client";
import { getRevisionOrThrow } from "@/server/db/projects";
import { prefetch } from "../../server-data";

export const metadata: Metadata = { title: "Design" };

export default async function DesignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const state = await prefetch([[projectKeys.revision(id, "latest"), () => getRevisionOrThrow(getDb(), id, "latest")]]);
  return (
    <HydrationBoundary state={state}>
      <DesignView projectId={id} />
    </HydrationBoundary>
  );
}
