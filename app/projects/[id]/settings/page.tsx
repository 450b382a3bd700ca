import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { SettingsView } from "@/components/project/SettingsView";
import { projectKeys } from "@/components/queries";
import { getDb } from "@/server/db/client";
import { listEnvironments } from "@/server/db/environments";
import { prefetch } from "../../server-data";
import { requireProjectRole } from "@/server/auth/pages";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireProjectRole(id); // the layout checks too, but a client navigation renders only this page
  const state = await prefetch([[projectKeys.environments(id), () => listEnvironments(getDb(), id)]]);
  return (
    <HydrationBoundary state={state}>
      <SettingsView projectId={id} />
    </HydrationBoundary>
  );
}
