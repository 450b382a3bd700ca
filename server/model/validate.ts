/**
 * The one entry point that turns untrusted input into a Topology: JSON text or a parsed value
 * → migrate → zod → integrity. Every caller (API, CLI, importer, editor) goes through it.
 */
import type { z } from "zod";
import { ERRORS, TopoError, type ProblemDetail } from "../errors";
import { checkIntegrity, type IntegrityProblem } from "./graph";
import { migrateDocument } from "./migrate";
import { DOCUMENT_LIMITS } from "./limits";
import { TopologySchema, type Topology } from "./schema";

export type ValidationResult =
  | { ok: true; topology: Topology; problems: [] }
  | { ok: false; topology?: Topology; problems: ProblemDetail[] };

/** Maps zod issues to problems with a JSON path such as `nodes[2].timeoutSeconds`. */
export function zodProblems(error: z.ZodError): ProblemDetail[] {
  return error.issues.map((issue) => ({
    code: "TOPO-E002" as const,
    path: formatPath(issue.path),
    message: issueMessage(issue),
    fix: "See `topo schema` for the expected shape.",
  }));
}

/** zod says only "Invalid key in record" for a bad key; the inner issue says what is wrong with it. */
function issueMessage(issue: z.core.$ZodIssue): string {
  const inner = (issue as { code: string; issues?: { message: string }[] }).code === "invalid_key" ? (issue as { issues?: { message: string }[] }).issues?.[0] : undefined;
  return inner ? `invalid key: ${inner.message}` : issue.message;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(document)";
}

/**
 * Validates a document (already parsed from JSON). Never throws for bad input: returns every
 * problem found, schema problems first; integrity is checked only once the shape is right.
 * @example validateTopology({ schemaVersion: 1, name: "Empty" }).ok // true
 */
export function validateTopology(raw: unknown): ValidationResult {
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    return { ok: false, problems: [{ code: "TOPO-E002", path: "(document)", message: "a topology is a JSON object", fix: "Start from `topo schema` or an example in docs/model.md." }] };
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateDocument(raw as Record<string, unknown>);
  } catch (e) {
    if (e instanceof TopoError) return { ok: false, problems: [{ code: e.code, path: "schemaVersion", message: e.message, fix: e.fix }] };
    throw e;
  }
  const tooLarge = sizeProblem(migrated);
  if (tooLarge) return { ok: false, problems: [tooLarge] };
  const parsed = TopologySchema.safeParse(migrated);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const integrity: IntegrityProblem[] = checkIntegrity(parsed.data);
  if (integrity.length) return { ok: false, topology: parsed.data, problems: integrity };
  return { ok: true, topology: parsed.data, problems: [] };
}

/**
 * Counts elements before the schema runs, so a document with a million nodes is refused in
 * microseconds instead of being parsed first (TOPO-E190; limits in DOCUMENT_LIMITS).
 */
function sizeProblem(doc: Record<string, unknown>): ProblemDetail | undefined {
  const D = DOCUMENT_LIMITS;
  const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  const nodes = count(doc.nodes);
  const functions = Array.isArray(doc.nodes) && nodes <= D.maxNodes ? doc.nodes.filter((n) => (n as { kind?: unknown } | null)?.kind === "function").length : 0;
  const over: [string, number, number, string][] = [
    ["nodes", nodes, D.maxNodes, "nodes"],
    ["nodes", functions, D.maxFunctions, "functions"],
    ["edges", count(doc.edges), D.maxEdges, "edges"],
    ["contexts", count(doc.contexts), D.maxContexts, "contexts"],
  ];
  const hit = over.find(([, n, max]) => n > max);
  if (!hit) return undefined;
  const [path, n, max, what] = hit;
  return { code: "TOPO-E190", path, message: `the topology has ${n.toLocaleString("en")} ${what}; the limit is ${max.toLocaleString("en")}`, fix: ERRORS["TOPO-E190"].fix };
}

/** Parses JSON text and validates it; malformed JSON is TOPO-E001 with the position. */
export function validateTopologyText(text: string): ValidationResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ code: "TOPO-E001", path: "(document)", message: `not valid JSON: ${(e as Error).message}`, fix: "Check quotes, commas and brackets near that position." }] };
  }
  return validateTopology(value);
}

/** Like validateTopology, but throws one TopoError carrying all problems: for API handlers. */
export function parseTopologyOrThrow(raw: unknown): Topology {
  const result = validateTopology(raw);
  if (result.ok) return result.topology;
  const first = result.problems[0];
  throw new TopoError(first.code ?? "TOPO-E002", `the topology is invalid: ${result.problems.length} problem${result.problems.length > 1 ? "s" : ""}, first: ${first.path ? `${first.path}: ` : ""}${first.message}`, {
    fix: first.fix,
    details: result.problems,
  });
}
