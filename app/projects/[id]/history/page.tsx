import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { HistoryView } from "@/components/project/HistoryView";
import { projectKeys } from "@/components/queries";
import { getDb } from "@/server/db/client";
import { listRevisions } from "@/server/db/projects";
import { prefetch } from "../../server-data";
import { requireProjectRole } from "@/server/auth/pages";

export const metadata: Metadata = { title: "History" };

export default async function HistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireProjectRole(id); // the layout checks too, but a client navigation renders only this page
  const state = await prefetch([[projectKeys.revisions(id), () => listRevisions(getDb(), id)]]);
  return (
    <HydrationBoundary state={state}>
      <HistoryView projectId={id} />
    </HydrationBoundary>
  );
}
