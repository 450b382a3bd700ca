"use client";
/**
 * Benchmark baseline (`npm run bench -- editor-1000`): the latest revision of a project drawn by
 * plain React Flow with default props, mapped naively: every model node at its absolute position,
 * no parents (contexts are not drawn), the default node type with the node's name as label,
 * default edges; controlled state as in React Flow's quick start (`useNodesState`/`useEdgesState`).
 * Default nodes are already memoized by React Flow. Besides the data and change handlers, the
 * only prop set is `minZoom` (low enough for the fit view to show the whole graph), plus the
 * default controls (the fit-view button the bench presses).
 *
 * URL: /bench/baseline?project=<id>[&x=&y=&w=&h=] — the optional box (CSS px) places the canvas
 * where the editor's canvas is, so both are measured at the same size and screen position.
 * Not linked from the app; it only reads the API.
 */
import "@xyflow/react/dist/style.css";
import { Controls, ReactFlow, useEdgesState, useNodesState, type Edge, type Node } from "@xyflow/react";
import { useEffect, useState, type CSSProperties } from "react";

interface ModelDoc {
  nodes: { id: string; name: string; position?: { x: number; y: number } }[];
  edges: { id: string; source: string; target: string }[];
}

type Loaded = { nodes: Node[]; edges: Edge[]; box: CSSProperties } | { error: string } | null;

export default function BaselinePage() {
  const [loaded, setLoaded] = useState<Loaded>(null);
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    const project = q.get("project");
    const num = (k: string) => (q.get(k) === null ? undefined : Number(q.get(k)));
    const box: CSSProperties = { left: num("x") ?? 0, top: num("y") ?? 0, width: num("w") ?? "100vw", height: num("h") ?? "100vh" };
    if (!project) {
      setLoaded({ error: "add ?project=<id> to the URL" });
      return;
    }
    fetch(`/api/projects/${encodeURIComponent(project)}/revisions/latest`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then(({ revision }: { revision: { document: ModelDoc } }) => {
        const doc = revision.document;
        setLoaded({
          nodes: doc.nodes.map((n, i) => ({ id: n.id, position: n.position ?? { x: (i % 40) * 200, y: Math.floor(i / 40) * 100 }, data: { label: n.name } })),
          edges: doc.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
          box,
        });
      })
      .catch((e: unknown) => setLoaded({ error: e instanceof Error ? e.message : String(e) }));
  }, []);

  if (!loaded) return <p role="status">Loading…</p>;
  if ("error" in loaded) return <p role="alert">Baseline: {loaded.error}</p>;
  return (
    <div data-testid="baseline-canvas" style={{ position: "fixed", zIndex: 1000, background: "#fff", ...loaded.box }}>
      <Flow initialNodes={loaded.nodes} initialEdges={loaded.edges} />
    </div>
  );
}

function Flow({ initialNodes, initialEdges }: { initialNodes: Node[]; initialEdges: Edge[] }) {
  const [nodes, , onNodesChange] = useNodesState(initialNodes);
  const [edges, , onEdgesChange] = useEdgesState(initialEdges);
  return (
    <ReactFlow nodes={nodes} edges={edges} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} minZoom={0.001}>
      <Controls />
    </ReactFlow>
  );
}
