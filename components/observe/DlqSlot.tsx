"use client";
/**
 * Where the DLQ browser (components/observe/dlq) mounts in the queue panel. Until it is built,
 * the slot says what the queue panel already shows and where the messages can be read.
 */
export function DlqSlot({ projectId: _projectId, environmentId: _environmentId, nodeId: _nodeId }: { projectId: string; environmentId: string; nodeId: string }) {
  return <p className="muted">The message browser for this dead-letter queue is not available in this build.</p>;
}
