/**
 * Queue collector: GetQueueAttributes (depth, in flight, delayed, oldest message age where the service
 * reports it) with a short history for the trend. The SDK edge is `readQueue`; the rest is pure.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";

export interface QueueSample {
  t: number;
  visible: number;
  inFlight: number;
  delayed: number;
  /** Seconds; from CloudWatch (ApproximateAgeOfOldestMessage) or the sandbox's attribute when present. */
  oldestAgeSec: number | null;
}

export interface QueueState {
  queueUrl: string;
  latest: QueueSample;
  history: QueueSample[];
}

const HISTORY = 120;

export async function resolveQueueUrl(sqs: SQSClient, binding: { queueUrl?: string; queueName?: string }): Promise<string> {
  if (binding.queueUrl) return binding.queueUrl;
  if (!binding.queueName) throw Object.assign(new Error("the queue has no URL or name bound"), { name: "ResourceNotFoundException" });
  const res = await sqs.send(new GetQueueUrlCommand({ QueueName: binding.queueName }));
  return res.QueueUrl!;
}

export async function readQueue(sqs: SQSClient, binding: { queueUrl?: string; queueName?: string }, prev: QueueState | undefined, now = Date.now()): Promise<QueueState> {
  const queueUrl = prev?.queueUrl ?? (await resolveQueueUrl(sqs, binding));
  const res = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
    }),
  );
  const a = res.Attributes ?? {};
  const sample: QueueSample = {
    t: now,
    visible: Number(a.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
    oldestAgeSec: null,
  };
  const history = [...(prev?.history ?? []), sample].slice(-HISTORY);
  return { queueUrl, latest: sample, history };
}
