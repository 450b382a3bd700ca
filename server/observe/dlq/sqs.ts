/**
 * The SQS edge of the DLQ browser: depth, peek without consuming, delete one message, purge, and one
 * copy-then-delete batch. Each takes an `SQSClient` and a queue URL, so it runs the same against fauxqs
 * (the sandbox), our move-task wire endpoint and AWS. SDK errors become TopoErrors with the IAM action
 * that was refused (server/observe/aws-errors.ts).
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { TopoError } from "../../errors";
import { awsErrorName, classifyAwsError, problemError } from "../aws-errors";

/** Runs one SDK call; an error becomes the TopoError a user can act on (throttled / denied with the action / not found). */
export async function call<T>(action: string, resource: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof TopoError) throw e;
    throw problemError(classifyAwsError(e, action, resource));
  }
}

export interface QueueState {
  arn: string | null;
  depth: number;
  inFlight: number;
  fifo: boolean;
  redrivePolicy: { deadLetterTargetArn: string; maxReceiveCount: number } | null;
}

/** Queue URL from a binding: the URL itself, or GetQueueUrl on the name. */
export async function queueUrlOf(sqs: SQSClient, binding: { queueUrl?: string; queueName?: string } | undefined): Promise<string | null> {
  if (binding?.queueUrl) return binding.queueUrl;
  if (!binding?.queueName) return null;
  const name = binding.queueName;
  const r = await call("sqs:GetQueueUrl", name, () => sqs.send(new GetQueueUrlCommand({ QueueName: name })));
  return r.QueueUrl ?? null;
}

export async function readQueueState(sqs: SQSClient, url: string): Promise<QueueState> {
  const r = await call("sqs:GetQueueAttributes", url, () =>
    sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "FifoQueue", "RedrivePolicy"],
      }),
    ),
  );
  const a = r.Attributes ?? {};
  let redrivePolicy: QueueState["redrivePolicy"] = null;
  if (a.RedrivePolicy) {
    try {
      const p = JSON.parse(a.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
      redrivePolicy = { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: Number(p.maxReceiveCount) };
    } catch {
      // an unreadable policy is shown as none
    }
  }
  return {
    arn: a.QueueArn ?? null,
    depth: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    fifo: a.FifoQueue === "true" || url.endsWith(".fifo"),
    redrivePolicy,
  };
}

const RECEIVE_ALL = { MessageSystemAttributeNames: ["All" as const], MessageAttributeNames: ["All"] };

/** Makes received messages visible again at once (visibility 0), ten at a time; failures only delay them until their timeout. */
export async function releaseMessages(sqs: SQSClient, url: string, messages: Message[]): Promise<number> {
  let released = 0;
  for (let i = 0; i < messages.length; i += 10) {
    const chunk = messages.slice(i, i + 10);
    try {
      const r = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })) }),
      );
      released += r.Successful?.length ?? 0;
    } catch {
      // They come back by themselves when the short visibility timeout ends.
    }
  }
  return released;
}

export interface PeekOptions {
  /** How many messages at most (pages of up to 10). */
  max: number;
  /** Visibility while the peek holds them (released at once after); a safety net if the release fails. */
  visibilitySeconds?: number;
}

/**
 * Peeks without consuming: receives pages of up to 10 with a short visibility timeout, keeping what was
 * received invisible until the last page (so no message is returned twice), then releases them all with
 * ChangeMessageVisibility(0). Each peek raises ApproximateReceiveCount of every message it returns.
 */
export async function peekMessages(sqs: SQSClient, url: string, opts: PeekOptions): Promise<Message[]> {
  const held: Message[] = [];
  const seen = new Set<string>();
  try {
    while (held.length < opts.max) {
      const r = await call("sqs:ReceiveMessage", url, () =>
        sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: Math.min(10, opts.max - held.length),
            VisibilityTimeout: opts.visibilitySeconds ?? 15,
            WaitTimeSeconds: 0,
            ...RECEIVE_ALL,
          }),
        ),
      );
      const got = (r.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
      if (!got.length) break;
      for (const m of got) {
        seen.add(m.MessageId!);
        held.push(m);
      }
    }
  } finally {
    await releaseMessages(sqs, url, held);
  }
  return held;
}

/**
 * Deletes one message by id. A receipt handle from an earlier peek is stale once the message was released
 * (SQS wants the latest handle), so this receives afresh until it meets the message, deletes it with that
 * fresh handle, and releases every other message it held. TOPO-E152 when the message is not there.
 */
export async function deleteMessageById(sqs: SQSClient, url: string, messageId: string, opts: { maxScan?: number; visibilitySeconds?: number } = {}): Promise<{ scanned: number }> {
  const maxScan = opts.maxScan ?? 200;
  const held: Message[] = [];
  const seen = new Set<string>();
  let found: Message | undefined;
  try {
    while (!found && held.length < maxScan) {
      const r = await call("sqs:ReceiveMessage", url, () =>
        sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: opts.visibilitySeconds ?? 15, WaitTimeSeconds: 0 })),
      );
      const got = (r.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
      if (!got.length) break;
      for (const m of got) {
        seen.add(m.MessageId!);
        if (m.MessageId === messageId && !found) found = m;
        else held.push(m);
      }
    }
    if (found) {
      const handle = found.ReceiptHandle!;
      try {
        await call("sqs:DeleteMessage", url, () => sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: handle })));
      } catch (e) {
        held.push(found);
        throw e;
      }
    }
  } finally {
    await releaseMessages(sqs, url, held);
  }
  if (!found) throw new TopoError("TOPO-E152", `message ${messageId} is not in the queue (looked at ${seen.size} message${seen.size === 1 ? "" : "s"})`);
  return { scanned: seen.size };
}

/** PurgeQueue; SQS refuses a second purge within 60 s (TOPO-E158). */
export async function purgeQueue(sqs: SQSClient, url: string): Promise<void> {
  try {
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  } catch (e) {
    if (/PurgeQueueInProgress/.test(awsErrorName(e))) throw new TopoError("TOPO-E158", `a purge of ${url} is already in progress`);
    throw problemError(classifyAwsError(e, "sqs:PurgeQueue", url));
  }
}

/** Received message attributes → the shape SendMessage takes (String/Number/Binary; list values are unused by SQS). */
export function toSendAttributes(attrs: Record<string, MessageAttributeValue> | undefined): Record<string, MessageAttributeValue> | undefined {
  if (!attrs || !Object.keys(attrs).length) return undefined;
  const out: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of Object.entries(attrs)) {
    out[k] = { DataType: v.DataType, ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}), ...(v.BinaryValue !== undefined ? { BinaryValue: v.BinaryValue } : {}) };
  }
  return out;
}

export interface MoveBatchResult {
  /** Messages received from the source in this batch. */
  received: number;
  /** Sent to the destination and deleted from the source. */
  moved: number;
  /** Sent, but the delete failed: they stay in the source and will be copied again (a duplicate). */
  undeleted: number;
  /** Not sent: they stay in the source and return after the visibility timeout. */
  failed: { id: string; message: string }[];
}

/**
 * One batch of a copy-then-delete move: receive up to 10 from `source` (held `visibilitySeconds`), SendMessageBatch
 * them to `dest` (body, message attributes; FIFO: group id, and the source message id as deduplication id), then
 * DeleteMessageBatch exactly those that were sent. Interrupted anywhere, nothing is lost: unsent messages return to
 * the source when their visibility ends; sent-but-undeleted ones are moved again (at least once).
 * `afterSend` runs between the copy and the delete (tests crash there, the worst place).
 */
export async function moveBatch(
  sqs: SQSClient,
  source: string,
  dest: string,
  opts: { visibilitySeconds: number; destFifo: boolean; afterSend?: () => void | Promise<void> },
): Promise<MoveBatchResult> {
  const r = await call("sqs:ReceiveMessage", source, () =>
    sqs.send(new ReceiveMessageCommand({ QueueUrl: source, MaxNumberOfMessages: 10, VisibilityTimeout: opts.visibilitySeconds, WaitTimeSeconds: 0, ...RECEIVE_ALL })),
  );
  const msgs = r.Messages ?? [];
  if (!msgs.length) return { received: 0, moved: 0, undeleted: 0, failed: [] };
  const entries: SendMessageBatchRequestEntry[] = msgs.map((m, i) => ({
    Id: String(i),
    MessageBody: m.Body ?? "",
    MessageAttributes: toSendAttributes(m.MessageAttributes),
    ...(opts.destFifo ? { MessageGroupId: m.Attributes?.MessageGroupId ?? "redrive", MessageDeduplicationId: m.MessageId } : {}),
  }));
  const sentIds = new Set<string>();
  const failed: MoveBatchResult["failed"] = [];
  try {
    const s = await sqs.send(new SendMessageBatchCommand({ QueueUrl: dest, Entries: entries }));
    for (const ok of s.Successful ?? []) sentIds.add(ok.Id!);
    for (const f of s.Failed ?? []) failed.push({ id: msgs[Number(f.Id)]?.MessageId ?? f.Id ?? "", message: `${f.Code}: ${f.Message ?? ""}` });
  } catch (e) {
    // A batch over the request size limit goes one message at a time.
    if (awsErrorName(e) !== "BatchRequestTooLong") throw problemError(classifyAwsError(e, "sqs:SendMessage", dest));
    for (const en of entries) {
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl: dest, MessageBody: en.MessageBody, MessageAttributes: en.MessageAttributes, MessageGroupId: en.MessageGroupId, MessageDeduplicationId: en.MessageDeduplicationId }));
        sentIds.add(en.Id!);
      } catch (e2) {
        failed.push({ id: msgs[Number(en.Id)]?.MessageId ?? "", message: `${awsErrorName(e2)}: ${(e2 as Error).message}` });
      }
    }
  }
  await opts.afterSend?.();
  const sent = msgs.filter((_, i) => sentIds.has(String(i)));
  let moved = 0;
  if (sent.length) {
    const d = await call("sqs:DeleteMessage", source, () =>
      sqs.send(new DeleteMessageBatchCommand({ QueueUrl: source, Entries: sent.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) })),
    );
    moved = d.Successful?.length ?? 0;
  }
  // Unsent messages go back at once rather than after their visibility timeout.
  const unsent = msgs.filter((_, i) => !sentIds.has(String(i)));
  if (unsent.length) await releaseMessages(sqs, source, unsent);
  return { received: msgs.length, moved, undeleted: sent.length - moved, failed };
}
