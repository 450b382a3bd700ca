"use client";
/**
 * Node components of the design canvas: a context box, and one component per family of node
 * kinds. They only lay out what `to-flow.ts` computed; `nodeTypes` is built once, at module
 * scope, as React Flow requires (a new object per render remounts every node).
 */
import { Handle, type NodeProps, type NodeTypes, type Position } from "@xyflow/react";
import { memo, type CSSProperties } from "react";
import { SIDES, handleId } from "./geometry";
import { KindIcon } from "./icons";
import type { Badge, ContextFlowNode, NodeFamily, ResourceFlowNode } from "./types";
import styles from "./design.module.css";

const cx = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(" ");

/** One source and one target handle per side, matching `nodeHandles()` in geometry.ts. */
function Handles() {
  return (
    <>
      {SIDES.map((side) => (
        <Handle key={`s-${side}`} id={handleId("source", side)} type="source" position={side as Position} isConnectable={false} className={styles.handle} />
      ))}
      {SIDES.map((side) => (
        <Handle key={`t-${side}`} id={handleId("target", side)} type="target" position={side as Position} isConnectable={false} className={styles.handle} />
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

function ResourceNodeView({ data, selected, family }: { data: ResourceFlowNode["data"]; selected: boolean; family: NodeFamily }) {
  const { model, shortKindLabel, details, badges } = data;
  return (
    <div
      className={cx(styles.node, styles[`family_${family}`], family === "external" && styles.external, selected && styles.nodeSelected)}
      title={model.description ? `${model.name}\n${model.description}` : model.name}
    >
      <Handles />
      <div className={styles.nodeRow}>
        <KindIcon kind={model.kind} className={styles.icon} />
        <span className={styles.kind}>{shortKindLabel}</span>
        <Badges badges={badges.filter((b) => b.slot !== "details")} />
      </div>
      <div className={styles.name}>{model.name}</div>
      <div className={styles.nodeRow}>
        <span className={styles.details}>{details}</span>
        <Badges badges={badges.filter((b) => b.slot === "details")} />
      </div>
    </div>
  );
}

/** A component for one family; the families share a look today and can diverge in the editor. */
function familyNode(family: NodeFamily) {
  const Component = memo(function FamilyNode({ data, selected }: NodeProps<ResourceFlowNode>) {
    return <ResourceNodeView data={data} selected={selected} family={family} />;
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

export const ContextNode = memo(function ContextNode({ data, selected }: NodeProps<ContextFlowNode>) {
  const { model } = data;
  return (
    <div className={cx(styles.context, selected && styles.contextSelected)} style={{ "--ctx": model.color } as CSSProperties} title={model.description}>
      <div className={styles.contextHeader}>
        <span className={styles.contextName}>{model.name}</span>
        {model.owner && <span className={styles.contextOwner}>{model.owner}</span>}
      </div>
    </div>
  );
});

export const nodeTypes = {
  context: ContextNode,
  function: FunctionNode,
  endpoint: EndpointNode,
  messaging: MessagingNode,
  stream: StreamNode,
  storage: StorageNode,
  external: ExternalNode,
} satisfies NodeTypes;
