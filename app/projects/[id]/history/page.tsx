import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { HistoryView } from "@/components/project/HistoryView";
import { projectKeys } from "@/components/queries";
import { getDb } from "@/server/db/client";
import { listRevisions } from "@/server/db/projects";
import { prefetch } from "../../server-data";

export const metadata: Metadata = { title: "History" };

export default async function HistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const state = await prefetch([[projectKeys.revisions(id), () => listRevisions(getDb(), id)]]);
  return (
    <HydrationBoundary state={state}>
      <HistoryView projectId={id} />
    </HydrationBoundary>
  );
}
