/**
 * The guarantees of issue 5 on the 249 real SAM templates of ../shared/corpus/sam:
 * - every template that parses imports (or says clearly that nothing in it is modelled);
 * - import(export(import(t))) equals import(t);
 * - no resource, parameter, condition, mapping or output a user wrote disappears or changes
 *   through import → export (the export only adds a `context` tag and Composer groups);
 * - a template whose AWS::Serverless::* resources validate against the SAM JSON Schema still
 *   validates after import → export.
 * Templates that do not parse must fail with a TopoError (code, line), never a crash.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isTopoError } from "../../errors";
import { validateTopology } from "../../model/validate";
import { importSam } from "../import/sam";
import { exportSam } from "../export";
import { parseTemplate } from "../parse/template";
import { deepEqual, isPlainObject, type JsonObject } from "../parse/intrinsics";
import { corpusFiles, corpusMissing, samValidator, schemaMissing, templateText } from "./helpers";

/** A resource as its author wrote it: the export's `context` tag removed (and what only held it). */
function withoutContextTag(r: unknown, original: unknown): unknown {
  if (!isPlainObject(r) || !isPlainObject(r.Properties)) return r;
  const c = structuredClone(r) as JsonObject & { Properties: JsonObject };
  const tags = c.Properties.Tags;
  if (Array.isArray(tags)) c.Properties.Tags = tags.filter((t) => !(isPlainObject(t) && t.Key === "context"));
  else if (isPlainObject(tags)) delete tags.context;
  const had = isPlainObject(original) && isPlainObject(original.Properties) ? original.Properties : undefined;
  const empty = (v: unknown) => (Array.isArray(v) ? v.length === 0 : isPlainObject(v) && Object.keys(v).length === 0);
  if (empty(c.Properties.Tags) && !had?.Tags) delete c.Properties.Tags;
  if (empty(c.Properties) && !(isPlainObject(original) && "Properties" in original)) delete (c as JsonObject).Properties;
  return c;
}

test("corpus: import, fixed point, nothing lost, SAM schema validity kept", { skip: corpusMissing() || schemaMissing() }, () => {
  const t0 = performance.now();
  const validate = samValidator();
  const counts = { templates: 0, parsed: 0, notParsed: 0, imported: 0, nothingModelled: 0, fixedPoints: 0, schemaValidBefore: 0, schemaValidAfter: 0, userItems: 0, nodes: 0, edges: 0, resourcesModelled: 0, resourcesKept: 0 };
  const failures: string[] = [];
  for (const { name, text } of corpusFiles()) {
    counts.templates++;
    let source: JsonObject;
    try {
      source = parseTemplate(text, { fileName: name }).value;
    } catch (e) {
      assert.ok(isTopoError(e) && /^TOPO-E06[0-3]$/.test(e.code), `${name}: a template that does not parse must be a TOPO-E06x error, got ${String(e)}`);
      counts.notParsed++;
      continue;
    }
    counts.parsed++;
    const first = importSam(text, { fileName: name });
    assert.ok(validateTopology(first.topology).ok, `${name}: the imported topology validates`);
    counts.imported++;
    counts.nodes += first.topology.nodes.length;
    counts.edges += first.topology.edges.length;
    counts.resourcesModelled += first.report.counts.modelled;
    counts.resourcesKept += first.report.counts.opaque;
    if (first.report.nothingModelled) {
      counts.nothingModelled++;
      assert.match(first.report.summary, /^TOPO-E064: nothing in .* is modelled/, name);
    }
    const exported = exportSam(first.topology, { force: true, handlers: false });
    const out = templateText(exported.files);
    const again = importSam(out, { fileName: name });
    if (deepEqual(again.topology, first.topology)) counts.fixedPoints++;
    else failures.push(`${name}: import(export(import(t))) differs from import(t)`);
    const back = parseTemplate(out).value;
    for (const section of ["Resources", "Parameters", "Conditions", "Mappings", "Outputs"]) {
      const mine = isPlainObject(back[section]) ? back[section] : {};
      for (const [id, value] of Object.entries(isPlainObject(source[section]) ? source[section] : {})) {
        counts.userItems++;
        if (!(id in mine)) failures.push(`${name}: ${section}.${id} disappeared`);
        else if (!deepEqual(section === "Resources" ? withoutContextTag(mine[id], value) : mine[id], value)) failures.push(`${name}: ${section}.${id} changed`);
      }
    }
    if (validate(source).length === 0) {
      counts.schemaValidBefore++;
      const errors = validate(back);
      if (errors.length === 0) counts.schemaValidAfter++;
      else failures.push(`${name}: valid against the SAM schema before, not after: ${errors[0]}`);
    }
  }
  const ms = Math.round(performance.now() - t0);
  console.log(`corpus (${counts.templates} templates, ${ms} ms): ${JSON.stringify(counts)}`);
  assert.deepEqual(failures, []);
  assert.equal(counts.imported, counts.parsed);
  assert.equal(counts.fixedPoints, counts.parsed);
  assert.equal(counts.schemaValidAfter, counts.schemaValidBefore);
  assert.ok(counts.parsed >= 240, "the corpus mostly parses");
});

test("corpus, mutated (keys dropped, values replaced by junk): import never crashes, stays a fixed point", { skip: corpusMissing() }, async () => {
  const { writeYaml } = await import("../emit/yaml");
  const { exportCdk } = await import("../export");
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const junk = [null, 0, -1, 1.5, "", "x", true, [], {}, [1], { Ref: "Nope" }, { "Fn::GetAtt": ["A", "Arn"] }, { a: { b: 1 } }, "arn:aws:sqs:eu-west-1:1:q"];
  const mutate = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map((x) => (rand() < 0.05 ? junk[Math.floor(rand() * junk.length)] : mutate(x)));
    if (!isPlainObject(v)) return v;
    for (const k of Object.keys(v)) {
      const r = rand();
      if (r < 0.03) delete v[k];
      else if (r < 0.06) v[k] = junk[Math.floor(rand() * junk.length)];
      else v[k] = mutate(v[k]);
    }
    return v;
  };
  const counts = { mutated: 0, imported: 0, refused: 0, fixedPoints: 0 };
  for (const { name, text } of corpusFiles()) {
    let value: JsonObject;
    try {
      value = parseTemplate(text).value;
    } catch {
      continue;
    }
    counts.mutated++;
    const mutated = writeYaml(mutate(value) as JsonObject);
    let first;
    try {
      first = importSam(mutated, { name: "T" });
    } catch (e) {
      assert.ok(isTopoError(e) && e.code !== "TOPO-E050", `${name} (mutated): ${String(e)}`);
      counts.refused++;
      continue;
    }
    counts.imported++;
    assert.ok(validateTopology(first.topology).ok, `${name} (mutated) validates`);
    const out = templateText(exportSam(first.topology, { force: true, handlers: false }).files);
    exportCdk(first.topology, { force: true, handlers: false });
    if (deepEqual(importSam(out, { name: "T" }).topology, first.topology)) counts.fixedPoints++;
  }
  console.log(`corpus, mutated: ${JSON.stringify(counts)}`);
  assert.equal(counts.fixedPoints, counts.imported);
});
