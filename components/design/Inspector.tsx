"use client";
/**
 * The side panel listing the selected element's fields, read-only. It renders `Inspected` rows
 * (inspector-fields.ts) and knows nothing of React Flow, so the editor can swap the values for
 * inputs keyed by `field.key` without touching the canvas.
 */
import { KindIcon } from "./icons";
import type { Field, Inspected } from "./inspector-fields";
import type { NodeKind } from "../../server/model/schema";
import styles from "./design.module.css";

export interface InspectorProps {
  inspected: Inspected;
  /** Kind of the selected model node, for its icon. */
  nodeKind?: NodeKind;
  onClose: () => void;
}

function Value({ field }: { field: Field }) {
  // JSON (patterns, extras, alias versions) reads better in a monospaced font; prose does not.
  const json = field.value.startsWith("{") || field.value.startsWith("[");
  return (
    <>
      <span className={json ? styles.longValue : undefined}>{field.value}</span>
      {field.unit && <span className={styles.unit}> {field.unit}</span>}
      {field.hint && <span className={styles.hint}>({field.hint})</span>}
      {field.isDefault && (
        <span className={styles.defaultTag} title="Not set in the design: the value AWS applies for this source">
          AWS default
        </span>
      )}
    </>
  );
}

export function Inspector({ inspected, nodeKind, onClose }: InspectorProps) {
  return (
    <aside className={styles.inspector} aria-label="Inspector" data-testid="design-inspector">
      <header className={styles.inspectorHeader}>
        <div className={styles.inspectorHeading}>
          <div className={styles.inspectorKind}>
            {nodeKind && <KindIcon kind={nodeKind} />}
            {inspected.kindLabel}
          </div>
          {/* Announces a new selection without taking focus away from the canvas. */}
          <h2 className={styles.inspectorTitle} aria-live="polite">
            {inspected.title}
          </h2>
          <div className={styles.inspectorId}>{inspected.id}</div>
        </div>
        <button type="button" className={styles.close} onClick={onClose} aria-label="Close inspector" title="Close (Esc)">
          ×
        </button>
      </header>
      <dl className={styles.fields}>
        {inspected.fields.map((f) => (
          <div key={f.key} style={{ display: "contents" }}>
            <dt title={f.description}>{f.label}</dt>
            <dd>
              <Value field={f} />
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
