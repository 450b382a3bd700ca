/**
 * A small layered (Sugiyama-style) layout, left to right, for graphs too large for ELK to lay
 * out interactively: elkjs spends 20–50 ms on one 40-node context on the 2-core CI machine,
 * so a 1,000-function topology (30 contexts) took seconds; this takes a few milliseconds per
 * context. Steps: break cycles (DFS back edges, in document order), layer by longest path,
 * order each layer by the barycentre of its neighbours (a few sweeps down and up), then place
 * each layer's nodes near the mean height of their neighbours without overlaps.
 * Pure and deterministic; sizes may differ per node (contexts are laid out as blocks).
 */

export interface LayeredInput {
  ids: readonly string[];
  edges: readonly { source: string; target: string; /** Label width in px, to keep room between layers. */ labelWidth?: number }[];
  size: (id: string) => { width: number; height: number };
  /** Room around the result (a context's padding). */
  padding: { top: number; right: number; bottom: number; left: number };
  /** Gap between layers, before room for labels. */
  layerGap?: number;
  /** Gap between neighbours in a layer. */
  nodeGap?: number;
}

export interface LayeredResult {
  positions: Map<string, { x: number; y: number }>;
  width: number;
  height: number;
}

/**
 * @example layeredLayout({ ids: ["a", "b"], edges: [{ source: "a", target: "b" }], size: () => ({ width: 10, height: 10 }), padding: { top: 0, right: 0, bottom: 0, left: 0 } }).positions.get("b")!.x > 0 // true
 */
export function layeredLayout(input: LayeredInput): LayeredResult {
  const { ids, size, padding } = input;
  const layerGap = input.layerGap ?? 70;
  const nodeGap = input.nodeGap ?? 36;
  const index = new Map(ids.map((id, i) => [id, i] as const));
  const out: number[][] = ids.map(() => []);
  const inn: number[][] = ids.map(() => []);
  const labelOut: number[] = ids.map(() => 0);
  const seen = new Set<string>();
  for (const e of input.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    const key = `${s}>${t}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out[s].push(t);
    inn[t].push(s);
    labelOut[s] = Math.max(labelOut[s], e.labelWidth ?? 0);
  }

  // 1. Cycle breaking: edges to a node still on the DFS stack are reversed.
  const state = new Uint8Array(ids.length); // 0 new, 1 on stack, 2 done
  const forward: number[][] = ids.map(() => []);
  for (let root = 0; root < ids.length; root++) {
    if (state[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i < out[v].length) {
        top[1]++;
        const w = out[v][i];
        if (state[w] === 1) forward[w].push(v);
        else {
          forward[v].push(w);
          if (state[w] === 0) {
            state[w] = 1;
            stack.push([w, 0]);
          }
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  const backward: number[][] = ids.map(() => []);
  for (let v = 0; v < ids.length; v++) for (const w of forward[v]) backward[w].push(v);

  // 2. Layering: longest path from the sources (Kahn's order).
  const layer = new Int32Array(ids.length);
  const pending = backward.map((b) => b.length);
  const queue: number[] = [];
  for (let v = 0; v < ids.length; v++) if (pending[v] === 0) queue.push(v);
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q];
    for (const w of forward[v]) {
      layer[w] = Math.max(layer[w], layer[v] + 1);
      if (--pending[w] === 0) queue.push(w);
    }
  }
  // Sources that only feed a later layer move next to their first consumer (a DLQ's queue, a route).
  for (let v = 0; v < ids.length; v++) {
    if (backward[v].length === 0 && forward[v].length > 0) layer[v] = Math.max(layer[v], Math.min(...forward[v].map((w) => layer[w])) - 1);
  }
  const layerCount = ids.length ? Math.max(...layer) + 1 : 0;
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (let v = 0; v < ids.length; v++) layers[layer[v]].push(v);

  // 3. Ordering: barycentre of neighbours in the previous (or next) layer, a few sweeps.
  const order = new Float64Array(ids.length);
  for (const l of layers) l.forEach((v, i) => (order[v] = i));
  const sweep = (l: number[], neighbours: number[][]) => {
    const bary = new Map<number, number>();
    for (const v of l) {
      const ns = neighbours[v];
      bary.set(v, ns.length ? ns.reduce((a, w) => a + order[w], 0) / ns.length : order[v]);
    }
    l.sort((a, b) => bary.get(a)! - bary.get(b)! || a - b);
    l.forEach((v, i) => (order[v] = i));
  };
  for (let pass = 0; pass < 4; pass++) {
    for (let i = 1; i < layers.length; i++) sweep(layers[i], backward);
    for (let i = layers.length - 2; i >= 0; i--) sweep(layers[i], forward);
  }

  // 4. Coordinates. x: columns as wide as their widest node, plus room for the labels leaving them.
  const xs: number[] = [];
  let x = padding.left;
  for (const l of layers) {
    xs.push(x);
    const width = Math.max(0, ...l.map((v) => size(ids[v]).width));
    const label = Math.max(0, ...l.map((v) => labelOut[v]));
    x += width + layerGap + Math.min(label, 220);
  }
  // y: stacked in order, then pulled toward the mean centre of their neighbours, keeping order and gaps.
  const y = new Float64Array(ids.length);
  const h = (v: number) => size(ids[v]).height;
  for (const l of layers) {
    let at = padding.top;
    for (const v of l) {
      y[v] = at;
      at += h(v) + nodeGap;
    }
  }
  const settle = (l: number[], neighbours: number[][]) => {
    const want = l.map((v) => {
      const ns = neighbours[v];
      return ns.length ? ns.reduce((a, w) => a + y[w] + h(w) / 2, 0) / ns.length - h(v) / 2 : y[v];
    });
    // Keep order and gaps with the least total displacement: overlapping runs of nodes merge
    // into blocks placed at the mean of what their members want (isotonic regression).
    const blocks: { first: number; count: number; sum: number; total: number }[] = [];
    for (let i = 0; i < l.length; i++) {
      let b = { first: i, count: 1, sum: want[i], total: h(l[i]) + nodeGap };
      while (blocks.length) {
        const prev = blocks[blocks.length - 1];
        if (prev.sum / prev.count + prev.total <= b.sum / b.count) break;
        blocks.pop();
        b = { first: prev.first, count: prev.count + b.count, sum: prev.sum + b.sum - prev.total * b.count, total: prev.total + b.total };
      }
      blocks.push(b);
    }
    let floor = padding.top;
    for (const b of blocks) {
      let at = Math.max(b.sum / b.count, floor);
      for (let i = b.first; i < b.first + b.count; i++) {
        y[l[i]] = at;
        at += h(l[i]) + nodeGap;
      }
      floor = at;
    }
  };
  for (let pass = 0; pass < 3; pass++) {
    for (let i = 1; i < layers.length; i++) settle(layers[i], backward);
    for (let i = layers.length - 2; i >= 0; i--) settle(layers[i], forward);
  }
  const positions = new Map<string, { x: number; y: number }>();
  let right = padding.left;
  let bottom = padding.top;
  for (let v = 0; v < ids.length; v++) {
    const p = { x: Math.round(xs[layer[v]]), y: Math.round(y[v]) };
    positions.set(ids[v], p);
    const s = size(ids[v]);
    right = Math.max(right, p.x + s.width);
    bottom = Math.max(bottom, p.y + s.height);
  }
  return { positions, width: right + padding.right, height: bottom + padding.bottom };
}
