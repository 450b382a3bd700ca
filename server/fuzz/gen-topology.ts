/**
 * Structure-aware topologies: random documents generated from the zod schema's own shape (its
 * JSON Schema), with ids drawn from pools so references often resolve, and a small chance at
 * every value of the wrong type, an out-of-range number or a hostile string.
 */
import { topologyJsonSchema } from "../model/schema";
import { Rng, randomJson, randomNumber, randomString, setOwn } from "./rng";

type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  additionalProperties?: Schema | boolean;
  propertyNames?: Schema;
};

let cached: Schema | undefined;
function rootSchema(): Schema {
  return (cached ??= topologyJsonSchema() as Schema);
}

interface Ctx {
  r: Rng;
  contextIds: string[];
  nodeIds: string[];
  /** Chance per value of something that does not fit the schema. */
  noise: number;
}

const REF_KEYS = new Set(["source", "target", "onSuccessDestinationId", "onFailureDestinationId", "destinationId", "deadLetterQueueId", "dlqId", "targetId"]);

function gen(s: Schema, key: string, c: Ctx, depth: number): unknown {
  const { r } = c;
  if (r.chance(c.noise)) return randomJson(r, 1);
  if (s.const !== undefined) return s.const;
  if (s.enum) return r.pick(s.enum);
  const alts = s.oneOf ?? s.anyOf;
  if (alts) return gen(r.pick(alts), key, c, depth);
  const type = Array.isArray(s.type) ? r.pick(s.type) : s.type;
  switch (type) {
    case "string":
      return genString(s, key, c);
    case "integer":
    case "number": {
      const lo = s.minimum ?? (s.exclusiveMinimum as number | undefined) ?? 0;
      const hi = s.maximum ?? lo + 1_000;
      const v = r.chance(0.8) ? lo + r.next() * (Math.min(hi, lo + 10_000) - lo) : randomNumber(r);
      return type === "integer" && r.chance(0.95) ? Math.round(v) : v;
    }
    case "boolean":
      return r.chance(0.5);
    case "null":
      return null;
    case "array": {
      const n = depth > 4 ? 0 : r.int(s.minItems === 1 ? 1 : 0, 3);
      return Array.from({ length: n }, () => (s.items ? gen(s.items, key, c, depth + 1) : randomJson(r, 1)));
    }
    case "object": {
      const o: Record<string, unknown> = {};
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      // Ids first, so references generated later in the same object can point at them.
      const keys = Object.keys(props).sort((a, b) => (a === "id" ? -1 : b === "id" ? 1 : 0));
      for (const k of keys) {
        if (required.has(k) ? r.chance(1 - c.noise) : r.chance(depth > 3 ? 0.1 : 0.4)) setOwn(o, k, gen(props[k], k, c, depth + 1));
      }
      if (s.additionalProperties && typeof s.additionalProperties === "object") {
        for (let n = r.int(0, 2); n > 0; n--) setOwn(o, s.propertyNames ? String(genString(s.propertyNames, "key", c)) : randomString(r, 8), gen(s.additionalProperties, k0(key), c, depth + 1));
      }
      if (r.chance(c.noise)) setOwn(o, r.pick(["__proto__", "unknownField", "constructor"]), randomJson(r, 1));
      return o;
    }
    default:
      return randomJson(r, 1);
  }
}

const k0 = (key: string) => `${key}[]`;

/** Valid examples for fields with a pattern. */
const KNOWN: Record<string, string[]> = {
  expression: ["rate(5 minutes)", "rate(1 hour)", "cron(0 12 * * ? *)", "at(2026-01-01T00:00:00)", "rate(0 minutes)", "cron(bad)"],
  s3Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete", "s3:"],
  region: ["eu-west-1", "us-east-1"],
  credentialsRef: ["default", "profile:dev"],
  stackName: ["orders-prod"],
};

function genString(s: Schema, key: string, c: Ctx): string {
  const { r } = c;
  const idLike = s.pattern === "^[a-z0-9][a-z0-9-]*$";
  if (idLike) {
    if (key === "id") {
      const id = `${key === "id" ? "n" : "x"}${r.int(0, 40)}`;
      return id;
    }
    if (key === "contextId" && c.contextIds.length && r.chance(0.9)) return r.pick(c.contextIds);
    if ((REF_KEYS.has(key) || key.endsWith("Id")) && c.nodeIds.length && r.chance(0.9)) return r.pick(c.nodeIds);
    return r.chance(0.7) && c.nodeIds.length ? r.pick(c.nodeIds) : `n${r.int(0, 40)}`;
  }
  if (s.format === "date-time") return r.chance(0.8) ? new Date(Date.UTC(2026, 0, 1) + r.int(0, 1e9)).toISOString() : randomString(r);
  if (s.pattern === "^#[0-9a-fA-F]{6}$") return r.chance(0.9) ? `#${r.int(0, 0xffffff).toString(16).padStart(6, "0")}` : randomString(r);
  if (s.pattern === "^\\/" || key === "path") return r.chance(0.9) ? `/${randomString(r, 10).replace(/\s/g, "")}` : randomString(r);
  if (s.pattern && KNOWN[key] && r.chance(0.95)) return r.pick(KNOWN[key]);
  if (s.pattern?.startsWith("^s3:") && r.chance(0.95)) return r.pick(KNOWN.s3Events);
  if (s.pattern?.startsWith("^(rate|cron|at)") && r.chance(0.95)) return r.pick(KNOWN.expression);
  const max = s.maxLength ?? 1_000;
  let v = randomString(r, Math.min(max, 40));
  // Mostly within the schema's bounds (to reach the integrity checks), sometimes not.
  if (v.length > max && r.chance(1 - c.noise * 10)) v = v.slice(0, max);
  if ((s.minLength ?? 0) > 0 && v.trim().length < (s.minLength ?? 0) && r.chance(1 - c.noise * 10)) v = `x${v}`.padEnd(s.minLength ?? 1, "y");
  return v;
}

/**
 * A random topology document. Contexts, nodes and edges are generated in that order, so
 * `contextId`, `source` and `target` mostly name elements that exist.
 */
export function randomTopology(r: Rng, opts: { noise?: number } = {}): Record<string, unknown> {
  const root = rootSchema();
  const props = root.properties!;
  const c: Ctx = { r, contextIds: [], nodeIds: [], noise: opts.noise ?? r.pick([0, 0, 0.005, 0.02, 0.1]) };
  const doc: Record<string, unknown> = { schemaVersion: r.chance(0.97) ? 1 : r.pick([0, 2, "1", null]), name: genString(props.name as Schema, "name", c) };
  if (r.chance(0.3)) doc.description = genString(props.description as Schema, "description", c);
  const contexts = Array.from({ length: r.int(0, 4) }, () => gen((props.contexts as Schema).items!, "contexts", c, 1) as Record<string, unknown>);
  contexts.forEach((x, i) => {
    if (x && typeof x === "object" && typeof x.id === "string") {
      if (r.chance(0.9)) x.id = `c${i}`;
      c.contextIds.push(x.id as string);
    }
  });
  const nodeSchema = (props.nodes as Schema).items!;
  const nodes: unknown[] = [];
  const n = r.int(0, 14);
  for (let i = 0; i < n; i++) {
    const node = gen(nodeSchema, "nodes", c, 1) as Record<string, unknown>;
    if (node && typeof node === "object" && typeof node.id === "string") {
      if (r.chance(0.9)) node.id = `n${i}`;
      c.nodeIds.push(node.id as string);
    }
    nodes.push(node);
  }
  const edgeSchema = (props.edges as Schema).items!;
  const edges = Array.from({ length: r.int(0, 12) }, (_, i) => {
    const e = gen(edgeSchema, "edges", c, 1) as Record<string, unknown>;
    if (e && typeof e === "object" && typeof e.id === "string" && r.chance(0.9)) e.id = `e${i}`;
    return e;
  });
  if (contexts.length || r.chance(0.5)) doc.contexts = contexts;
  doc.nodes = nodes;
  doc.edges = edges;
  if (r.chance(0.1)) doc.iac = { sam: r.chance(0.8) ? { Resources: randomJson(r, 3) } : randomJson(r, 3) };
  return doc;
}
