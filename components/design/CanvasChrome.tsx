"use client";
/**
 * What every canvas of a topology draws around its graph (the editor and the Observe tab): the edge markers,
 * the dotted background, the minimap and the zoom controls; and the React Flow settings both share.
 */
import { Background, BackgroundVariant, Controls, Panel, ViewportPortal, type FitViewOptions } from "@xyflow/react";
import { EdgeMarkers } from "./edges";
import { Minimap } from "./Minimap";

/** React Flow props both canvases use: manual z-order, the zoom ceiling, no edge reconnection, no Delete key. */
export const SHARED_FLOW_PROPS = { zIndexMode: "manual", maxZoom: 2.5, edgesReconnectable: false, deleteKeyCode: null } as const;

export function CanvasChrome({ fitViewOptions }: { fitViewOptions: FitViewOptions }) {
  return (
    <>
      <ViewportPortal>
        <EdgeMarkers />
      </ViewportPortal>
      <Background variant={BackgroundVariant.Dots} gap={22} size={1.2} />
      <Panel position="bottom-right">
        <Minimap />
      </Panel>
      <Controls showInteractive={false} fitViewOptions={fitViewOptions} aria-label="Zoom and fit" />
    </>
  );
}
