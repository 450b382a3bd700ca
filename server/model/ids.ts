/**
 * Stable ids. An id is derived from the name once, when the element is created, and never
 * changes afterwards: renaming a function keeps its id, its edges and its exported logical id.
 */
import type { NodeKind } from "./schema";

const PREFIX: Record<NodeKind | "context" | "edge", string> = {
  function: "fn",
  "http-route": "route",
  queue: "queue",
  stream: "stream",
  table: "table",
  "kafka-topic": "kafka",
  "sns-topic": "sns",
  "event-bus": "bus",
  schedule: "schedule",
  bucket: "bucket",
  "data-store": "store",
  external: "ext",
  context: "ctx",
  edge: "e",
};

/** Letters that NFKD does not split into base letter + accent, spelled out (otherwise "cœur" → "c-ur"). */
const UNDECOMPOSED: Record<string, string> = {
  œ: "oe", Œ: "oe", æ: "ae", Æ: "ae", ß: "ss", ø: "o", Ø: "o", ł: "l", Ł: "l", đ: "d", Đ: "d", þ: "th", Þ: "th", ð: "d", Ð: "d",
};

/**
 * Lower-case, dash-separated, ASCII-only slug of a name (accents folded).
 * @example slugify("Commandes — Expédition") // "commandes-expedition"
 */
export function slugify(name: string): string {
  const slug = name
    .replace(/[œæßøłđþðŒÆØŁĐÞÐ]/g, (c) => UNDECOMPOSED[c] ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug || "x";
}

/**
 * A new id for an element of `kind` named `name`, unique among `taken`.
 * @example makeId("function", "Create order", new Set(["fn-create-order"])) // "fn-create-order-2"
 */
export function makeId(kind: NodeKind | "context" | "edge", name: string, taken: ReadonlySet<string>): string {
  const base = `${PREFIX[kind]}-${slugify(name)}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Id for an edge between two nodes: `e-<source>--<target>`, suffixed when several join the same pair. */
export function makeEdgeId(source: string, target: string, taken: ReadonlySet<string>): string {
  const base = `e-${source}--${target}`.slice(0, 120);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Every id used in a document, for `makeId`'s `taken`. */
export function takenIds(doc: { contexts: { id: string }[]; nodes: { id: string }[]; edges: { id: string }[] }): Set<string> {
  return new Set([...doc.contexts, ...doc.nodes, ...doc.edges].map((x) => x.id));
}
