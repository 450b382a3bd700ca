/**
 * The event source mapping's side door into the SQS emulator. fauxqs keeps its queues in an `SqsStore`; the
 * sandbox creates that store and hands it to fauxqs' app, so everything that speaks SQS over HTTP (observers, the
 * traffic generator, the AWS SDK in tests) sees the same queues, while the sandbox's own pollers receive and delete
 * in process: the same dequeue (visibility timeout, receive count, redrive to the DLQ after maxReceiveCount) and
 * long-poll waiters fauxqs' ReceiveMessage uses, without an HTTP round trip, SigV4 signing and the SDK's middleware
 * stack for every batch (that was most of the CPU at 1,000 invocations/s).
 *
 * fauxqs 1.9 exports `buildApp` only; its store class is imported from its dist by path (pinned version, see
 * package.json; the typecheck breaks loudly if the file moves).
 */
import type { Message } from "@aws-sdk/client-sqs";
import { SqsStore } from "../../node_modules/fauxqs/dist/sqs/sqsStore.js";

export { SqsStore };

type Queue = NonNullable<ReturnType<SqsStore["getQueue"]>>;

export class DirectQueue {
  private readonly dlqResolver: (arn: string) => Queue | undefined;

  constructor(
    private readonly store: SqsStore,
    readonly url: string,
  ) {
    this.dlqResolver = (arn) => store.getQueueByArn(arn);
  }

  private get queue(): Queue {
    const q = this.store.getQueue(this.url);
    if (!q) throw new Error(`queue ${this.url} does not exist`);
    return q;
  }

  /** ReceiveMessage with every system attribute: up to `max` (≤ 10), long-polling up to `waitSeconds` when empty. */
  async receive(max: number, waitSeconds: number): Promise<Message[]> {
    const q = this.queue;
    let got = q.dequeue(Math.min(10, max), undefined, this.dlqResolver);
    if (!got.length && waitSeconds > 0) {
      await q.waitForMessages(waitSeconds);
      got = q.dequeue(Math.min(10, max), undefined, this.dlqResolver);
    }
    return got.map((m) => {
      const entry = q.inflightMessages.get(m.ReceiptHandle);
      const msg = entry?.message;
      const attrs: Record<string, string> = { SenderId: "000000000000" };
      if (msg) {
        attrs.SentTimestamp = String(msg.sentTimestamp);
        attrs.ApproximateReceiveCount = String(msg.approximateReceiveCount);
        if (msg.approximateFirstReceiveTimestamp) attrs.ApproximateFirstReceiveTimestamp = String(msg.approximateFirstReceiveTimestamp);
        if (msg.messageGroupId) attrs.MessageGroupId = msg.messageGroupId;
        if (msg.messageDeduplicationId) attrs.MessageDeduplicationId = msg.messageDeduplicationId;
        if (msg.sequenceNumber) attrs.SequenceNumber = msg.sequenceNumber;
      }
      return { ...m, Attributes: attrs } as Message;
    });
  }

  /** DeleteMessage for each receipt handle (unknown handles are ignored, as SQS does). */
  delete(receiptHandles: string[]) {
    const q = this.queue;
    for (const h of receiptHandles) q.deleteMessage(h);
  }

  /** Visible and in-flight counts (ApproximateNumberOfMessages / …NotVisible). */
  counts(): { visible: number; inFlight: number } {
    const q = this.queue;
    return { visible: Number(q.getAttribute("ApproximateNumberOfMessages") ?? 0), inFlight: q.inflightMessages.size };
  }

  /** Wakes long polls on this queue (used on stop). */
  wake() {
    this.store.getQueue(this.url)?.cancelWaiters();
  }
}
