"use client";
/**
 * The minimap: context boxes and free nodes drawn from the document (not from React Flow's
 * node list), with the visible area on top; click or drag in it to move the view, wheel to zoom.
 *
 * Why not React Flow's <MiniMap>: it mounts one store-subscribed component per node, and every
 * one of them runs on every frame of a pan — 6,500 at 5,000 functions, even when they draw
 * nothing. This one draws one shape per context (a 5,000-function topology has 150) and
 * re-renders only the viewport rectangle while panning.
 */
import { useReactFlow, useStore } from "@xyflow/react";
import { memo, useMemo, useRef, type PointerEvent, type WheelEvent } from "react";
import type { Topology } from "../../server/model/schema";
import { useDesign } from "./context";
import { unionBox, type Box } from "./geometry";
import { contextBoxes, drawnContextBox, nodeBox } from "./to-flow";
import styles from "./design.module.css";

const WIDTH = 180;
const HEIGHT = 110;

interface Shape extends Box {
  color?: string;
}

function shapesOf(doc: Topology): { shapes: Shape[]; bounds: Box | undefined } {
  const boxes = contextBoxes(doc);
  const contexts = new Set(doc.contexts.map((c) => c.id));
  const shapes: Shape[] = doc.contexts.map((c) => ({ ...drawnContextBox(c, boxes.get(c.id)!), color: c.color }));
  for (const n of doc.nodes) if (!n.contextId || !contexts.has(n.contextId)) shapes.push(nodeBox(n));
  return { shapes, bounds: unionBox(shapes) };
}

const Shapes = memo(function Shapes({ shapes }: { shapes: Shape[] }) {
  return (
    <>
      {shapes.map((s, i) => (
        <rect key={i} x={s.x} y={s.y} width={s.width} height={s.height} rx={s.color ? 24 : 10} fill={s.color ? `${s.color}55` : "var(--dc-border-strong)"} stroke={s.color ?? "none"} strokeWidth={s.color ? 6 : 0} />
      ))}
    </>
  );
});

const viewportSelector = (s: { transform: [number, number, number]; width: number; height: number }) => `${s.transform[0]}|${s.transform[1]}|${s.transform[2]}|${s.width}|${s.height}`;

export function Minimap() {
  const doc = useDesign((s) => s.doc);
  const { shapes, bounds } = useMemo(() => shapesOf(doc), [doc]);
  const rf = useReactFlow();
  const key = useStore(viewportSelector);
  const [tx, ty, zoom, w, h] = key.split("|").map(Number);
  const view = { x: -tx / zoom, y: -ty / zoom, width: w / zoom, height: h / zoom };
  const all = unionBox(bounds ? [bounds, view] : [view])!;
  const pad = Math.max(all.width, all.height) * 0.05;
  const box = { x: all.x - pad, y: all.y - pad, width: all.width + 2 * pad, height: all.height + 2 * pad };
  const scale = Math.max(box.width / WIDTH, box.height / HEIGHT);
  // Centre the drawing in the minimap's fixed box.
  const vb = { x: box.x - (WIDTH * scale - box.width) / 2, y: box.y - (HEIGHT * scale - box.height) / 2, width: WIDTH * scale, height: HEIGHT * scale };
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ id: number } | null>(null);

  const toFlow = (e: { clientX: number; clientY: number }) => {
    const r = svg.current!.getBoundingClientRect();
    return { x: vb.x + ((e.clientX - r.left) / r.width) * vb.width, y: vb.y + ((e.clientY - r.top) / r.height) * vb.height };
  };
  const centreOn = (e: { clientX: number; clientY: number }) => {
    const p = toFlow(e);
    void rf.setCenter(p.x, p.y, { zoom });
  };
  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { id: e.pointerId };
    centreOn(e);
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (drag.current?.id === e.pointerId) centreOn(e);
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onWheel = (e: WheelEvent<SVGSVGElement>) => {
    const next = Math.min(2.5, Math.max(0.005, zoom * Math.pow(2, -e.deltaY * 0.002)));
    void rf.zoomTo(next);
  };

  return (
    <div className={styles.minimap}>
      <svg
        ref={svg}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${vb.x} ${vb.y} ${vb.width} ${vb.height}`}
        role="img"
        aria-label="Overview of the topology; click or drag to move the view"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onWheel={onWheel}
      >
        <Shapes shapes={shapes} />
        <rect x={view.x} y={view.y} width={view.width} height={view.height} className={styles.minimapView} strokeWidth={2 * scale} />
      </svg>
    </div>
  );
}
