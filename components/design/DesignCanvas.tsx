"use client";
/**
 * The Design tab's canvas: a read-only view of one topology revision. The model is the source of
 * truth; `topologyToFlow` draws it, `layoutTopology` fills in positions when the document has none
 * (or unusable ones), and the inspector lists the selected element's fields.
 *
 * It opens on the whole graph when that is readable (fitView), otherwise at a readable zoom from
 * the graph's left edge (`openingViewport`); the fit-view button and the minimap show the rest.
 * "Automatic layout" previews the ELK layout without saving it.
 *
 * Structured for the editor to come: flow state lives in one place (`CanvasView`), selection is
 * a model id, and the inspector renders rows computed from the model, not from React Flow.
 */
import "@xyflow/react/dist/style.css";
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useEdgesState,
  useNodesState,
  useStoreApi,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { Topology } from "@/server/model/schema";
import { EdgeMarkers, edgeTypes } from "./edges";
import { Inspector } from "./Inspector";
import { inspectContext, inspectEdge, inspectNode, inspectReference, type Inspected } from "./inspector-fields";
import { layoutReason, layoutTopology } from "./layout";
import { openingViewport, unionBox } from "./geometry";
import { Legend } from "./Legend";
import { nodeTypes } from "./nodes";
import { topologyToFlow } from "./to-flow";
import type { DesignFlowEdge, DesignFlowNode, Selection } from "./types";
import styles from "./design.module.css";

export interface DesignCanvasProps {
  projectId: string;
  revision: number;
  topology: Topology;
}

type Placed =
  | { status: "ready"; topology: Topology; laidOutBecause: string | null; /** The saved positions cannot be used. */ required: boolean }
  | { status: "pending" }
  | { status: "error"; message: string };

/**
 * The topology with usable positions: as saved, or laid out by ELK when they are missing or
 * unusable, or when the viewer asks for the automatic layout (a preview; nothing is saved).
 */
function usePlacedTopology(topology: Topology, automatic: boolean): Placed {
  const needed = useMemo(() => layoutReason(topology), [topology]);
  const reason = needed ?? (automatic ? "preview, not saved" : null);
  const [result, setResult] = useState<{ for: Topology; laid?: Topology; error?: string } | null>(null);
  useEffect(() => {
    if (!reason) return;
    let live = true;
    layoutTopology(topology).then(
      (laid) => live && setResult({ for: topology, laid }),
      (e: unknown) => live && setResult({ for: topology, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [topology, reason]);
  if (!reason) return { status: "ready", topology, laidOutBecause: null, required: false };
  if (result?.for !== topology) return { status: "pending" };
  if (result.laid) return { status: "ready", topology: result.laid, laidOutBecause: reason, required: needed !== null };
  return { status: "error", message: result.error ?? "unknown error" };
}

const FIT_VIEW_OPTIONS = { padding: 0.04, maxZoom: 1 };
const MINIMAP_STYLE = { width: 180, height: 110 };

export function DesignCanvas({ projectId, revision, topology }: DesignCanvasProps) {
  const [automatic, setAutomatic] = useState(false);
  const placed = usePlacedTopology(topology, automatic);
  const toggleAutomatic = useCallback(() => setAutomatic((a) => !a), []);
  return (
    <div data-testid="design-canvas" className={styles.root} data-project-id={projectId} data-revision={revision}>
      <EdgeMarkers />
      {placed.status === "ready" ? (
        <ReactFlowProvider>
          {/* A new revision remounts the view: fresh selection, fitted viewport. */}
          <CanvasView
            key={`${projectId}:${revision}:${placed.laidOutBecause ? "auto" : "saved"}`}
            topology={placed.topology}
            laidOutBecause={placed.laidOutBecause}
            layoutToggle={placed.required ? null : { automatic, onToggle: toggleAutomatic }}
          />
        </ReactFlowProvider>
      ) : placed.status === "pending" ? (
        <p className={styles.status} role="status">
          Laying out the topology…
        </p>
      ) : (
        <p className={styles.error} role="alert">
          The topology could not be laid out automatically ({placed.message}). Give its nodes positions, or reload to try again.
        </p>
      )}
    </div>
  );
}

interface CanvasViewProps {
  topology: Topology;
  laidOutBecause: string | null;
  /** Switch between the saved positions and the automatic layout; null when only the latter works. */
  layoutToggle: { automatic: boolean; onToggle: () => void } | null;
}

function CanvasView({ topology, laidOutBecause, layoutToggle }: CanvasViewProps) {
  const flow = useMemo(() => topologyToFlow(topology), [topology]);
  // Nodes stay draggable to look around a crowded area, but moves are not saved: this view is
  // read-only until the editor lands (it will write positions back through the store).
  const [nodes, setNodes, onNodesChange] = useNodesState<DesignFlowNode>(flow.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState<DesignFlowEdge>(flow.edges);
  useEffect(() => {
    setNodes(flow.nodes);
    setEdges(flow.edges);
  }, [flow, setNodes, setEdges]);

  const [selection, setSelection] = useState<Selection>(null);
  const onSelectionChange = useCallback(({ nodes: n, edges: e }: OnSelectionChangeParams) => {
    if (n.length === 1 && e.length === 0) setSelection({ type: "node", id: n[0].id });
    else if (e.length === 1 && n.length === 0) setSelection({ type: "edge", id: e[0].id });
    else setSelection(null);
  }, []);

  const store = useStoreApi();
  const clearSelection = useCallback(() => store.getState().resetSelectedElements(), [store]);
  const onKeyDown = useCallback(
    (ev: KeyboardEvent) => {
      if (ev.key === "Escape") clearSelection();
    },
    [clearSelection],
  );

  // The opening viewport needs the canvas size, read before the first paint so nothing jumps.
  const area = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const el = area.current;
    if (el) setSize({ width: el.clientWidth, height: el.clientHeight });
  }, []);
  const opening = useMemo(() => {
    if (!size) return undefined;
    // Children sit inside their context boxes, so top-level nodes bound the whole graph.
    const bounds = unionBox(flow.nodes.filter((n) => !n.parentId).map((n) => ({ x: n.position.x, y: n.position.y, width: n.width ?? 0, height: n.height ?? 0 })));
    return bounds ? openingViewport(bounds, size) : undefined;
  }, [flow, size]);

  const inspected = useMemo(() => inspectSelection(selection, topology, flow.edges), [selection, topology, flow.edges]);
  const nodeKind = selection?.type === "node" ? topology.nodes.find((n) => n.id === selection.id)?.kind : undefined;

  return (
    <>
      <div className={styles.flowArea} onKeyDown={onKeyDown} ref={area}>
        {size && (
          <ReactFlow<DesignFlowNode, DesignFlowEdge>
            className={styles.flow}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onSelectionChange={onSelectionChange}
            onlyRenderVisibleElements
            zIndexMode="manual"
            defaultViewport={opening}
            fitView={!opening}
            fitViewOptions={FIT_VIEW_OPTIONS}
            minZoom={0.1}
            maxZoom={2.5}
            nodesDraggable
            nodesConnectable={false}
            edgesReconnectable={false}
            deleteKeyCode={null}
            aria-label={`Design canvas of ${topology.name}`}
          >
            <Background variant={BackgroundVariant.Dots} gap={22} size={1.2} />
            <MiniMap pannable zoomable ariaLabel="Overview of the topology" nodeColor={minimapColor} nodeStrokeWidth={0} style={MINIMAP_STYLE} />
            <Controls showInteractive={false} fitViewOptions={FIT_VIEW_OPTIONS} />
            <Panel position="top-left">
              <Legend />
            </Panel>
            {layoutToggle && (
              <Panel position="top-right">
                <button
                  type="button"
                  className={styles.toolButton}
                  aria-pressed={layoutToggle.automatic}
                  onClick={layoutToggle.onToggle}
                  title="Preview the automatic layout (ELK, left to right, contexts kept together); nothing is saved"
                >
                  Automatic layout
                </button>
              </Panel>
            )}
            {laidOutBecause && (
              <Panel position="top-center">
                <p className={styles.note} role="status">
                  Laid out automatically: {laidOutBecause}.
                </p>
              </Panel>
            )}
          </ReactFlow>
        )}
      </div>
      {inspected && <Inspector inspected={inspected} nodeKind={nodeKind} onClose={clearSelection} />}
    </>
  );
}

/** Contexts show in their colour on the minimap, nodes in a neutral tone. */
function minimapColor(node: DesignFlowNode): string {
  return node.type === "context" ? `${node.data.model.color}40` : "var(--dc-border-strong)";
}

function inspectSelection(selection: Selection, topology: Topology, edges: DesignFlowEdge[]): Inspected | null {
  if (!selection) return null;
  if (selection.type === "node") {
    const node = topology.nodes.find((n) => n.id === selection.id);
    if (node) return inspectNode(node, topology);
    const context = topology.contexts.find((c) => c.id === selection.id);
    return context ? inspectContext(context, topology) : null;
  }
  const edge = edges.find((e) => e.id === selection.id);
  if (!edge?.data) return null;
  return edge.data.origin === "model" ? inspectEdge(edge.data.model, topology) : inspectReference(edge.id, edge.data, edge.source, edge.target, topology);
}
