/**
 * The one entry point that turns untrusted input into a Topology: JSON text or a parsed value
 * → migrate → zod → integrity. Every caller (API, CLI, importer, editor) goes through it.
 */
import type { z } from "zod";
import { TopoError, type ProblemDetail } from "../errors";
import { checkIntegrity, type IntegrityProblem } from "./graph";
import { migrateDocument } from "./migrate";
import { TopologySchema, type Topology } from "./schema";

export type ValidationResult =
  | { ok: true; topology: Topology; problems: [] }
  | { ok: false; topology?: Topology; problems: ProblemDetail[] };

/** Maps zod issues to problems with a JSON path such as `nodes[2].timeoutSeconds`. */
export function zodProblems(error: z.ZodError): ProblemDetail[] {
  return error.issues.map((issue) => ({
    code: "TOPO-E002" as const,
    path: formatPath(issue.path),
    message: issue.message,
    fix: "See `topo schema` for the expected shape.",
  }));
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
  const parsed = TopologySchema.safeParse(migrated);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const integrity: IntegrityProblem[] = checkIntegrity(parsed.data);
  if (integrity.length) return { ok: false, topology: parsed.data, problems: integrity };
  return { ok: true, topology: parsed.data, problems: [] };
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
