"use client";
/**
 * Edge components: one per model edge kind plus the derived failure/success destinations. All
 * draw a bezier between the handles chosen by `to-flow.ts` and an HTML label (so it stays crisp
 * and can be clicked). `edgeTypes` lives at module scope, as React Flow requires.
 */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStoreApi, type EdgeProps, type EdgeTypes } from "@xyflow/react";
import { createContext, memo, useContext, type ReactNode } from "react";
import type { TopoEdge } from "../../server/model/schema";
import { EDGE_LOOK, edgeVariant, markerId, type MarkerName } from "./edge-styles";
import { CanvasRuntimeContext, FindingBadge } from "./nodes";
import type { DesignFlowEdge } from "./types";
import styles from "./design.module.css";

const cx = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(" ");

/**
 * Live figures another view of this canvas adds to a model edge's label (the Observe tab: lag and
 * throughput on triggers); null adds nothing. Not provided in the editor.
 */
export type EdgeOverlay = (edge: TopoEdge, id: string) => ReactNode;
export const EdgeOverlayContext = createContext<EdgeOverlay | null>(null);

export const DesignEdge = memo(function DesignEdge(props: EdgeProps<DesignFlowEdge>) {
  const { id, type, data, selected, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const store = useStoreApi();
  const { overview } = useContext(CanvasRuntimeContext);
  const variant = edgeVariant(type, data);
  const look = EDGE_LOOK[variant];
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  // Far out, labels are unreadable: the overview draws bare edges.
  const lines = overview ? [] : (data?.labelLines ?? []);
  const overlay = useContext(EdgeOverlayContext);
  const live = overlay && !overview && data?.origin === "model" ? overlay(data.model, id) : null;
  const ownFindings = data?.origin === "model";
  const marker = look.marker && (selected ? "selected" : look.marker);
  // A label moved off its edge (label-placement.ts) keeps a thin leader back to the edge's middle.
  const shift = data?.labelShift;
  const at = { x: labelX + (shift?.x ?? 0), y: labelY + (shift?.y ?? 0) };
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        interactionWidth={16}
        markerEnd={marker && !overview ? `url(#${markerId(marker)})` : undefined}
        style={{ stroke: selected ? "var(--dc-accent)" : look.stroke, strokeWidth: look.width + (selected ? 1 : 0), strokeDasharray: look.dash }}
      />
      {shift && (lines.length > 0 || live != null) && (
        <path d={`M${labelX},${labelY}L${at.x},${at.y}`} className={styles.leader} style={{ stroke: selected ? "var(--dc-accent)" : look.stroke }} />
      )}
      {(lines.length > 0 || live != null) && (
        <EdgeLabelRenderer>
          {/* The edge itself is focusable and carries the same words in its aria-label. */}
          <div
            aria-hidden="true"
            data-edge-label={id}
            className={cx(
              styles.edgeLabel,
              "nodrag nopan",
              variant === "failure" && styles.labelFailure,
              variant === "success" && styles.labelSuccess,
              selected && styles.labelSelected,
            )}
            style={{ transform: `translate(-50%, -50%) translate(${at.x}px, ${at.y}px)` }}
            onClick={() => data?.origin !== "aggregate" && store.getState().addSelectedEdges([id])}
          >
            {lines.map((line, i) => (
              <span key={i} className={styles.labelLine}>
                {line}
              </span>
            ))}
            {live}
            {ownFindings && <FindingBadge id={id} className={styles.edgeFinding} />}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

export const edgeTypes = {
  trigger: DesignEdge,
  call: DesignEdge,
  produce: DesignEdge,
  access: DesignEdge,
  failure: DesignEdge,
  success: DesignEdge,
  aggregate: DesignEdge,
} satisfies EdgeTypes;

const MARKER_CLASS: Record<MarkerName, string> = {
  trigger: styles.markerTrigger,
  call: styles.markerCall,
  produce: styles.markerProduce,
  failure: styles.markerFailure,
  success: styles.markerSuccess,
  selected: styles.markerSelected,
};

/** The arrowheads the edges point at, defined once per canvas. */
export function EdgeMarkers() {
  return (
    <svg className={styles.markers} aria-hidden="true" focusable="false">
      <defs>
        {(Object.keys(MARKER_CLASS) as MarkerName[]).map((name) => (
          <marker key={name} id={markerId(name)} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M0 0.5L10 5L0 9.5z" className={MARKER_CLASS[name]} />
          </marker>
        ))}
      </defs>
    </svg>
  );
}
