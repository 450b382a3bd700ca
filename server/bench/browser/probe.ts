/**
 * What the benchmark runs inside the page: one requestAnimationFrame loop, installed before the
 * app's own scripts (`page.addInitScript`), that
 * - watches a React Flow canvas until it is ready: the visible node count (nodes React Flow has
 *   not measured yet are `visibility: hidden`) and the viewport transform stop changing; the
 *   ready time is the first frame after the last change was first seen (that frame painted it);
 * - records frames while the bench drags or pans: each frame's rAF timestamp and whether the
 *   watched element's transform changed since the previous frame (a visual update);
 * - finds React Flow's store from the DOM (through React's fiber of `.react-flow`), to set a
 *   viewport or list nodes the way `useReactFlow()` would, in any page using React Flow.
 *
 * It is plain JavaScript in a string so that nothing a TypeScript loader adds can break it in
 * the page. Times are `performance.now()` of the page: milliseconds since navigation started.
 */
import type { Page } from "@playwright/test";

const PROBE = String.raw`
(() => {
  if (window.__bench) return;
  const VISIBLE = '.react-flow__node:not([style*="visibility: hidden"])';
  const ready = { selector: null, sig: null, count: 0, changedAt: 0, readyAt: null, pending: false, startedAt: 0 };
  const rec = { on: false, selector: null, el: null, last: null, times: [], changed: [] };

  function readTransform() {
    if (!rec.el || !rec.el.isConnected) rec.el = document.querySelector(rec.selector);
    return rec.el ? rec.el.style.transform : null;
  }

  function tick(ts) {
    const now = performance.now();
    if (ready.selector) {
      const root = document.querySelector(ready.selector);
      const count = root ? root.querySelectorAll(VISIBLE).length : 0;
      const vp = root && root.querySelector('.react-flow__viewport');
      const sig = count + '|' + (vp ? vp.style.transform : '');
      if (ready.pending) {
        ready.readyAt = now;
        ready.pending = false;
      }
      if (sig !== ready.sig) {
        ready.sig = sig;
        ready.count = count;
        ready.changedAt = now;
        ready.readyAt = null;
        ready.pending = count > 0;
      }
    }
    if (rec.on) {
      const t = readTransform();
      rec.times.push(ts);
      rec.changed.push(t !== rec.last ? 1 : 0);
      rec.last = t;
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);

  function store(selector) {
    // The viewport element sits inside React Flow's store provider whether or not the page wraps
    // the canvas in a ReactFlowProvider (without one, the provider is inside .react-flow).
    const root = document.querySelector(selector);
    const el = root && root.querySelector('.react-flow__viewport');
    if (!el) return null;
    const key = Object.keys(el).find((k) => k.startsWith('__reactFiber$'));
    for (let f = key ? el[key] : null; f; f = f.return) {
      const v = f.memoizedProps && f.memoizedProps.value;
      if (v && typeof v.getState === 'function') {
        const s = v.getState();
        if (s && 'panZoom' in s && 'nodeLookup' in s) return v;
      }
    }
    return null;
  }

  function leaves(s) {
    const parents = new Set();
    for (const n of s.nodeLookup.values()) if (n.parentId) parents.add(n.parentId);
    const out = [];
    for (const n of s.nodeLookup.values()) {
      if (parents.has(n.id)) continue;
      const p = n.internals.positionAbsolute;
      const w = (n.measured && n.measured.width) || n.width || 150;
      const h = (n.measured && n.measured.height) || n.height || 40;
      out.push({ id: n.id, type: n.type || 'default', x: p.x, y: p.y, w, h });
    }
    return out;
  }

  window.__bench = {
    watch(selector) {
      ready.selector = selector;
      ready.sig = null;
      ready.readyAt = null;
      ready.pending = false;
      ready.startedAt = performance.now();
      return ready.startedAt;
    },
    unwatch() {
      ready.selector = null;
    },
    readyState() {
      return { count: ready.count, changedAt: ready.changedAt, readyAt: ready.readyAt, startedAt: ready.startedAt, now: performance.now() };
    },
    record(selector) {
      rec.selector = selector;
      rec.el = null;
      rec.times = [];
      rec.changed = [];
      rec.last = readTransform();
      rec.on = true;
    },
    stopRecording() {
      rec.on = false;
      return { times: rec.times, changed: rec.changed };
    },
    /** The viewport and canvas size React Flow holds. */
    viewport(selector) {
      const st = store(selector);
      if (!st) return null;
      const s = st.getState();
      return { x: s.transform[0], y: s.transform[1], zoom: s.transform[2], width: s.width, height: s.height, nodes: s.nodeLookup.size, minZoom: s.minZoom };
    },
    /** The leaf node (no children) nearest the middle of the graph, in flow coordinates. */
    centralNode(selector) {
      const st = store(selector);
      if (!st) return null;
      const ls = leaves(st.getState());
      if (!ls.length) return null;
      let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
      for (const l of ls) {
        x1 = Math.min(x1, l.x); y1 = Math.min(y1, l.y);
        x2 = Math.max(x2, l.x + l.w); y2 = Math.max(y2, l.y + l.h);
      }
      const cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
      let best = ls[0], bestD = Infinity;
      for (const l of ls) {
        const d = Math.hypot(l.x + l.w / 2 - cx, l.y + l.h / 2 - cy);
        if (d < bestD) { best = l; bestD = d; }
      }
      return { id: best.id, type: best.type, cx: best.x + best.w / 2, cy: best.y + best.h / 2, bounds: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 } };
    },
    /** Sets the viewport at once (no animation) through React Flow's own pan-zoom. */
    setViewport(selector, x, y, zoom) {
      const st = store(selector);
      if (!st || !st.getState().panZoom) return false;
      st.getState().panZoom.setViewport({ x, y, zoom }, { duration: 0 });
      return true;
    },
    /**
     * A node to drag: the given id when it is on screen and hit-testable, otherwise the drawn
     * node nearest the canvas' centre. Returns its screen centre, size and React Flow type.
     */
    dragTarget(selector, preferId) {
      const root = document.querySelector(selector);
      const flow = root && root.querySelector('.react-flow');
      if (!flow) return null;
      const fr = flow.getBoundingClientRect();
      // Input events land on whole pixels: the point must be one inside the node (at the fit
      // view of a tall graph a node can be under a pixel high, and then cannot be grabbed).
      // The point must grab the node itself, not a handle on it (.nodrag: that starts a connection).
      const hits = (el) => {
        const r = el.getBoundingClientRect();
        const cx0 = r.left + r.width / 2, cy0 = r.top + r.height / 2;
        const xs = [], ys = [];
        for (let x = Math.floor(r.left); x < r.right && xs.length < 40; x++) if (x >= r.left) xs.push(x);
        for (let y = Math.floor(r.top); y < r.bottom && ys.length < 40; y++) if (y >= r.top) ys.push(y);
        xs.sort((a, b) => Math.abs(a - cx0) - Math.abs(b - cx0));
        ys.sort((a, b) => Math.abs(a - cy0) - Math.abs(b - cy0));
        for (const y of ys.slice(0, 8)) {
          for (const x of xs.slice(0, 8)) {
            if (x < fr.left || y < fr.top || x >= fr.right || y >= fr.bottom) continue;
            const at = document.elementFromPoint(x, y);
            if (!at || at.closest('.react-flow__node') !== el || at.closest('.nodrag')) continue;
            const type = [...el.classList].find((c) => c.startsWith('react-flow__node-'));
            return { id: el.getAttribute('data-id'), x, y, width: r.width, height: r.height, type: type ? type.slice('react-flow__node-'.length) : 'unknown', parent: el.classList.contains('parent') };
          }
        }
        return null;
      };
      if (preferId) {
        const el = flow.querySelector('.react-flow__node[data-id="' + CSS.escape(preferId) + '"]');
        const h = el && hits(el);
        if (h) return h;
      }
      const cx = fr.left + fr.width / 2, cy = fr.top + fr.height / 2;
      let best = null, bestD = Infinity, bestLeaf = null, bestLeafD = Infinity;
      for (const el of flow.querySelectorAll('.react-flow__node')) {
        const r = el.getBoundingClientRect();
        const d = Math.hypot(r.left + r.width / 2 - cx, r.top + r.height / 2 - cy);
        const leaf = !el.classList.contains('parent');
        if (leaf && d < bestLeafD) { const h = hits(el); if (h) { bestLeaf = h; bestLeafD = d; } }
        else if (!leaf && d < bestD) { const h = hits(el); if (h) { best = h; bestD = d; } }
      }
      return bestLeaf || best;
    },
    /** An empty spot of the pane (nothing but background under it), nearest the canvas' centre. */
    panPoint(selector) {
      const root = document.querySelector(selector);
      const flow = root && root.querySelector('.react-flow');
      if (!flow) return null;
      const fr = flow.getBoundingClientRect();
      const cx = fr.left + fr.width / 2, cy = fr.top + fr.height / 2;
      let best = null, bestD = Infinity;
      const margin = 60;
      for (let y = fr.top + margin; y < fr.bottom - margin; y += 12) {
        for (let x = fr.left + margin + 150; x < fr.right - margin - 150; x += 12) {
          const at = document.elementFromPoint(x, y);
          if (!at || !flow.contains(at)) continue;
          if (at.closest('.react-flow__node, .react-flow__edge, .react-flow__panel, .react-flow__edgelabel-renderer, .react-flow__nodesselection')) continue;
          const d = Math.hypot(x - cx, y - cy);
          if (d < bestD) { best = { x, y }; bestD = d; }
        }
      }
      return best;
    },
    /**
     * Starts watching for readiness, then moves to a view at once: "z1" centres flow point
     * (cx, cy) at zoom 1; "fit" presses the canvas' fit-view control. Returns the start time.
     */
    applyView(selector, view, cx, cy) {
      const t = this.watch(selector);
      if (view === 'fit') {
        const button = document.querySelector(selector + ' .react-flow__controls-fitview');
        if (!button) throw new Error('no fit-view control in ' + selector);
        button.click();
      } else {
        const st = store(selector);
        if (!st || !st.getState().panZoom) throw new Error('no React Flow store in ' + selector);
        const s = st.getState();
        s.panZoom.setViewport({ x: s.width / 2 - cx, y: s.height / 2 - cy, zoom: 1 }, { duration: 0 });
      }
      return t;
    },
    flowRect(selector) {
      const root = document.querySelector(selector);
      const flow = root && root.querySelector('.react-flow');
      if (!flow) return null;
      const r = flow.getBoundingClientRect();
      return { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) };
    },
    domNodes(selector) {
      const root = document.querySelector(selector);
      return root ? root.querySelectorAll(VISIBLE).length : 0;
    },
  };
})();
`;

/**
 * Installs the probe in every document the page loads from now on; with `watch`, readiness of
 * that canvas is watched from the very first frame (for the time to open).
 */
export async function installProbe(page: Page, watch?: string): Promise<void> {
  await page.addInitScript({ content: PROBE + (watch ? `;window.__bench.watch(${JSON.stringify(watch)});` : "") });
}

/** Adds the probe to the document already loaded (e.g. after `page.setContent`). */
export async function injectProbe(page: Page): Promise<void> {
  await page.addScriptTag({ content: PROBE });
}

export interface ReadyState {
  count: number;
  changedAt: number;
  readyAt: number | null;
  startedAt: number;
  now: number;
}

/**
 * Waits until the canvas under `selector` is ready (see above): nothing changed for `quietMs`
 * after the last change. Returns the page time of the ready frame and the visible node count.
 */
export async function waitReady(page: Page, selector: string, { quietMs = 600, timeoutMs = 120_000 } = {}): Promise<{ readyAt: number; count: number; startedAt: number }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await page.evaluate(() => (window as unknown as { __bench?: { readyState(): ReadyState } }).__bench?.readyState() ?? null).catch(() => null);
    if (s && s.readyAt !== null && s.count > 0 && s.now - s.changedAt >= quietMs) return { readyAt: s.readyAt, count: s.count, startedAt: s.startedAt };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the canvas ${selector} was not ready within ${timeoutMs} ms`);
}

/** Calls a probe method in the page. */
export function probe<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([m, a]) => {
      const b = (window as unknown as { __bench: Record<string, (...x: unknown[]) => unknown> }).__bench;
      return b[m as string](...(a as unknown[]));
    },
    [method, args] as const,
  ) as Promise<T>;
}
