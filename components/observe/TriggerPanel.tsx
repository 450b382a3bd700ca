"use client";
/**
 * A trigger's panel: the consumer's status (Burrow-style OK / WARN / STALL / STOP) and trend,
 * lag over the window in total and per shard or partition, and the current lag of each.
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { TriggerDetail } from "@/server/observe/types";
import { ErrorNotice } from "../ui/ErrorNotice";
import { COLORS, PALETTE, TimeChart, type SeriesDef } from "./charts";
import { FreshnessLine } from "./Freshness";
import { Stat } from "./FunctionPanel";
import { PanelFrame } from "./PanelFrame";
import { formatCount, formatLag, formatMs, formatRate, lagStatusTone, lagStatusWords } from "./present";
import { lagPoints } from "./series";
import { triggerDetailQuery, type WindowChoice } from "./queries";
import styles from "./observe.module.css";

const PARTITION_WORD: Record<string, string> = { kinesis: "shard", "dynamodb-stream": "shard", kafka: "partition" };

export function TriggerPanel({
  projectId,
  envId,
  edgeId,
  title,
  window: w,
  range,
  onClose,
}: {
  projectId: string;
  envId: string;
  edgeId: string;
  title: string;
  window: WindowChoice;
  range?: [number, number];
  onClose: () => void;
}) {
  const q = useQuery(triggerDetailQuery(projectId, envId, edgeId, w));
  const d = q.data;
  return (
    <PanelFrame
      kicker="Trigger"
      title={title}
      subtitle={d ? <span className="subtle">{d.stats.kind} event source</span> : null}
      freshness={d ? <FreshnessLine freshness={d.stats.freshness} testId="trigger-freshness" /> : null}
      onClose={onClose}
      testId="trigger-panel"
    >
      {q.error && <ErrorNotice error={q.error} title="Could not read this trigger" onRetry={() => q.refetch()} compact />}
      {q.isPending && <span className="skeleton" style={{ width: "70%" }} />}
      {d && <TriggerBody d={d} range={range} />}
    </PanelFrame>
  );
}

function TriggerBody({ d, range }: { d: TriggerDetail; range?: [number, number] }) {
  const { points, keys } = useMemo(() => lagPoints(d), [d]);
  const s = d.stats;
  const word = PARTITION_WORD[s.kind] ?? "partition";
  const fmt = (v: number) => (s.lagUnit === "ms" ? formatMs(v) : formatCount(v));
  const domain = useMemo<[number, number]>(() => {
    if (range) return range;
    const ts = points.map((p) => p.t as number);
    return ts.length ? [Math.min(...ts), Math.max(...ts)] : [Date.now() - 300_000, Date.now()];
  }, [points, range]);
  const series: SeriesDef[] = [
    { key: "lag", name: keys.length ? "Total" : "Lag", color: COLORS.accent, kind: "line" },
    ...keys.slice(0, 16).map((k, i) => ({ key: `p:${k}`, name: `${word} ${k}`, color: PALETTE[(i + 1) % PALETTE.length], kind: "line" as const, dashed: true })),
  ];
  const tone = lagStatusTone(s.status);
  return (
    <>
      <p className={styles.lagStatus} data-testid="trigger-status" data-status={s.status}>
        <span className={`${styles.dot} ${styles[`tone_${tone}`]}`} aria-hidden="true" />
        <span className={styles[`tone_${tone}`]}>{lagStatusWords(s.status)}</span>
      </p>
      <div className={styles.stats}>
        <Stat label="Lag" value={formatLag(s.lag, s.lagUnit)} tone={tone === "bad" ? "bad" : tone === "warn" ? "warn" : undefined} testId="stat-lag" />
        <Stat label="Trend" value={{ rising: "↑ rising", falling: "↓ falling", flat: "→ flat", unknown: "–" }[s.trend]} />
        <Stat label="Throughput" value={formatRate(s.throughputPerMin)} />
        {keys.length > 0 && <Stat label={`${word[0].toUpperCase()}${word.slice(1)}s`} value={String(keys.length)} />}
      </div>
      <TimeChart
        testId="chart-lag"
        title={`Lag over time${keys.length ? `, per ${word}` : ""}`}
        now={formatLag(s.lag, s.lagUnit)}
        data={points}
        domain={domain}
        format={fmt}
        height={200}
        series={series}
      />
      {s.partitions && Object.keys(s.partitions).length > 0 && (
        <div className="table-wrap">
          <table className={`table ${styles.partitions}`} data-testid="partition-lag">
            <thead>
              <tr>
                <th>{word[0].toUpperCase() + word.slice(1)}</th>
                <th className="col-num">Lag now</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(s.partitions)
                .sort(([a], [b]) => (Number.isFinite(Number(a)) && Number.isFinite(Number(b)) ? Number(a) - Number(b) : a.localeCompare(b)))
                .map(([id, lag]) => (
                  <tr key={id}>
                    <td className="mono">{id}</td>
                    <td className="col-num num">{formatLag(lag, s.lagUnit)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted" style={{ fontSize: 12 }}>
        {s.lagUnit === "messages"
          ? "Queue lag is the messages waiting plus those in flight."
          : s.lagUnit === "ms"
            ? "Stream lag is the iterator age: how old the newest record read is."
            : "Kafka lag is the log-end offset minus the committed offset, per partition."}{" "}
        Status follows Burrow&apos;s rules: WARN when lag grows, STALL when offsets are committed without moving, STOP when the consumer stops committing.
      </p>
    </>
  );
}
