"use client";
import type { Freshness as FreshnessData } from "@/server/observe/types";
import { freshnessLine } from "./present";
import { useNow } from "./use-now";
import styles from "./observe.module.css";

/**
 * "read 3 s ago", and why the data is stale or failing (throttled, access denied with the missing
 * IAM action, not found) with the fix. The panel keeps showing its last good data below.
 */
export function FreshnessLine({ freshness, testId }: { freshness: FreshnessData; testId?: string }) {
  const now = useNow();
  if (!now) return null;
  const line = freshnessLine(freshness, now);
  return (
    <span className={styles.freshness} data-testid={testId} data-state={freshness.state} role={freshness.problem ? "status" : undefined}>
      <span className={styles[`tone_${line.tone}`]}>{line.text}</span>
      {freshness.problem && (
        <>
          {" "}
          <code className="error-code" title={freshness.problem.message}>
            {freshness.problem.code}
          </code>
          {line.fix && <span className={styles.fix}> {line.fix}</span>}
        </>
      )}
    </span>
  );
}
