"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { projectQuery } from "../queries";
import { ErrorNotice } from "../ui/ErrorNotice";
import { ExportButtons } from "./ExportButtons";
import { ChevronRightIcon } from "../ui/icons";
import { RelativeTime } from "../ui/RelativeTime";
import styles from "./ProjectHeader.module.css";

export const PROJECT_TABS = [
  { segment: "design", label: "Design" },
  { segment: "observe", label: "Observe" },
  { segment: "history", label: "History" },
  { segment: "settings", label: "Settings" },
] as const;

/** Breadcrumbs, the project's name and the tab bar shared by every project page. */
export function ProjectHeader({ projectId }: { projectId: string }) {
  const project = useQuery(projectQuery(projectId));
  const pathname = usePathname();
  const base = `/projects/${encodeURIComponent(projectId)}`;
  const active = pathname.slice(base.length + 1).split("/")[0];
  const p = project.data;

  return (
    <header className={styles.header}>
      <div className="container">
        <nav aria-label="Breadcrumb">
          <ol className={styles.breadcrumbs}>
            <li>
              <Link href="/">Projects</Link>
            </li>
            <li aria-hidden="true" className={styles.sep}>
              <ChevronRightIcon size={12} />
            </li>
            <li>
              <span aria-current="page">{p?.name ?? projectId}</span>
            </li>
          </ol>
        </nav>
        <div className={styles.titleRow}>
          <h1 className={styles.title}>{p?.name ?? "…"}</h1>
          {p?.description && (
            <p className={styles.description} title={p.description}>
              {p.description}
            </p>
          )}
          {p && (
            <div className={styles.meta}>
              <span className="badge badge-accent">Revision {p.latestRevision}</span>
              <span>
                Updated <RelativeTime iso={p.updatedAt} />
              </span>
              <ExportButtons projectId={projectId} />
            </div>
          )}
        </div>
        {project.error && <ErrorNotice error={project.error} compact onRetry={() => project.refetch()} />}
        <nav aria-label="Project sections" className={styles.tabs}>
          {PROJECT_TABS.map((t) => (
            <Link key={t.segment} href={`${base}/${t.segment}`} className={styles.tab} aria-current={active === t.segment ? "page" : undefined}>
              {t.label}
            </Link>
          ))}
        </nav>
      </div>
    </header>
  );
}
