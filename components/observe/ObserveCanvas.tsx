"use client";
/**
 * The Design tab's topology, alive: the same node and edge components (components/design), read
 * only, with live figures drawn through their overlay slots. Function nodes show invocations per
 * minute, error %, p95 and cold starts; queues their depth (dead-letter queues in red when
 * anything waits); trigger edges their throughput and lag, coloured by the consumer's status.
 *
 * The canvas is laid out once per topology; polling changes only the live data, which reaches
 * the overlays through `LiveContext`, so a poll re-renders the figures, never the graph.
 * A click (or Enter on a focused node or edge) asks the parent to open that element's panel.
 */
import "@xyflow/react/dist/style.css";
import { Panel, ReactFlow, ReactFlowProvider, useReactFlow, useStore, type EdgeChange, type NodeChange } from "@xyflow/react";
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { DesignStoreContext, useDesign } from "@/components/design/context";
import { EdgeOverlayContext, edgeTypes, type EdgeOverlay } from "@/components/design/edges";
import { LOD_ZOOM } from "@/components/design/geometry";
import { useOpeningView } from "@/components/design/useOpeningView";
import { layoutReason, layoutTopology } from "@/components/design/layout";
import { CanvasChrome, SHARED_FLOW_PROPS } from "@/components/design/CanvasChrome";
import { CanvasRuntimeContext, ContextOverlayContext, NodeOverlayContext, nodeTypes, type CanvasRuntime, type ContextOverlay, type NodeOverlay } from "@/components/design/nodes";
import { createDesignStore } from "@/components/design/store";
import { createFlowCache, markSelected, topologyToFlow } from "@/components/design/to-flow";
import type { DesignFlowEdge, DesignFlowNode } from "@/components/design/types";
import designStyles from "@/components/design/design.module.css";
import type { Topology } from "@/server/model/schema";
import type { Snapshot } from "@/server/observe/types";
import { changedIds, contextLine, functionChips, newsSignatures, queueChips, triggerLabel, type Chip } from "./present";
import styles from "./observe.module.css";

/** What was clicked: a function, a queue (a dead-letter queue opens the DLQ browser) or a trigger edge. */
export type ObserveSelection = { kind: "function" | "queue"; id: string } | { kind: "trigger"; id: string } | null;

interface Live {
  snapshot: Snapshot | undefined;
  /** Ids whose figures changed in the last poll: they flash once. */
  changed: ReadonlySet<string>;
  /** Per context: its member nodes and the triggers into them (for its summary's totals). */
  contexts: ReadonlyMap<string, { members: string[]; triggers: string[] }>;
}
const LiveContext = createContext<Live>({ snapshot: undefined, changed: new Set(), contexts: new Map() });

export interface ObserveCanvasProps {
  topology: Topology;
  revision: number;
  snapshot: Snapshot | undefined;
  selected: ObserveSelection;
  onSelect: (s: ObserveSelection) => void;
  /** Above the canvas, inside its frame (legend of the figures). */
  children?: ReactNode;
}

export function ObserveCanvas({ topology, revision, snapshot, selected, onSelect, children }: ObserveCanvasProps) {
  // The design store holds the document (and the collapsed contexts) so the design components
  // (finding badges, minimap) work unchanged; nothing here saves it.
  const [store, setStore] = useState(() => ({ of: topology, store: createDesignStore({ doc: topology, revision }) }));
  if (store.of !== topology) setStore({ of: topology, store: createDesignStore({ doc: topology, revision }) });
  const [phase, setPhase] = useState<{ of: Topology; status: "ready" | "layout" | "error"; message?: string }>(() => ({ of: topology, status: layoutReason(topology) ? "layout" : "ready" }));
  if (phase.of !== topology) setPhase({ of: topology, status: layoutReason(topology) ? "layout" : "ready" });
  useEffect(() => {
    if (phase.status !== "layout") return;
    let live = true;
    layoutTopology(topology).then(
      (laid) => {
        if (!live) return;
        store.store.getState().adoptGeometry(laid);
        setPhase({ of: topology, status: "ready" });
      },
      (e: unknown) => live && setPhase({ of: topology, status: "error", message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [phase.status, store, topology]);

  const changed = useChangedIds(snapshot);
  const contexts = useMemo(() => {
    const out = new Map<string, { members: string[]; triggers: string[] }>();
    const contextOf = new Map<string, string>();
    for (const n of topology.nodes) {
      if (!n.contextId) continue;
      contextOf.set(n.id, n.contextId);
      const c = out.get(n.contextId) ?? { members: [], triggers: [] };
      c.members.push(n.id);
      out.set(n.contextId, c);
    }
    for (const e of topology.edges) {
      const c = e.kind === "trigger" ? contextOf.get(e.target) : undefined;
      if (c) out.get(c)!.triggers.push(e.id);
    }
    return out;
  }, [topology]);
  const live = useMemo(() => ({ snapshot, changed, contexts }), [snapshot, changed, contexts]);

  return (
    <DesignStoreContext.Provider value={store.store}>
      <ReactFlowProvider>
        <div className={`${designStyles.root} ${styles.canvasRoot}`} data-testid="observe-canvas">
          {children}
          {phase.status === "ready" ? (
            <LiveContext.Provider value={live}>
              <FlowView selected={selected} onSelect={onSelect} />
            </LiveContext.Provider>
          ) : phase.status === "layout" ? (
            <p className={designStyles.status} role="status">
              Laying out the topology…
            </p>
          ) : (
            <p className={designStyles.error} role="alert">
              The topology could not be laid out automatically ({phase.message}). Give its nodes positions on the Design tab.
            </p>
          )}
        </div>
      </ReactFlowProvider>
    </DesignStoreContext.Provider>
  );
}

/**
 * Ids with news since the previous snapshot, which flash once: a function with new errors or
 * cold starts, a dead-letter queue whose depth changed, a trigger whose status changed. Figures
 * that merely tick (rates, durations) do not flash, or a busy canvas would pulse every poll.
 */
function useChangedIds(snapshot: Snapshot | undefined): ReadonlySet<string> {
  const prev = useRef<Map<string, string>>(new Map());
  return useMemo(() => {
    if (!snapshot) return new Set<string>();
    const next = newsSignatures(snapshot);
    const out = changedIds(prev.current, next);
    prev.current = next;
    return out;
  }, [snapshot]);
}

const overviewSelector = (s: { transform: [number, number, number] }) => s.transform[2] < LOD_ZOOM;
const FIT_VIEW_OPTIONS = { padding: 0.06, maxZoom: 1 };

function FlowView({ selected, onSelect }: { selected: ObserveSelection; onSelect: (s: ObserveSelection) => void }) {
  const store = useContext(DesignStoreContext)!;
  const doc = useDesign((s) => s.doc);
  const overview = useStore(overviewSelector);
  const detailCache = useRef(createFlowCache());
  const overviewCache = useRef(createFlowCache());
  const flow = useMemo(() => topologyToFlow(doc, overview ? overviewCache.current : detailCache.current, overview ? "overview" : "detail"), [doc, overview]);
  const ids = useMemo(() => new Set(selected ? [selected.id] : []), [selected]);
  const nodeMarks = useRef(new WeakMap<DesignFlowNode, DesignFlowNode>());
  const edgeMarks = useRef(new WeakMap<DesignFlowEdge, DesignFlowEdge>());
  const nodes = useMemo(() => markSelected(flow.nodes, ids, nodeMarks.current), [flow.nodes, ids]);
  const edges = useMemo(() => markSelected(flow.edges, ids, edgeMarks.current), [flow.edges, ids]);

  const { area, size, view } = useOpeningView(flow.nodes);
  const docRef = useRef(doc);
  docRef.current = doc;
  const select = useCallback(
    (id: string) => {
      const d = docRef.current;
      const node = d.nodes.find((n) => n.id === id);
      if (node?.kind === "function") return onSelect({ kind: "function", id });
      if (node?.kind === "queue") return onSelect({ kind: "queue", id });
      const edge = d.edges.find((e) => e.id === id);
      if (edge?.kind === "trigger") return onSelect({ kind: "trigger", id });
    },
    [onSelect],
  );
  // Clicks and Enter on a focused element arrive as selection changes (React Flow's keyboard a11y).
  const onNodesChange = useCallback(
    (changes: NodeChange<DesignFlowNode>[]) => {
      for (const c of changes) if (c.type === "select" && c.selected) select(c.id);
    },
    [select],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<DesignFlowEdge>[]) => {
      for (const c of changes) if (c.type === "select" && c.selected) select(c.id);
    },
    [select],
  );

  // When a panel opens or closes the canvas changes width: fit the graph again, unless the
  // viewer has panned or zoomed (then their view is theirs).
  const rf = useReactFlow<DesignFlowNode, DesignFlowEdge>();
  const userMoved = useRef(false);
  // onMove, not onMoveStart: a click on a node starts a (zero) pan gesture too.
  const onMove = useCallback((event: MouseEvent | TouchEvent | null) => {
    if (event) userMoved.current = true;
  }, []);
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    let last = el.clientWidth;
    const ro = new ResizeObserver(() => {
      if (Math.abs(el.clientWidth - last) < 8) return;
      last = el.clientWidth;
      // Never below the overview threshold: the figures are what this canvas is for.
      if (!userMoved.current) void rf.fitView({ ...FIT_VIEW_OPTIONS, minZoom: LOD_ZOOM + 0.05, duration: 200 });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [rf]);

  const runtime = useMemo<CanvasRuntime>(() => ({ overview, resizeStart() {}, resizeEnd() {}, toggleCollapsed: (id) => store.getState().toggleCollapsed(id) }), [overview, store]);


  return (
    <div className={`${designStyles.flowArea} ${styles.flowArea}`} ref={area}>
      <CanvasRuntimeContext.Provider value={runtime}>
        <NodeOverlayContext.Provider value={nodeOverlay}>
          <ContextOverlayContext.Provider value={contextOverlay}>
          <EdgeOverlayContext.Provider value={edgeOverlay}>
            {size && view && (
              <ReactFlow<DesignFlowNode, DesignFlowEdge>
                className={`${designStyles.flow} ${styles.flow}`}
                nodes={nodes}
                edges={edges}
                nodeTypes={nodeTypes}
                edgeTypes={edgeTypes}
                onNodesChange={onNodesChange}
                onEdgesChange={onEdgesChange}
                onMove={onMove}
                {...SHARED_FLOW_PROPS}
                onlyRenderVisibleElements
                defaultViewport={view.viewport}
                fitView={!view.viewport}
                fitViewOptions={FIT_VIEW_OPTIONS}
                minZoom={view.minZoom}
                nodesDraggable={false}
                nodesConnectable={false}
                multiSelectionKeyCode={null}
                selectionKeyCode={null}
                aria-label="Live topology"
              >
                <CanvasChrome fitViewOptions={FIT_VIEW_OPTIONS} />
                <Panel position="top-right">
                  <FiguresKey />
                </Panel>
                {overview && (
                  <Panel position="bottom-center">
                    <p className={designStyles.note}>Overview: each context shows its totals; zoom in for every element&apos;s figures.</p>
                  </Panel>
                )}
              </ReactFlow>
            )}
          </EdgeOverlayContext.Provider>
          </ContextOverlayContext.Provider>
        </NodeOverlayContext.Provider>
      </CanvasRuntimeContext.Provider>
    </div>
  );
}

// Module scope: stable identities, so providing them never re-renders the graph.
const nodeOverlay: NodeOverlay = (node, id) => (node.kind === "function" || node.kind === "queue" ? <NodeFigures id={id} kind={node.kind} /> : null);
const edgeOverlay: EdgeOverlay = (edge, id) => (edge.kind === "trigger" ? <EdgeFigures id={id} /> : null);
const contextOverlay: ContextOverlay = (_context, id) => <ContextFigures id={id} />;

function ContextFigures({ id }: { id: string }) {
  const { snapshot, contexts } = useContext(LiveContext);
  const { overview } = useContext(CanvasRuntimeContext);
  const c = contexts.get(id);
  const line = snapshot && c ? contextLine(snapshot, c.members, c.triggers) : null;
  if (!line) return null;
  return (
    <span className={`${styles.contextLive} ${overview ? styles.contextLiveOverview : ""} ${styles[`tone_${line.tone}`]}`} data-testid={`context-live-${id}`} title={line.title}>
      {line.text}
    </span>
  );
}

function Chips({ chips, id, testId, stale }: { chips: Chip[]; id: string; testId: string; stale: boolean }) {
  const { changed } = useContext(LiveContext);
  const label = chips.map((c) => c.title).join("; ");
  return (
    <span className={`${styles.chips} ${changed.has(id) ? styles.flash : ""} ${stale ? styles.chipsStale : ""}`} data-testid={testId} data-id={id} title={label} aria-label={label}>
      {chips.map((c) => (
        <span key={`${c.key}-${changed.has(id) ? "n" : "o"}`} className={`${styles.chip} ${styles[`tone_${c.tone}`]}`} data-chip={c.key}>
          {c.text}
        </span>
      ))}
      {stale && (
        <span className={styles.staleDot} aria-hidden="true">
          !
        </span>
      )}
    </span>
  );
}

function NodeFigures({ id, kind }: { id: string; kind: "function" | "queue" }) {
  const { snapshot } = useContext(LiveContext);
  if (kind === "function") {
    const f = snapshot?.functions[id];
    if (!f) return <span className={styles.noData}>{snapshot ? "no data" : "…"}</span>;
    return <Chips chips={functionChips(f)} id={id} testId={`node-live-${id}`} stale={!!f.freshness.problem} />;
  }
  const q = snapshot?.queues[id];
  if (!q) return null;
  return <Chips chips={queueChips(q)} id={id} testId={`node-live-${id}`} stale={!!q.freshness.problem} />;
}

function EdgeFigures({ id }: { id: string }) {
  const { snapshot, changed } = useContext(LiveContext);
  const t = snapshot?.triggers[id];
  if (!t) return null;
  const label = triggerLabel(t);
  return (
    <span
      className={`${styles.edgeLive} ${styles[`tone_${label.tone}`]} ${changed.has(id) ? styles.flash : ""}`}
      data-testid={`edge-live-${id}`}
      data-status={label.status}
      title={label.title}
    >
      {label.text}
    </span>
  );
}

/** What the figures on the canvas mean, folded by default. */
function FiguresKey() {
  return (
    <details className={designStyles.legend} data-testid="observe-key">
      <summary>Figures</summary>
      <dl className={styles.key}>
        <dt>Functions</dt>
        <dd>invocations per minute · error % · p95 duration · ❄ cold starts over the window</dd>
        <dt>Queues</dt>
        <dd>messages waiting and in flight; on a dead-letter queue, dead letters (red when any)</dd>
        <dt>Triggers</dt>
        <dd>
          throughput · lag (↑ rising, ↓ falling) · status: <span className={styles.tone_ok}>OK</span>, <span className={styles.tone_warn}>WARN</span> growing,{" "}
          <span className={styles.tone_bad}>STALL</span> not moving, <span className={styles.tone_bad}>STOP</span> not committing
        </dd>
        <dt>!</dt>
        <dd>the last read failed: the figure is the last good one (open the panel for why)</dd>
      </dl>
      <p className={styles.keyHint}>Click a function, trigger or queue (or Tab to it and press Enter) for its panel.</p>
    </details>
  );
}
