import { test } from "node:test";
import assert from "node:assert/strict";
import { READABLE_ZOOM, chooseSides, nodeHandles, openingViewport } from "../geometry";
import { placeLabels } from "../label-placement";

const box = (x: number, y: number, width = 170, height = 60) => ({ x, y, width, height });

test("chooseSides joins row neighbours left to right and stacked nodes top to bottom", () => {
  assert.deepEqual(chooseSides(box(0, 0), box(220, 0)), { source: "right", target: "left" });
  assert.deepEqual(chooseSides(box(220, 0), box(0, 0)), { source: "left", target: "right" });
  assert.deepEqual(chooseSides(box(0, 0), box(0, 110)), { source: "bottom", target: "top" });
  assert.deepEqual(chooseSides(box(0, 110), box(0, 0)), { source: "top", target: "bottom" });
});

test("nodeHandles declares one source and one target handle per side, centred on the border", () => {
  const hs = nodeHandles(170, 60);
  assert.equal(hs.length, 8);
  const right = hs.find((h) => h.id === "source-right")!;
  assert.deepEqual({ x: right.x + right.width / 2, y: right.y + right.height / 2 }, { x: 170, y: 30 });
});

test("openingViewport fits a small graph and centres it", () => {
  const v = openingViewport(box(0, 0, 600, 300), { width: 1400, height: 700 });
  assert.equal(v.zoom, 1, "never zooms in past 1");
  assert.equal(v.x, (1400 - 600) / 2);
  assert.equal(v.y, (700 - 300) / 2);
});

test("openingViewport shrinks to fit while text stays readable", () => {
  const v = openingViewport(box(0, 0, 1600, 400), { width: 1400, height: 700 });
  assert.ok(v.zoom < 1 && v.zoom >= READABLE_ZOOM);
  assert.ok(1600 * v.zoom <= 1400);
});

test("openingViewport opens a very wide graph at a readable zoom from its left edge", () => {
  const v = openingViewport(box(100, 50, 3200, 600), { width: 1400, height: 700 });
  assert.ok(v.zoom >= READABLE_ZOOM);
  assert.equal(v.x, 24 - 100 * v.zoom, "the graph's left edge at the padding");
});

test("placeLabels moves a label off two close neighbours, above them, and leaves free ones alone", () => {
  const a = box(0, 100);
  const b = box(220, 100);
  const far = box(0, 400);
  const shifts = placeLabels(
    [
      { id: "tight", source: a, target: b, sides: { source: "right", target: "left" }, lines: ["batch 10 · window 5s"] },
      { id: "roomy", source: a, target: far, sides: { source: "bottom", target: "top" }, lines: ["DLQ"] },
    ],
    [a, b, far],
  );
  const tight = shifts.get("tight");
  assert.ok(tight && tight.x === 0 && tight.y < -30, `moved above the pair: ${JSON.stringify(tight)}`);
  assert.equal(shifts.get("roomy"), undefined, "a label with room stays in the middle");
});
