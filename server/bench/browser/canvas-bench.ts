/**
 * Canvas benchmarks in Chromium (issue 3, "Scale and speed"): a generated topology opened in the
 * Design tab and in a baseline page (plain React Flow, app/bench/baseline), each in two views,
 * `z1` (zoom 1 on the node nearest the middle of the graph) and `fit` (the canvas' fit-view
 * control), with for each:
 *
 * - `openMs`: navigation → the page's canvas ready (its opening view) + switching to the view →
 *   ready again. Ready = the first frame after the visible node count and the viewport stopped
 *   changing, plus one frame (probe.ts).
 * - `dragP50Ms`, `dragP95Ms`: requestAnimationFrame deltas while one node is dragged for 3 s by
 *   `page.mouse.move` in small awaited steps; `dragMsPerUpdate`: the drag's duration divided by
 *   the frames in which that node's transform really changed (a slow page receives fewer input
 *   events, so its rAF deltas alone flatter it).
 * - `panP95Ms`, `panMsPerUpdate`: the same while the pane is dragged for 3 s (viewport transform).
 *
 * Each view runs in a fresh browser context (no cache), after one warm-up load of each page.
 * Times are the page's own clock (`performance.now()`); nothing here asserts a goal.
 */
import type { Browser, Page } from "@playwright/test";
import { layoutTopology } from "../../../components/design/layout";
import { generateTopology, type GenerateOptions } from "../../model/generate";
import type { Topology } from "../../model/schema";
import { ensureBuilt, startApp } from "./app-server";
import { launchChromium, newContext, VIEWPORT } from "./chromium";
import { injectProbe, installProbe, probe, waitReady } from "./probe";

export type ViewName = "z1" | "fit";

export interface CanvasPage {
  name: string;
  url: string;
  /** The element holding the React Flow canvas. */
  selector: string;
}

export interface ViewMetrics {
  openMs: number;
  dragP50Ms: number;
  dragP95Ms: number;
  dragMsPerUpdate: number;
  panP95Ms: number;
  panMsPerUpdate: number;
  /** Details: the opening view's time, the switch to this view, what was on screen. */
  openingMs: number;
  viewMs: number;
  zoom: number;
  /** Whether the whole graph is on screen at this zoom (the fit view may be held by minZoom). */
  wholeGraphOnScreen: boolean;
  domNodes: number;
  dragUpdates: number;
  dragEvents: number;
  dragTarget: string;
  panP50Ms: number;
  panUpdates: number;
  panEvents: number;
  /** "background" (left-drag on empty pane) or "middle button" (no empty pane on screen). */
  panGesture: string;
}

const DRIVE_MS = 3_000;
const STEP_PX = 3;

const round = (x: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Nearest-rank quantile of a sample. */
function quantile(xs: number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** Triangle wave in [-amplitude, amplitude] with slope 1, so each step moves the same distance. */
function triangle(p: number, amplitude: number): number {
  const period = 4 * amplitude;
  const t = ((p % period) + period) % period;
  return t < 2 * amplitude ? t - amplitude : 3 * amplitude - t;
}

interface Recording {
  times: number[];
  changed: number[];
}

function frameStats(rec: Recording) {
  const deltas: number[] = [];
  for (let i = 1; i < rec.times.length; i++) deltas.push(rec.times[i] - rec.times[i - 1]);
  const updates = rec.changed.slice(1).reduce((a, b) => a + b, 0);
  const duration = rec.times.length > 1 ? rec.times[rec.times.length - 1] - rec.times[0] : 0;
  return { p50: round(quantile(deltas, 0.5)), p95: round(quantile(deltas, 0.95)), updates, msPerUpdate: updates ? round(duration / updates) : Infinity, frames: rec.times.length };
}

/**
 * Presses at `from`, moves a few pixels (past any drag threshold), lets the gesture start, then
 * moves in small awaited steps for `ms` while the page records frames and `watch`'s transform.
 */
async function drive(page: Page, from: { x: number; y: number }, amplitude: { x: number; y: number }, watch: string, button: "left" | "middle" = "left") {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down({ button });
  for (let i = 1; i <= 4; i++) await page.mouse.move(from.x + i * STEP_PX, from.y);
  await page.waitForTimeout(250);
  const x0 = from.x + 4 * STEP_PX;
  await probe(page, "record", watch);
  const t0 = Date.now();
  let events = 0;
  for (let p = STEP_PX; Date.now() - t0 < DRIVE_MS; p += STEP_PX) {
    await page.mouse.move(x0 + triangle(p + amplitude.x, amplitude.x), from.y + triangle(p * 0.37 + amplitude.y, amplitude.y));
    events++;
  }
  const rec = await probe<Recording>(page, "stopRecording");
  await page.mouse.up({ button });
  return { ...frameStats(rec), events };
}

/**
 * The measuring floor of this machine: the same drive on a page that only moves a square to the
 * pointer. Input events arrive at most once a frame and each awaited move costs a round trip, so
 * even this page shows the ms per update and rAF deltas no canvas can beat here.
 */
export async function calibrate(browser: Browser) {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.setContent(
      `<div id="pad" style="position:fixed;inset:0;background:#fff"><div id="box" style="position:absolute;width:40px;height:40px;background:#6366f1"></div></div>` +
        `<script>addEventListener("mousemove",(e)=>{document.getElementById("box").style.transform="translate("+e.clientX+"px,"+e.clientY+"px)"})</script>`,
    );
    await injectProbe(page);
    const r = await drive(page, { x: VIEWPORT.width / 2, y: VIEWPORT.height / 2 }, { x: 150, y: 40 }, "#box");
    return { rafP50Ms: r.p50, rafP95Ms: r.p95, msPerUpdate: r.msPerUpdate, updates: r.updates, events: r.events };
  } finally {
    await context.close();
  }
}

/** Opens a page in a fresh context and waits for its canvas; the caller closes the context. */
async function open(browser: Browser, target: CanvasPage) {
  const context = await newContext(browser);
  const page = await context.newPage();
  await installProbe(page, target.selector);
  await page.goto(target.url, { waitUntil: "commit", timeout: 120_000 });
  const opening = await waitReady(page, target.selector);
  return { context, page, openingMs: opening.readyAt };
}

/** Loads a page once without measuring (server and browser caches, JIT); returns its canvas box. */
export async function warmUp(browser: Browser, target: CanvasPage) {
  const { context, page } = await open(browser, target);
  try {
    return await probe<{ x: number; y: number; width: number; height: number } | null>(page, "flowRect", target.selector);
  } finally {
    await context.close();
  }
}

/** One page in one view: open, switch to the view, pan for 3 s, drag a node for 3 s. */
export async function measureView(browser: Browser, target: CanvasPage, view: ViewName): Promise<ViewMetrics> {
  const { context, page, openingMs } = await open(browser, target);
  try {
    const sel = target.selector;
    const central = await probe<{ id: string; cx: number; cy: number; bounds: { width: number; height: number } } | null>(page, "centralNode", sel);
    if (!central) throw new Error(`${target.name}: no node to centre on`);
    const startedAt = await probe<number>(page, "applyView", sel, view, central.cx, central.cy);
    const ready = await waitReady(page, sel);
    await probe(page, "unwatch");
    const vp = await probe<{ zoom: number; width: number; height: number }>(page, "viewport", sel);
    await page.waitForTimeout(300);

    // Pan by dragging empty background; when there is none on screen (zoom 1 inside a context
    // box), by dragging with the middle button, which React Flow pans with over nodes too.
    const point = await probe<{ x: number; y: number } | null>(page, "panPoint", sel);
    const rect = (await probe<{ x: number; y: number; width: number; height: number }>(page, "flowRect", sel))!;
    const pan = await drive(
      page,
      point ?? { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 },
      { x: 150, y: 40 },
      `${sel} .react-flow__viewport`,
      point ? "left" : "middle",
    );
    await page.waitForTimeout(500);

    const target0 = await probe<{ id: string; x: number; y: number; type: string } | null>(page, "dragTarget", sel, central.id);
    if (!target0) throw new Error(`${target.name} (${view}): no node on screen to drag`);
    const drag = await drive(page, { x: target0.x, y: target0.y }, { x: 60, y: 20 }, `${sel} .react-flow__node[data-id="${target0.id}"]`);

    const viewMs = round(ready.readyAt - startedAt);
    return {
      openMs: round(openingMs + viewMs, 0),
      dragP50Ms: drag.p50,
      dragP95Ms: drag.p95,
      dragMsPerUpdate: drag.msPerUpdate,
      panP95Ms: pan.p95,
      panMsPerUpdate: pan.msPerUpdate,
      openingMs: round(openingMs, 0),
      viewMs: round(viewMs, 0),
      zoom: round(vp.zoom, 3),
      wholeGraphOnScreen: central.bounds.width * vp.zoom <= vp.width + 1 && central.bounds.height * vp.zoom <= vp.height + 1,
      domNodes: ready.count,
      dragUpdates: drag.updates,
      dragEvents: drag.events,
      dragTarget: `${target0.type}${target0.id === central.id ? "" : " (nearest the centre)"}`,
      panP50Ms: pan.p50,
      panUpdates: pan.updates,
      panEvents: pan.events,
      panGesture: point ? "background" : "middle button",
    };
  } finally {
    await context.close();
  }
}

const CORE = ["openMs", "dragP50Ms", "dragP95Ms", "dragMsPerUpdate", "panP95Ms", "panMsPerUpdate"] as const;

/** baseline ÷ editor for each core metric: above 1, the editor is that many times faster. */
function ratiosOf(editor: ViewMetrics, baseline: ViewMetrics) {
  return Object.fromEntries(CORE.map((k) => [k, round(baseline[k] / editor[k], 2)]));
}

/** Lays a generated topology out with the canvas's own layout, so the project opens as saved. */
async function placed(opts: GenerateOptions): Promise<{ doc: Topology; layoutMs: number }> {
  const t0 = performance.now();
  const doc = await layoutTopology(generateTopology(opts));
  return { doc, layoutMs: Math.round(performance.now() - t0) };
}

/**
 * The whole scenario: build if needed, serve on a fresh database, create the project through
 * the API, measure the editor and the baseline in both views, stop everything.
 */
export async function runEditorBench(scenario: string, opts: GenerateOptions, root = process.cwd()) {
  const { doc, layoutMs } = await placed(opts);
  const { buildMs } = ensureBuilt(root);
  const app = await startApp(root);
  let browser: Browser | undefined;
  try {
    const res = await fetch(`${app.url}/api/projects`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: scenario, document: doc }),
    });
    if (res.status !== 201) throw new Error(`creating the project failed: ${res.status} ${(await res.text()).slice(0, 500)}`);
    const { project } = (await res.json()) as { project: { id: string } };

    browser = await launchChromium();
    const editor: CanvasPage = { name: "editor", url: `${app.url}/projects/${project.id}/design`, selector: '[data-testid="design-canvas"]' };
    const box = await warmUp(browser, editor);
    const q = box ? `&x=${box.x}&y=${box.y}&w=${box.width}&h=${box.height}` : "";
    const baseline: CanvasPage = { name: "baseline", url: `${app.url}/bench/baseline?project=${project.id}${q}`, selector: '[data-testid="baseline-canvas"]' };
    await warmUp(browser, baseline);

    const log = (s: string) => console.error(`[bench] ${scenario}: ${s}`);
    const floor = await calibrate(browser);
    log(`floor ${JSON.stringify(floor)}`);
    const z1 = await measureView(browser, editor, "z1");
    log(`editor z1 ${JSON.stringify(z1)}`);
    const fit = await measureView(browser, editor, "fit");
    log(`editor fit ${JSON.stringify(fit)}`);
    const bz1 = await measureView(browser, baseline, "z1");
    log(`baseline z1 ${JSON.stringify(bz1)}`);
    const bfit = await measureView(browser, baseline, "fit");
    log(`baseline fit ${JSON.stringify(bfit)}`);

    return {
      z1,
      fit,
      baseline: { z1: bz1, fit: bfit },
      ratios: { z1: ratiosOf(z1, bz1), fit: ratiosOf(fit, bfit) },
      setup: {
        nodes: doc.nodes.length,
        edges: doc.edges.length,
        contexts: doc.contexts.length,
        documentBytes: Buffer.byteLength(JSON.stringify(doc)),
        layoutMs,
        buildMs,
        viewport: VIEWPORT,
        canvas: box,
        driveMs: DRIVE_MS,
        stepPx: STEP_PX,
        /** The same drive on a trivial page: what no canvas can beat on this machine. */
        floor,
      },
    };
  } finally {
    await browser?.close().catch(() => {});
    await app.stop();
  }
}
