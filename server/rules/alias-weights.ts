import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

/** Float sums such as 0.1 + 0.2 are not exactly 0.3; AWS takes weights to a few decimals. */
const EPSILON = 1e-6;
/** An alias routes to its version plus at most one additional version (AliasRoutingConfiguration). */
const MAX_ROUTED_VERSIONS = 2;
const PUBLISHED_VERSION = /^[1-9][0-9]*$/;

/**
 * Weighted alias routing (UpdateAlias RoutingConfig): the weights are fractions of traffic that
 * sum to 1 over at most two versions, and both must be published versions: $LATEST cannot take
 * part in weighted routing. The model does not list the versions a function has published, so
 * "missing version" is checked by form: a version that is not a published version number.
 */
export const aliasWeights: Rule = {
  id: "alias-weights",
  severity: "error",
  title: "Weighted alias routing whose weights do not sum to 1 or that points at a missing version",
  check(ctx) {
    const out: Finding[] = [];
    for (const fn of ctx.nodesOf("function")) {
      const alias = fn.alias;
      if (!alias) continue;
      const problems: string[] = [];
      const vs = alias.versions;
      const sum = vs.reduce((s, v) => s + v.weight, 0);
      if (Math.abs(sum - 1) > EPSILON) problems.push(`weights sum to ${num(sum, 6)}, not 1`);
      for (const v of vs) if (v.weight < 0 || v.weight > 1) problems.push(`version ${v.version} has weight ${num(v.weight, 6)} (outside 0–1)`);
      const seen = new Set<string>();
      for (const v of vs) {
        if (seen.has(v.version)) problems.push(`version ${v.version} is listed twice`);
        seen.add(v.version);
      }
      if (vs.length > MAX_ROUTED_VERSIONS) problems.push(`it routes to ${vs.length} versions; an alias routes to at most ${MAX_ROUTED_VERSIONS}`);
      // A single-version alias may point at $LATEST; weighted routing needs published versions.
      for (const v of vs) {
        if (PUBLISHED_VERSION.test(v.version) || (vs.length === 1 && v.version === "$LATEST")) continue;
        problems.push(`version "${v.version}" is not a published version number`);
      }
      if (!problems.length) continue;
      out.push(
        finding(
          aliasWeights,
          [fn.id],
          `Alias ${q(alias.name)} of ${q(fn.name)}: ${problems.join("; ")}.`,
          `Route alias ${q(alias.name)} to one or two published versions (1, 2, …) whose weights add up to 1, e.g. 0.9 and 0.1.`,
        ),
      );
    }
    return out;
  },
};
