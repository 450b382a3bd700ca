import { LIMITS } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

const R = LIMITS.function.ephemeralStorageMb;

/** AWS refuses the deployment when /tmp is outside 512–10,240 MB (quotas, reference §6). */
export const functionStorageRange: Rule = {
  id: "function-storage-range",
  severity: "error",
  title: `Function ephemeral storage outside ${R.min}–${num(R.max)} MB`,
  check(ctx) {
    const out: Finding[] = [];
    for (const fn of ctx.nodesOf("function")) {
      if (fn.ephemeralStorageMb >= R.min && fn.ephemeralStorageMb <= R.max) continue;
      out.push(
        finding(
          functionStorageRange,
          [fn.id],
          `${q(fn.name)} has ${num(fn.ephemeralStorageMb)} MB of ephemeral storage (/tmp); Lambda accepts ${R.min}–${num(R.max)} MB.`,
          `Set ephemeral storage between ${R.min} and ${num(R.max)} MB; for more, stream to S3 or mount EFS.`,
        ),
      );
    }
    return out;
  },
};
