"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { DesignCanvas, SaveStatus } from "@/components/design/DesignCanvas";
import { useDesign } from "@/components/design/context";
import type { Topology } from "@/server/model/schema";
import { plural } from "../format";
import { revisionQuery, revisionUrl } from "../queries";
import { topologyStats } from "../topology-stats";
import { useProjectRole } from "../auth/queries";
import { ErrorNotice } from "../ui/ErrorNotice";
import { DownloadIcon, ExternalIcon } from "../ui/icons";
import { RelativeTime } from "../ui/RelativeTime";
import styles from "./DesignView.module.css";

/**
 * The Design tab: the editor of the latest revision, with a summary of what is being edited
 * above it. The editor is started once from the revision loaded first and owns the document
 * from then on (it saves new revisions itself), so the query is not refetched behind its back:
 * a revision saved elsewhere reaches this tab as a conflict, never as a silent replacement.
 */
export function DesignView({ projectId }: { projectId: string }) {
  const latest = useQuery({ ...revisionQuery(projectId, "latest"), refetchOnWindowFocus: false, refetchOnReconnect: false, staleTime: Infinity });
  // The first revision loaded starts the editor; later answers of the query do not restart it.
  const [start, setStart] = useState<typeof latest.data>(undefined);
  if (latest.data && !start) setStart(latest.data);
  const rev = start;
  const access = useProjectRole(projectId);
  const readOnly = !access.loading && !access.can("editor");

  return (
    <div className={`container ${styles.view}`}>
      {latest.error && <ErrorNotice error={latest.error} title="Could not load the latest revision" onRetry={() => latest.refetch()} />}
      {latest.isPending && (
        <div className={styles.bar} aria-busy="true">
          <span className="skeleton" style={{ width: 320 }} />
        </div>
      )}
      {readOnly && (
        <p className="notice" role="status" data-testid="view-only">
          View only: you are a viewer on this project, so the editor is locked and nothing is saved. Ask a project admin for the editor role.
        </p>
      )}
      {rev && !access.loading && (
        // A viewer's editor: every control disabled, autosave off (the API refuses their saves too).
        <fieldset disabled={readOnly} aria-disabled={readOnly || undefined} style={{ display: "contents" }}>
          <div className={styles.canvasHost}>
            <DesignCanvas
              projectId={projectId}
              revision={rev.number}
              topology={rev.document}
              autosave={!readOnly}
              header={<SummaryBar projectId={projectId} loaded={{ number: rev.number, message: rev.message, author: rev.author, createdAt: rev.createdAt }} />}
            />
          </div>
        </fieldset>
      )}
    </div>
  );
}

/** What is being edited: the revision it is based on, its counts, its save state, downloads. */
function SummaryBar({ projectId, loaded }: { projectId: string; loaded: { number: number; message: string; author: string; createdAt: string } }) {
  const revision = useDesign((s) => s.save.revision);
  const doc = useDesign((s) => s.doc);
  const fromLoaded = revision === loaded.number;
  return (
    <section className={styles.bar} aria-label="Revision summary">
      <div className={styles.barGroup}>
        <span className="badge badge-accent">Revision {revision}</span>
        {fromLoaded ? (
          <>
            <span className={styles.message} title={loaded.message}>
              {loaded.message || <span className="subtle">No message</span>}
            </span>
            <span className="subtle">
              by {loaded.author}, <RelativeTime iso={loaded.createdAt} />
            </span>
          </>
        ) : (
          <span className="subtle">saved from this tab</span>
        )}
      </div>
      <Counts doc={doc} />
      <div className={styles.barGroup}>
        <SaveStatus />
        <DownloadLink doc={doc} fileName={`${slug(doc.name)}-r${revision}.topology.json`} />
        <a className="btn btn-ghost btn-sm" href={revisionUrl(projectId, "latest")} target="_blank" rel="noreferrer" title="The API's answer for the latest revision">
          API <ExternalIcon size={12} />
        </a>
      </div>
    </section>
  );
}

function Counts({ doc }: { doc: Topology }) {
  const s = useMemo(() => topologyStats(doc), [doc]);
  return (
    <ul className={styles.counts} aria-label="Element counts">
      <li>{plural(s.contexts, "context")}</li>
      <li>{plural(s.functions, "function")}</li>
      <li>{plural(s.nodes, "node")}</li>
      <li>{plural(s.edges, "edge")}</li>
    </ul>
  );
}

/**
 * Downloads the document being edited (not the API's `{ revision }` wrapper), ready for `topo`
 * or an import. The file is made when the link is used, not after every edit: serialising a
 * 5,000-function document on each change would cost more than the change.
 */
function DownloadLink({ doc, fileName }: { doc: Topology; fileName: string }) {
  const url = useRef<string | null>(null);
  const prepare = (a: HTMLAnchorElement) => {
    if (url.current) URL.revokeObjectURL(url.current);
    url.current = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" }));
    a.href = url.current;
  };
  return (
    <a className="btn btn-sm" href="#download" download={fileName} onPointerDown={(e) => prepare(e.currentTarget)} onFocus={(e) => prepare(e.currentTarget)} onClick={(e) => prepare(e.currentTarget)}>
      <DownloadIcon size={14} /> Download JSON
    </a>
  );
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "topology";
}
