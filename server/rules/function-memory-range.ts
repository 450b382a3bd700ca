import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

const R = LIMITS.function.memoryMb;

/** AWS refuses the deployment outside 128–10,240 MB (quotas, reference §6). */
export const functionMemoryRange: Rule = {
  id: "function-memory-range",
  severity: "error",
  title: `Function memory outside ${R.min}–${num(R.max)} MB`,
  check(ctx) {
    const out: Finding[] = [];
    for (const fn of ctx.nodesOf("function")) {
      if (fn.memoryMb >= R.min && fn.memoryMb <= R.max) continue;
      out.push(
        finding(
          functionMemoryRange,
          [fn.id],
          `${q(fn.name)} has ${num(fn.memoryMb)} MB of memory; Lambda accepts ${R.min}–${num(R.max)} MB.`,
          `Set memory between ${R.min} and ${num(R.max)} MB (CPU grows with memory, so measure before going to either end).`,
        ),
      );
    }
    return out;
  },
};
