"use client";
/**
 * A queue's panel: depth, messages in flight and the oldest message's age from the snapshot; a
 * dead-letter queue opens the DLQ browser instead (its own figures, peek without consuming,
 * redrive, delete, purge).
 */
import type { QueueStats } from "@/server/observe/types";
import { FreshnessLine } from "./Freshness";
import { Stat } from "./FunctionPanel";
import { PanelFrame } from "./PanelFrame";
import { depthTone, formatAge, formatCount } from "./present";
import { DlqBrowser } from "./dlq/DlqBrowser";

export function QueuePanel({
  projectId,
  envId,
  nodeId,
  name,
  stats,
  isDeadLetterQueue,
  onClose,
}: {
  projectId: string;
  envId: string;
  nodeId: string;
  name: string;
  stats: QueueStats | undefined;
  isDeadLetterQueue: boolean;
  onClose: () => void;
}) {
  const tone = stats ? depthTone(stats) : "muted";
  return (
    <PanelFrame
      kicker={isDeadLetterQueue ? "Dead-letter queue" : "Queue"}
      title={name}
      freshness={stats ? <FreshnessLine freshness={stats.freshness} testId="queue-freshness" /> : null}
      onClose={onClose}
      testId="queue-panel"
    >
      {isDeadLetterQueue ? (
        <DlqBrowser projectId={projectId} environmentId={envId} nodeId={nodeId} />
      ) : stats ? (
        <div className="stat-grid">
          <Stat label={isDeadLetterQueue ? "Dead letters" : "Waiting"} value={stats.depth === null ? "–" : formatCount(stats.depth)} tone={tone === "bad" ? "bad" : tone === "warn" ? "warn" : undefined} testId="stat-depth" />
          <Stat label="In flight" value={stats.inFlight === null ? "–" : formatCount(stats.inFlight)} />
          <Stat label="Oldest" value={formatAge(stats.oldestAgeSec)} />
        </div>
      ) : (
        <p className="muted">No reading for this queue yet.</p>
      )}
    </PanelFrame>
  );
}
