/**
 * Builders for rule tests: small documents that go through TopologySchema.parse (so defaults
 * fill in, as in a real document) and through checkIntegrity (so every test design is one the
 * editor could hold: rules are never tested on connections AWS cannot wire).
 */
import { checkIntegrity } from "../../model/graph";
import { TopologySchema, type Topology } from "../../model/schema";
import { buildRuleContext } from "../context";
import { DEFAULT_LINT_OPTIONS } from "../index";
import type { Finding, LintOptions, Rule } from "../types";

type Obj = Record<string, unknown>;

export function topo(input: { contexts?: Obj[]; nodes?: Obj[]; edges?: Obj[] }, opts: { allowIntegrityProblems?: boolean } = {}): Topology {
  const doc = TopologySchema.parse({ schemaVersion: 1, name: "Rule test", ...input });
  if (!opts.allowIntegrityProblems) {
    const problems = checkIntegrity(doc);
    if (problems.length) throw new Error(`test document fails integrity: ${problems.map((p) => `${p.code} ${p.message}`).join("; ")}`);
  }
  return doc;
}

/** Runs one rule with the engine's shared context, as lintTopology would. */
export function run(rule: Rule, doc: Topology, options: LintOptions = {}): Finding[] {
  return rule.check(buildRuleContext(doc, { ...DEFAULT_LINT_OPTIONS, ...options }));
}

export const ctx = (id: string, over: Obj = {}) => ({ id, name: id[0].toUpperCase() + id.slice(1), ...over });

const node = (kind: string) => (id: string, over: Obj = {}) => ({ id, kind, name: id, ...over });
export const fn = node("function");
export const queue = node("queue");
export const stream = node("stream");
export const table = (id: string, over: Obj = {}) => node("table")(id, { stream: {}, ...over });
export const kafka = (id: string, over: Obj = {}) => node("kafka-topic")(id, { topic: id, ...over });
export const sns = node("sns-topic");
export const bus = node("event-bus");
export const schedule = (id: string, over: Obj = {}) => node("schedule")(id, { expression: "rate(5 minutes)", ...over });
export const bucket = node("bucket");
export const store = node("data-store");
export const route = (id: string, over: Obj = {}) => node("http-route")(id, { method: "POST", path: `/${id}`, ...over });
export const external = node("external");

const edge = (kind: string) => (source: string, target: string, over: Obj = {}) => ({ id: `${kind}-${source}-${target}`, kind, source, target, ...over });
export const trigger = edge("trigger");
export const call = edge("call");
export const produce = edge("produce");
export const access = edge("access");
