"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { DesignCanvas } from "@/components/design/DesignCanvas";
import type { Topology } from "@/server/model/schema";
import { plural } from "../format";
import { revisionQuery, revisionUrl } from "../queries";
import { topologyStats } from "../topology-stats";
import { ErrorNotice } from "../ui/ErrorNotice";
import { DownloadIcon, ExternalIcon } from "../ui/icons";
import { RelativeTime } from "../ui/RelativeTime";
import styles from "./DesignView.module.css";

/** The Design tab: a summary of the latest revision above the canvas that edits it. */
export function DesignView({ projectId }: { projectId: string }) {
  const latest = useQuery(revisionQuery(projectId, "latest"));
  const rev = latest.data;

  return (
    <div className={`container ${styles.view}`}>
      {latest.error && <ErrorNotice error={latest.error} title="Could not load the latest revision" onRetry={() => latest.refetch()} />}
      {latest.isPending && (
        <div className={styles.bar} aria-busy="true">
          <span className="skeleton" style={{ width: 320 }} />
        </div>
      )}
      {rev && (
        <>
          <section className={styles.bar} aria-label="Revision summary">
            <div className={styles.barGroup}>
              <span className="badge badge-accent">Revision {rev.number}</span>
              <span className={styles.message} title={rev.message}>
                {rev.message || <span className="subtle">No message</span>}
              </span>
              <span className="subtle">
                by {rev.author}, <RelativeTime iso={rev.createdAt} />
              </span>
            </div>
            <Counts doc={rev.document} />
            <div className={styles.barGroup}>
              <DownloadLink doc={rev.document} fileName={`${slug(rev.document.name)}-r${rev.number}.topology.json`} />
              <a className="btn btn-ghost btn-sm" href={revisionUrl(projectId, "latest")} target="_blank" rel="noreferrer" title="The API's answer for the latest revision">
                API <ExternalIcon size={12} />
              </a>
            </div>
          </section>
          <div className={styles.canvasHost}>
            <DesignCanvas projectId={projectId} revision={rev.number} topology={rev.document} />
          </div>
        </>
      )}
    </div>
  );
}

function Counts({ doc }: { doc: Topology }) {
  const s = topologyStats(doc);
  return (
    <ul className={styles.counts} aria-label="Element counts">
      <li>{plural(s.contexts, "context")}</li>
      <li>{plural(s.functions, "function")}</li>
      <li>{plural(s.nodes, "node")}</li>
      <li>{plural(s.edges, "edge")}</li>
    </ul>
  );
}

/** Downloads the document itself (not the API's `{ revision }` wrapper), ready for `topo` or an import. */
function DownloadLink({ doc, fileName }: { doc: Topology; fileName: string }) {
  const [href, setHref] = useState<string>();
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [doc]);
  return (
    <a className="btn btn-sm" href={href} download={fileName} aria-disabled={!href || undefined}>
      <DownloadIcon size={14} /> Download JSON
    </a>
  );
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "topology";
}
