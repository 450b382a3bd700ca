/**
 * The DLQ browser's reads and writes. Keys sit under the Observe environment (`['observe', envId, 'dlq', …]`) so
 * invalidating the environment refreshes them too. The list polls (depth, redrive progress); a peek never does:
 * each peek raises the receive count of every message it shows, so it runs only when someone asks.
 */
import { queryOptions } from "@tanstack/react-query";
import type { DlqList, DlqPeek, MoveTask } from "@/server/observe/types";
import { apiFetch } from "../../api";

export type { DlqList, DlqPeek, MoveTask };

const enc = encodeURIComponent;

export const dlqKeys = {
  list: (envId: string) => ["observe", envId, "dlq"] as const,
  task: (envId: string, nodeId: string, taskId: string) => ["observe", envId, "dlq", nodeId, "task", taskId] as const,
};

export function dlqUrl(projectId: string, envId: string, rest = ""): string {
  return `/api/projects/${enc(projectId)}/environments/${enc(envId)}/observe/dlq${rest}`;
}

/** Every DLQ of the environment, polled every 3 s (one GetQueueAttributes per queue, shared by the server for 2 s). */
export const dlqListQuery = (projectId: string, envId: string) =>
  queryOptions({
    queryKey: dlqKeys.list(envId),
    queryFn: ({ signal }) => apiFetch<DlqList>(dlqUrl(projectId, envId), { signal }),
    refetchInterval: 3_000,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: false,
    retry: 1,
  });

/** A running redrive's progress, polled every second until it ends. */
export const redriveTaskQuery = (projectId: string, envId: string, nodeId: string, taskId: string) =>
  queryOptions({
    queryKey: dlqKeys.task(envId, nodeId, taskId),
    queryFn: ({ signal }) => apiFetch<{ task: MoveTask }>(dlqUrl(projectId, envId, `/${enc(nodeId)}/redrive/${enc(taskId)}`), { signal }).then((r) => r.task),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== "running" ? false : 1_000),
    refetchIntervalInBackground: false,
  });

export function peekLetters(projectId: string, envId: string, nodeId: string, max: number): Promise<DlqPeek> {
  return apiFetch<DlqPeek>(dlqUrl(projectId, envId, `/${enc(nodeId)}/messages?max=${max}`));
}

export function deleteLetter(projectId: string, envId: string, nodeId: string, messageId: string, receiptHandle: string): Promise<void> {
  return apiFetch<void>(dlqUrl(projectId, envId, `/${enc(nodeId)}/messages`), { method: "DELETE", body: { messageId, receiptHandle } });
}

export function startRedrive(projectId: string, envId: string, nodeId: string, destinationNodeId?: string): Promise<{ task: MoveTask; resumed: boolean }> {
  return apiFetch(dlqUrl(projectId, envId, `/${enc(nodeId)}/redrive`), { method: "POST", body: destinationNodeId ? { destinationNodeId } : {} });
}

export function purgeDlq(projectId: string, envId: string, nodeId: string): Promise<{ purged: number }> {
  return apiFetch(dlqUrl(projectId, envId, `/${enc(nodeId)}/purge`), { method: "POST", body: {} });
}
