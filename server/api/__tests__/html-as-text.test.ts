/**
 * No HTML injection (issue 8): names, message bodies and log lines reach the page only as React
 * text children and attributes, which React escapes. This test fails as soon as any UI file uses
 * a raw-HTML sink; the one allowed use is the root layout's theme script, a constant that holds
 * no user data (it must stay free of imports, so nothing user-supplied can flow into it).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const SINKS = /dangerouslySetInnerHTML|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write\b|createContextualFragment|new DOMParser\b|srcdoc=/;
/** file → the only line allowed to use a sink. */
const ALLOWED: Record<string, RegExp> = {
  "app/layout.tsx": /^\s*<script (nonce=\{nonce\} )?dangerouslySetInnerHTML=\{\{ __html: themeScript \}\} \/>$/,
};

function uiFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "__tests__" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) uiFiles(p, out);
    else if (/\.(tsx?|jsx?|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

test("the UI has no raw-HTML sink except the constant theme script", () => {
  const files = ["app", "components"].flatMap((d) => uiFiles(join(ROOT, d)));
  assert.ok(files.length > 20, "found the UI sources");
  const hits: string[] = [];
  for (const file of files) {
    const rel = relative(ROOT, file).split("\\").join("/");
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (!SINKS.test(line)) return;
        if (ALLOWED[rel]?.test(line)) return;
        hits.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(hits, [], "render user data as text: use {value} in JSX, never an HTML sink");
});

test("the theme script is a constant built from constants only", async () => {
  const source = readFileSync(join(ROOT, "components", "theme-script.ts"), "utf8");
  assert.ok(!/^\s*import\b/m.test(source), "theme-script.ts must not import anything");
  const { themeScript } = await import("../../../components/theme-script");
  assert.equal(typeof themeScript, "string");
  assert.ok(!/<\/script/i.test(themeScript));
});
