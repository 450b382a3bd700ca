"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { EdgeKind, NodeKind } from "@/server/model/schema";
import type { ElementChange, ElementRef, FieldChange, SectionDiff } from "@/server/model/diff";
import { formatKb, plural } from "../format";
import { useRestoreRevision } from "../mutations";
import { useProjectRole } from "../auth/queries";
import { revisionDiffQuery, revisionQuery, revisionsQuery, revisionUrl, type RevisionDiff, type RevisionMeta } from "../queries";
import { EDGE_KIND_LABELS, NODE_KIND_LABELS, topologyStats } from "../topology-stats";
import { Dialog } from "../ui/Dialog";
import { ErrorNotice } from "../ui/ErrorNotice";
import { ExternalIcon } from "../ui/icons";
import { RelativeTime } from "../ui/RelativeTime";
import styles from "./HistoryView.module.css";

/**
 * The History tab: every saved revision, newest first. Selecting one shows what changed in it
 * (a readable diff against the revision before, or any other) and what it holds, and offers to
 * restore it: its document is saved again as a new revision, so nothing is ever rewritten.
 */
export function HistoryView({ projectId }: { projectId: string }) {
  const revisions = useQuery(revisionsQuery(projectId));
  const [selected, setSelected] = useState<number | null>(null);
  const latest = revisions.data?.[0]?.number;

  return (
    <div className="container page">
      <div className="page-header">
        <div>
          <h2>Revisions</h2>
          <p>Every save appends a revision; none is ever overwritten. Select one to see its changes.</p>
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
              <p className="muted">Select a revision to see what changed in it and what it holds, to open its JSON, or to restore it.</p>
            </div>
          ) : (
            <RevisionDetail key={selected} projectId={projectId} number={selected} latest={latest} revisions={revisions.data ?? []} onRestored={setSelected} />
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

function RevisionDetail({
  projectId,
  number,
  latest,
  revisions,
  onRestored,
}: {
  projectId: string;
  number: number;
  /** The newest revision the page knows: the base of a restore. */
  latest: number | undefined;
  revisions: RevisionMeta[];
  onRestored: (number: number) => void;
}) {
  const revision = useQuery(revisionQuery(projectId, number));
  const [confirming, setConfirming] = useState(false);
  const access = useProjectRole(projectId);
  const rev = revision.data;
  if (revision.error) return <ErrorNotice error={revision.error} title={`Could not load revision ${number}`} onRetry={() => revision.refetch()} />;
  if (!rev)
    return (
      <div className={styles.placeholder} aria-busy="true">
        <span className="skeleton" style={{ width: "50%" }} />
      </div>
    );
  const s = topologyStats(rev.document);
  // ">=": just after a restore the new revision shows before the list has refetched.
  const isLatest = latest !== undefined && rev.number >= latest;
  return (
    <div className={styles.detailBody}>
      <div className={styles.detailHeader}>
        <div className={styles.title}>
          <h3>Revision {rev.number}</h3>
          {isLatest && <span className="badge badge-accent">Latest</span>}
        </div>
        <div className={styles.headerActions}>
          {!isLatest && latest !== undefined && (
            <button type="button" className="btn btn-sm" onClick={() => setConfirming(true)} disabled={!access.can("editor")} title={access.can("editor") ? undefined : "Needs the editor role on this project"}>
              Restore as new revision
            </button>
          )}
          <a className="btn btn-sm" href={revisionUrl(projectId, rev.number)} target="_blank" rel="noreferrer">
            View JSON <ExternalIcon size={12} />
          </a>
        </div>
      </div>
      <p className={styles.revMessage}>{rev.message || <span className="subtle">No message</span>}</p>
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

      <Changes projectId={projectId} number={rev.number} revisions={revisions} />

      <section className={styles.contents} aria-label="Contents">
        <h4 className={styles.subheading}>Contents</h4>
        <div className={`stat-grid ${styles.stats}`} aria-label="Counts">
          <Stat value={s.contexts} label="Contexts" />
          <Stat value={s.functions} label="Functions" />
          <Stat value={s.nodes} label="Nodes" />
          <Stat value={s.edges} label="Edges" />
        </div>
        {(s.nodesByKind.length > 0 || s.edgesByKind.length > 0) && (
          <details className={styles.byKind}>
            <summary>Nodes and edges by kind</summary>
            <div className={styles.kindColumns}>
              {s.nodesByKind.length > 0 && (
                <ul className={styles.kinds} aria-label="Nodes by kind">
                  {s.nodesByKind.map(([kind, n]) => (
                    <li key={kind}>
                      <span>{capitalize(NODE_KIND_LABELS[kind][n === 1 ? 0 : 1])}</span>
                      <span className="num">{n}</span>
                    </li>
                  ))}
                </ul>
              )}
              {s.edgesByKind.length > 0 && (
                <ul className={styles.kinds} aria-label="Edges by kind">
                  {s.edgesByKind.map(([kind, n]) => (
                    <li key={kind}>
                      <span>{EDGE_KIND_LABELS[kind]}</span>
                      <span className="num">{n}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </details>
        )}
      </section>

      {latest !== undefined && (
        <RestoreDialog
          open={confirming}
          projectId={projectId}
          number={rev.number}
          latest={latest}
          onClose={() => setConfirming(false)}
          onRestored={(n) => {
            setConfirming(false);
            onRestored(n);
          }}
        />
      )}
    </div>
  );
}

function RestoreDialog({
  open,
  projectId,
  number,
  latest,
  onClose,
  onRestored,
}: {
  open: boolean;
  projectId: string;
  number: number;
  latest: number;
  onClose: () => void;
  onRestored: (number: number) => void;
}) {
  const restore = useRestoreRevision(projectId);
  const close = () => {
    restore.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={`Restore revision ${number}?`}
      description={
        <p>
          Its document is saved as a new revision, <strong>revision {latest + 1}</strong>, on top of revision {latest}. Nothing is deleted: every revision
          stays in the history and can be restored in turn.
        </p>
      }
    >
      {restore.error && <ErrorNotice error={restore.error} compact />}
      <div className="btn-row">
        <button type="button" className="btn" onClick={close} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={restore.isPending}
          onClick={() => restore.mutate({ number, baseRevision: latest }, { onSuccess: (saved) => onRestored(saved.number) })}
        >
          {restore.isPending ? "Restoring…" : `Restore revision ${number}`}
        </button>
      </div>
    </Dialog>
  );
}

/** The readable diff of a revision: against the one before it by default, or any other chosen. */
function Changes({ projectId, number, revisions }: { projectId: string; number: number; revisions: RevisionMeta[] }) {
  const [against, setAgainst] = useState<number | null>(null);
  const [positions, setPositions] = useState(false);
  const diff = useQuery(revisionDiffQuery(projectId, number, against, positions));
  const d = diff.data;
  const others = revisions.filter((r) => r.number !== number);
  const base = against ?? number - 1;
  return (
    <section className={styles.changes} aria-label="Changes">
      <div className={styles.changesHeader}>
        <h4 className={styles.subheading}>{base === 0 ? "Changes since the empty project" : `Changes since revision ${base}`}</h4>
        {others.length > 0 && (
          <label className={styles.compare}>
            <span>Compare with</span>
            <select
              className="select input-sm"
              value={against === null ? "" : String(against)}
              onChange={(e) => setAgainst(e.target.value === "" ? null : Number(e.target.value))}
            >
              <option value="">{number > 1 ? `Previous (r${number - 1})` : "Empty project"}</option>
              {others
                .filter((r) => r.number !== number - 1)
                .map((r) => (
                  <option key={r.number} value={r.number}>
                    r{r.number}
                    {r.message ? ` · ${truncate(r.message, 22)}` : ""}
                  </option>
                ))}
            </select>
          </label>
        )}
      </div>
      {diff.error ? (
        <ErrorNotice error={diff.error} title="Could not compute the changes" onRetry={() => diff.refetch()} compact />
      ) : !d ? (
        <div className={styles.loading} aria-busy="true">
          <span className="skeleton" style={{ width: "70%" }} />
          <span className="skeleton" style={{ width: "45%" }} />
        </div>
      ) : (
        <DiffBody diff={d} positions={positions} onPositions={setPositions} />
      )}
    </section>
  );
}

function DiffBody({ diff, positions, onPositions }: { diff: RevisionDiff; positions: boolean; onPositions: (v: boolean) => void }) {
  const moved = diff.moved.nodes + diff.moved.contexts;
  const movedText = [diff.moved.nodes ? `${plural(diff.moved.nodes, "node")} moved` : "", diff.moved.contexts ? `${plural(diff.moved.contexts, "context")} moved or resized` : ""]
    .filter(Boolean)
    .join(", ");
  return (
    <div className={styles.diff} data-testid="revision-diff">
      <p className={styles.summary} role="status">
        {diff.identical ? "No changes: both revisions hold the same document." : diff.summary}
      </p>
      {diff.document.length > 0 && (
        <DiffGroup title="Document" counts={`${diff.document.length} changed`}>
          <li className={styles.item} data-change="changed">
            <ItemHead change="changed" name="Topology settings" />
            <FieldList fields={diff.document} />
          </li>
        </DiffGroup>
      )}
      <SectionGroup title="Contexts" section={diff.contexts} kindLabel={() => "context"} />
      <SectionGroup title="Nodes" section={diff.nodes} kindLabel={(k) => NODE_KIND_LABELS[k as NodeKind]?.[0] ?? k} />
      <SectionGroup title="Edges" section={diff.edges} kindLabel={(k) => EDGE_KIND_WORD[k as EdgeKind] ?? k} />
      {moved > 0 && (
        <div className={styles.moved}>
          <span className="muted">
            {movedText}
            {positions ? "" : " (layout only, not listed)"}.
          </span>
          <label className={styles.toggle}>
            <input type="checkbox" checked={positions} onChange={(e) => onPositions(e.target.checked)} /> List position changes
          </label>
        </div>
      )}
    </div>
  );
}

const EDGE_KIND_WORD: Record<EdgeKind, string> = { trigger: "trigger", call: "call", produce: "produce", access: "data access" };

/** How many entries a group shows before "Show all": a 1,000-node import must not freeze the tab. */
const GROUP_LIMIT = 40;

function SectionGroup({ title, section, kindLabel }: { title: string; section: SectionDiff; kindLabel: (kind: string) => string }) {
  const [all, setAll] = useState(false);
  const items: ({ change: "added" | "removed"; ref: ElementRef } | { change: "changed"; ref: ElementChange })[] = [
    ...section.added.map((ref) => ({ change: "added" as const, ref })),
    ...section.removed.map((ref) => ({ change: "removed" as const, ref })),
    ...section.changed.map((ref) => ({ change: "changed" as const, ref })),
  ];
  if (items.length === 0) return null;
  const shown = all ? items : items.slice(0, GROUP_LIMIT);
  const counts = [
    section.added.length ? `${section.added.length} added` : "",
    section.removed.length ? `${section.removed.length} removed` : "",
    section.changed.length ? `${section.changed.length} changed` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return (
    <DiffGroup title={title} counts={counts}>
      {shown.map((item) => (
        <li key={`${item.change}:${item.ref.id}`} className={styles.item} data-change={item.change}>
          <ItemHead change={item.change} name={item.ref.name} kind={kindLabel(item.ref.kind)} />
          {item.change === "changed" && <FieldList fields={item.ref.fields} />}
        </li>
      ))}
      {items.length > shown.length && (
        <li className={styles.more}>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setAll(true)}>
            Show all {items.length.toLocaleString("en-US")} {title.toLowerCase()}
          </button>
        </li>
      )}
    </DiffGroup>
  );
}

function DiffGroup({ title, counts, children }: { title: string; counts?: string; children: ReactNode }) {
  return (
    <section className={styles.group} aria-label={`${title} changes`}>
      <h5 className={styles.groupTitle}>
        {title}
        {counts && <span className={styles.groupCounts}>{counts}</span>}
      </h5>
      <ul className={styles.items}>{children}</ul>
    </section>
  );
}

const CHANGE_MARK = { added: "+", removed: "−", changed: "~" } as const;
const CHANGE_WORD = { added: "Added", removed: "Removed", changed: "Changed" } as const;

function ItemHead({ change, name, kind }: { change: "added" | "removed" | "changed"; name: string; kind?: string }) {
  return (
    <div className={styles.itemHead}>
      <span className={styles.mark} data-change={change} title={CHANGE_WORD[change]} aria-hidden="true">
        {CHANGE_MARK[change]}
      </span>
      <span className="sr-only">{CHANGE_WORD[change]}: </span>
      <span className={styles.itemName}>{name}</span>
      {kind && <span className={styles.itemKind}>{kind}</span>}
    </div>
  );
}

function FieldList({ fields }: { fields: FieldChange[] }) {
  return (
    <ul className={styles.fields}>
      {fields.map((f) => (
        <li key={f.path} className={styles.field} data-testid="diff-field" data-long={isLong(f) || undefined}>
          <code className={styles.path}>{f.path}</code>{" "}
          <span className={styles.values}>
            <Value value={f.before} unit={f.unit} label={f.beforeLabel} side="before" /> <span className={styles.arrow}>→</span>{" "}
            <Value value={f.after} unit={f.unit} label={f.afterLabel} side="after" />
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A change whose values do not fit beside the path goes on a line of its own. */
function isLong(f: FieldChange): boolean {
  const len = (v: unknown, label?: string) => (v === undefined ? 7 : (label ?? formatValue(v)).length);
  return f.path.length + len(f.before, f.beforeLabel) + len(f.after, f.afterLabel) > 60;
}

function Value({ value, unit, label, side }: { value: unknown; unit?: string; label?: string; side: "before" | "after" }) {
  if (value === undefined) return <span className={styles.unset}>not set</span>;
  const text = formatValue(value, unit);
  const shown = label ?? truncate(text, 60);
  return (
    <span className={styles.value} data-side={side} title={label ? `${label} (${text})` : text.length > 60 ? text : undefined}>
      {shown}
    </span>
  );
}

/**
 * A field value as the diff prints it: numbers with separators and their unit, text as is,
 * lists and objects as compact JSON.
 * @example formatValue(1024, "MB") // "1,024 MB"
 */
function formatValue(v: unknown, unit?: string): string {
  if (typeof v === "number") return `${v.toLocaleString("en-US")}${unit ? ` ${unit}` : ""}`;
  if (typeof v === "string") return v === "" ? "“”" : v;
  if (typeof v === "boolean") return v ? "true" : "false";
  return JSON.stringify(v);
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function Stat({ value, label }: { value: number; label: string }) {
  return (
    <div className="stat">
      <div className="stat-value">{value.toLocaleString("en-US")}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
