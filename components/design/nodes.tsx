"use client";
/**
 * Node components of the design canvas: a context box (or its summary when collapsed or zoomed
 * far out), and one component per family of node kinds. They lay out what `to-flow.ts`
 * computed and read two things from the store, by selector: their findings badge and nothing
 * else, so an edit re-renders only the nodes it touched. `nodeTypes` is built once, at module
 * scope, as React Flow requires (a new object per render remounts every node).
 *
 * Below `LOD_ZOOM` the canvas is in overview: free nodes are light shapes (no text, handles or
 * badges) and contexts are summaries with their members drawn as one SVG.
 */
import { Handle, NodeResizer, type NodeProps, type NodeTypes, type Position } from "@xyflow/react";
import { createContext, memo, useContext, type CSSProperties, type ReactNode } from "react";
import type { Context, TopoNode } from "../../server/model/schema";
import { useDesign } from "./context";
import { NODE_HEIGHT, NODE_WIDTH, SIDES, handleId } from "./geometry";
import { KindIcon } from "./icons";
import type { Badge, ContextFlowNode, NodeFamily, ResourceFlowNode } from "./types";
import styles from "./design.module.css";

const cx = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(" ");

/** What the nodes need from the canvas besides their data: overview mode and a few callbacks. */
export interface CanvasRuntime {
  overview: boolean;
  resizeStart(): void;
  resizeEnd(id: string, box: { x: number; y: number; width: number; height: number }): void;
  toggleCollapsed(id: string): void;
}
export const CanvasRuntimeContext = createContext<CanvasRuntime>({ overview: false, resizeStart() {}, resizeEnd() {}, toggleCollapsed() {} });

/**
 * Live figures another view of this canvas draws on a node (the Observe tab): what it returns
 * replaces the node's details line; null keeps the details. Not provided in the editor.
 */
export type NodeOverlay = (node: TopoNode, id: string) => ReactNode;
export const NodeOverlayContext = createContext<NodeOverlay | null>(null);

/** The same for a context drawn as a summary (collapsed, or in the overview): added under its counts. */
export type ContextOverlay = (context: Context, id: string) => ReactNode;
export const ContextOverlayContext = createContext<ContextOverlay | null>(null);

/**
 * Source handles on each side, shown on hover, to drag a connection from; target handles at
 * the same places, invisible (a connection may end anywhere on a node, see DesignCanvas).
 * Matches `nodeHandles()` in geometry.ts, which declares them to React Flow up front.
 */
function Handles() {
  return (
    <>
      {SIDES.map((side) => (
        <Handle key={`t-${side}`} id={handleId("target", side)} type="target" position={side as Position} isConnectableStart={false} className={styles.targetHandle} />
      ))}
      {SIDES.map((side) => (
        <Handle key={`s-${side}`} id={handleId("source", side)} type="source" position={side as Position} className={styles.handle} title="Drag to connect" />
      ))}
    </>
  );
}

function Badges({ badges }: { badges: Badge[] }) {
  if (badges.length === 0) return null;
  return (
    <span className={styles.badges}>
      {badges.map((b) => (
        <span key={b.text} className={cx(styles.badge, styles[`tone_${b.tone}`])} title={b.title}>
          {b.text}
        </span>
      ))}
    </span>
  );
}

const SEVERITY_WORD = { error: "error", warning: "warning", info: "note" } as const;

/** Count and worst severity of an element's findings; re-renders only when those change. */
export function FindingBadge({ id, className }: { id: string; className?: string }) {
  const badge = useDesign((s) => s.findings.byElement.get(id));
  if (!badge) return null;
  const text = `${badge.count} finding${badge.count === 1 ? "" : "s"}, worst: ${SEVERITY_WORD[badge.worst]}`;
  return (
    <span className={cx(styles.findingBadge, styles[`severity_${badge.worst}`], className)} title={text} aria-label={text} data-severity={badge.worst}>
      {badge.worst === "error" ? "!" : badge.worst === "warning" ? "▲" : "i"}
      <span>{badge.count}</span>
    </span>
  );
}

function ResourceNodeView({ id, data, selected, family }: { id: string; data: ResourceFlowNode["data"]; selected: boolean; family: NodeFamily }) {
  const { overview } = useContext(CanvasRuntimeContext);
  const overlay = useContext(NodeOverlayContext);
  const { model, shortKindLabel, details, badges } = data;
  const live = overlay && !overview ? overlay(model, id) : null;
  if (overview) return <div className={cx(styles.lightNode, styles[`family_${family}`], selected && styles.lightSelected)} />;
  return (
    <div
      className={cx(styles.node, styles[`family_${family}`], family === "external" && styles.external, selected && styles.nodeSelected)}
      title={model.description ? `${model.name}\n${model.description}` : model.name}
    >
      <Handles />
      <FindingBadge id={id} className={styles.nodeFinding} />
      <div className={styles.nodeRow}>
        <KindIcon kind={model.kind} className={styles.icon} />
        <span className={styles.kind}>{shortKindLabel}</span>
        <Badges badges={badges.filter((b) => b.slot !== "details")} />
      </div>
      <div className={styles.name}>{model.name}</div>
      <div className={styles.nodeRow}>
        {live ?? (
          <>
            <span className={styles.details}>{details}</span>
            <Badges badges={badges.filter((b) => b.slot === "details")} />
          </>
        )}
      </div>
    </div>
  );
}

/** A component for one family; the families share a look today and can diverge later. */
function familyNode(family: NodeFamily) {
  const Component = memo(function FamilyNode({ id, data, selected }: NodeProps<ResourceFlowNode>) {
    return <ResourceNodeView id={id} data={data} selected={selected} family={family} />;
  });
  Component.displayName = `${family}Node`;
  return Component;
}

export const FunctionNode = familyNode("function");
export const EndpointNode = familyNode("endpoint");
export const MessagingNode = familyNode("messaging");
export const StreamNode = familyNode("stream");
export const StorageNode = familyNode("storage");
export const ExternalNode = familyNode("external");

const FAMILY_VAR: Record<NodeFamily, string> = {
  function: "var(--dc-family-function)",
  endpoint: "var(--dc-family-endpoint)",
  messaging: "var(--dc-family-messaging)",
  stream: "var(--dc-family-stream)",
  storage: "var(--dc-family-storage)",
  external: "var(--dc-family-external)",
};

const RESIZER_MIN = { width: NODE_WIDTH + 60, height: NODE_HEIGHT + 80 };

export const ContextNode = memo(function ContextNode({ id, data, selected, width, height }: NodeProps<ContextFlowNode>) {
  const runtime = useContext(CanvasRuntimeContext);
  const contextOverlay = useContext(ContextOverlayContext);
  const { model, summary, collapsed, members } = data;
  const live = contextOverlay && (members || collapsed) ? contextOverlay(model, id) : null;
  const style = { "--ctx": model.color } as CSSProperties;
  if (members) {
    // Overview: the box, its members as light shapes, and a title readable from far away.
    return (
      <div className={cx(styles.context, styles.contextOverview, selected && styles.contextSelected)} style={style}>
        <svg className={styles.memberShapes} width={width} height={height} aria-hidden="true" focusable="false">
          {members.map((m, i) => (
            <rect key={i} x={m.x} y={m.y} width={NODE_WIDTH} height={NODE_HEIGHT} rx={8} fill={FAMILY_VAR[m.family]} fillOpacity={0.35} />
          ))}
        </svg>
        {/* Sized to the box, so a context's name stays readable as far out as its box does. */}
        <div className={styles.overviewTitle} style={{ fontSize: Math.max(48, Math.min(260, (width ?? 400) / 7)) }}>
          <span className={styles.overviewName}>{model.name}</span>
          {live}
          <span className={styles.overviewSummary}>{summary}</span>
        </div>
      </div>
    );
  }
  if (collapsed) {
    return (
      <div className={cx(styles.summary, selected && styles.contextSelected)} style={style} title={model.description}>
        <Handles />
        <div className={styles.contextHeader}>
          <span className={styles.contextName}>{model.name}</span>
          <FindingBadge id={id} />
          <button type="button" className={cx(styles.collapseButton, "nodrag nopan")} aria-label={`Expand ${model.name}`} title="Expand" onClick={(e) => {
              e.stopPropagation();
              runtime.toggleCollapsed(id);
            }}>
            <ExpandIcon />
          </button>
        </div>
        {model.owner && <div className={styles.summaryOwner}>{model.owner}</div>}
        <div className={styles.summaryCounts}>{summary}</div>
        {live}
      </div>
    );
  }
  return (
    <div className={cx(styles.context, selected && styles.contextSelected)} style={style} title={model.description}>
      {!runtime.overview && (
        <NodeResizer
          isVisible={selected}
          minWidth={RESIZER_MIN.width}
          minHeight={RESIZER_MIN.height}
          color="var(--ctx)"
          handleClassName={styles.resizeHandle}
          lineClassName={styles.resizeLine}
          onResizeStart={runtime.resizeStart}
          onResizeEnd={(_e, p) => runtime.resizeEnd(id, p)}
        />
      )}
      <div className={styles.contextHeader}>
        <span className={styles.contextName}>{model.name}</span>
        {model.owner && <span className={styles.contextOwner}>{model.owner}</span>}
        <FindingBadge id={id} />
        <button type="button" className={cx(styles.collapseButton, "nodrag nopan")} aria-label={`Collapse ${model.name}`} title="Collapse to a summary" onClick={(e) => {
            e.stopPropagation();
            runtime.toggleCollapsed(id);
          }}>
          <CollapseIcon />
        </button>
      </div>
    </div>
  );
});

function CollapseIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M2 4.5 6 8l4-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
function ExpandIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="M4.5 2 8 6l-3.5 4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export const nodeTypes = {
  context: ContextNode,
  function: FunctionNode,
  endpoint: EndpointNode,
  messaging: MessagingNode,
  stream: StreamNode,
  storage: StorageNode,
  external: ExternalNode,
} satisfies NodeTypes;
