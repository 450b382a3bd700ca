/**
 * How `extras` meet generated properties — the heart of the lossless round trip.
 *
 * Export: `applyOverlay(generated, element)` removes the `@omit` pointers from what the model
 * generates, then deep-merges the extras over it (extras win on every leaf they hold).
 * Import: `diffOverlay(generated, original)` is its inverse: the smallest extras (plus `@omit`)
 * such that `applyOverlay(generated, …)` gives back `original`. The importer maps what it
 * understands into the model, generates the resource from that model with the same emitter the
 * export uses, and keeps the difference verbatim — so whatever the model cannot say survives.
 *
 * Two keys merge differently: `Policies` (SAM) is a list mixing generated policies (from access,
 * produce and call edges) and kept ones: kept lists mark where each generated policy stood
 * (`{"@generated": true}`) so the order survives, and new edges' policies are appended; a `Tags`
 * list of `{Key, Value}` is compared as a set (CloudFormation does not care about tag order), leaving
 * out the `context` tag, which the exporter always writes from the node's bounded context.
 */
import { childPointer } from "../parse/template";
import { deepEqual, isIntrinsic, isPlainObject, type JsonObject } from "../parse/intrinsics";
import { extraProperties, omitted, type Annotated } from "./annotations";

const NONE = Symbol("no difference");

function isMergeable(v: unknown): v is JsonObject {
  return isPlainObject(v) && !isIntrinsic(v);
}

/** Generated properties with the element's `@omit` removed and its extras merged in. */
export function applyOverlay(generated: JsonObject, el: Annotated): JsonObject {
  const out = { ...generated };
  for (const p of omitted(el)) deletePointer(out, p);
  const extras = extraProperties(el);
  for (const k in extras) out[k] = mergeValue(out[k], extras[k], k, true);
  return inKeyOrder(out, el.extras?.["@keys"]);
}

/** Properties in the order the source template had them (`@keys`), new ones after. */
function inKeyOrder(props: JsonObject, keys: unknown): JsonObject {
  if (!Array.isArray(keys)) return props;
  const out: JsonObject = {};
  for (const k of keys) if (typeof k === "string" && k in props) out[k] = props[k];
  for (const k in props) if (!(k in out)) out[k] = props[k];
  return out;
}

function mergeValue(g: unknown, e: unknown, key: string, top: boolean): unknown {
  if (top && key === "Policies") return mergePolicies(g, e);
  if (isMergeable(g) && isMergeable(e)) {
    const out: JsonObject = { ...g };
    for (const k in e) out[k] = mergeValue(g[k], e[k], k, false);
    return out;
  }
  return e;
}

/** Marks, in kept `Policies`, the place of a generated policy, so imported lists keep their order. */
export const GENERATED_POLICY = { "@generated": true } as const;
const isMarker = (x: unknown) => isPlainObject(x) && x["@generated"] === true;

function mergePolicies(g: unknown, e: unknown): unknown {
  const generated = Array.isArray(g) ? g : g === undefined ? [] : [g];
  if (e === undefined) return g;
  const kept = Array.isArray(e) ? e : [e];
  const out: unknown[] = [];
  let next = 0;
  for (const item of kept) {
    if (isMarker(item)) {
      if (next < generated.length) out.push(generated[next++]);
    } else if (!generated.some((x) => deepEqual(x, item))) out.push(item);
  }
  out.push(...generated.slice(next));
  if (!Array.isArray(e) && generated.length === 0) return e;
  return out;
}

function deletePointer(obj: JsonObject, pointer: string) {
  const parts = pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let cur: unknown = obj;
  const chain: JsonObject[] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isPlainObject(cur)) return;
    chain.push(cur);
    const next: unknown = cur[parts[i]];
    if (!isPlainObject(next)) return;
    // Copy on the way down: generated objects may be shared.
    cur[parts[i]] = { ...next };
    cur = cur[parts[i]];
  }
  if (isPlainObject(cur)) delete cur[parts[parts.length - 1]];
}

export interface Overlay {
  /** Template properties to keep verbatim. */
  extras: JsonObject;
  /** Pointers generated but absent from the source. */
  omit: string[];
}

/**
 * The extras and `@omit` that turn `generated` into `original`.
 * @example diffOverlay({ MemorySize: 128, Timeout: 3 }, { MemorySize: { Ref: "Mem" } })
 * // { extras: { MemorySize: { Ref: "Mem" } }, omit: ["/Timeout"] }
 */
export function diffOverlay(generated: JsonObject, original: JsonObject): Overlay {
  const omit: string[] = [];
  const extras: JsonObject = {};
  for (const k in original) {
    const d = k === "Policies" ? diffPolicies(generated[k], original[k]) : diffValue(generated[k], original[k], childPointer("", k), k, omit);
    if (d !== NONE) extras[k] = d;
  }
  for (const k in generated) if (!(k in original)) omit.push(childPointer("", k));
  return { extras, omit };
}

function diffPolicies(g: unknown, o: unknown): unknown {
  const generated = Array.isArray(g) ? g : g === undefined ? [] : [g];
  if (generated.length === 0) return deepEqual(g, o) ? NONE : o;
  if (!Array.isArray(o)) return o;
  let next = 0;
  const kept = o.map((item) => (next < generated.length && deepEqual(generated[next], item) ? (next++, GENERATED_POLICY) : item));
  if (next === generated.length && kept.length === generated.length) return NONE;
  return kept;
}

function diffValue(g: unknown, o: unknown, pointer: string, key: string, omit: string[]): unknown {
  if (deepEqual(g, o)) return NONE;
  if (key === "Tags" && sameTagSet(g, o)) return NONE;
  if (isMergeable(g) && isMergeable(o)) {
    const out: JsonObject = {};
    let any = false;
    for (const k in o) {
      const d = diffValue(g[k], o[k], childPointer(pointer, k), k, omit);
      if (d !== NONE) {
        out[k] = d;
        any = true;
      }
    }
    for (const k in g) if (!(k in o)) omit.push(childPointer(pointer, k));
    return any ? out : NONE;
  }
  return o;
}

/** Same tags in any order; the `context` tag is the exporter's to write, so it is left out of the comparison. */
function sameTagSet(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  const own = (l: unknown[]) => l.filter((t) => !(isPlainObject(t) && t.Key === "context"));
  const x = own(a);
  const y = own(b);
  if (x.length !== y.length) return false;
  return x.every((t) => y.some((u) => deepEqual(t, u))) && y.every((u) => x.some((t) => deepEqual(t, u)));
}
