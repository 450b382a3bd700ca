"use client";
/**
 * The Observe tab: pick an environment (`local` first) and a time window, see the environment's
 * health, and the Design tab's topology alive: figures on every function, queue and trigger,
 * refreshed by polling (paused while the tab is hidden). A click opens the element's panel:
 * a function's charts and latest invocations, a trigger's lag per shard or partition, a
 * dead-letter queue's browser. For the local environment, the sandbox's controls sit on top.
 *
 * Empty and error states say what to do: no environment (Settings), the sandbox not running
 * (start it), an AWS environment that cannot be read (the message and its fix).
 */
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import { ObserveCanvas, type ObserveSelection } from "@/components/observe/ObserveCanvas";
import { FunctionPanel } from "@/components/observe/FunctionPanel";
import { QueuePanel } from "@/components/observe/QueuePanel";
import { TriggerPanel } from "@/components/observe/TriggerPanel";
import { FreshnessLine } from "@/components/observe/Freshness";
import { SandboxControls, sandboxKey, sandboxQuery } from "@/components/observe/SandboxControls";
import { healthTone, orderEnvironments, snapshotProblems, snapshotTotals, ago, formatCount, formatRate } from "@/components/observe/present";
import { observeKeys, pollSeconds, snapshotQuery, type Snapshot, type WindowChoice } from "@/components/observe/queries";
import { useNow } from "@/components/observe/use-now";
import obs from "@/components/observe/observe.module.css";
import { deadLetterQueueIds } from "@/server/model/graph";
import type { Topology } from "@/server/model/schema";
import { apiFetch, isApiError } from "../api";
import { environmentsQuery, projectKeys, revisionQuery, type EnvironmentRecord } from "../queries";
import { ErrorNotice } from "../ui/ErrorNotice";
import { CloudIcon, PlusIcon, ServerIcon } from "../ui/icons";

const WINDOWS: { kind: WindowChoice["kind"]; label: string; long: string }[] = [
  { kind: "5m", label: "5 min", long: "the last 5 minutes" },
  { kind: "1h", label: "1 h", long: "the last hour" },
  { kind: "24h", label: "24 h", long: "the last 24 hours" },
  { kind: "custom", label: "Custom", long: "a custom range" },
];

/** The health summary lists this many reasons, the rest behind "N more". */
const REASONS_SHOWN = 3;

/** Codes that mean "the sandbox is not running" (the observe routes answer TOPO-E120 then). */
const NOT_RUNNING = "TOPO-E120";

export function ObserveView({ projectId, initialEnv, initialWindow }: { projectId: string; initialEnv?: string; initialWindow?: string }) {
  const environments = useQuery(environmentsQuery(projectId));
  const latest = useQuery({ ...revisionQuery(projectId, "latest"), refetchOnWindowFocus: false });
  const envs = useMemo(() => orderEnvironments(environments.data ?? []), [environments.data]);
  const [envId, setEnvId] = useUrlState("env", initialEnv ?? "");
  const env = envs.find((e) => e.id === envId) ?? envs[0];
  const [win, setWin] = useWindowState(initialWindow);
  const [selected, setSelected] = useState<ObserveSelection>(null);
  const settingsHref = `/projects/${encodeURIComponent(projectId)}/settings#environments`;

  if (environments.error) return <Frame><ErrorNotice error={environments.error} title="Could not load the environments" onRetry={() => environments.refetch()} /></Frame>;
  if (latest.error) return <Frame><ErrorNotice error={latest.error} title="Could not load the topology" onRetry={() => latest.refetch()} /></Frame>;
  if (environments.isPending || latest.isPending)
    return (
      <Frame>
        <span className="skeleton" style={{ width: 320 }} aria-busy="true" />
      </Frame>
    );

  if (!env)
    return (
      <Frame>
        <NoEnvironment projectId={projectId} settingsHref={settingsHref} />
      </Frame>
    );

  return (
    <Frame>
      <div className={obs.bar} role="toolbar" aria-label="Observe settings">
        <div className={obs.barGroup}>
          <label className={obs.label} htmlFor="observe-env">
            Environment
          </label>
          <select
            id="observe-env"
            className="select"
            value={env.id}
            onChange={(e) => {
              setEnvId(e.target.value);
              setSelected(null);
            }}
          >
            {envs.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name} ({e.kind === "aws" ? `AWS ${e.region ?? ""}`.trim() : "local sandbox"})
              </option>
            ))}
          </select>
          <Link className="btn btn-ghost btn-sm" href={settingsHref}>
            Manage
          </Link>
        </div>
        <WindowSelector value={win} onChange={setWin} />
        {env.kind === "local" && (
          <a className={`btn btn-sm ${obs.barEnd}`} href="#observe-sandbox" onClick={(e) => {
              e.preventDefault();
              document.getElementById("observe-sandbox")?.scrollIntoView({ behavior: "smooth", block: "start" });
              document.getElementById("observe-sandbox")?.querySelector<HTMLElement>("button, select, input")?.focus({ preventScroll: true });
            }}>
            <ServerIcon size={14} /> Sandbox and traffic
          </a>
        )}
      </div>
      <EnvironmentBody key={env.id} projectId={projectId} env={env} topology={latest.data.document} revision={latest.data.number} win={win} selected={selected} onSelect={setSelected} settingsHref={settingsHref} />
    </Frame>
  );
}

function Frame({ children }: { children: React.ReactNode }) {
  return <div className={`container ${obs.view}`}>{children}</div>;
}

function EnvironmentBody({
  projectId,
  env,
  topology,
  revision,
  win,
  selected,
  onSelect,
  settingsHref,
}: {
  projectId: string;
  env: EnvironmentRecord;
  topology: Topology;
  revision: number;
  win: WindowChoice;
  selected: ObserveSelection;
  onSelect: (s: ObserveSelection) => void;
  settingsHref: string;
}) {
  const local = env.kind === "local";
  const sandbox = useQuery({ ...sandboxQuery(projectId), enabled: local });
  const sandboxStopped = local && !!sandbox.data && !sandbox.data.running && !sandbox.data.starting;
  // No polling against a sandbox that is not running: the status query says when it starts.
  const snapshot = useQuery({ ...snapshotQuery(projectId, env.id, win), enabled: !sandboxStopped && !(local && sandbox.isPending) });
  const notRunning = sandboxStopped || (isApiError(snapshot.error) && snapshot.error.code === NOT_RUNNING && !snapshot.data);
  const data = notRunning ? undefined : snapshot.data;

  const range = useMemo<[number, number] | undefined>(() => (data ? [Date.parse(data.window.from), Date.parse(data.window.to)] : undefined), [data]);
  const dlqs = useMemo(() => deadLetterQueueIds(topology), [topology]);
  const nameOf = (id: string) => topology.nodes.find((n) => n.id === id)?.name ?? id;
  const edgeTitle = (id: string) => {
    const e = topology.edges.find((x) => x.id === id);
    return e ? `${nameOf(e.source)} → ${nameOf(e.target)}` : id;
  };
  const close = useCallback(() => onSelect(null), [onSelect]);

  const stageRef = useRef<HTMLDivElement>(null);
  useFillViewport(stageRef);

  return (
    <>
      {notRunning ? null : <HealthSummary env={env} snapshot={data} error={snapshot.error} win={win} fetching={snapshot.isFetching} latestRevision={revision} />}
      <div className={obs.stage} ref={stageRef}>
        {notRunning ? (
          <NotRunning projectId={projectId} />
        ) : !data && snapshot.error ? (
          <EnvironmentProblem env={env} error={snapshot.error} settingsHref={settingsHref} onRetry={() => snapshot.refetch()} />
        ) : (
          <>
            <div className={obs.stageCanvas}>
              <ObserveCanvas topology={topology} revision={revision} snapshot={data} selected={selected} onSelect={onSelect} />
            </div>
            {selected?.kind === "function" && (
              <FunctionPanel key={selected.id} projectId={projectId} envId={env.id} nodeId={selected.id} name={nameOf(selected.id)} window={win} range={range} onClose={close} />
            )}
            {selected?.kind === "trigger" && <TriggerPanel key={selected.id} projectId={projectId} envId={env.id} edgeId={selected.id} title={edgeTitle(selected.id)} window={win} range={range} onClose={close} />}
            {selected?.kind === "queue" && (
              <QueuePanel key={selected.id} projectId={projectId} envId={env.id} nodeId={selected.id} name={nameOf(selected.id)} stats={data?.queues[selected.id]} isDeadLetterQueue={dlqs.has(selected.id) || !!data?.queues[selected.id]?.isDeadLetterQueue} onClose={close} />
            )}
          </>
        )}
      </div>
      {/* Below the live view, so the canvas is what the tab opens on; the toolbar links here. */}
      {local && (
        <div id="observe-sandbox" className={obs.sandbox}>
          <SandboxControls projectId={projectId} />
        </div>
      )}
    </>
  );
}

/** The environment's verdict, its reasons, totals over the window, and how fresh it all is. */
function HealthSummary({ env, snapshot, error, win, fetching, latestRevision }: { env: EnvironmentRecord; snapshot: Snapshot | undefined; error: unknown; win: WindowChoice; fetching: boolean; latestRevision: number }) {
  const now = useNow();
  const poll = pollSeconds(win);
  if (!snapshot)
    return (
      <section className={obs.health} aria-label="Environment health" aria-busy="true" data-testid="observe-health">
        <span className="muted">Reading {env.name}…</span>
      </section>
    );
  const tone = healthTone(snapshot.health.status);
  const totals = snapshotTotals(snapshot);
  const problems = snapshotProblems(snapshot);
  return (
    <section className={obs.health} aria-label="Environment health" data-testid="observe-health" data-status={snapshot.health.status}>
      <span className={`${obs.healthStatus} ${obs[`tone_${tone}`]}`} data-testid="health-status">
        <span className={obs.dot} aria-hidden="true" />
        {snapshot.health.status}
      </span>
      <ul className={obs.totals} aria-label="Totals over the window">
        <li>
          <b data-testid="total-invocations">{formatCount(totals.invocations)}</b> invocations ({formatRate(totals.perMin)})
        </li>
        <li>
          <b className={totals.errors ? obs.tone_bad : undefined}>{formatCount(totals.errors)}</b> errors
        </li>
        <li>
          <b>{formatCount(totals.coldStarts)}</b> cold starts
        </li>
        <li>
          <b className={totals.deadLetters ? obs.tone_bad : undefined} data-testid="total-dead-letters">
            {formatCount(totals.deadLetters)}
          </b>{" "}
          dead letters
        </li>
      </ul>
      <span className={`${obs.freshness} ${obs.barEnd} muted`} data-testid="observe-freshness">
        {now ? `read ${ago(snapshot.readAt, now)}` : null}
        {poll ? ` · every ${poll} s` : " · not refreshed (a past range)"}
        {fetching ? " · reading…" : ""}
        {" · paused while this tab is hidden"}
      </span>
      {(snapshot.health.reasons.length > 0 || problems.length > 0 || error != null || snapshot.revision !== latestRevision) && (
        <ul className={obs.reasons} aria-label="Reasons">
          {error != null && (
            <li className={obs.tone_bad} role="alert">
              The last read failed ({isApiError(error) ? `${error.code}: ${error.message}` : "network"}); showing what was read {now ? ago(snapshot.readAt, now) : "before"}.
            </li>
          )}
          {problems.map((p) => (
            <li key={`${p.kind}${p.text}`}>
              <code className="error-code">{p.code}</code>
              <span>
                {p.text} <span className="subtle">({p.where.length === 1 ? p.where[0] : `${p.where.length} elements`})</span>
                {p.fix && <span className={obs.fix}> {p.fix}</span>}
              </span>
            </li>
          ))}
          {snapshot.health.reasons.slice(0, REASONS_SHOWN).map((r) => (
            <li key={r}>{r}</li>
          ))}
          {snapshot.health.reasons.length > REASONS_SHOWN && (
            <li>
              <details>
                <summary className="muted">
                  {snapshot.health.reasons.length - REASONS_SHOWN} more reason{snapshot.health.reasons.length - REASONS_SHOWN === 1 ? "" : "s"}
                </summary>
                <ul className={obs.reasons}>
                  {snapshot.health.reasons.slice(REASONS_SHOWN).map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </details>
            </li>
          )}
          {snapshot.revision !== latestRevision && (
            <li className={obs.revisionNote}>
              The environment runs revision {snapshot.revision}; the canvas shows the latest, revision {latestRevision}. Elements added since have no figures yet.
            </li>
          )}
        </ul>
      )}
    </section>
  );
}

function NotRunning({ projectId }: { projectId: string }) {
  const qc = useQueryClient();
  const start = useMutation({
    mutationFn: () => apiFetch(`/api/projects/${encodeURIComponent(projectId)}/sandbox`, { method: "POST" }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: sandboxKey(projectId) }), qc.invalidateQueries({ queryKey: projectKeys.environments(projectId) }), qc.invalidateQueries({ queryKey: observeKeys.all })]),
  });
  return (
    <div className={`${obs.state} empty`} style={{ flex: 1 }} data-testid="observe-not-running">
      <span className="empty-icon">
        <ServerIcon size={20} />
      </span>
      <h3>The local sandbox is not running</h3>
      <p>
        Start it to run this design on this machine: its functions, queues, streams and logs answer on loopback with AWS&apos;s protocols, and this tab reads them
        like an AWS account. Then send traffic from the sandbox controls.
      </p>
      <div className="btn-row">
        <button type="button" className="btn btn-primary" disabled={start.isPending} onClick={() => start.mutate()}>
          {start.isPending ? "Starting the sandbox…" : "Start the sandbox"}
        </button>
      </div>
      {start.error && <ErrorNotice error={start.error} title="The sandbox did not start" compact />}
      <p className={obs.stateHint}>
        Or from a terminal: <code>npx topo sandbox</code>
      </p>
    </div>
  );
}

/** An environment that cannot be read at all: the error as sent, with its fix, and where to change it. */
function EnvironmentProblem({ env, error, settingsHref, onRetry }: { env: EnvironmentRecord; error: unknown; settingsHref: string; onRetry: () => void }) {
  return (
    <div className={`${obs.state} empty`} style={{ flex: 1, alignItems: "stretch", textAlign: "left" }} data-testid="observe-problem">
      <div style={{ display: "flex", gap: 10, alignItems: "center" }}>
        <span className="empty-icon">{env.kind === "aws" ? <CloudIcon size={20} /> : <ServerIcon size={20} />}</span>
        <div>
          <h3>{env.name} cannot be read</h3>
          <p className="muted">
            {env.kind === "aws" ? [env.region, env.stackName && `stack ${env.stackName}`, env.credentialsRef && `credentials ${env.credentialsRef}`].filter(Boolean).join(" · ") : "local sandbox"}
          </p>
        </div>
      </div>
      <ErrorNotice error={error} onRetry={onRetry} />
      <div className="btn-row">
        <Link className="btn" href={settingsHref}>
          Check the environment in Settings
        </Link>
      </div>
    </div>
  );
}

function NoEnvironment({ projectId, settingsHref }: { projectId: string; settingsHref: string }) {
  return (
    <div className={`${obs.state} empty`} data-testid="observe-no-environment">
      <span className="empty-icon">
        <CloudIcon size={20} />
      </span>
      <h3>No environment to observe yet</h3>
      <p>
        An environment is where this topology runs: the local sandbox on this machine, or an AWS account and region with a deployed stack. Add one in Settings, or start the
        local sandbox, which creates the <code>local</code> environment.
      </p>
      <div className="btn-row">
        <Link className="btn btn-primary" href={settingsHref}>
          <PlusIcon size={14} /> Add an environment
        </Link>
      </div>
      <div style={{ width: "min(720px, 100%)", textAlign: "left" }}>
        <SandboxControls projectId={projectId} />
      </div>
    </div>
  );
}

/** The window selector: presets as a segmented control, and a from/to pair for a custom range. */
function WindowSelector({ value, onChange }: { value: WindowChoice; onChange: (w: WindowChoice) => void }) {
  const [custom, setCustom] = useState(() => {
    const to = new Date();
    const from = new Date(to.getTime() - 30 * 60_000);
    return { from: toLocalInput(from), to: toLocalInput(to) };
  });
  const [error, setError] = useState<string | null>(null);
  const apply = () => {
    const from = new Date(custom.from);
    const to = new Date(custom.to);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return setError("give both times");
    if (from >= to) return setError("from must be before to");
    if (to.getTime() - from.getTime() > 14 * 86_400_000) return setError("at most 14 days");
    setError(null);
    onChange({ kind: "custom", from: from.toISOString(), to: to.toISOString() });
  };
  return (
    <div className={obs.barGroup}>
      <fieldset className="segmented" aria-label="Time window">
        {WINDOWS.map((w) => (
          <label key={w.kind} className="segmented-option" title={w.long}>
            <input
              type="radio"
              name="observe-window"
              value={w.kind}
              checked={value.kind === w.kind}
              onChange={() => {
                if (w.kind === "custom") apply();
                else onChange({ kind: w.kind });
              }}
            />
            {w.label}
          </label>
        ))}
      </fieldset>
      {value.kind === "custom" && (
        <form
          className={obs.customRange}
          onSubmit={(e) => {
            e.preventDefault();
            apply();
          }}
        >
          <label className={obs.label}>
            From <input className="input" type="datetime-local" value={custom.from} onChange={(e) => setCustom((c) => ({ ...c, from: e.target.value }))} />
          </label>
          <label className={obs.label}>
            To <input className="input" type="datetime-local" value={custom.to} onChange={(e) => setCustom((c) => ({ ...c, to: e.target.value }))} />
          </label>
          <button type="submit" className="btn btn-sm">
            Apply
          </button>
          {error && (
            <span className="field-error" role="alert">
              {error}
            </span>
          )}
        </form>
      )}
    </div>
  );
}

function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A value kept in the address bar's query string (so a link or a reload keeps the view), without navigating; the page reads it on the server. */
function useUrlState(name: string, initial: string): [string, (v: string) => void] {
  const [value, setValue] = useState(initial);
  const set = useCallback(
    (v: string) => {
      setValue(v);
      const url = new URL(window.location.href);
      url.searchParams.set(name, v);
      window.history.replaceState(window.history.state, "", url);
    },
    [name],
  );
  return [value, set];
}

function useWindowState(initial: string | undefined): [WindowChoice, (w: WindowChoice) => void] {
  // A custom range's times are not in the address: a reload of one opens the last 5 minutes.
  const [raw, setRaw] = useUrlState("window", initial === "1h" || initial === "24h" ? initial : "5m");
  const [custom, setCustom] = useState<WindowChoice | null>(null);
  const value: WindowChoice = raw === "custom" && custom ? custom : raw === "1h" || raw === "24h" ? { kind: raw } : { kind: "5m" };
  const set = useCallback(
    (w: WindowChoice) => {
      if (w.kind === "custom") setCustom(w);
      setRaw(w.kind);
    },
    [setRaw],
  );
  return [value, set];
}

/** The stage takes the height left in the window below it (at least 520 px), like the Design tab's editor. */
function useFillViewport(ref: RefObject<HTMLDivElement | null>) {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      el.style.height = `max(520px, calc(100dvh - ${Math.round(top) + 12}px))`;
    };
    fit();
    const ro = new ResizeObserver(fit);
    if (el.parentElement) ro.observe(el.parentElement);
    window.addEventListener("resize", fit);
    return () => {
      ro.disconnect();
      window.removeEventListener("resize", fit);
    };
  }, [ref]);
}
