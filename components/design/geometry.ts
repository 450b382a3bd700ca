/**
 * Sizes and side choices shared by the model → flow mapping and the layout. Pure.
 *
 * Node boxes match the grid the examples are drawn on (220 × 110 px cells holding 170 × 60 px
 * nodes, contexts padded 30 px with a 50 px header): changing them here changes every canvas.
 */

/** Every model node is drawn at this size; declared up front so React Flow need not measure first. */
export const NODE_WIDTH = 170;
export const NODE_HEIGHT = 60;

/** A collapsed context is drawn as one summary node of this size, at its box's top-left corner. */
export const SUMMARY_WIDTH = 240;
export const SUMMARY_HEIGHT = 84;

/**
 * Below this zoom the canvas draws a level of detail: nodes as light shapes (no text, handles or
 * badges), contexts as their summary, edges without labels. At 0.45, 12 px text is 5.4 px.
 */
export const LOD_ZOOM = 0.45;

/** Room inside a context box around its nodes; the top holds the name and owner. */
export const CONTEXT_PADDING = { top: 50, right: 30, bottom: 30, left: 30 } as const;

export type Side = "left" | "right" | "top" | "bottom";
export const SIDES: readonly Side[] = ["left", "right", "top", "bottom"];

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Handle ids are `<type>-<side>`; every node carries one source and one target handle per side. */
export function handleId(type: "source" | "target", side: Side): string {
  return `${type}-${side}`;
}

/** React Flow's default handle is a 6 px square centred on the border. */
const HANDLE = 6;

/**
 * The eight handles of a node of the given size, in React Flow's `NodeHandle` shape, so edges can
 * be drawn before the DOM is measured (the stack notes measured opening 2–4× faster this way).
 * `position` is a side name, which is the value of xyflow's `Position` enum.
 */
export function nodeHandles(width: number, height: number) {
  const at: Record<Side, { x: number; y: number }> = {
    left: { x: -HANDLE / 2, y: height / 2 - HANDLE / 2 },
    right: { x: width - HANDLE / 2, y: height / 2 - HANDLE / 2 },
    top: { x: width / 2 - HANDLE / 2, y: -HANDLE / 2 },
    bottom: { x: width / 2 - HANDLE / 2, y: height - HANDLE / 2 },
  };
  return (["source", "target"] as const).flatMap((type) =>
    SIDES.map((side) => ({ id: handleId(type, side), type, position: side, ...at[side], width: HANDLE, height: HANDLE })),
  );
}

/**
 * Which sides an edge leaves and enters by: along the axis with the wider gap between the boxes,
 * so a queue above its dead-letter queue is joined bottom → top and neighbours in a row left → right.
 * @example chooseSides({ x: 0, y: 0, width: 10, height: 10 }, { x: 50, y: 0, width: 10, height: 10 }) // { source: "right", target: "left" }
 */
export function chooseSides(a: Box, b: Box): { source: Side; target: Side } {
  const dx = b.x + b.width / 2 - (a.x + a.width / 2);
  const dy = b.y + b.height / 2 - (a.y + a.height / 2);
  const gapX = Math.abs(dx) - (a.width + b.width) / 2;
  const gapY = Math.abs(dy) - (a.height + b.height) / 2;
  if (gapX >= gapY) return dx >= 0 ? { source: "right", target: "left" } : { source: "left", target: "right" };
  return dy >= 0 ? { source: "bottom", target: "top" } : { source: "top", target: "bottom" };
}

/** Whether two boxes share any area (touching edges do not count). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Whether `inner` lies entirely within `outer`. */
export function boxContains(outer: Box, inner: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/** The smallest box holding every given box, or undefined for none. */
export function unionBox(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const b of boxes) {
    x1 = Math.min(x1, b.x);
    y1 = Math.min(y1, b.y);
    x2 = Math.max(x2, b.x + b.width);
    y2 = Math.max(y2, b.y + b.height);
  }
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/** Below this zoom, 12 px node text is under 9 px on screen: the canvas opens on part of the graph instead. */
export const READABLE_ZOOM = 0.75;

/**
 * The viewport a canvas opens with: the whole graph when it fits at a readable zoom (what
 * React Flow's fitView does), otherwise a readable zoom anchored at the graph's left edge, where
 * a left-to-right flow starts; the minimap and the fit-view button show the rest.
 * @example openingViewport({ x: 0, y: 0, width: 3000, height: 500 }, { width: 1400, height: 700 }).zoom // 1
 */
export function openingViewport(bounds: Box, view: { width: number; height: number }, padding = 24, maxZoom = 1): { x: number; y: number; zoom: number } {
  const availW = Math.max(1, view.width - 2 * padding);
  const availH = Math.max(1, view.height - 2 * padding);
  const w = Math.max(1, bounds.width);
  const h = Math.max(1, bounds.height);
  const fit = Math.min(availW / w, availH / h, maxZoom);
  const center = (zoom: number) => ({ x: (view.width - w * zoom) / 2 - bounds.x * zoom, y: (view.height - h * zoom) / 2 - bounds.y * zoom, zoom });
  if (fit >= READABLE_ZOOM) return center(fit);
  const zoom = Math.min(maxZoom, Math.max(READABLE_ZOOM, availH / h));
  const y = h * zoom <= availH ? (view.height - h * zoom) / 2 - bounds.y * zoom : padding - bounds.y * zoom;
  return { x: padding - bounds.x * zoom, y, zoom };
}
