"use client";
/**
 * A function's panel: its figures over the window (invocations and errors, duration percentiles,
 * cold starts with init duration, memory used against the configured size), CloudWatch metrics
 * where the source has them, and the latest invocations with their REPORT fields.
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { FunctionDetail, Invocation } from "@/server/observe/types";
import { ErrorNotice } from "../ui/ErrorNotice";
import { COLORS, TimeChart } from "./charts";
import { FreshnessLine } from "./Freshness";
import { PanelFrame } from "./PanelFrame";
import { formatCount, formatMs, formatPct, formatRate } from "./present";
import { functionPoints, lastValue } from "./series";
import { functionDetailQuery, type WindowChoice } from "./queries";
import styles from "./observe.module.css";

export function FunctionPanel({
  projectId,
  envId,
  nodeId,
  name,
  window: w,
  range,
  onClose,
}: {
  projectId: string;
  envId: string;
  nodeId: string;
  name: string;
  window: WindowChoice;
  /** The window's [from, to] (epoch ms) as the server read it: the charts' time axis. */
  range?: [number, number];
  onClose: () => void;
}) {
  const q = useQuery(functionDetailQuery(projectId, envId, nodeId, w));
  const d = q.data;
  return (
    <PanelFrame
      kicker="Function"
      title={name}
      subtitle={d ? <span className="mono subtle">{d.logGroupName}</span> : null}
      freshness={d ? <FreshnessLine freshness={d.stats.freshness} testId="function-freshness" /> : null}
      onClose={onClose}
      testId="function-panel"
    >
      {q.error && <ErrorNotice error={q.error} title="Could not read this function" onRetry={() => q.refetch()} compact />}
      {q.isPending && <span className="skeleton" style={{ width: "70%" }} />}
      {d && <FunctionBody d={d} range={range} />}
    </PanelFrame>
  );
}

function FunctionBody({ d, range }: { d: FunctionDetail; range?: [number, number] }) {
  const points = useMemo(() => functionPoints(d), [d]);
  const data = points as unknown as Record<string, number | null>[];
  const s = d.stats;
  const domain = useMemo<[number, number]>(() => {
    if (range) return range;
    const first = points[0]?.t ?? Date.now() - 300_000;
    const last = points.at(-1)?.t ?? Date.now();
    return [first, last + d.bucketSeconds * 1000];
  }, [points, d.bucketSeconds, range]);
  const ms = (v: number) => formatMs(v);
  const count = (v: number) => formatCount(v);
  return (
    <>
      <div className={styles.stats} aria-label="Figures over the window">
        <Stat label="Invocations" value={formatCount(s.invocations)} hint={formatRate(s.perMin)} testId="stat-invocations" />
        <Stat label="Errors" value={formatCount(s.errors)} hint={`${formatPct(s.errorRate)}${s.timeouts ? ` · ${s.timeouts} timeouts` : ""}`} tone={s.errors ? "bad" : undefined} testId="stat-errors" />
        <Stat label="p95 duration" value={formatMs(s.p95Ms)} hint={`p50 ${formatMs(s.p50Ms)} · p99 ${formatMs(s.p99Ms)}`} />
        <Stat label="Cold starts" value={formatCount(s.coldStarts)} hint={`init p95 ${formatMs(s.initP95Ms)}${s.restoreP95Ms !== null ? ` · restore ${formatMs(s.restoreP95Ms)}` : ""}`} testId="stat-cold-starts" />
        <Stat label="Memory used" value={s.maxMemoryUsedMb === null ? "–" : `${formatCount(s.maxMemoryUsedMb)} MB`} hint={s.memorySizeMb === null ? "size unknown" : `of ${formatCount(s.memorySizeMb)} MB`} />
        <Stat label="Throttles" value={formatCount(s.throttles)} tone={s.throttles ? "bad" : undefined} />
        <Stat label="Billed" value={formatMs(s.billedMs)} hint="over the window" />
        <Stat label="Timeouts" value={formatCount(s.timeouts)} tone={s.timeouts ? "bad" : undefined} />
      </div>

      <TimeChart
        testId="chart-invocations"
        title="Invocations and errors"
        now={`${formatCount(s.invocations)} · ${formatPct(s.errorRate)} errors`}
        data={data}
        domain={domain}
        format={count}
        series={[
          { key: "invocations", name: "Invocations", color: COLORS.accent, kind: "bar" },
          { key: "errors", name: "Errors", color: COLORS.danger, kind: "bar" },
          { key: "timeouts", name: "Timeouts", color: COLORS.warning, kind: "bar" },
        ]}
      />
      <TimeChart
        testId="chart-duration"
        title="Duration"
        now={`p95 ${formatMs(lastValue(points, (p) => p.p95))}`}
        data={data}
        domain={domain}
        format={ms}
        series={[
          { key: "p50", name: "p50", color: COLORS.success, kind: "line" },
          { key: "p95", name: "p95", color: COLORS.accent, kind: "line" },
          { key: "p99", name: "p99", color: COLORS.danger, kind: "line", dashed: true },
        ]}
      />
      <TimeChart
        testId="chart-cold-starts"
        title="Cold starts and init duration"
        now={`${formatCount(s.coldStarts)} · init p95 ${formatMs(s.initP95Ms)}`}
        data={data}
        domain={domain}
        format={count}
        formatRight={ms}
        series={[
          { key: "coldStarts", name: "Cold starts", color: COLORS.teal, kind: "bar" },
          { key: "initP95", name: "Init p95", color: COLORS.violet, kind: "line", right: true },
        ]}
      />
      <TimeChart
        testId="chart-memory"
        title="Memory used"
        now={s.memorySizeMb === null ? undefined : `size ${formatCount(s.memorySizeMb)} MB`}
        data={data}
        domain={domain}
        format={(v) => `${formatCount(v)} MB`}
        reference={s.memorySizeMb === null ? undefined : { y: s.memorySizeMb, label: `${formatCount(s.memorySizeMb)} MB` }}
        series={[{ key: "memory", name: "Max memory used", color: COLORS.info, kind: "line" }]}
      />
      {Object.entries(d.metrics)
        .filter(([, pts]) => pts.length > 0)
        .map(([name, pts]) => (
          <TimeChart
            key={name}
            testId={`chart-metric-${name}`}
            title={`${name} (CloudWatch)`}
            now={formatCount(pts.at(-1)!.v)}
            data={pts.map((p) => ({ t: Date.parse(p.t), v: p.v }))}
            domain={domain}
            format={count}
            height={110}
            series={[{ key: "v", name, color: COLORS.muted, kind: "line" }]}
          />
        ))}

      <section aria-labelledby="latest-invocations">
        <div className={styles.chartHeader}>
          <h3 id="latest-invocations">Latest invocations</h3>
          <span className={styles.chartNow}>from the REPORT lines</span>
        </div>
        {d.latest.length === 0 ? (
          <p className="muted" style={{ fontSize: 12.5 }}>
            No invocation in this window.
          </p>
        ) : (
          <div className="table-wrap">
            <table className={`table ${styles.invocations}`} data-testid="latest-invocations">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Request</th>
                  <th>Status</th>
                  <th className="col-num">Duration</th>
                  <th className="col-num">Billed</th>
                  <th className="col-num">Memory</th>
                  <th className="col-num">Init</th>
                </tr>
              </thead>
              <tbody>
                {d.latest.map((inv) => (
                  <InvocationRow key={inv.requestId} inv={inv} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function InvocationRow({ inv }: { inv: Invocation }) {
  const time = new Date(inv.at).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return (
    <tr>
      <td className="num">{time}</td>
      <td className={styles.requestId} title={inv.requestId}>
        {inv.requestId}
      </td>
      <td className={styles[`status_${inv.status}`]} title={inv.errorType ?? undefined}>
        {inv.status}
        {inv.errorType ? ` · ${inv.errorType}` : ""}
      </td>
      <td className="col-num num">{formatMs(inv.durationMs)}</td>
      <td className="col-num num">{formatMs(inv.billedDurationMs)}</td>
      <td className="col-num num">
        {inv.maxMemoryUsedMb}/{inv.memorySizeMb} MB
      </td>
      <td className="col-num num" title={inv.restoreDurationMs !== null ? `restore ${formatMs(inv.restoreDurationMs)}` : undefined}>
        {inv.initDurationMs !== null ? `❄ ${formatMs(inv.initDurationMs)}` : inv.restoreDurationMs !== null ? `↺ ${formatMs(inv.restoreDurationMs)}` : "–"}
      </td>
    </tr>
  );
}

export function Stat({ label, value, hint, tone, testId }: { label: string; value: string; hint?: string; tone?: "bad" | "warn" | "ok"; testId?: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <div className={`stat-value ${tone ? styles[`tone_${tone}`] : ""}`}>{value}</div>
      <div className="stat-label">
        {label}
        {hint && <span className={styles.statHint}>{hint}</span>}
      </div>
    </div>
  );
}
