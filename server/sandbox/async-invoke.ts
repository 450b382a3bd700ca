/**
 * Asynchronous invocation (InvocationType Event), as Lambda's internal queue does it: up to
 * `asyncInvoke.maximumRetryAttempts` (default 2) retries after a function error or timeout, throttles retried
 * without counting until `maximumEventAgeSeconds`; then the event goes to the function's dead-letter queue (the raw
 * event with the RequestID / ErrorCode / ErrorMessage attributes) and/or to the on-failure destination queue (the
 * AWS destination record, condition RetriesExhausted or EventAgeExceeded). AWS waits 1 min then 2 min between
 * retries; the sandbox scales these down (`retryDelaysMs`, default 1 s then 2 s) so demos and tests stay short.
 */
import { randomUUID } from "node:crypto";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { FunctionRuntime, InvokeResult } from "./runtime/function-runtime";

export interface AsyncInvokeDeps {
  sqs: SQSClient;
  /** Queue URL by node id (for DLQs and destinations that are queues). */
  queueUrls: Map<string, string>;
  retryDelaysMs?: number[];
  /** Aborts pending retries on stop. */
  signal?: AbortSignal;
  /** Delivers a record to a destination that is not a queue (SNS topic, event bus, function). */
  deliver?: (nodeId: string, body: string) => Promise<void>;
}

export interface AsyncOutcome {
  attempts: number;
  final: InvokeResult;
  /** Where the event went after its retries: "dlq", "destination", both, or nowhere. */
  deliveredTo: ("dlq" | "destination")[];
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });

export async function invokeAsync(rt: FunctionRuntime, event: unknown, deps: AsyncInvokeDeps): Promise<AsyncOutcome> {
  const cfg = rt.fn.asyncInvoke;
  const maxRetries = cfg?.maximumRetryAttempts ?? 2;
  const maxAgeMs = (cfg?.maximumEventAgeSeconds ?? 21_600) * 1000;
  const delays = deps.retryDelaysMs ?? [1_000, 2_000];
  const receivedAt = Date.now();
  let attempts = 0;
  let last: InvokeResult | undefined;
  let condition = "RetriesExhausted";
  while (!deps.signal?.aborted) {
    if (Date.now() - receivedAt > maxAgeMs) {
      condition = "EventAgeExceeded";
      break;
    }
    last = await rt.invoke(event);
    if (last.status === "throttled") {
      await sleep(100, deps.signal);
      continue;
    }
    attempts++;
    if (last.status === "success") {
      const ok = cfg?.onSuccessDestinationId;
      if (ok && !deps.signal?.aborted) {
        const record = destinationRecord(rt, last, event, "Success", attempts, { statusCode: 200, executedVersion: "$LATEST" }, last.response ?? null);
        await sendTo(deps, ok, JSON.stringify(record));
        return { attempts, final: last, deliveredTo: ["destination"] };
      }
      return { attempts, final: last, deliveredTo: [] };
    }
    if (attempts > maxRetries) break;
    await sleep(delays[Math.min(attempts - 1, delays.length - 1)] ?? 1_000, deps.signal);
  }
  const final = last ?? { requestId: randomUUID(), status: "throttled" as const, coldStart: false, durationMs: 0 };
  const deliveredTo: AsyncOutcome["deliveredTo"] = [];
  if (deps.signal?.aborted) return { attempts, final, deliveredTo };
  const dlqUrl = rt.fn.deadLetterQueueId ? deps.queueUrls.get(rt.fn.deadLetterQueueId) : undefined;
  if (rt.fn.deadLetterQueueId && !dlqUrl && deps.deliver) {
    // An SNS topic as the DLQ: the raw event is published.
    await deps.deliver(rt.fn.deadLetterQueueId, JSON.stringify(event));
    deliveredTo.push("dlq");
  }
  const errorMessage = final.status === "timeout" ? `RequestId: ${final.requestId} Error: Task timed out` : (final.errorMessage ?? "");
  if (dlqUrl) {
    await deps.sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify(event),
        MessageAttributes: {
          RequestID: { DataType: "String", StringValue: final.requestId },
          ErrorCode: { DataType: "Number", StringValue: "200" },
          ErrorMessage: { DataType: "String", StringValue: errorMessage.slice(0, 1024) || "Unhandled" },
        },
      }),
    );
    deliveredTo.push("dlq");
  }
  const dest = cfg?.onFailureDestinationId;
  if (dest && (deps.queueUrls.has(dest) || deps.deliver)) {
    const record = destinationRecord(rt, final, event, condition, attempts, { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" }, { errorMessage });
    await sendTo(deps, dest, JSON.stringify(record));
    deliveredTo.push("destination");
  }
  return { attempts, final, deliveredTo };
}

/** The AWS asynchronous invocation destination record. */
function destinationRecord(rt: FunctionRuntime, final: InvokeResult, event: unknown, condition: string, attempts: number, responseContext: Record<string, unknown>, responsePayload: unknown) {
  return {
    version: "1.0",
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: final.requestId,
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${rt.fn.name}:$LATEST`,
      condition,
      approximateInvokeCount: attempts,
    },
    requestPayload: event,
    responseContext,
    responsePayload,
  };
}

async function sendTo(deps: AsyncInvokeDeps, nodeId: string, body: string) {
  const url = deps.queueUrls.get(nodeId);
  if (url) await deps.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  else await deps.deliver?.(nodeId, body);
}
