/**
 * Canvas positions for an imported topology (a template has none): one box per context, left to
 * right, nodes on the examples' 220 × 110 grid in template order; shared and referenced nodes in
 * a row below. Deterministic, so importing the same template twice draws it the same way.
 */
import type { Context, TopoNode } from "../../model/schema";

const DX = 220;
const DY = 110;
const PAD_X = 30;
const PAD_TOP = 50;
const NODE_W = 170;
const NODE_H = 60;
const GAP = 80;
const COLS = 4;

export function layoutImported(contexts: Context[], nodes: TopoNode[]): void {
  let x = 0;
  let tallest = 0;
  for (const c of contexts) {
    const members = nodes.filter((n) => n.contextId === c.id);
    const cols = Math.max(1, Math.min(COLS, members.length));
    const rows = Math.max(1, Math.ceil(members.length / COLS));
    const width = 2 * PAD_X + (cols - 1) * DX + NODE_W;
    const height = PAD_TOP + (rows - 1) * DY + NODE_H + PAD_X;
    c.position = { x, y: 0 };
    c.size = { width, height };
    members.forEach((n, i) => {
      n.position = { x: x + PAD_X + (i % COLS) * DX, y: PAD_TOP + Math.floor(i / COLS) * DY };
    });
    x += width + GAP;
    tallest = Math.max(tallest, height);
  }
  const loose = nodes.filter((n) => !n.contextId || !contexts.some((c) => c.id === n.contextId));
  const y0 = contexts.length ? tallest + 60 : 0;
  loose.forEach((n, i) => {
    n.position = { x: PAD_X + (i % (COLS * 2)) * DX, y: y0 + Math.floor(i / (COLS * 2)) * DY };
  });
}
