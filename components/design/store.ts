/**
 * The editor's one store (zustand, vanilla so it runs in tests without React): the topology
 * document (the source of truth), the selection, undo/redo history, the findings shown on the
 * canvas and the save state. One action per domain change; each calls a pure operation
 * (operations.ts), which in turn asks server/model what is valid. The canvas is a view derived
 * from `doc` (to-flow.ts); nothing here knows React Flow.
 *
 * History keeps the document *before* each change (structural sharing makes that cheap), up to
 * `HISTORY_LIMIT` steps. Typing in a field or pressing an arrow key many times in a row is one
 * step: a change carrying the same `coalesce` key as the previous one within `COALESCE_MS`
 * replaces it instead of adding a step.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import type { ProblemDetail } from "../../server/errors";
import type { ConnectionCheck } from "../../server/model/graph";
import type { Context, NodeKind, TopoNode, Topology } from "../../server/model/schema";
import type { DesignFinding, ElementBadge } from "./findings";
import {
  addContext as addContextOp,
  addNode as addNodeOp,
  alignPositions,
  applyPositions as applyPositionsOp,
  assignContext,
  connect as connectOp,
  copyElements,
  createContext,
  createNode,
  deleteElements as deleteOp,
  describeElement,
  moveElements,
  pasteElements,
  resizeContext as resizeOp,
  setCollapsed,
  setField as setFieldOp,
  type AlignMode,
  type Clipboard,
  type Point,
} from "./operations";
import type { Box } from "./geometry";

export const HISTORY_LIMIT = 200;
export const COALESCE_MS = 1_500;

export interface HistoryEntry {
  doc: Topology;
  selection: ReadonlySet<string>;
  label: string;
}

export type SaveStatus = "saved" | "unsaved" | "saving" | "conflict" | "invalid" | "error";

export interface SaveState {
  status: SaveStatus;
  /** The revision the document is based on: what the next save sends as `baseRevision`. */
  revision: number;
  /** `version` of the document last saved (or loaded). */
  savedVersion: number;
  /** On conflict: the latest revision number the server reported. */
  latestRevision?: number;
  /** On "invalid": what validateTopology found; the document was not sent. */
  problems?: ProblemDetail[];
  error?: { code: string; message: string; fix: string };
  savedAt?: number;
}

/** A short message for the user after an action (an invalid connection, a paste that found nothing). */
export interface Notice {
  id: number;
  tone: "error" | "info";
  title: string;
  detail?: string;
}

export interface DesignState {
  doc: Topology;
  /** Increments on every change of `doc`; what autosave compares with `save.savedVersion`. */
  version: number;
  /** Ids of selected contexts, nodes, edges and reference edges (`<owner>~<field>`). */
  selection: ReadonlySet<string>;
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** Labels of the changes since the last save, for the revision message. */
  unsaved: string[];
  lastChange: { coalesce?: string; at: number } | null;
  save: SaveState;
  findings: { list: DesignFinding[]; byElement: ReadonlyMap<string, ElementBadge>; at: number };
  notice: Notice | null;

  // -- selection ---------------------------------------------------------------------------
  select(ids: readonly string[], mode?: "replace" | "add" | "toggle"): void;
  setSelected(changes: readonly { id: string; selected: boolean }[]): void;
  selectAll(): void;
  clearSelection(): void;

  // -- domain changes (each one undo step) -------------------------------------------------
  addNode(kind: NodeKind, opts?: { position?: Point; contextId?: string | null; name?: string }): string;
  addContext(opts?: { position?: Point; name?: string }): string;
  setField(id: string, path: readonly string[], value: unknown, opts?: { coalesce?: boolean }): { ok: true } | { ok: false; message: string };
  /** Replaces one node wholesale (e.g. the target function's asyncInvoke edited from a call edge). */
  updateNode(id: string, update: (node: TopoNode) => TopoNode, label?: string): void;
  updateContext(id: string, patch: Partial<Omit<Context, "id">>): void;
  connect(source: string, target: string): ConnectionCheck & { edgeId?: string };
  moveElements(moves: readonly { id: string; position: Point }[], opts?: { coalesce?: boolean }): void;
  resizeContext(id: string, box: Box): void;
  assignContext(ids: readonly string[], contextId: string | undefined): void;
  toggleCollapsed(contextId: string): void;
  applyPositions(positions: ReadonlyMap<string, Point>, label: string, contexts?: ReadonlyMap<string, { position: Point; size: { width: number; height: number } }>): void;
  /** Replaces the document's geometry with a laid-out copy of it (automatic layout). */
  applyLayout(laid: Topology, label: string): void;
  align(mode: AlignMode): void;
  deleteElements(ids?: readonly string[]): void;
  copy(ids?: readonly string[]): Clipboard | null;
  paste(clip: Clipboard, place?: { offset?: Point; at?: Point }): string[];
  duplicate(ids?: readonly string[]): string[];
  undo(): void;
  redo(): void;

  // -- persistence --------------------------------------------------------------------------
  /** Replaces the document with one from the server (load theirs, first load); history restarts. */
  loadRevision(doc: Topology, revision: number): void;
  /** Positions from an automatic layout on open: not an edit, saved with the next one. */
  adoptGeometry(laid: Topology): void;
  markSaving(): void;
  markSaved(revision: number, version: number): void;
  markConflict(latestRevision: number): void;
  markInvalid(problems: ProblemDetail[]): void;
  markError(error: { code: string; message: string; fix: string }): void;

  setFindings(list: DesignFinding[], byElement: ReadonlyMap<string, ElementBadge>): void;
  notify(notice: Omit<Notice, "id"> | null): void;
}

export type DesignStore = StoreApi<DesignState>;

export interface DesignStoreInit {
  doc: Topology;
  revision: number;
  /** Milliseconds clock, injectable for tests of coalescing. */
  now?: () => number;
}

const EMPTY: ReadonlySet<string> = new Set();
let noticeIds = 0;

/**
 * @example const store = createDesignStore({ doc, revision: 1 }); store.getState().addNode("function") // "fn-new-function"
 */
export function createDesignStore(init: DesignStoreInit): DesignStore {
  const now = init.now ?? (() => Date.now());
  return createStore<DesignState>()((set, get) => {
    /**
     * Applies a new document as one undo step (or folds it into the previous step when it
     * carries the same coalesce key within COALESCE_MS). A no-op change records nothing.
     */
    const commit = (doc: Topology, label: string, opts: { coalesce?: string; selection?: ReadonlySet<string> } = {}) => {
      const s = get();
      if (doc === s.doc) {
        if (opts.selection) set({ selection: opts.selection });
        return;
      }
      const at = now();
      const fold = opts.coalesce !== undefined && s.lastChange?.coalesce === opts.coalesce && at - s.lastChange.at < COALESCE_MS && s.past.length > 0;
      const past = fold ? s.past : [...s.past, { doc: s.doc, selection: s.selection, label }].slice(-HISTORY_LIMIT);
      const unsaved = fold && s.unsaved.at(-1) === label ? s.unsaved : [...s.unsaved, label];
      set({
        doc,
        version: s.version + 1,
        past,
        future: [],
        unsaved,
        lastChange: { coalesce: opts.coalesce, at },
        selection: opts.selection ?? s.selection,
        save: s.save.status === "conflict" ? s.save : { ...s.save, status: "unsaved", problems: undefined, error: undefined },
      });
    };
    const selected = (ids?: readonly string[]) => ids ?? [...get().selection];

    return {
      doc: init.doc,
      version: 0,
      selection: EMPTY,
      past: [],
      future: [],
      unsaved: [],
      lastChange: null,
      save: { status: "saved", revision: init.revision, savedVersion: 0 },
      findings: { list: [], byElement: new Map(), at: 0 },
      notice: null,

      select(ids, mode = "replace") {
        const s = get();
        let next: Set<string>;
        if (mode === "replace") next = new Set(ids);
        else {
          next = new Set(s.selection);
          for (const id of ids) {
            if (mode === "toggle" && next.has(id)) next.delete(id);
            else next.add(id);
          }
        }
        set({ selection: next });
      },
      setSelected(changes) {
        const s = get();
        let next: Set<string> | null = null;
        for (const c of changes) {
          if (s.selection.has(c.id) === c.selected && !next) continue;
          next ??= new Set(s.selection);
          if (c.selected) next.add(c.id);
          else next.delete(c.id);
        }
        if (next) set({ selection: next });
      },
      selectAll() {
        const { doc } = get();
        set({ selection: new Set([...doc.contexts.map((c) => c.id), ...doc.nodes.map((n) => n.id)]) });
      },
      clearSelection() {
        if (get().selection.size) set({ selection: EMPTY });
      },

      addNode(kind, opts = {}) {
        const { doc } = get();
        const node = createNode(doc, kind, opts);
        const next = addNodeOp(doc, node);
        commit(next, `Add ${describeElement(next, node.id)}`, { selection: new Set([node.id]) });
        return node.id;
      },
      addContext(opts = {}) {
        const { doc } = get();
        const context = createContext(doc, opts);
        const next = addContextOp(doc, context);
        commit(next, `Add context “${context.name}”`, { selection: new Set([context.id]) });
        return context.id;
      },
      setField(id, path, value, opts = {}) {
        const { doc } = get();
        const result = setFieldOp(doc, id, path, value);
        if (!result.ok) return result;
        commit(result.doc, `Change ${path.join(".")} of ${describeElement(doc, id)}`, { coalesce: opts.coalesce === false ? undefined : `field:${id}:${path.join(".")}` });
        return { ok: true };
      },
      updateNode(id, update, label) {
        const { doc } = get();
        const next = { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? update(n) : n)) };
        commit(next, label ?? `Change ${describeElement(doc, id)}`, { coalesce: label ? `node:${id}:${label}` : undefined });
      },
      updateContext(id, patch) {
        const { doc } = get();
        const keys = Object.keys(patch).join(",");
        const next = { ...doc, contexts: doc.contexts.map((c) => (c.id === id ? { ...c, ...patch } : c)) };
        commit(next, `Change ${keys} of ${describeElement(doc, id)}`, { coalesce: `context:${id}:${keys}` });
      },
      connect(source, target) {
        const { doc } = get();
        const result = connectOp(doc, source, target);
        if (!result.ok) return result;
        commit(result.doc, `Connect ${describeElement(result.doc, result.edgeId)}`, { selection: new Set([result.edgeId]) });
        return { ok: true, kind: result.kind, edgeId: result.edgeId };
      },
      moveElements(moves, opts = {}) {
        const { doc } = get();
        const next = moveElements(doc, moves);
        const what = moves.length === 1 ? describeElement(doc, moves[0].id) : `${moves.length} elements`;
        commit(next, `Move ${what}`, { coalesce: opts.coalesce ? `move:${moves.map((m) => m.id).join(",")}` : undefined });
      },
      resizeContext(id, box) {
        const { doc } = get();
        commit(resizeOp(doc, id, box), `Resize ${describeElement(doc, id)}`);
      },
      assignContext(ids, contextId) {
        const { doc } = get();
        const where = contextId ? `into ${describeElement(doc, contextId)}` : "out of its context";
        commit(assignContext(doc, ids, contextId), `Move ${ids.length === 1 ? describeElement(doc, ids[0]) : `${ids.length} nodes`} ${where}`);
      },
      toggleCollapsed(contextId) {
        const { doc } = get();
        const c = doc.contexts.find((x) => x.id === contextId);
        if (!c) return;
        commit(setCollapsed(doc, contextId, !c.collapsed), `${c.collapsed ? "Expand" : "Collapse"} ${describeElement(doc, contextId)}`);
      },
      applyPositions(positions, label, contexts) {
        commit(applyPositionsOp(get().doc, positions, contexts), label);
      },
      applyLayout(laid, label) {
        const { doc } = get();
        const positions = new Map(laid.nodes.filter((n) => n.position).map((n) => [n.id, n.position!] as const));
        const boxes = new Map(laid.contexts.filter((c) => c.position && c.size).map((c) => [c.id, { position: c.position!, size: c.size! }] as const));
        commit(applyPositionsOp(doc, positions, boxes), label);
      },
      align(mode) {
        const s = get();
        const positions = alignPositions(s.doc, [...s.selection], mode);
        if (positions.size) commit(applyPositionsOp(s.doc, positions), `Align ${positions.size + 1} nodes (${mode.replace("-", " ")})`);
      },
      deleteElements(ids) {
        const s = get();
        const list = selected(ids);
        if (list.length === 0) return;
        const label = list.length === 1 ? `Delete ${describeElement(s.doc, list[0])}` : `Delete ${list.length} elements`;
        commit(deleteOp(s.doc, list), label, { selection: EMPTY });
      },
      copy(ids) {
        const list = selected(ids);
        if (list.length === 0) return null;
        const clip = copyElements(get().doc, list);
        return clip.nodes.length || clip.contexts.length ? clip : null;
      },
      paste(clip, place) {
        const { doc } = get();
        const result = pasteElements(doc, clip, place);
        if (result.ids.length === 0) return [];
        const n = clip.nodes.length + clip.contexts.length;
        commit(result.doc, `Paste ${n === 1 ? describeElement(result.doc, result.ids[0]) : `${n} elements`}`, { selection: new Set(result.ids) });
        return result.ids;
      },
      duplicate(ids) {
        const clip = get().copy(ids);
        return clip ? get().paste(clip, { offset: { x: 40, y: 40 } }) : [];
      },
      undo() {
        const s = get();
        const entry = s.past.at(-1);
        if (!entry) return;
        set({
          doc: entry.doc,
          version: s.version + 1,
          past: s.past.slice(0, -1),
          future: [{ doc: s.doc, selection: s.selection, label: entry.label }, ...s.future].slice(0, HISTORY_LIMIT),
          selection: entry.selection,
          unsaved: [...s.unsaved, `Undo ${lowerFirst(entry.label)}`],
          lastChange: null,
          save: s.save.status === "conflict" ? s.save : { ...s.save, status: "unsaved" },
        });
      },
      redo() {
        const s = get();
        const entry = s.future[0];
        if (!entry) return;
        set({
          doc: entry.doc,
          version: s.version + 1,
          past: [...s.past, { doc: s.doc, selection: s.selection, label: entry.label }].slice(-HISTORY_LIMIT),
          future: s.future.slice(1),
          selection: entry.selection,
          unsaved: [...s.unsaved, `Redo ${lowerFirst(entry.label)}`],
          lastChange: null,
          save: s.save.status === "conflict" ? s.save : { ...s.save, status: "unsaved" },
        });
      },

      loadRevision(doc, revision) {
        const s = get();
        const ids = new Set([...doc.contexts.map((c) => c.id), ...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id)]);
        set({
          doc,
          version: s.version + 1,
          past: [],
          future: [],
          unsaved: [],
          lastChange: null,
          selection: new Set([...s.selection].filter((id) => ids.has(id))),
          save: { status: "saved", revision, savedVersion: s.version + 1, savedAt: now() },
        });
      },
      adoptGeometry(laid) {
        // Same version: nothing to save yet, but the next edit saves these positions with it.
        set({ doc: laid });
      },
      markSaving() {
        set({ save: { ...get().save, status: "saving", problems: undefined, error: undefined } });
      },
      markSaved(revision, version) {
        const s = get();
        const upToDate = s.version === version;
        set({
          save: { status: upToDate ? "saved" : "unsaved", revision, savedVersion: version, savedAt: now() },
          unsaved: upToDate ? [] : s.unsaved,
        });
      },
      markConflict(latestRevision) {
        set({ save: { ...get().save, status: "conflict", latestRevision } });
      },
      markInvalid(problems) {
        set({ save: { ...get().save, status: "invalid", problems } });
      },
      markError(error) {
        set({ save: { ...get().save, status: "error", error } });
      },

      setFindings(list, byElement) {
        set({ findings: { list, byElement, at: now() } });
      },
      notify(notice) {
        set({ notice: notice ? { ...notice, id: ++noticeIds } : null });
      },
    };
  });
}

function lowerFirst(s: string) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * The revision message for a save: the changes since the last one, in order, shortened.
 * @example revisionMessage(["Add function “Worker”", "Connect trigger Jobs → Worker"]) // "Add function “Worker”; connect trigger Jobs → Worker"
 */
export function revisionMessage(labels: readonly string[]): string {
  if (labels.length === 0) return "Edit in the design canvas";
  const unique = labels.filter((l, i) => labels.indexOf(l) === i);
  const shown = unique.slice(0, 3).map((l, i) => (i === 0 ? l : lowerFirst(l)));
  const more = unique.length - shown.length;
  const text = shown.join("; ") + (more > 0 ? `; and ${more} more change${more === 1 ? "" : "s"}` : "");
  return text.length > 480 ? `${text.slice(0, 477)}…` : text;
}
