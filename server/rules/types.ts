/**
 * Shapes of the design-rules engine: what a rule is, what it returns, and the shared context
 * every rule reads. Pure types; the context is built once per lint by context.ts.
 */
import type { EffectiveTrigger, TopologyIndex } from "../model/graph";
import type { FunctionNode, NodeKind, NodeOf, TopoNode, Topology, TriggerEdge } from "../model/schema";

export type Severity = "error" | "warning" | "info";

/** Most severe first; the order findings are listed in and the order thresholds compare by. */
export const SEVERITIES = ["error", "warning", "info"] as const satisfies readonly Severity[];

/**
 * One problem in a design.
 * - `elements`: ids of the nodes and edges involved (most specific first), so the editor can put
 *   a badge on each; a few rules also name a context id (contexts, nodes and edges share one id space).
 * - `message`: what is wrong, using element names (ids are for machines).
 * - `fix`: what to change, concretely (a value when there is one).
 * - `docs`: repository path of the rule's page, `docs/rules/<ruleId>.md`.
 */
export interface Finding {
  ruleId: string;
  severity: Severity;
  elements: string[];
  message: string;
  fix: string;
  docs: string;
}

export interface LintOptions {
  /** Lowest severity to report: "error" reports errors only, "warning" errors and warnings. Default "info" (everything). */
  severity?: Severity;
  /** `too-many-functions` fires above this many functions in one context. Default 12. */
  tooManyFunctions?: number;
  /** Account concurrency quota `concurrency-budget` compares reserved concurrency against. Default LIMITS.function.accountConcurrency (1,000). */
  accountConcurrency?: number;
}

export type ResolvedLintOptions = Required<LintOptions>;

/** A trigger edge whose source and function target both exist, with AWS defaults resolved for its source kind. */
export interface ResolvedTrigger {
  edge: TriggerEdge;
  source: TopoNode;
  target: FunctionNode;
  settings: EffectiveTrigger;
}

/**
 * Everything a rule may read, computed once per lint so that N rules cost one pass over the
 * document for the indexes plus their own (linear) work. Rules must treat it as read-only.
 */
export interface RuleContext {
  readonly doc: Topology;
  readonly idx: TopologyIndex;
  readonly options: ResolvedLintOptions;
  /** Nodes of one kind, in document order. */
  nodesOf<K extends NodeKind>(kind: K): readonly NodeOf<K>[];
  /** Trigger edges (event and consumer-lag) from an existing node to an existing function, in document order. */
  readonly triggers: readonly ResolvedTrigger[];
  /** Queues used as a dead-letter queue or failure destination (graph.ts `deadLetterQueueIds`). */
  readonly deadLetterQueueIds: ReadonlySet<string>;
  /** Display name of a node, edge or context ("Orders queue → Checkout" for an edge); the id when unknown. */
  name(id: string): string;
}

export interface Rule {
  /** Stable id, kebab-case; also the docs page name. Never reused for a different check. */
  id: string;
  severity: Severity;
  /** One line, shown in rule lists (docs/rules/README.md, the editor's rule panel). */
  title: string;
  check(ctx: RuleContext): Finding[];
}
