/**
 * Where edge labels go. By default a label sits on the middle of its edge, but neighbours on the
 * examples' grid are only 50 px apart, so a label there would hide under the nodes. Each label
 * is tried at a few spots (middle, just above or below the pair, further along the edge, nudged
 * sideways) and takes the first that covers no node, context title or earlier label; the edge
 * component draws a thin leader to a label that left its edge. Pure and deterministic.
 */
import { boxesOverlap, type Box, type Side } from "./geometry";

export interface Point {
  x: number;
  y: number;
}

/** Size of a label in flow pixels, for the 10 px / 13 px line height of `.edgeLabel`. */
export function estimateLabelSize(lines: readonly string[]): { width: number; height: number } {
  const longest = Math.max(0, ...lines.map((l) => l.length));
  // 4.9 px per character: Inter at 10 px averages ~4.6 px on these labels (measured on the examples).
  return { width: Math.ceil(longest * 4.9) + 14, height: lines.length * 13 + 4 };
}

/** The point where an edge meets a node's side (the middle of that side). */
export function anchorPoint(box: Box, side: Side): Point {
  switch (side) {
    case "left":
      return { x: box.x, y: box.y + box.height / 2 };
    case "right":
      return { x: box.x + box.width, y: box.y + box.height / 2 };
    case "top":
      return { x: box.x + box.width / 2, y: box.y };
    case "bottom":
      return { x: box.x + box.width / 2, y: box.y + box.height };
  }
}

export interface LabelRequest {
  id: string;
  source: Box;
  target: Box;
  sides: { source: Side; target: Side };
  lines: readonly string[];
}

const GAP = 4;

/**
 * Shifts, relative to the middle of each edge, that keep labels clear of `obstacles` and of one
 * another. Requests are served in order; a label with no free spot stays in the middle.
 * @example placeLabels([req], nodeBoxes).get(req.id) // { x: 0, y: -42 }: just above the pair
 */
export function placeLabels(requests: readonly LabelRequest[], obstacles: readonly Box[]): Map<string, Point> {
  // Obstacles and placed labels live in a uniform grid, so each candidate is tested against its
  // neighbours only: linear in the number of labels (a 5,000-function canvas has ~9,000 labels
  // and ~6,500 nodes; testing every pair took 1.5 s, the grid takes a few dozen ms).
  const grid = new BoxGrid(CELL);
  for (const o of obstacles) grid.add(inflate(o, GAP / 2), 0);
  const shifts = new Map<string, Point>();
  const free = (b: Box) => !grid.hits(b, inflate);

  for (const r of requests) {
    if (r.lines.length === 0) continue;
    const size = estimateLabelSize(r.lines);
    const a = anchorPoint(r.source, r.sides.source);
    const b = anchorPoint(r.target, r.sides.target);
    const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const horizontal = r.sides.source === "left" || r.sides.source === "right";
    const candidates: Point[] = [mid];
    if (horizontal) {
      candidates.push(
        { x: mid.x, y: Math.min(r.source.y, r.target.y) - size.height / 2 - GAP },
        { x: mid.x, y: Math.max(r.source.y + r.source.height, r.target.y + r.target.height) + size.height / 2 + GAP },
      );
    } else {
      candidates.push(
        { x: Math.max(r.source.x + r.source.width, r.target.x + r.target.width) + size.width / 2 + GAP, y: mid.y },
        { x: Math.min(r.source.x, r.target.x) - size.width / 2 - GAP, y: mid.y },
      );
    }
    for (const t of [0.35, 0.65, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85]) candidates.push({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t });
    for (const d of [16, 28, 40]) {
      if (horizontal) candidates.push({ x: mid.x, y: mid.y - d }, { x: mid.x, y: mid.y + d });
      else candidates.push({ x: mid.x + d + size.width / 2, y: mid.y }, { x: mid.x - d - size.width / 2, y: mid.y });
    }
    const at = candidates.find((c) => free(boxAround(c, size))) ?? mid;
    grid.add(boxAround(at, size), 1);
    const shift = { x: Math.round(at.x - mid.x), y: Math.round(at.y - mid.y) };
    if (shift.x !== 0 || shift.y !== 0) shifts.set(r.id, shift);
  }
  return shifts;
}

/** Grid cell size in flow pixels: about one node wide, so a label touches a handful of cells. */
const CELL = 200;

/**
 * A uniform grid of boxes. Each box carries a margin kind: obstacles are stored already
 * inflated (kind 0), labels are inflated by 1 px when tested (kind 1), as the plain scan did.
 */
class BoxGrid {
  private readonly cells = new Map<number, { box: Box; kind: 0 | 1 }[]>();
  constructor(private readonly size: number) {}

  private key(cx: number, cy: number) {
    // Cantor-free packing: 2^21 cells per axis either side of 0 is far beyond any canvas.
    return (cx + 1_048_576) * 2_097_152 + (cy + 1_048_576);
  }

  private span(b: Box) {
    return {
      x1: Math.floor(b.x / this.size),
      y1: Math.floor(b.y / this.size),
      x2: Math.floor((b.x + b.width) / this.size),
      y2: Math.floor((b.y + b.height) / this.size),
    };
  }

  add(box: Box, kind: 0 | 1) {
    const s = this.span(kind === 1 ? inflate(box, 1) : box);
    const entry = { box, kind };
    for (let cx = s.x1; cx <= s.x2; cx++)
      for (let cy = s.y1; cy <= s.y2; cy++) {
        const k = this.key(cx, cy);
        const list = this.cells.get(k);
        if (list) list.push(entry);
        else this.cells.set(k, [entry]);
      }
  }

  hits(b: Box, grow: (box: Box, by: number) => Box): boolean {
    const s = this.span(b);
    for (let cx = s.x1; cx <= s.x2; cx++)
      for (let cy = s.y1; cy <= s.y2; cy++) {
        const list = this.cells.get(this.key(cx, cy));
        if (!list) continue;
        for (const e of list) if (boxesOverlap(e.kind === 1 ? grow(e.box, 1) : e.box, b)) return true;
      }
    return false;
  }
}

function boxAround(c: Point, size: { width: number; height: number }): Box {
  return { x: c.x - size.width / 2, y: c.y - size.height / 2, width: size.width, height: size.height };
}

function inflate(b: Box, by: number): Box {
  return { x: b.x - by, y: b.y - by, width: b.width + 2 * by, height: b.height + 2 * by };
}
