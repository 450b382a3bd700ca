"use client";
/**
 * The DLQ browser of one dead-letter queue: depth and oldest age, what feeds it, the messages peeked without
 * consuming them (each peek raises their receive count, and the browser says so), a detail pane with the body
 * pretty-printed as text, the attributes and the decoded Lambda failure record; Redrive / Delete / Purge behind
 * confirmations, with a progress bar while a redrive runs. Errors show their code and fix.
 * Opened by the Observe tab from a DLQ node: `<DlqBrowser projectId environmentId nodeId />`.
 */
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DeadLetter, DlqPeek, DlqSummary, MoveTask } from "@/server/observe/types";
import { useProjectRole } from "../../auth/queries";
import { revisionQuery } from "../../queries";
import { ConfirmActions } from "../../ui/ConfirmActions";
import { Dialog } from "../../ui/Dialog";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { TrashIcon } from "../../ui/icons";
import { FAILURE_SOURCE, formatAgeShort, formatBody, letterSummary, progressPercent, shortTime, sourcesLine, taskLine } from "./present";
import { deleteLetter, dlqKeys, dlqListQuery, peekLetters, purgeDlq, redriveTaskQuery, startRedrive } from "./queries";
import styles from "./DlqBrowser.module.css";

const PEEK_SIZES = [10, 25, 50, 100];

export function DlqBrowser({ projectId, environmentId, nodeId }: { projectId: string; environmentId: string; nodeId: string }) {
  const qc = useQueryClient();
  const list = useQuery(dlqListQuery(projectId, environmentId));
  // The server checks every call (peek = editor, redrive/delete/purge = admin); the buttons say so up front.
  const { can, loading: roleLoading } = useProjectRole(projectId);
  const mayPeek = roleLoading || can("editor");
  const mayAct = roleLoading || can("admin");
  const adminOnly = mayAct ? undefined : "Admins of this project only (the action is audited)";
  const summary = list.data?.dlqs.find((d) => d.nodeId === nodeId);
  const [peek, setPeek] = useState<DlqPeek | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [max, setMax] = useState(10);
  const [dialog, setDialog] = useState<null | "redrive" | "purge" | "delete">(null);
  const [taskId, setTaskId] = useState<string | null>(null);

  // A redrive started here, or one the list reports (running elsewhere, or interrupted).
  const listedTask = summary?.task ?? null;
  const activeTaskId = taskId ?? (listedTask && (listedTask.status === "running" || listedTask.status === "interrupted") ? listedTask.id : null);
  const taskQuery = useQuery({ ...redriveTaskQuery(projectId, environmentId, nodeId, activeTaskId ?? "none"), enabled: !!activeTaskId });
  const task: MoveTask | null = (activeTaskId && taskQuery.data?.id === activeTaskId ? taskQuery.data : null) ?? (listedTask?.id === activeTaskId ? listedTask : null);

  // When a redrive ends, the peeked messages are gone from the DLQ: refresh the list and drop the stale peek.
  const lastStatus = useRef<string | null>(null);
  useEffect(() => {
    const s = task?.status ?? null;
    if (lastStatus.current === "running" && s && s !== "running") {
      setPeek(null);
      setSelectedId(null);
      void qc.invalidateQueries({ queryKey: dlqKeys.list(environmentId) });
    }
    lastStatus.current = s;
  }, [task?.status, qc, environmentId]);

  const peekM = useMutation({
    mutationFn: () => peekLetters(projectId, environmentId, nodeId, max),
    onSuccess: (p) => {
      setPeek(p);
      // The list's oldest age comes from this peek locally: refresh it now rather than at the next poll.
      void qc.invalidateQueries({ queryKey: dlqKeys.list(environmentId) });
      setSelectedId((cur) => (cur && p.messages.some((m) => m.messageId === cur) ? cur : (p.messages[0]?.messageId ?? null)));
    },
  });
  const selected = peek?.messages.find((m) => m.messageId === selectedId) ?? null;

  const refreshList = () => qc.invalidateQueries({ queryKey: dlqKeys.list(environmentId) });
  const deleteM = useMutation({
    mutationFn: (m: DeadLetter) => deleteLetter(projectId, environmentId, nodeId, m.messageId, m.receiptHandle),
    onSuccess: (_v, m) => {
      setPeek((p) => (p ? { ...p, messages: p.messages.filter((x) => x.messageId !== m.messageId) } : p));
      setSelectedId(null);
      setDialog(null);
      void refreshList();
    },
  });
  const purgeM = useMutation({
    mutationFn: () => purgeDlq(projectId, environmentId, nodeId),
    onSuccess: () => {
      setPeek(null);
      setSelectedId(null);
      setDialog(null);
      void refreshList();
    },
  });
  const [destination, setDestination] = useState<string>("");
  const redriveM = useMutation({
    mutationFn: () => startRedrive(projectId, environmentId, nodeId, destination || undefined),
    onSuccess: ({ task: t }) => {
      setTaskId(t.id);
      qc.setQueryData(dlqKeys.task(environmentId, nodeId, t.id), t);
      setDialog(null);
      void refreshList();
    },
  });

  const close = () => {
    setDialog(null);
    deleteM.reset();
    purgeM.reset();
    redriveM.reset();
  };

  if (list.isPending) {
    return (
      <section className={styles.browser} aria-busy="true" aria-label="Dead letters" data-testid="dlq-browser">
        <span className="skeleton" style={{ width: "50%" }} />
      </section>
    );
  }
  if (list.error && !summary) {
    return (
      <section className={styles.browser} aria-label="Dead letters" data-testid="dlq-browser">
        <ErrorNotice error={list.error} title="Could not read the dead-letter queues" onRetry={() => list.refetch()} />
      </section>
    );
  }
  if (!summary) {
    return (
      <section className={styles.browser} aria-label="Dead letters" data-testid="dlq-browser">
        <p className="muted">This queue is not a dead-letter queue in the latest revision.</p>
      </section>
    );
  }

  const running = task?.status === "running";
  const depth = summary.depth;
  const problem = summary.freshness.problem;

  return (
    <section className={styles.browser} aria-label={`Dead letters in ${summary.name}`} data-testid="dlq-browser">
      <div className={styles.stats}>
        <Figure label="Dead letters" value={depth === null ? "–" : String(depth)} tone={depth ? "bad" : "ok"} testId="dlq-depth" />
        <Figure label="In flight" value={summary.inFlight === null ? "–" : String(summary.inFlight)} />
        <Figure
          label="Oldest"
          value={formatAgeShort(summary.oldestAgeSec ?? (depth ? (peek?.oldestAgeSec ?? null) : null))}
          hint={summary.oldestAgeSource === "cloudwatch" ? "CloudWatch ApproximateAgeOfOldestMessage" : summary.oldestAgeSource === "peek" || peek ? "from the oldest SentTimestamp seen by the last peek" : "peek to see it"}
          testId="dlq-oldest"
        />
      </div>
      <p className={styles.sources}>{sourcesLine(summary.sources)}</p>
      {problem && <ErrorNotice compact error={{ code: problem.code, message: problem.message, fix: problem.fix ?? "Check the environment's bindings and credentials." }} />}

      <div className={styles.actions}>
        <div className={styles.peekGroup}>
          <button
            type="button"
            className="btn btn-sm btn-primary"
            onClick={() => peekM.mutate()}
            disabled={peekM.isPending || running || !mayPeek}
            title={mayPeek ? "Receive and release at once: nothing is consumed" : "Editors and admins of this project only (message bodies can hold customer data)"}
          >
            {peekM.isPending ? "Peeking…" : peek ? "Peek again" : "Peek messages"}
          </button>
          <select className="select input-sm" aria-label="How many messages to peek" value={max} onChange={(e) => setMax(Number(e.target.value))}>
            {PEEK_SIZES.map((n) => (
              <option key={n} value={n}>
                up to {n}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.actionGroup}>
          <button type="button" className="btn btn-sm" onClick={() => setDialog("redrive")} disabled={running || !summary.queueUrl || !mayAct} title={adminOnly}>
            Redrive…
          </button>
          <button type="button" className="btn btn-sm btn-danger-outline" onClick={() => setDialog("purge")} disabled={running || !summary.queueUrl || !mayAct} title={adminOnly}>
            Purge…
          </button>
        </div>
      </div>
      <p className={styles.notice} role="note" data-testid="dlq-peek-notice">
        <strong>Peeking does not consume messages</strong>, but it is a receive: each peek raises every shown message&apos;s receive count by one.
        {summary.ownRedrive && (
          <>
            {" "}
            This DLQ itself redrives after {summary.ownRedrive.maxReceiveCount} receives, so peeking a message that often moves it on to {summary.ownRedrive.deadLetterQueueId}.
          </>
        )}
      </p>

      {task && <TaskProgress task={task} onResume={() => redriveM.mutate()} resuming={redriveM.isPending} mayResume={mayAct} />}
      {peekM.error && <ErrorNotice compact error={peekM.error} title="Could not peek" />}
      {redriveM.error && !dialog && <ErrorNotice compact error={redriveM.error} title="Could not redrive" />}

      {peek && (
        <div className={styles.split}>
          <LetterList peek={peek} selectedId={selectedId} onSelect={setSelectedId} />
          {selected ? (
            <LetterDetail letter={selected} onDelete={() => setDialog("delete")} mayDelete={mayAct} />
          ) : (
            <p className="muted">{peek.messages.length ? "Select a message to see it." : "The DLQ is empty (or every message is in flight elsewhere)."}</p>
          )}
        </div>
      )}

      <RedriveDialog
        open={dialog === "redrive"}
        summary={summary}
        projectId={projectId}
        destination={destination}
        onDestination={setDestination}
        error={redriveM.error}
        pending={redriveM.isPending}
        onCancel={close}
        onConfirm={() => redriveM.mutate()}
      />
      <Dialog
        open={dialog === "purge"}
        onClose={close}
        tone="danger"
        title={`Purge ${summary.name}?`}
        description={
          <>
            Deletes {depth === null ? "every message" : `all ${depth} message${depth === 1 ? "" : "s"}`} in this dead-letter queue for good. SQS allows one purge per queue every 60 seconds. The purge is written to the audit log.
          </>
        }
      >
        <ConfirmActions error={purgeM.error} pending={purgeM.isPending} label="Purge" pendingLabel="Purging…" onCancel={close} onConfirm={() => purgeM.mutate()} />
      </Dialog>
      <Dialog
        open={dialog === "delete" && !!selected}
        onClose={close}
        tone="danger"
        title="Delete this message?"
        description={
          <>
            Deletes message <code>{selected?.messageId}</code> from {summary.name} for good. The deletion is written to the audit log.
          </>
        }
      >
        <ConfirmActions error={deleteM.error} pending={deleteM.isPending} label="Delete" pendingLabel="Deleting…" onCancel={close} onConfirm={() => selected && deleteM.mutate(selected)} />
      </Dialog>
    </section>
  );
}

function Figure({ label, value, tone, hint, testId }: { label: string; value: string; tone?: "ok" | "bad"; hint?: string; testId?: string }) {
  return (
    <div className={styles.figure} title={hint}>
      <span className={styles.figureLabel}>{label}</span>
      <span className={`${styles.figureValue} ${tone ? styles[tone] : ""}`} data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

function TaskProgress({ task, onResume, resuming, mayResume }: { task: MoveTask; onResume: () => void; resuming: boolean; mayResume: boolean }) {
  const pct = progressPercent(task);
  const labelId = useId();
  const tone = task.status === "failed" ? styles.barFailed : task.status === "interrupted" ? styles.barWarn : task.status === "completed" ? styles.barDone : "";
  return (
    <div className={styles.task} data-testid="dlq-redrive" data-status={task.status}>
      <p id={labelId} className={styles.taskLine}>
        {taskLine(task)}
      </p>
      <div
        className={styles.bar}
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={task.total || undefined}
        aria-valuenow={task.total ? task.moved : undefined}
      >
        <div className={`${styles.barFill} ${tone}`} style={{ width: `${pct ?? (task.status === "running" ? 8 : 0)}%` }} />
      </div>
      <p className={styles.taskMeta}>
        Started by {task.startedBy} · {task.mode === "message-move-task" ? "SQS StartMessageMoveTask" : "copy then delete, at least once: a move interrupted between the two can copy a message twice, never lose one"}
      </p>
      {task.status === "interrupted" && (
        <button type="button" className="btn btn-sm" onClick={onResume} disabled={resuming || !mayResume}>
          {resuming ? "Resuming…" : "Resume redrive"}
        </button>
      )}
    </div>
  );
}

function LetterList({ peek, selectedId, onSelect }: { peek: DlqPeek; selectedId: string | null; onSelect: (id: string) => void }) {
  return (
    <div className={styles.listWrap}>
      <p className={styles.listHead}>
        {peek.messages.length} message{peek.messages.length === 1 ? "" : "s"} peeked at {shortTime(peek.readAt)}
        {peek.partial && peek.depth !== null ? ` (of about ${peek.depth})` : ""}
      </p>
      <ul className={styles.list} aria-label="Peeked messages" data-testid="dlq-messages">
        {peek.messages.map((m) => (
          <li key={m.messageId}>
            <button type="button" className={styles.row} aria-pressed={m.messageId === selectedId} onClick={() => onSelect(m.messageId)} data-testid="dlq-message">
              <span className={styles.rowTop}>
                <span className={styles.time}>{shortTime(m.sentAt)}</span>
                <span className={styles.count} title="ApproximateReceiveCount: receives across all queues, peeks included">
                  received {m.receiveCount}×
                </span>
              </span>
              <span className={m.failure ? styles.rowError : styles.rowBody}>{letterSummary(m)}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function LetterDetail({ letter, onDelete, mayDelete }: { letter: DeadLetter; onDelete: () => void; mayDelete: boolean }) {
  const body = useMemo(() => formatBody(letter), [letter]);
  const f = letter.failure;
  return (
    <article className={styles.detail} aria-label={`Message ${letter.messageId}`} data-testid="dlq-detail">
      <header className={styles.detailHead}>
        <div className={styles.detailId}>
          <span className={styles.figureLabel}>Message</span>
          <code title={letter.messageId}>{letter.messageId}</code>
        </div>
        <button type="button" className="btn btn-sm btn-danger-outline" onClick={onDelete} disabled={!mayDelete} title={mayDelete ? undefined : "Admins of this project only (the action is audited)"}>
          <TrashIcon size={13} /> Delete…
        </button>
      </header>
      <dl className={styles.kv}>
        <dt>Sent</dt>
        <dd>{letter.sentAt ? new Date(letter.sentAt).toLocaleString("en-GB") : "–"}</dd>
        <dt>Receive count</dt>
        <dd>{letter.receiveCount}</dd>
        {letter.messageGroupId && (
          <>
            <dt>Message group</dt>
            <dd>{letter.messageGroupId}</dd>
          </>
        )}
      </dl>
      {f && (
        <section className={styles.failure} aria-label="Lambda failure record" data-testid="dlq-failure">
          <h3>Why it failed</h3>
          {f.source && <p className={styles.failureKind}>{FAILURE_SOURCE[f.source]}</p>}
          <dl className={styles.kv}>
            <dt>Condition</dt>
            <dd>{f.condition}</dd>
            {f.functionArn && (
              <>
                <dt>Function</dt>
                <dd className={styles.wrap}>{f.functionArn}</dd>
              </>
            )}
            {f.errorType && (
              <>
                <dt>Error type</dt>
                <dd>{f.errorType}</dd>
              </>
            )}
            {f.errorMessage && (
              <>
                <dt>Error</dt>
                <dd className={styles.wrap}>{f.errorMessage}</dd>
              </>
            )}
            {f.requestId && (
              <>
                <dt>Request id</dt>
                <dd className={styles.wrap}>{f.requestId}</dd>
              </>
            )}
            {typeof f.approximateInvokeCount === "number" && (
              <>
                <dt>Invocations</dt>
                <dd>{f.approximateInvokeCount}</dd>
              </>
            )}
          </dl>
          {f.batchInfo && (
            <>
              <p className={styles.failureKind}>{f.batchInfo.kind}</p>
              <dl className={styles.kv}>
                {Object.entries(f.batchInfo.fields).map(([k, v]) => (
                  <FragmentKV key={k} k={k} v={typeof v === "string" ? v : JSON.stringify(v)} />
                ))}
              </dl>
            </>
          )}
        </section>
      )}
      <section aria-label="Body">
        <div className={styles.bodyHead}>
          <h3 className={styles.h3}>Body {letter.json !== undefined ? <span className={styles.tag}>JSON</span> : null}</h3>
          <CopyButton text={letter.body} />
        </div>
        <pre className={styles.body} data-testid="dlq-body">
          {body}
        </pre>
      </section>
      <Attributes title="Message attributes" values={letter.messageAttributes} />
      <Attributes title="System attributes" values={letter.attributes} />
    </article>
  );
}

/** Copies the body as received (not the pretty-printed form), for replaying it elsewhere. */
function CopyButton({ text }: { text: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 1_500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm"
      onClick={() => navigator.clipboard?.writeText(text).then(() => setState("copied"), () => setState("failed")) ?? setState("failed")}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy body"}
    </button>
  );
}

function FragmentKV({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd className={styles.wrap}>{v}</dd>
    </>
  );
}

function Attributes({ title, values }: { title: string; values: Record<string, string> }) {
  const entries = Object.entries(values);
  if (!entries.length) return null;
  return (
    <section aria-label={title}>
      <h3 className={styles.h3}>{title}</h3>
      <dl className={styles.kv}>
        {entries.map(([k, v]) => (
          <FragmentKV key={k} k={k} v={k.endsWith("Timestamp") && /^\d{12,}$/.test(v) ? `${v} (${new Date(Number(v)).toISOString()})` : v} />
        ))}
      </dl>
    </section>
  );
}

function RedriveDialog({
  open,
  summary,
  projectId,
  destination,
  onDestination,
  error,
  pending,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  summary: DlqSummary;
  projectId: string;
  destination: string;
  onDestination: (id: string) => void;
  error: unknown;
  pending: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const revision = useQuery({ ...revisionQuery(projectId, "latest"), enabled: open });
  const queues = (revision.data?.document.nodes ?? []).filter((n) => n.kind === "queue" && n.id !== summary.nodeId && n.fifo === summary.fifo);
  const def = summary.defaultDestinationNodeId;
  const defName = queues.find((q) => q.id === def)?.name ?? def;
  const selectId = useId();
  useEffect(() => {
    if (open && !def && !destination && queues[0]) onDestination(queues[0].id);
  }, [open, def, destination, queues, onDestination]);
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      title={`Redrive ${summary.name}`}
      description={
        <>
          Moves {summary.depth === null ? "the messages" : `the ${summary.depth} message${summary.depth === 1 ? "" : "s"}`} of this dead-letter queue back into processing. Where SQS supports it this is a
          message move task; otherwise each batch is copied to the destination and then deleted here, so an interruption can copy a message twice but never lose one. The redrive is written to the audit log.
        </>
      }
    >
      <div className="field">
        <label className="field-label" htmlFor={selectId}>
          Destination
        </label>
        <select id={selectId} className="select" value={destination} onChange={(e) => onDestination(e.target.value)}>
          {def && <option value="">{defName} (the source queue)</option>}
          {queues
            .filter((q) => q.id !== def)
            .map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
        </select>
        {!def && <span className="field-hint">Several nodes (or a function) feed this DLQ: choose the queue to send its messages to.</span>}
      </div>
      <ConfirmActions error={error} pending={pending} label="Redrive" pendingLabel="Starting…" onCancel={onCancel} onConfirm={onConfirm} />
    </Dialog>
  );
}
