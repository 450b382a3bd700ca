"use client";
/**
 * The opening viewport of a canvas (the editor's and the Observe tab's): measured from the canvas area before the
 * first paint so nothing jumps, and a minimum zoom low enough that fit view shows everything, even 5,000 functions.
 * Computed once, from the nodes the canvas opened with.
 */
import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { openingViewport, unionBox } from "./geometry";

interface OpeningNode {
  parentId?: string;
  position: { x: number; y: number };
  width?: number;
  height?: number;
}

export function useOpeningView(nodes: OpeningNode[]) {
  const area = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const el = area.current;
    if (el) setSize({ width: el.clientWidth, height: el.clientHeight });
  }, []);
  const [opening] = useState(() => ({ nodes }));
  const view = useMemo(() => {
    if (!size) return undefined;
    // Children sit inside their context boxes, so top-level nodes bound the whole graph.
    const bounds = unionBox(opening.nodes.filter((n) => !n.parentId).map((n) => ({ x: n.position.x, y: n.position.y, width: n.width ?? 0, height: n.height ?? 0 })));
    if (!bounds) return { viewport: undefined, minZoom: 0.1 };
    const fit = Math.min((size.width - 40) / bounds.width, (size.height - 40) / bounds.height);
    return { viewport: openingViewport(bounds, size), minZoom: Math.max(0.005, Math.min(0.1, fit * 0.8)) };
  }, [opening, size]);
  return { area, size, view };
}
