"use client";

/**
 * The local sandbox on the Observe tab: "Run locally" / "Stop", its status (running since, revision, endpoints),
 * live counts (per function, queue and trigger) and the traffic generator.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SandboxStatus, TrafficRun } from "@/server/sandbox/manager";
import type { SandboxSummary } from "@/server/sandbox/sandbox";
import { apiFetch } from "../api";
import { projectKeys, revisionQuery } from "../queries";
import { ErrorNotice } from "../ui/ErrorNotice";
import { ServerIcon } from "../ui/icons";
import { TrafficForm } from "./TrafficForm";
import styles from "./SandboxControls.module.css";

export type SandboxState = SandboxStatus & { summary: SandboxSummary | null };

const enc = encodeURIComponent;
export const sandboxKey = (projectId: string) => [...projectKeys.detail(projectId), "sandbox"] as const;

/** The sandbox's status; polled every 1.5 s while it runs (counts and traffic progress move). */
export const sandboxQuery = (projectId: string) =>
  queryOptions({
    queryKey: sandboxKey(projectId),
    queryFn: ({ signal }) => apiFetch<{ sandbox: SandboxState }>(`/api/projects/${enc(projectId)}/sandbox`, { signal }).then((r) => r.sandbox),
    refetchInterval: (q) => (q.state.data?.running || q.state.data?.starting ? 1_500 : false),
  });

export function SandboxControls({ projectId }: { projectId: string }) {
  const qc = useQueryClient();
  const status = useQuery(sandboxQuery(projectId));
  const latest = useQuery(revisionQuery(projectId, "latest"));
  const start = useMutation({
    mutationFn: () => apiFetch<{ sandbox: SandboxState }>(`/api/projects/${enc(projectId)}/sandbox`, { method: "POST" }).then((r) => r.sandbox),
    onSuccess: (s) => {
      qc.setQueryData(sandboxKey(projectId), { ...s, summary: null });
      return qc.invalidateQueries({ queryKey: projectKeys.environments(projectId) }).then(() => qc.invalidateQueries({ queryKey: sandboxKey(projectId) }));
    },
  });
  const stop = useMutation({
    mutationFn: () => apiFetch<void>(`/api/projects/${enc(projectId)}/sandbox`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: sandboxKey(projectId) }),
  });

  const s = status.data;
  const running = !!s?.running;
  const busy = start.isPending || stop.isPending || !!s?.starting;
  const latestNumber = latest.data?.number;
  const stale = running && latestNumber !== undefined && s?.meta && s.meta.revision !== latestNumber;

  return (
    <section className={`card ${styles.root}`} aria-labelledby="sandbox-title" data-testid="sandbox-controls">
      <div className="card-header">
        <div className={styles.headText}>
          <h2 id="sandbox-title" className={styles.title}>
            <ServerIcon size={16} /> Local sandbox
            <span className={running ? styles.badgeOn : styles.badgeOff} data-testid="sandbox-state">
              {start.isPending || s?.starting ? "Starting…" : stop.isPending ? "Stopping…" : running ? "Running" : "Stopped"}
            </span>
          </h2>
          <p>Runs this design on this machine: queues, streams, logs and functions speaking AWS protocols on loopback.</p>
        </div>
        <div className="btn-row">
          {stale && (
            <button type="button" className="btn btn-sm" disabled={busy} onClick={() => start.mutate()}>
              Restart on revision {latestNumber}
            </button>
          )}
          {running ? (
            <button type="button" className="btn btn-danger-outline" disabled={busy} onClick={() => stop.mutate()}>
              Stop
            </button>
          ) : (
            <button type="button" className="btn btn-primary" disabled={busy || status.isPending} onClick={() => start.mutate()}>
              {start.isPending ? "Starting…" : "Run locally"}
            </button>
          )}
        </div>
      </div>

      {start.error && (
        <div className={styles.pad}>
          <ErrorNotice error={start.error} title="The sandbox did not start" />
        </div>
      )}
      {stop.error && (
        <div className={styles.pad}>
          <ErrorNotice error={stop.error} title="Could not stop the sandbox" />
        </div>
      )}
      {status.error && (
        <div className={styles.pad}>
          <ErrorNotice error={status.error} title="Sandbox status unavailable" />
        </div>
      )}

      {running && s?.meta && (
        <div className={styles.body}>
          <dl className={styles.facts}>
            <div>
              <dt>Running since</dt>
              <dd data-testid="sandbox-since">
                <time dateTime={s.meta.startedAt}>{new Date(s.meta.startedAt).toLocaleTimeString()}</time>
              </dd>
            </div>
            <div>
              <dt>Revision</dt>
              <dd data-testid="sandbox-revision">
                {s.meta.revision}
                {stale && <span className={styles.warn}> (revision {latestNumber} is newer)</span>}
              </dd>
            </div>
            {(["sqs", "kinesis", "logs", "http"] as const).map((k) => (
              <div key={k}>
                <dt>{ENDPOINT_LABELS[k]}</dt>
                <dd className={styles.mono}>{s.meta!.endpoints[k]}</dd>
              </div>
            ))}
          </dl>
          {s.summary && <Counts summary={s.summary} />}
          <TrafficForm projectId={projectId} topology={latest.data?.document} runs={s.traffic} />
        </div>
      )}
      {!running && !busy && !start.error && (
        <p className={`muted ${styles.pad}`}>
          Stopped. <strong>Run locally</strong> starts the latest revision; the Observe views then read it like an AWS account.
        </p>
      )}
    </section>
  );
}

const ENDPOINT_LABELS = { sqs: "SQS", kinesis: "Kinesis", logs: "CloudWatch Logs", http: "HTTP routes" } as const;

function Counts({ summary }: { summary: SandboxSummary }) {
  const fns = Object.entries(summary.functions);
  const queues = Object.entries(summary.queues);
  const triggers = Object.entries(summary.triggers).filter(([, t]) => t.driven);
  return (
    <div className={styles.counts}>
      {fns.length > 0 && (
        <table className={styles.table} aria-label="Functions">
          <thead>
            <tr>
              <th scope="col">Function</th>
              <th scope="col">Invocations</th>
              <th scope="col">Cold starts</th>
              <th scope="col">Errors</th>
              <th scope="col">Throttles</th>
              <th scope="col">Timeouts</th>
            </tr>
          </thead>
          <tbody>
            {fns.map(([id, f]) => (
              <tr key={id} data-testid={`sandbox-fn-${id}`}>
                <th scope="row">{f.name}</th>
                <td data-testid="invocations">{f.invocations}</td>
                <td>{f.coldStarts}</td>
                <td className={f.errors ? styles.bad : undefined}>{f.errors}</td>
                <td className={f.throttles ? styles.warn : undefined}>{f.throttles}</td>
                <td className={f.timeouts ? styles.bad : undefined}>{f.timeouts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className={styles.side}>
        {queues.length > 0 && (
          <table className={styles.table} aria-label="Queues">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col">Depth</th>
                <th scope="col">In flight</th>
              </tr>
            </thead>
            <tbody>
              {queues.map(([id, q]) => (
                <tr key={id} data-testid={`sandbox-queue-${id}`}>
                  <th scope="row">
                    {q.name}
                    {q.isDeadLetterQueue && <span className={styles.dlq}>DLQ</span>}
                  </th>
                  <td className={q.isDeadLetterQueue && q.depth ? styles.bad : undefined} data-testid="depth">
                    {q.depth}
                  </td>
                  <td>{q.inFlight}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {(Object.keys(summary.tables ?? {}).length > 0 || Object.keys(summary.buckets ?? {}).length > 0) && (
          <table className={styles.table} aria-label="Data stores">
            <thead>
              <tr>
                <th scope="col">Table or bucket</th>
                <th scope="col">Items</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(summary.tables ?? {}).map(([id, t]) => (
                <tr key={id} data-testid={`sandbox-table-${id}`}>
                  <th scope="row">{t.name}</th>
                  <td>{t.items}</td>
                </tr>
              ))}
              {Object.entries(summary.buckets ?? {}).map(([id, b]) => (
                <tr key={id} data-testid={`sandbox-bucket-${id}`}>
                  <th scope="row">{b.name}</th>
                  <td>{b.objects}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {triggers.length > 0 && (
          <table className={styles.table} aria-label="Triggers">
            <thead>
              <tr>
                <th scope="col">Trigger</th>
                <th scope="col">Lag</th>
              </tr>
            </thead>
            <tbody>
              {triggers.map(([id, t]) => (
                <tr key={id}>
                  <th scope="row" className={styles.mono}>
                    {t.source} → {t.target}
                  </th>
                  <td>
                    {t.lag} {t.lagUnit === "ms" ? "ms" : t.lag === 1 ? "message" : "messages"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

export type { TrafficRun };
