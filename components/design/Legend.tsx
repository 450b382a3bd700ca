"use client";
/** A small, collapsible key to the edge styles, drawn with the same looks as the edges. */
import { EDGE_LOOK, markerId, type EdgeVariant } from "./edge-styles";
import styles from "./design.module.css";

const ROWS: { variant: EdgeVariant; name: string; text: string }[] = [
  { variant: "trigger", name: "Trigger", text: "event source invokes a function; label: batch, window, lag" },
  { variant: "call-sync", name: "Call, sync", text: "request/response" },
  { variant: "call-async", name: "Call, async", text: "fire-and-forget" },
  { variant: "produce", name: "Produce", text: "sends messages or events" },
  { variant: "access", name: "Access", text: "reads or writes a data store" },
  { variant: "failure", name: "Failure", text: "DLQ, on-failure destination, redrive" },
  { variant: "success", name: "Success", text: "on-success destination" },
];

function Sample({ variant }: { variant: EdgeVariant }) {
  const look = EDGE_LOOK[variant];
  return (
    <svg width={40} height={10} viewBox="0 0 40 10" aria-hidden="true" focusable="false">
      <path d="M2 5H34" stroke={look.stroke} strokeWidth={look.width} strokeDasharray={look.dash} fill="none" markerEnd={look.marker ? `url(#${markerId(look.marker)})` : undefined} />
    </svg>
  );
}

export function Legend({ defaultOpen = false }: { defaultOpen?: boolean }) {
  return (
    <details className={styles.legend} open={defaultOpen}>
      <summary>Legend</summary>
      <ul className={styles.legendList}>
        {ROWS.map((r) => (
          <li key={r.variant}>
            <Sample variant={r.variant} />
            <span className={styles.legendText}>
              <b>{r.name}</b>: {r.text}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
