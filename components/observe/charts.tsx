"use client";
/**
 * Small time-series charts (recharts) with the app's colours: one component per chart shape the
 * panels need. Each has a title, the latest figure beside it, and an empty state instead of a
 * flat line when the window holds no data. The x axis is time (epoch ms) over the whole window.
 */
import type { ReactNode } from "react";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import { evenTicks, timeTick } from "./series";
import styles from "./observe.module.css";

export interface SeriesDef {
  key: string;
  name: string;
  color: string;
  kind: "bar" | "line";
  /** The right-hand axis (another unit). */
  right?: boolean;
  stack?: string;
  dashed?: boolean;
}

export const COLORS = {
  accent: "var(--accent)",
  danger: "var(--danger)",
  warning: "var(--warning)",
  success: "var(--success)",
  muted: "var(--text-subtle)",
  info: "light-dark(#2563eb, #6ea8fe)",
  violet: "light-dark(#7c3aed, #b197fc)",
  teal: "light-dark(#0e7490, #22d3ee)",
};

/** Partition lines cycle through these. */
export const PALETTE = [COLORS.accent, COLORS.teal, COLORS.warning, COLORS.violet, COLORS.success, COLORS.info, COLORS.danger, COLORS.muted];

export function TimeChart({
  title,
  now,
  data,
  series,
  domain,
  format,
  formatRight,
  reference,
  testId,
  height = 150,
}: {
  title: string;
  now?: ReactNode;
  data: Record<string, number | null>[];
  series: SeriesDef[];
  /** [from, to] in epoch ms: the window, so an empty stretch shows as empty. */
  domain: [number, number];
  format: (v: number) => string;
  formatRight?: (v: number) => string;
  reference?: { y: number; label: string };
  testId: string;
  height?: number;
}) {
  const span = domain[1] - domain[0];
  const hasData = data.some((row) => series.some((s) => row[s.key] !== null && row[s.key] !== undefined));
  return (
    <figure className={styles.chart} data-testid={testId} data-points={data.length} style={{ margin: 0 }}>
      <figcaption className={styles.chartHeader}>
        <h3>{title}</h3>
        {now !== undefined && <span className={styles.chartNow}>{now}</span>}
      </figcaption>
      {hasData ? (
        <div className={styles.chartBox} style={{ height }} role="img" aria-label={`${title} chart, ${data.length} points`}>
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 480, height }}>
            <ComposedChart data={data} margin={{ top: 6, right: formatRight ? 4 : 10, bottom: 0, left: 0 }} barCategoryGap={1}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={domain}
                ticks={evenTicks(domain, 5)}
                tickFormatter={(t: number) => timeTick(t, span)}
                stroke="var(--text-subtle)"
                tick={{ fill: "var(--text-muted)", fontSize: 10.5 }}
                tickLine={false}
                minTickGap={28}
              />
              <YAxis yAxisId="left" width={52} tickFormatter={format} stroke="var(--text-subtle)" tick={{ fill: "var(--text-muted)", fontSize: 10.5 }} tickLine={false} axisLine={false} allowDecimals={false} />
              {formatRight && (
                <YAxis yAxisId="right" orientation="right" width={50} tickFormatter={formatRight} stroke="var(--text-subtle)" tick={{ fill: "var(--text-muted)", fontSize: 10.5 }} tickLine={false} axisLine={false} />
              )}
              <Tooltip
                content={(p) => <ChartTooltip {...(p as TooltipContentProps<number, string>)} span={span} series={series} format={format} formatRight={formatRight} />}
                cursor={{ stroke: "var(--border-strong)" }}
                isAnimationActive={false}
              />
              {series.length > 1 && <Legend iconSize={8} wrapperStyle={{ fontSize: 11, color: "var(--text-muted)" }} />}
              {reference && (
                <ReferenceLine yAxisId="left" y={reference.y} stroke="var(--danger)" strokeDasharray="4 3" label={{ value: reference.label, position: "insideTopRight", fill: "var(--text-muted)", fontSize: 10.5 }} />
              )}
              {series.map((s) =>
                s.kind === "bar" ? (
                  <Bar key={s.key} yAxisId={s.right ? "right" : "left"} dataKey={s.key} name={s.name} fill={s.color} stackId={s.stack} isAnimationActive={false} maxBarSize={14} />
                ) : (
                  <Line
                    key={s.key}
                    yAxisId={s.right ? "right" : "left"}
                    dataKey={s.key}
                    name={s.name}
                    stroke={s.color}
                    strokeWidth={1.6}
                    strokeDasharray={s.dashed ? "4 3" : undefined}
                    dot={data.length < 3 ? { r: 2.5 } : false}
                    connectNulls
                    type="monotone"
                    isAnimationActive={false}
                  />
                ),
              )}
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      ) : (
        <div className={styles.chartEmpty} style={{ height }}>
          No data in this window yet
        </div>
      )}
    </figure>
  );
}

function ChartTooltip({
  active,
  payload,
  label,
  span,
  series,
  format,
  formatRight,
}: TooltipContentProps<number, string> & { span: number; series: SeriesDef[]; format: (v: number) => string; formatRight?: (v: number) => string }) {
  if (!active || !payload?.length) return null;
  return (
    <div className={styles.chartTooltip}>
      <p className="muted">{timeTick(Number(label), Math.min(span, 3_600_000))}</p>
      {payload.map((p) => {
        const def = series.find((s) => s.key === p.dataKey);
        const v = typeof p.value === "number" ? p.value : null;
        return (
          <p key={String(p.dataKey)}>
            <span style={{ color: def?.color }}>{p.name}</span>
            <b>{v === null ? "–" : def?.right && formatRight ? formatRight(v) : format(v)}</b>
          </p>
        );
      })}
    </div>
  );
}
