"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatKb } from "../format";
import { revisionQuery, revisionsQuery, revisionUrl, type RevisionMeta } from "../queries";
import { EDGE_KIND_LABELS, NODE_KIND_LABELS, topologyStats } from "../topology-stats";
import { ErrorNotice } from "../ui/ErrorNotice";
import { ExternalIcon } from "../ui/icons";
import { RelativeTime } from "../ui/RelativeTime";
import styles from "./HistoryView.module.css";

/** The History tab: every saved revision, newest first; selecting one shows what it holds. */
export function HistoryView({ projectId }: { projectId: string }) {
  const revisions = useQuery(revisionsQuery(projectId));
  const [selected, setSelected] = useState<number | null>(null);

  return (
    <div className="container page">
      <div className="page-header">
        <div>
          <h2>Revisions</h2>
          <p>Every save appends a revision; none is ever overwritten. Select one to see what it holds.</p>
        </div>
      </div>
      {revisions.error && <ErrorNotice error={revisions.error} title="Could not load the revisions" onRetry={() => revisions.refetch()} />}
      <div className={styles.layout}>
        <section className="card" aria-label="Revision list">
          {revisions.isPending ? (
            <div className={styles.loading} aria-busy="true">
              <span className="skeleton" style={{ width: "60%" }} />
              <span className="skeleton" style={{ width: "40%" }} />
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Revisions">
                <thead>
                  <tr>
                    <th scope="col">Revision</th>
                    <th scope="col">Message</th>
                    <th scope="col">Author</th>
                    <th scope="col">Saved</th>
                    <th scope="col" className="col-num">
                      Size
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {revisions.data?.map((r) => (
                    <RevisionRow key={r.number} rev={r} selected={selected === r.number} onSelect={() => setSelected(r.number)} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <aside className={`card ${styles.detail}`} aria-label="Revision details">
          {selected === null ? (
            <div className={styles.placeholder}>
              <p className="muted">Select a revision to see its contexts, functions and edges, and to open its JSON.</p>
            </div>
          ) : (
            <RevisionDetail projectId={projectId} number={selected} />
          )}
        </aside>
      </div>
    </div>
  );
}

function RevisionRow({ rev, selected, onSelect }: { rev: RevisionMeta; selected: boolean; onSelect: () => void }) {
  return (
    <tr className={styles.row} data-selected={selected || undefined} onClick={onSelect}>
      <td>
        <button type="button" className={styles.revButton} aria-pressed={selected} aria-label={`Revision ${rev.number}`} onClick={onSelect}>
          r{rev.number}
        </button>
      </td>
      <td className={styles.message}>{rev.message || <span className="subtle">No message</span>}</td>
      <td>{rev.author}</td>
      <td>
        <RelativeTime iso={rev.createdAt} absolute />
      </td>
      <td className="col-num">{formatKb(rev.size)}</td>
    </tr>
  );
}

function RevisionDetail({ projectId, number }: { projectId: string; number: number }) {
  const revision = useQuery(revisionQuery(projectId, number));
  const rev = revision.data;
  if (revision.error) return <ErrorNotice error={revision.error} title={`Could not load revision ${number}`} onRetry={() => revision.refetch()} />;
  if (!rev)
    return (
      <div className={styles.placeholder} aria-busy="true">
        <span className="skeleton" style={{ width: "50%" }} />
      </div>
    );
  const s = topologyStats(rev.document);
  return (
    <div className={styles.detailBody}>
      <div className={styles.detailHeader}>
        <h3>Revision {rev.number}</h3>
        <a className="btn btn-sm" href={revisionUrl(projectId, rev.number)} target="_blank" rel="noreferrer">
          View JSON <ExternalIcon size={12} />
        </a>
      </div>
      <p>{rev.message || <span className="subtle">No message</span>}</p>
      <dl className="kv">
        <dt>Author</dt>
        <dd>{rev.author}</dd>
        <dt>Saved</dt>
        <dd>
          <RelativeTime iso={rev.createdAt} absolute />
        </dd>
        <dt>Size</dt>
        <dd>
          {formatKb(rev.size)} <span className="subtle">({rev.size.toLocaleString("en-US")} bytes)</span>
        </dd>
      </dl>
      <div className="stat-grid" aria-label="Counts">
        <Stat value={s.contexts} label="Contexts" />
        <Stat value={s.functions} label="Functions" />
        <Stat value={s.nodes} label="Nodes" />
        <Stat value={s.edges} label="Edges" />
      </div>
      {s.nodesByKind.length > 0 && (
        <div>
          <h3 className={styles.subheading}>Nodes by kind</h3>
          <ul className={styles.kinds}>
            {s.nodesByKind.map(([kind, n]) => (
              <li key={kind}>
                <span>{capitalize(NODE_KIND_LABELS[kind][n === 1 ? 0 : 1])}</span>
                <span className="num">{n}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {s.edgesByKind.length > 0 && (
        <div>
          <h3 className={styles.subheading}>Edges by kind</h3>
          <ul className={styles.kinds}>
            {s.edgesByKind.map(([kind, n]) => (
              <li key={kind}>
                <span>{EDGE_KIND_LABELS[kind]}</span>
                <span className="num">{n}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Stat({ value, label }: { value: number; label: string }) {
  return (
    <div className="stat">
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
