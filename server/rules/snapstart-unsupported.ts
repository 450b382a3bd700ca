import { LIMITS, type Runtime } from "../model/limits";
import { finding, num, q } from "./context";
import type { Finding, Rule } from "./types";

/**
 * Managed runtimes SnapStart supports (snapstart.html: Java 11+, Python 3.12+, .NET 8+).
 * Not in LIMITS because it is a runtime feature, not a quota; move it there if a second module needs it.
 */
export const SNAPSTART_RUNTIMES: ReadonlySet<Runtime> = new Set<Runtime>(["java11", "java17", "java21", "python3.12", "python3.13", "dotnet8"]);

/**
 * snapstart.html, "Supported features and limitations": SnapStart works on the runtimes above
 * only, and not together with provisioned concurrency or with ephemeral storage above 512 MB.
 * AWS refuses such a function version.
 */
export const snapstartUnsupported: Rule = {
  id: "snapstart-unsupported",
  severity: "error",
  title: "SnapStart on an unsupported runtime, or combined with provisioned concurrency or more than 512 MB of /tmp",
  check(ctx) {
    const out: Finding[] = [];
    const tmp = LIMITS.function.ephemeralStorageMb.default;
    for (const fn of ctx.nodesOf("function")) {
      if (!fn.snapStart) continue;
      const problems: string[] = [];
      const fixes: string[] = [];
      if (!SNAPSTART_RUNTIMES.has(fn.runtime)) {
        problems.push(`runtime ${fn.runtime} does not support SnapStart`);
        fixes.push("use Java 11+, Python 3.12+ or .NET 8, or turn SnapStart off");
      }
      if ((fn.provisionedConcurrency ?? 0) > 0) {
        problems.push("SnapStart cannot be combined with provisioned concurrency");
        fixes.push("keep either SnapStart or provisioned concurrency");
      }
      if (fn.ephemeralStorageMb > tmp) {
        problems.push(`SnapStart supports at most ${tmp} MB of ephemeral storage (it has ${num(fn.ephemeralStorageMb)} MB)`);
        fixes.push(`lower ephemeral storage to ${tmp} MB`);
      }
      if (!problems.length) continue;
      out.push(finding(snapstartUnsupported, [fn.id], `${q(fn.name)} has SnapStart on, but ${problems.join("; ")}.`, `On ${q(fn.name)}: ${fixes.join("; ")}.`));
    }
    return out;
  },
};
