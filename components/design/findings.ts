/**
 * What the canvas shows as findings: the design rules (`lintTopology`, server/rules, pure and
 * safe in the browser) plus the model's reference-integrity problems (`checkIntegrity`), in one
 * list, most severe first, and a per-element summary for the badges (count + worst severity).
 * Pure. The canvas runs it ~200 ms after each edit; the badge summaries of elements whose
 * findings did not change are the same objects as before, so only their badges re-render.
 */
import { checkIntegrity } from "../../server/model/graph";
import type { Topology } from "../../server/model/schema";
import { lintTopology, type Severity } from "../../server/rules/index";
import { parseReferenceId } from "./operations";

export interface DesignFinding {
  /** Stable across runs while the finding stands (rule + elements + message). */
  key: string;
  severity: Severity;
  /** Rule id ("sqs-visibility-timeout") or model error code ("TOPO-E015"). */
  code: string;
  source: "rule" | "model";
  message: string;
  fix: string;
  /** Ids of the elements involved, most specific first: the first one is selected on click. */
  elements: string[];
  /** Repository path of the rule's page. */
  docs?: string;
}

export interface ElementBadge {
  count: number;
  worst: Severity;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Findings of a document, errors first, and the badge of each element they name.
 * @example computeFindings(doc).byElement.get("queue-jobs") // { count: 2, worst: "error" }
 */
export function computeFindings(doc: Topology, previous?: ReadonlyMap<string, ElementBadge>): { list: DesignFinding[]; byElement: Map<string, ElementBadge> } {
  const list: DesignFinding[] = [];
  for (const p of checkIntegrity(doc)) {
    const elements = p.elementId ? [p.elementId] : [];
    list.push({ key: `${p.code}|${p.path}|${p.message}`, severity: "error", code: p.code, source: "model", message: p.message, fix: p.fix, elements });
  }
  let lint: ReturnType<typeof lintTopology> = [];
  try {
    lint = lintTopology(doc);
  } catch (e) {
    // The rules expect a schema-valid document; the store keeps it so, but never let a rule bug blank the canvas.
    list.push({ key: "lint-failed", severity: "error", code: "TOPO-E050", source: "model", message: `the design rules could not run: ${e instanceof Error ? e.message : String(e)}`, fix: "Undo the last change and report it." , elements: [] });
  }
  for (const f of lint) {
    list.push({ key: `${f.ruleId}|${f.elements.join(",")}|${f.message}`, severity: f.severity, code: f.ruleId, source: "rule", message: f.message, fix: f.fix, elements: f.elements, docs: f.docs });
  }
  list.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return { list, byElement: badges(list, previous) };
}

/** Per-element count and worst severity; an element's badge object is reused while it is equal. */
export function badges(list: readonly DesignFinding[], previous?: ReadonlyMap<string, ElementBadge>): Map<string, ElementBadge> {
  const counts = new Map<string, { count: number; worst: Severity }>();
  for (const f of list) {
    const seen = new Set<string>();
    for (const raw of f.elements) {
      // A finding on a reference (`owner~field`) shows on its owner.
      const id = parseReferenceId(raw)?.ownerId ?? raw;
      if (seen.has(id)) continue;
      seen.add(id);
      const c = counts.get(id);
      if (!c) counts.set(id, { count: 1, worst: f.severity });
      else {
        c.count++;
        if (RANK[f.severity] < RANK[c.worst]) c.worst = f.severity;
      }
    }
  }
  const out = new Map<string, ElementBadge>();
  for (const [id, c] of counts) {
    const old = previous?.get(id);
    out.set(id, old && old.count === c.count && old.worst === c.worst ? old : c);
  }
  return out;
}

/** Findings grouped by severity, for the panel. */
export function groupBySeverity(list: readonly DesignFinding[]): { severity: Severity; findings: DesignFinding[] }[] {
  return (["error", "warning", "info"] as const).map((severity) => ({ severity, findings: list.filter((f) => f.severity === severity) })).filter((g) => g.findings.length > 0);
}
