/**
 * The typed node and edge union of the design canvas. The canvas is a view of the topology:
 * every flow element carries the model element it was drawn from (`model`), plus the strings
 * computed once by `present.ts`, so node and edge components only lay them out.
 */
import type { Edge, Node } from "@xyflow/react";
import type { Context, TopoEdge, TopoNode } from "../../server/model/schema";

/** Node components, one per family of node kinds (see `familyOf`). */
export type NodeFamily = "function" | "endpoint" | "messaging" | "stream" | "storage" | "external";

export type BadgeTone = "neutral" | "accent" | "danger" | "success";
export interface Badge {
  text: string;
  tone: BadgeTone;
  /** Drawn beside the kind (default) or at the end of the details line, where a long kind leaves room. */
  slot?: "details";
  /** Longer wording for screen readers and tooltips. */
  title?: string;
}

export interface ResourceNodeData extends Record<string, unknown> {
  model: TopoNode;
  /** "Function", "Queue", "DynamoDB table"…: the kind, as screen readers and the inspector name it. */
  kindLabel: string;
  /** The kind as printed on the node ("DynamoDB" for a table), next to its badges. */
  shortKindLabel: string;
  /** One line of the settings that matter most, with units ("nodejs22.x · 512 MB · 10 s"). */
  details: string;
  badges: Badge[];
  isDeadLetterQueue: boolean;
}

export interface ContextNodeData extends Record<string, unknown> {
  model: Context;
  nodeCount: number;
  /** "12 functions · 9 other nodes": what the summary (collapsed, or zoomed far out) says. */
  summary: string;
  /** Drawn as one summary node: its members are hidden and their edges end at it. */
  collapsed: boolean;
  /** In the overview (zoomed far out): the members as light shapes, relative to the box. */
  members?: MemberShape[];
}

export interface MemberShape {
  x: number;
  y: number;
  family: NodeFamily;
}

export type ResourceFlowNode = Node<ResourceNodeData, NodeFamily>;
export type ContextFlowNode = Node<ContextNodeData, "context">;
export type DesignFlowNode = ContextFlowNode | ResourceFlowNode;

/**
 * Edges that are not edges in the model but reference fields on a node or a trigger:
 * - `function-dlq`: function.deadLetterQueueId
 * - `async-on-success` / `async-on-failure`: function.asyncInvoke.on{Success,Failure}DestinationId
 * - `queue-redrive`: queue.redrive.deadLetterQueueId
 * - `trigger-on-failure`: trigger.onFailureDestinationId (drawn from the triggered function)
 */
export type ReferenceKind = "function-dlq" | "async-on-success" | "async-on-failure" | "queue-redrive" | "trigger-on-failure";

export interface ModelEdgeData extends Record<string, unknown> {
  origin: "model";
  model: TopoEdge;
  /** Label lines, top to bottom: the user's label (when it adds something) and the settings. */
  labelLines: string[];
  /** Where the label sits relative to the middle of the edge, when the middle is taken (label-placement.ts). */
  labelShift?: { x: number; y: number };
}

export interface ReferenceEdgeData extends Record<string, unknown> {
  origin: "reference";
  reference: ReferenceKind;
  /** Id of the node (or trigger edge) that holds the reference field. */
  ownerId: string;
  /** Path of the reference field inside its owner, e.g. "redrive.deadLetterQueueId". */
  field: string;
  labelLines: string[];
  labelShift?: { x: number; y: number };
}

/** Several edges drawn as one because their ends sit in a collapsed context. Not selectable. */
export interface AggregateEdgeData extends Record<string, unknown> {
  origin: "aggregate";
  /** Ids of the model and reference edges it stands for. */
  members: string[];
  labelLines: string[];
  labelShift?: { x: number; y: number };
}

/** Edge components: one per model edge kind, plus the derived destinations and aggregates. */
export type DesignEdgeType = TopoEdge["kind"] | "failure" | "success" | "aggregate";
export type DesignEdgeData = ModelEdgeData | ReferenceEdgeData | AggregateEdgeData;
export type DesignFlowEdge = Edge<DesignEdgeData, DesignEdgeType>;

