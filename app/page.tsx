import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { connection } from "next/server";
import { ProjectList } from "@/components/projects/ProjectList";
import { projectKeys } from "@/components/queries";
import { getDb } from "@/server/db/client";
import { listProjects } from "@/server/db/projects";
import { prefetch } from "./projects/server-data";
import { requirePrincipal } from "@/server/auth/pages";
import { onlyVisible } from "@/server/auth/visible";

// The root layout's title template only applies below its own segment, so this title is whole.
export const metadata: Metadata = { title: "Projects · Topograph" };

export default async function ProjectsPage() {
  await connection(); // read the database per request, never at build time
  const viewer = await requirePrincipal("/");
  const state = await prefetch([[projectKeys.all, async () => onlyVisible(getDb(), viewer, await listProjects(getDb()))]]);
  return (
    <HydrationBoundary state={state}>
      <ProjectList />
    </HydrationBoundary>
  );
}
