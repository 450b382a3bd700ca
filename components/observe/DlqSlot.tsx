"use client";
/**
 * Where the DLQ browser (components/observe/dlq) mounts in the queue panel.
 */
import { DlqBrowser } from "./dlq/DlqBrowser";

export function DlqSlot({ projectId, environmentId, nodeId }: { projectId: string; environmentId: string; nodeId: string }) {
  return <DlqBrowser projectId={projectId} environmentId={environmentId} nodeId={nodeId} />;
}
