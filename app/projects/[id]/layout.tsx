import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { ProjectHeader } from "@/components/project/ProjectHeader";
import { projectKeys } from "@/components/queries";
import { ErrorNotice } from "@/components/ui/ErrorNotice";
import { loadProject, prefetch } from "../server-data";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const loaded = await loadProject((await params).id);
  // No "%s": whichever tab was asked for, the page says the project is missing.
  if ("error" in loaded) return { title: { absolute: "Project not found · Topograph", template: "Project not found · Topograph" } };
  // Tab pages set "Design", "History"…; the project's name sits between them and the product's.
  return { title: { template: `%s · ${loaded.project.name} · Topograph`, default: loaded.project.name } };
}

export default async function ProjectLayout({ children, params }: Props & { children: ReactNode }) {
  const { id } = await params;
  const loaded = await loadProject(id);
  // A missing project is a real 404 (app/not-found.tsx); other failures (database down) stay here.
  if ("error" in loaded && loaded.error.code === "TOPO-E020") notFound();
  if ("error" in loaded) {
    // The API's fix speaks to API clients; in the app, the way out is the project list.
    const error = loaded.error.code === "TOPO-E020" ? { ...loaded.error, fix: "It may have been deleted or renamed under another id: open it from the project list." } : loaded.error;
    return (
      <div className="container page">
        <div className="page-header">
          <div>
            <h1>Project not found</h1>
          </div>
        </div>
        <ErrorNotice error={error} title="Could not open this project" />
        <p style={{ marginTop: 16 }}>
          <Link href="/" className="btn">
            Back to projects
          </Link>
        </p>
      </div>
    );
  }
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
