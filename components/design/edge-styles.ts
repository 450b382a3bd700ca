/**
 * How each kind of edge is drawn: stroke colour (a CSS variable of design.module.css), width,
 * dash pattern and arrowhead. Shared by the edge component and the legend so they never disagree.
 */
import type { DesignEdgeData, DesignEdgeType } from "./types";

export type EdgeVariant = "trigger" | "call-sync" | "call-async" | "produce" | "access" | "failure" | "success" | "aggregate";
export type MarkerName = "trigger" | "call" | "produce" | "failure" | "success" | "selected";

export interface EdgeLook {
  stroke: string;
  width: number;
  dash?: string;
  marker?: MarkerName;
}

export const EDGE_LOOK: Record<EdgeVariant, EdgeLook> = {
  trigger: { stroke: "var(--dc-edge-trigger)", width: 1.8, marker: "trigger" },
  "call-sync": { stroke: "var(--dc-edge-call)", width: 1.5, marker: "call" },
  "call-async": { stroke: "var(--dc-edge-call)", width: 1.5, dash: "6 4", marker: "call" },
  produce: { stroke: "var(--dc-edge-produce)", width: 1, marker: "produce" },
  access: { stroke: "var(--dc-edge-access)", width: 1.5, dash: "1.5 3.5" },
  failure: { stroke: "var(--dc-edge-failure)", width: 1.4, dash: "5 4", marker: "failure" },
  success: { stroke: "var(--dc-edge-success)", width: 1.4, dash: "5 4", marker: "success" },
  aggregate: { stroke: "var(--dc-edge-produce)", width: 2.2, marker: "produce" },
};

export function edgeVariant(type: DesignEdgeType | undefined, data: DesignEdgeData | undefined): EdgeVariant {
  switch (type) {
    case "call":
      return data?.origin === "model" && data.model.kind === "call" && data.model.mode === "async" ? "call-async" : "call-sync";
    case "trigger":
    case "produce":
    case "access":
    case "failure":
    case "success":
    case "aggregate":
      return type;
    default:
      return "produce";
  }
}

/** Ids of the shared arrowhead markers; one canvas per page, so fixed ids are enough. */
export const markerId = (name: MarkerName) => `topo-design-arrow-${name}`;
