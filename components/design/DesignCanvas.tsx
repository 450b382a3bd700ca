"use client";
/**
 * The Design tab's editor. The topology document lives in one store (store.ts); the canvas is a
 * view derived from it by `topologyToFlow` (to-flow.ts), element by element, so an edit redraws
 * what it touched. React Flow owns only what is in flight: a drag or a resize moves nodes in
 * local state, and the store receives the result when it ends (one undo step).
 *
 * Around the canvas: the toolbar (undo/redo, context, layout, search, findings, export), the
 * palette (drag a kind onto the canvas, or Enter), the inspector (a form from the zod schemas)
 * or the findings panel, banners for saving problems, and keyboard shortcuts (README.md).
 *
 * Scale: only visible elements are rendered; node sizes and handles are declared up front; below
 * `LOD_ZOOM` the canvas switches to the overview (contexts as summaries, members as one SVG of
 * light shapes, edges between contexts aggregated, no labels), so a 5,000-function topology pans
 * at fit without 13,000 DOM elements.
 */
import "@xyflow/react/dist/style.css";
import {
  ConnectionMode,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  getBezierPath,
  getNodesBounds,
  getViewportForBounds,
  useReactFlow,
  useStore,
  type Connection,
  type ConnectionLineComponentProps,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
} from "@xyflow/react";
import { toPng, toSvg } from "html-to-image";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { inferEdgeKind } from "../../server/model/graph";
import type { NodeKind, Topology } from "../../server/model/schema";
import { Banners, SaveStatus } from "./Banners";
import { DesignStoreContext, useDesign, useDesignStore } from "./context";
import { edgeTypes } from "./edges";
import { FindingsPanel } from "./FindingsPanel";
import { LOD_ZOOM, NODE_HEIGHT, NODE_WIDTH } from "./geometry";
import { useOpeningView } from "./useOpeningView";
import { Inspector } from "./Inspector";
import { layoutReason, layoutSelection, layoutTopology } from "./layout";
import { MermaidDialog } from "./MermaidDialog";
import { CanvasChrome, SHARED_FLOW_PROPS } from "./CanvasChrome";
import { CanvasRuntimeContext, nodeTypes, type CanvasRuntime } from "./nodes";
import { contextAt, freeSpot, parseClipboard, parseReferenceId } from "./operations";
import { Palette } from "./Palette";
import { PALETTE_MIME } from "./palette";
import { useAutosave, useFindingsRunner } from "./persistence";
import { SearchDialog } from "./SearchDialog";
import { createDesignStore, type DesignStore } from "./store";
import { contextBoxes, createFlowCache, drawnContextBox, markSelected, nodeBox, topologyToFlow } from "./to-flow";
import { toMermaid } from "./mermaid";
import { Toolbar } from "./Toolbar";
import type { DesignFlowEdge, DesignFlowNode } from "./types";
import styles from "./design.module.css";

export interface DesignCanvasProps {
  projectId: string;
  /** The revision `topology` is; edits are saved as revisions on top of it. */
  revision: number;
  topology: Topology;
  /** Rendered inside the editor's store provider, above the canvas (the page's summary bar). */
  header?: ReactNode;
  /** Save edits automatically (default true). */
  autosave?: boolean;
}

type Phase = { status: "ready"; laidOutBecause: string | null } | { status: "layout" } | { status: "error"; message: string };

/**
 * The editor for one project. It starts from `topology` (revision `revision`) and from then on
 * owns the document: later props do not replace it (a newer revision arrives through "load
 * theirs" after a conflict, never silently).
 */
export function DesignCanvas({ projectId, revision, topology, header, autosave = true }: DesignCanvasProps) {
  const [store] = useState(() => createDesignStore({ doc: topology, revision }));
  const [phase, setPhase] = useState<Phase>(() => (layoutReason(topology) ? { status: "layout" } : { status: "ready", laidOutBecause: null }));
  useEffect(() => {
    if (phase.status !== "layout") return;
    let live = true;
    const reason = layoutReason(topology);
    layoutTopology(topology).then(
      (laid) => {
        if (!live) return;
        // Positions from the layout are not an edit: they are saved with the next change.
        store.getState().adoptGeometry(laid);
        setPhase({ status: "ready", laidOutBecause: reason });
      },
      (e: unknown) => live && setPhase({ status: "error", message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [phase.status, store, topology]);

  const rootRef = useRef<HTMLDivElement>(null);
  const sized = useFillViewport(rootRef);
  return (
    <DesignStoreContext.Provider value={store}>
      {header}
      <ReactFlowProvider>
        <div data-testid="design-canvas" className={styles.root} data-project-id={projectId} ref={rootRef}>
          {!sized ? null : phase.status === "ready" ? (
            <Editor projectId={projectId} laidOutBecause={phase.laidOutBecause} autosave={autosave} showStatus={!header} />
          ) : phase.status === "layout" ? (
            <p className={styles.status} role="status">
              Laying out the topology…
            </p>
          ) : (
            <p className={styles.error} role="alert">
              The topology could not be laid out automatically ({phase.message}). Give its nodes positions, or reload to try again.
            </p>
          )}
        </div>
      </ReactFlowProvider>
    </DesignStoreContext.Provider>
  );
}

export { SaveStatus };

/**
 * The editor takes the height left in the window below it, so the canvas, the palette and the
 * inspector scroll inside it and the page itself does not.
 */
function useFillViewport(ref: RefObject<HTMLDivElement | null>): boolean {
  // The editor renders once the height is set, so the canvas measures its final size once.
  const [sized, setSized] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      el.style.height = `max(520px, calc(100dvh - ${Math.round(top) + 12}px))`;
    };
    fit();
    setSized(true);
    window.addEventListener("resize", fit);
    return () => window.removeEventListener("resize", fit);
  }, [ref]);
  return sized;
}

/** Whether a key event comes from a field the user types in (shortcuts then belong to the field). */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

const mod = (e: { metaKey: boolean; ctrlKey: boolean }) => e.metaKey || e.ctrlKey;

/** The last copied elements, for the Paste button when the system clipboard cannot be read. */
let lastCopied: string | null = null;

type ExportFormat = "png" | "svg";

function Editor({ projectId, laidOutBecause, autosave, showStatus }: { projectId: string; laidOutBecause: string | null; autosave: boolean; showStatus: boolean }) {
  const store = useDesignStore();
  const rf = useReactFlow<DesignFlowNode, DesignFlowEdge>();
  const rootRef = useRef<HTMLDivElement>(null);
  useAutosave(projectId, autosave);
  useFindingsRunner();

  const [paletteOpen, setPaletteOpen] = useState(true);
  const [findingsOpen, setFindingsOpen] = useState(false);
  const [searchOpen, setSearchOpen] = useState(false);
  const [mermaid, setMermaid] = useState<string | null>(null);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const selectionSize = useDesign((s) => s.selection.size);

  /** Centres an element, selects it and gives it keyboard focus. */
  const jumpTo = useCallback(
    (id: string, opts: { select?: boolean } = {}) => {
      const s = store.getState();
      const doc = s.doc;
      const ref = parseReferenceId(id);
      const center = elementCenter(doc, ref ? ref.ownerId : id);
      if (opts.select !== false) s.select([id]);
      if (center) rf.setCenter(center.x, center.y, { zoom: Math.max(rf.getZoom(), 0.9), duration: 250 });
      setTimeout(() => {
        const el = rootRef.current?.querySelector<HTMLElement>(`.react-flow [data-id="${CSS.escape(id)}"]`);
        el?.focus({ preventScroll: true });
      }, 320);
    },
    [rf, store],
  );

  /** Where a new node goes: into the selected context (or the selected node's), else near the middle of the view. */
  const placeNew = useCallback((): { position?: { x: number; y: number }; contextId: string | null } => {
    const s = store.getState();
    const doc = s.doc;
    for (const id of s.selection) {
      const c = doc.contexts.find((x) => x.id === id);
      if (c) return { contextId: c.id };
      const n = doc.nodes.find((x) => x.id === id);
      if (n?.contextId) return { contextId: n.contextId };
    }
    const rect = rootRef.current?.querySelector(".react-flow")?.getBoundingClientRect();
    const mid = rect ? rf.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
    const near = { x: mid.x - NODE_WIDTH / 2, y: mid.y - NODE_HEIGHT / 2 };
    return { position: freeSpot(doc, near, undefined), contextId: null };
  }, [rf, store]);

  const addFromPalette = useCallback(
    (kind: NodeKind | "context", viaKeyboard: boolean) => {
      const s = store.getState();
      let id: string;
      if (kind === "context") {
        const rect = rootRef.current?.querySelector(".react-flow")?.getBoundingClientRect();
        const mid = rect ? rf.screenToFlowPosition({ x: rect.left + rect.width / 3, y: rect.top + rect.height / 3 }) : { x: 0, y: 0 };
        id = s.addContext({ position: mid });
      } else {
        id = s.addNode(kind, placeNew());
      }
      const center = elementCenter(store.getState().doc, id);
      if (center && !isOnScreen(rf, center)) rf.setCenter(center.x, center.y, { zoom: Math.max(rf.getZoom(), 0.8), duration: 200 });
      setFindingsOpen(false);
      // From the keyboard, continue in the inspector: the name field, to type the name.
      if (viaKeyboard) setTimeout(() => rootRef.current?.querySelector<HTMLElement>("[data-first-field]")?.focus(), 60);
    },
    [placeNew, rf, store],
  );

  const tidy = useCallback(
    async (ids: string[]) => {
      const s = store.getState();
      const positions = await layoutSelection(s.doc, ids);
      if (positions.size) store.getState().applyPositions(positions, `Tidy ${positions.size} nodes`);
    },
    [store],
  );

  const autoLayout = useCallback(async () => {
    const laid = await layoutTopology(store.getState().doc);
    store.getState().applyLayout(laid, "Automatic layout");
    setTimeout(() => rf.fitView({ padding: 0.04, maxZoom: 1, duration: 250 }), 50);
  }, [rf, store]);

  const copy = useCallback(() => {
    const clip = store.getState().copy();
    if (!clip) return null;
    lastCopied = JSON.stringify(clip);
    return lastCopied;
  }, [store]);

  const pasteText = useCallback(
    (text: string | null) => {
      const clip = text ? parseClipboard(text) : null;
      if (!clip) {
        store.getState().notify({ tone: "info", title: "Nothing to paste", detail: "Copy nodes or contexts first (Ctrl/Cmd+C); the clipboard holds them as JSON." });
        return;
      }
      const s = store.getState();
      // Pasting into the project they came from: next to the originals. Elsewhere: in the middle of the view.
      const here = clip.nodes.some((n) => s.doc.nodes.some((m) => m.id === n.id));
      const rect = rootRef.current?.querySelector(".react-flow")?.getBoundingClientRect();
      const at = rect ? rf.screenToFlowPosition({ x: rect.left + rect.width / 3, y: rect.top + rect.height / 3 }) : undefined;
      s.paste(clip, here || !at ? { offset: { x: 40, y: 40 } } : { at });
    },
    [rf, store],
  );

  const pasteFromClipboard = useCallback(async () => {
    let text: string | null = null;
    try {
      text = await navigator.clipboard.readText();
    } catch {
      text = lastCopied;
    }
    pasteText(text && parseClipboard(text) ? text : lastCopied);
  }, [pasteText]);

  // System clipboard through the copy/cut/paste events: no permission needed, works across tabs and projects.
  useEffect(() => {
    const within = () => !!rootRef.current && rootRef.current.contains(document.activeElement) && !isTyping(document.activeElement);
    const onCopy = (e: ClipboardEvent) => {
      if (!within()) return;
      const text = copy();
      if (!text) return;
      e.clipboardData?.setData("text/plain", text);
      e.preventDefault();
      if (e.type === "cut") store.getState().deleteElements();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (!within()) return;
      e.preventDefault();
      pasteText(e.clipboardData?.getData("text/plain") || lastCopied);
    };
    document.addEventListener("copy", onCopy);
    document.addEventListener("cut", onCopy);
    document.addEventListener("paste", onPaste);
    return () => {
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("cut", onCopy);
      document.removeEventListener("paste", onPaste);
    };
  }, [copy, pasteText, store]);

  // Ctrl/Cmd+K anywhere on the page opens the search.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (mod(e) && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setSearchOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  /** Enter on a node that was already selected moves focus into the inspector. */
  const enterOnSelected = useRef(false);
  const onKeyDownCapture = (e: KeyboardEvent) => {
    const id = (e.target as HTMLElement).getAttribute?.("data-id");
    enterOnSelected.current = e.key === "Enter" && !!id && store.getState().selection.has(id);
  };

  // Shortcuts apply when focus is in the editor, or nowhere (after a click on the empty pane,
  // focus falls back to the page body), never while typing in a field.
  const dialogs = useRef({ search: false, mermaid: false });
  dialogs.current = { search: searchOpen, mermaid: mermaid !== null };
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const active = document.activeElement;
      const inEditor = !!rootRef.current && (rootRef.current.contains(active) || active === document.body || active === null);
      if (!inEditor || e.defaultPrevented) return;
      const s = store.getState();
      if (e.key === "Escape") {
        if (dialogs.current.search || dialogs.current.mermaid) return;
        if (!isTyping(e.target) || (e.target as HTMLElement).closest("[data-testid=design-inspector]")) {
          s.clearSelection();
          (document.activeElement as HTMLElement | null)?.blur?.();
        }
        return;
      }
      if (isTyping(e.target) || dialogs.current.search || dialogs.current.mermaid) return;
      const key = e.key.toLowerCase();
      if (mod(e) && key === "z") {
        e.preventDefault();
        if (e.shiftKey) s.redo();
        else s.undo();
      } else if (mod(e) && key === "y") {
        e.preventDefault();
        s.redo();
      } else if (mod(e) && key === "d") {
        e.preventDefault();
        s.duplicate();
      } else if (mod(e) && key === "a") {
        e.preventDefault();
        s.selectAll();
      } else if ((e.key === "Delete" || e.key === "Backspace") && !mod(e)) {
        if (s.selection.size) {
          e.preventDefault();
          s.deleteElements();
        }
      } else if (e.key === "Enter" && enterOnSelected.current) {
        enterOnSelected.current = false;
        e.preventDefault();
        setFindingsOpen(false);
        setTimeout(() => rootRef.current?.querySelector<HTMLElement>("[data-first-field]")?.focus(), 0);
      } else if (!mod(e) && !e.altKey && key === "n") {
        e.preventDefault();
        setPaletteOpen(true);
        setTimeout(() => rootRef.current?.querySelector<HTMLElement>("#design-palette-search")?.focus(), 0);
      } else if (!mod(e) && !e.altKey && key === "f" && !e.shiftKey) {
        e.preventDefault();
        rf.fitView({ padding: 0.04, maxZoom: 1, duration: 200 });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rf, store]);

  const exportMermaid = useCallback(() => setMermaid(toMermaid(store.getState().doc)), [store]);
  const projectName = useDesign((s) => s.doc.name);

  const runtime = useMemo(() => ({ projectName }), [projectName]);

  return (
    <div className={styles.editor} ref={rootRef} onKeyDownCapture={onKeyDownCapture}>
      <Toolbar
        paletteOpen={paletteOpen}
        onTogglePalette={() => setPaletteOpen((o) => !o)}
        findingsOpen={findingsOpen}
        onToggleFindings={() => setFindingsOpen((o) => !o)}
        onAddContext={() => addFromPalette("context", false)}
        onAutoLayout={autoLayout}
        onTidy={() => tidy([...store.getState().selection])}
        onSearch={() => setSearchOpen(true)}
        onCopy={() => {
          const text = copy();
          if (text) navigator.clipboard?.writeText(text).catch(() => undefined);
        }}
        onPaste={pasteFromClipboard}
        onExport={(format) => (format === "mermaid" ? exportMermaid() : setExporting(format))}
        exporting={exporting !== null}
        status={showStatus ? <SaveStatus compact /> : null}
      />
      <Banners projectId={projectId} onShowProblems={() => setFindingsOpen(true)} />
      <div className={styles.body}>
        {paletteOpen && <Palette onAdd={addFromPalette} />}
        <FlowView laidOutBecause={laidOutBecause} exporting={exporting} onExported={() => setExporting(null)} projectName={runtime.projectName} onOpenFindings={() => setFindingsOpen(true)} />
        {findingsOpen ? (
          <FindingsPanel
            onClose={() => setFindingsOpen(false)}
            onJump={(id) => {
              setFindingsOpen(false);
              jumpTo(id);
            }}
          />
        ) : (
          selectionSize > 0 && <Inspector onClose={() => store.getState().clearSelection()} onJump={(id) => jumpTo(id)} onTidy={tidy} />
        )}
      </div>
      <NoticeToast />
      {searchOpen && (
        <SearchDialog
          onClose={() => setSearchOpen(false)}
          onPick={(id) => {
            setSearchOpen(false);
            jumpTo(id);
          }}
        />
      )}
      {mermaid !== null && <MermaidDialog text={mermaid} fileName={`${slug(projectName)}.mmd`} onClose={() => setMermaid(null)} />}
    </div>
  );
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "topology";
}

/** The middle of a node, context or edge in flow coordinates (an edge: between its ends). */
function elementCenter(doc: Topology, id: string): { x: number; y: number } | null {
  const node = doc.nodes.find((n) => n.id === id);
  if (node) {
    const ctx = node.contextId ? doc.contexts.find((c) => c.id === node.contextId) : undefined;
    if (ctx?.collapsed) return elementCenter(doc, ctx.id);
    const b = nodeBox(node);
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  }
  const ctx = doc.contexts.find((c) => c.id === id);
  if (ctx) {
    const b = drawnContextBox(ctx, contextBoxes(doc).get(ctx.id)!);
    return { x: b.x + b.width / 2, y: b.y + Math.min(b.height / 2, 200) };
  }
  const edge = doc.edges.find((e) => e.id === id);
  if (edge) {
    const a = elementCenter(doc, edge.source);
    const b = elementCenter(doc, edge.target);
    return a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : (a ?? b);
  }
  return null;
}

function isOnScreen(rf: { getViewport(): { x: number; y: number; zoom: number } }, p: { x: number; y: number }): boolean {
  const { x, y, zoom } = rf.getViewport();
  const el = document.querySelector(".react-flow");
  if (!el) return true;
  const sx = p.x * zoom + x;
  const sy = p.y * zoom + y;
  return sx > 40 && sy > 40 && sx < el.clientWidth - 40 && sy < el.clientHeight - 40;
}

/** A short message after an action (an invalid connection, nothing to paste); it fades after a while. */
function NoticeToast() {
  const notice = useDesign((s) => s.notice);
  const store = useDesignStore();
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => store.getState().notify(null), notice.tone === "error" ? 9_000 : 4_000);
    return () => clearTimeout(t);
  }, [notice, store]);
  if (!notice) return null;
  return (
    <div className={`${styles.notice} ${notice.tone === "error" ? styles.noticeError : ""}`} role={notice.tone === "error" ? "alert" : "status"} data-testid="design-notice">
      <div className={styles.noticeTitle}>{notice.title}</div>
      {notice.detail && <div className={styles.noticeDetail}>{notice.detail}</div>}
      <button type="button" className={styles.close} aria-label="Dismiss" onClick={() => store.getState().notify(null)}>
        ×
      </button>
    </div>
  );
}

const FIT_VIEW_OPTIONS = { padding: 0.04, maxZoom: 1 };

interface FlowViewProps {
  laidOutBecause: string | null;
  exporting: ExportFormat | null;
  onExported: () => void;
  projectName: string;
  onOpenFindings: () => void;
}

/** Overview below LOD_ZOOM (but the export always draws the detail). */
const overviewSelector = (s: { transform: [number, number, number] }) => s.transform[2] < LOD_ZOOM;

function FlowView({ laidOutBecause, exporting, onExported, projectName }: FlowViewProps) {
  const store = useDesignStore();
  const rf = useReactFlow<DesignFlowNode, DesignFlowEdge>();
  const doc = useDesign((s) => s.doc);
  const selection = useDesign((s) => s.selection);
  const zoomedOut = useStore(overviewSelector);
  const overview = zoomedOut && !exporting;

  // Two caches, one per mode, so switching back and forth reuses what was built.
  const detailCache = useRef(createFlowCache());
  const overviewCache = useRef(createFlowCache());
  const flow = useMemo(() => topologyToFlow(doc, overview ? overviewCache.current : detailCache.current, overview ? "overview" : "detail"), [doc, overview]);
  const nodeMarks = useRef(new WeakMap<DesignFlowNode, DesignFlowNode>());
  const edgeMarks = useRef(new WeakMap<DesignFlowEdge, DesignFlowEdge>());
  const baseNodes = useMemo(() => markSelected(flow.nodes, selection, nodeMarks.current), [flow.nodes, selection]);
  const edges = useMemo(() => markSelected(flow.edges, selection, edgeMarks.current), [flow.edges, selection]);

  // React Flow's in-flight moves live here until the gesture ends; any new derivation replaces them.
  const [local, setLocal] = useState({ base: baseNodes, nodes: baseNodes });
  let nodes = local.nodes;
  if (local.base !== baseNodes) {
    nodes = baseNodes;
    setLocal({ base: baseNodes, nodes: baseNodes });
  }
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const indexRef = useRef<{ of: DesignFlowNode[]; map: Map<string, number> } | null>(null);
  const indexOf = (list: DesignFlowNode[]) => {
    if (indexRef.current?.of !== list) indexRef.current = { of: list, map: new Map(list.map((n, i) => [n.id, i] as const)) };
    return indexRef.current.map;
  };

  const dragging = useRef(false);
  const resizing = useRef(false);

  const onNodesChange = useCallback(
    (changes: NodeChange<DesignFlowNode>[]) => {
      const s = store.getState();
      const selects: { id: string; selected: boolean }[] = [];
      const moves: { id: string; position: { x: number; y: number }; dragging?: boolean }[] = [];
      const resizes: NodeChange<DesignFlowNode>[] = [];
      for (const c of changes) {
        if (c.type === "select") selects.push({ id: c.id, selected: c.selected });
        else if (c.type === "position" && c.position) moves.push({ id: c.id, position: c.position, dragging: c.dragging });
        else if (c.type === "dimensions" && c.resizing !== undefined) resizes.push(c);
      }
      if (selects.length) s.setSelected(selects);
      if (moves.length || resizes.length) {
        setLocal((l) => {
          // Fast path for drags: copy the array, replace the moved nodes (no per-node work).
          const next = l.nodes.slice();
          const index = indexOf(l.nodes);
          for (const m of moves) {
            const i = index.get(m.id);
            if (i !== undefined) next[i] = { ...next[i], position: m.position, dragging: m.dragging } as DesignFlowNode;
          }
          const withResizes = resizes.length ? applyNodeChanges(resizes, next) : next;
          indexRef.current = { of: withResizes, map: index };
          return { base: l.base, nodes: withResizes };
        });
      }
      if (moves.some((m) => m.dragging)) dragging.current = true;
      // A drag ends, or arrow keys moved the selection: the store gets absolute positions.
      const done = moves.filter((m) => m.dragging === false);
      if (done.length && !resizing.current) {
        const current = nodesRef.current;
        const index = indexOf(current);
        const absolute = done.map((m) => {
          const n = current[index.get(m.id) ?? -1];
          const parent = n?.parentId ? current[index.get(n.parentId) ?? -1] : undefined;
          return { id: m.id, position: parent ? { x: parent.position.x + m.position.x, y: parent.position.y + m.position.y } : m.position };
        });
        const byKeyboard = !dragging.current;
        dragging.current = false;
        s.moveElements(absolute, { coalesce: byKeyboard });
      }
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<DesignFlowEdge>[]) => {
      const selects = changes.filter((c) => c.type === "select").map((c) => ({ id: c.id, selected: (c as { selected: boolean }).selected }));
      if (selects.length) store.getState().setSelected(selects);
    },
    [store],
  );

  const runtime = useMemo<CanvasRuntime>(
    () => ({
      overview,
      resizeStart: () => {
        resizing.current = true;
      },
      resizeEnd: (id, box) => {
        resizing.current = false;
        store.getState().resizeContext(id, box);
      },
      toggleCollapsed: (id) => store.getState().toggleCollapsed(id),
    }),
    [overview, store],
  );

  const isValidConnection = useCallback(
    (c: Connection | DesignFlowEdge) => {
      const d = store.getState().doc;
      const source = d.nodes.find((n) => n.id === c.source);
      const target = d.nodes.find((n) => n.id === c.target);
      return !!source && !!target && inferEdgeKind(source, target).ok;
    },
    [store],
  );

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      const from = state.fromNode?.id;
      if (!from) return;
      // The node under the pointer wins (a drop anywhere on a node connects to it), then the nearest handle's node.
      const point = "changedTouches" in event ? event.changedTouches[0] : event;
      const under = document.elementFromPoint(point.clientX, point.clientY)?.closest(".react-flow__node")?.getAttribute("data-id");
      const to = under ?? state.toNode?.id;
      if (!to || to === from) return;
      const s = store.getState();
      if (!s.doc.nodes.some((n) => n.id === to)) {
        if (s.doc.contexts.some((c) => c.id === to)) s.notify({ tone: "info", title: "Connect to a node, not a context", detail: "Drop the connection on a node inside the context (expand it first if it is collapsed)." });
        return;
      }
      const result = s.connect(from, to);
      if (!result.ok) s.notify({ tone: "error", title: `Cannot connect: ${result.reason}`, detail: `${result.fix} (${result.code})` });
    },
    [store],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(PALETTE_MIME) as NodeKind | "context" | "";
      if (!kind) return;
      e.preventDefault();
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const s = store.getState();
      if (kind === "context") s.addContext({ position: { x: p.x - 30, y: p.y - 25 } });
      else {
        const position = { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) };
        s.addNode(kind, { position, contextId: contextAt(s.doc, p) ?? null });
      }
    },
    [rf, store],
  );

  const onNodeDoubleClick = useCallback(
    (_e: unknown, node: DesignFlowNode) => {
      if (node.type !== "context") return;
      if (overview) rf.fitBounds({ x: node.position.x, y: node.position.y, width: node.width ?? 400, height: node.height ?? 300 }, { padding: 0.1, duration: 250 });
      else if (node.data.collapsed) store.getState().toggleCollapsed(node.id);
    },
    [overview, rf, store],
  );

  const { area, size, view } = useOpeningView(flow.nodes);

  // Export: draw everything in detail (not only what is on screen), capture, then back to normal.
  useEffect(() => {
    if (!exporting) return;
    let cancelled = false;
    const run = async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const viewportEl = area.current?.querySelector<HTMLElement>(".react-flow__viewport");
      if (!viewportEl || cancelled) return onExported();
      try {
        const all = rf.getNodes();
        const bounds = getNodesBounds(all);
        const pad = 40;
        const scale = Math.min(2, 4096 / Math.max(bounds.width + 2 * pad, bounds.height + 2 * pad), 1.5);
        const width = Math.round((bounds.width + 2 * pad) * scale);
        const height = Math.round((bounds.height + 2 * pad) * scale);
        const vp = getViewportForBounds(bounds, width, height, 0.01, 4, `${Math.round(pad * scale)}px`);
        const background = getComputedStyle(area.current!).backgroundColor || "#ffffff";
        const options = { backgroundColor: background, width, height, style: { width: `${width}px`, height: `${height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` } };
        const url = exporting === "png" ? await toPng(viewportEl, options) : await toSvg(viewportEl, options);
        const a = document.createElement("a");
        a.href = url;
        a.download = `${slug(projectName)}.${exporting}`;
        document.body.appendChild(a);
        a.click();
        a.remove();
      } catch (e) {
        store.getState().notify({ tone: "error", title: "The image could not be made", detail: e instanceof Error ? e.message : String(e) });
      } finally {
        if (!cancelled) onExported();
      }
    };
    void run();
    return () => {
      cancelled = true;
    };
  }, [exporting, onExported, projectName, rf, store]);

  return (
    <div className={styles.flowArea} ref={area} onDragOver={onDragOver} onDrop={onDrop}>
      <CanvasRuntimeContext.Provider value={runtime}>
        {size && view && (
          <ReactFlow<DesignFlowNode, DesignFlowEdge>
            className={styles.flow}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnectEnd={onConnectEnd}
            isValidConnection={isValidConnection}
            connectionMode={ConnectionMode.Loose}
            connectionRadius={30}
            connectionLineComponent={ConnectionLine}
            onNodeDoubleClick={onNodeDoubleClick}
            {...SHARED_FLOW_PROPS}
            onlyRenderVisibleElements={!exporting}
            defaultViewport={view.viewport}
            fitView={!view.viewport}
            fitViewOptions={FIT_VIEW_OPTIONS}
            minZoom={view.minZoom}
            nodesDraggable
            nodesConnectable={!overview}
            selectNodesOnDrag={false}
            aria-label={`Design canvas of ${projectName}`}
          >
            <CanvasChrome fitViewOptions={FIT_VIEW_OPTIONS} />
            {laidOutBecause && (
              <Panel position="top-center">
                <p className={styles.note} role="status">
                  Laid out automatically ({laidOutBecause}); the positions are saved with your next change.
                </p>
              </Panel>
            )}
            {overview && (
              <Panel position="bottom-center">
                <p className={styles.note}>Overview: zoom in to edit nodes (double-click a context to zoom into it).</p>
              </Panel>
            )}
          </ReactFlow>
        )}
      </CanvasRuntimeContext.Provider>
    </div>
  );
}

/**
 * The line while connecting: green-grey when the drop would be valid, red with the model's
 * reason when it would not ("an S3 bucket cannot send to a Kafka topic").
 */
function ConnectionLine({ fromX, fromY, toX, toY, fromPosition, toPosition, fromNode, toNode }: ConnectionLineComponentProps<DesignFlowNode>) {
  const store = useDesignStore();
  const [path] = getBezierPath({ sourceX: fromX, sourceY: fromY, sourcePosition: fromPosition, targetX: toX, targetY: toY, targetPosition: toPosition });
  let reason: string | null = null;
  let valid: boolean | null = null;
  if (toNode && toNode.id !== fromNode.id) {
    const d = store.getState().doc;
    const s = d.nodes.find((n) => n.id === fromNode.id);
    const t = d.nodes.find((n) => n.id === toNode.id);
    if (s && t) {
      const check = inferEdgeKind(s, t);
      valid = check.ok;
      reason = check.ok ? `creates a ${check.kind}` : check.reason;
    }
  }
  const color = valid === false ? "var(--dc-danger)" : "var(--dc-accent)";
  return (
    <g>
      <path d={path} fill="none" stroke={color} strokeWidth={2} strokeDasharray={valid === false ? "6 4" : undefined} />
      <circle cx={toX} cy={toY} r={4} fill={color} />
      {reason && (
        <foreignObject x={toX + 10} y={toY + 8} width={260} height={48} style={{ overflow: "visible" }}>
          <div className={`${styles.connectHint} ${valid === false ? styles.connectHintBad : ""}`}>{reason}</div>
        </foreignObject>
      )}
    </g>
  );
}

export type { DesignStore };
