import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

type Range = { min: number; max: number };
const T = LIMITS.trigger;

/**
 * Event-source settings outside what CreateEventSourceMapping accepts (reference §6), plus the
 * lag trigger's own bounds. Batch size and batching window have their own rules
 * (`batch-size-range`, `batch-window-range`) because they are the ones people tune.
 */
export const triggerSettingRange: Rule = {
  id: "trigger-setting-range",
  severity: "error",
  title: "Trigger setting (parallelization, retries, record age, tumbling window, concurrency, lag) outside its range",
  check(ctx) {
    const out: Finding[] = [];
    for (const t of ctx.triggers) {
      const e = t.edge;
      const problems: string[] = [];
      const check = (label: string, value: number | undefined, r: Range, unit = "") => {
        if (value !== undefined && (value < r.min || value > r.max)) problems.push(`${label} ${num(value)}${unit} (accepted: ${num(r.min)}–${num(r.max)}${unit})`);
      };
      check("parallelization factor", e.parallelizationFactor, T.parallelizationFactor);
      check("maximum retry attempts", e.maximumRetryAttempts, T.maximumRetryAttempts);
      const age = e.maximumRecordAgeSeconds;
      // −1 means "no limit"; any other value must be a real age of at least a minute.
      if (age !== undefined && age !== -1 && (age < T.maximumRecordAgeSeconds.minFinite || age > T.maximumRecordAgeSeconds.max))
        problems.push(`maximum record age ${num(age)} s (accepted: −1, or ${num(T.maximumRecordAgeSeconds.minFinite)}–${num(T.maximumRecordAgeSeconds.max)} s)`);
      check("tumbling window", e.tumblingWindowSeconds, T.tumblingWindowSeconds, " s");
      check("maximum concurrency", e.maximumConcurrency, T.maximumConcurrency);
      check("lag check interval", e.lagCheckIntervalSeconds, T.lagCheckIntervalSeconds, " s");
      if (e.lagThreshold !== undefined && e.lagThreshold < 1) problems.push(`lag threshold ${num(e.lagThreshold)} (must be at least 1 record)`);
      if (!problems.length) continue;
      out.push(
        finding(
          triggerSettingRange,
          [e.id, t.source.id, t.target.id],
          `The trigger from ${q(t.source.name)} to ${q(t.target.name)} has ${problems.join("; ")}.`,
          "Bring each setting inside the accepted range.",
        ),
      );
    }
    return out;
  },
};
