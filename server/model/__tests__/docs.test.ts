import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ERRORS } from "../../errors";
import { ACCESS_TARGETS, LAG_TRIGGER_SETTINGS, LAG_TRIGGER_SOURCES, PRODUCE_TARGETS, TRIGGER_SETTINGS, TRIGGER_SOURCES } from "../graph";
import { makeId } from "../ids";
import { NODE_KINDS, type NodeKind } from "../schema";
import { validateTopologyText } from "../validate";

const doc = readFileSync(new URL("../../../docs/model.md", import.meta.url), "utf8");

/** Body of the `## <title>` section, up to the next `## ` heading. */
function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `docs/model.md has no "## ${title}" section`);
  const rest = doc.slice(start + title.length + 5);
  const end = rest.search(/\n## /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Rows of the first Markdown table in `text` whose first cell is a backticked word, as cells. */
function rows(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = /^\|\s*`([a-z-]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (m) out.set(m[1], m[2].split("|").map((c) => c.trim()));
  }
  return out;
}
const kinds = (cell: string) => [...cell.matchAll(/`([a-zA-Z0-9-]+)`/g)].map((m) => m[1]).sort();

test("the first json block of docs/model.md is a valid topology", () => {
  const m = /```json\n([\s\S]*?)\n```/.exec(doc);
  assert.ok(m, "docs/model.md has no ```json block");
  const r = validateTopologyText(m[1]);
  assert.deepEqual(r.problems, []);
  assert.equal(r.ok, true);
});

test("the #connections table matches graph.ts", () => {
  const table = rows(section("Connections"));
  assert.deepEqual([...table.keys()].sort(), [...NODE_KINDS].sort());
  for (const kind of NODE_KINDS) {
    const [trigger, call, access, produce] = table.get(kind)!;
    const canTrigger = (TRIGGER_SOURCES as readonly string[]).includes(kind);
    assert.deepEqual(kinds(trigger).filter((k) => k !== "stream" && k !== "consumer-lag"), canTrigger ? ["function"] : [], `${kind} trigger`);
    assert.equal(trigger.includes("consumer-lag"), (LAG_TRIGGER_SOURCES as readonly string[]).includes(kind), `${kind} consumer-lag`);
    assert.deepEqual(kinds(call), kind === "function" ? ["function"] : [], `${kind} call`);
    assert.deepEqual(kinds(access), kind === "function" ? [...ACCESS_TARGETS].sort() : [], `${kind} access`);
    assert.deepEqual(kinds(produce), [...(PRODUCE_TARGETS[kind] ?? [])].sort(), `${kind} produce`);
  }
});

test("the #triggers table matches TRIGGER_SETTINGS", () => {
  const body = section("Triggers");
  const table = rows(body);
  for (const [kind, settings] of Object.entries(TRIGGER_SETTINGS)) {
    const row = table.get(kind);
    assert.ok(row, `no row for ${kind}`);
    assert.deepEqual(kinds(row[0]), [...settings].sort(), kind);
  }
  const lagRow = body.split("\n").find((l) => l.includes('`type: "consumer-lag"`'));
  assert.ok(lagRow);
  assert.deepEqual(kinds(lagRow.split("|")[2]), [...LAG_TRIGGER_SETTINGS].sort());
});

test("every node kind has its section and its id prefix documented", () => {
  const nodes = section("Nodes");
  for (const kind of NODE_KINDS) assert.match(nodes, new RegExp(`### .*\`${kind}\``), kind);
  const ids = section("Ids");
  for (const kind of [...NODE_KINDS, "context", "edge"] as (NodeKind | "context" | "edge")[]) {
    const prefix = makeId(kind, "x", new Set()).slice(0, -2);
    assert.ok(ids.includes(`| \`${prefix}\` |`), `${kind} → ${prefix}`);
  }
});

test("every model error code is in the error table", () => {
  const table = section("Validation and error codes");
  for (const code of Object.keys(ERRORS).filter((c) => /^TOPO-E0(0|1)\d$/.test(c))) assert.ok(table.includes(`| ${code} |`), code);
});
