import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { ProjectHeader } from "@/components/project/ProjectHeader";
import { projectKeys } from "@/components/queries";
import { ErrorPage } from "@/components/ui/ErrorPage";
import { loadProject, prefetch } from "../server-data";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const loaded = await loadProject((await params).id);
  // No "%s": whichever tab was asked for, the page says the project is missing.
  if ("error" in loaded) return { title: { absolute: "Project unavailable · Topograph", template: "Project unavailable · Topograph" } };
  // Tab pages set "Design", "History"…; the project's name sits between them and the product's.
  return { title: { template: `%s · ${loaded.project.name} · Topograph`, default: loaded.project.name } };
}

export default async function ProjectLayout({ children, params }: Props & { children: ReactNode }) {
  const { id } = await params;
  const loaded = await loadProject(id);
  // A missing project is a real 404 (app/not-found.tsx); other failures (database down) stay here.
  if ("error" in loaded && loaded.error.code === "TOPO-E020") notFound();
  // Anything else that stops the page (the database is down) is shown with its code and fix.
  if ("error" in loaded) return <ErrorPage heading="Project unavailable" title="Could not open this project" error={loaded.error} />;
  const state = await prefetch([[projectKeys.detail(id), async () => loaded.project]]);
  return (
    <HydrationBoundary state={state}>
      <div className="project-shell">
        <ProjectHeader projectId={id} />
        <div className="project-body">{children}</div>
      </div>
    </HydrationBoundary>
  );
}
