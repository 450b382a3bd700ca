/**
 * An SQS message as received from a dead-letter queue → what the DLQ browser shows: the body (and its
 * JSON, for pretty-printing), attributes, receive count, and the Lambda failure record decoded.
 * Pure. Bodies are data, never markup: the UI renders them as text.
 *
 * Lambda writes three kinds of failure records (aws-observability-facts.md §5 and AWS's destination docs):
 * - async invocation DLQ: the raw event as the body, with message attributes RequestID, ErrorCode, ErrorMessage;
 * - async on-failure destination: `{ version, timestamp, requestContext: { requestId, functionArn, condition,
 *   approximateInvokeCount }, requestPayload, responseContext, responsePayload: { errorType?, errorMessage } }`;
 * - event source mapping on-failure (Kinesis, DynamoDB Streams, Kafka): `{ requestContext, responseContext,
 *   version, timestamp, KinesisBatchInfo | DDBStreamBatchInfo | KafkaBatchInfo | … }` (batch coordinates, no data).
 */
import type { Message, MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { DeadLetter } from "../types";

type Failure = NonNullable<DeadLetter["failure"]>;

const MAX_JSON_BYTES = 256 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null);

/** Parses a body that looks like a JSON object or array; anything else stays text only. */
export function parseJsonBody(body: string): unknown | undefined {
  const t = body.trimStart();
  if (!(t.startsWith("{") || t.startsWith("[")) || body.length > MAX_JSON_BYTES) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A message attribute as text (binary values as base64, marked). */
export function attributeText(a: MessageAttributeValue): string {
  if (a.StringValue !== undefined) return a.StringValue;
  if (a.BinaryValue !== undefined) return `base64:${Buffer.from(a.BinaryValue).toString("base64")}`;
  return "";
}

/**
 * The Lambda failure record carried by a message, if any.
 * @example decodeFailure({ requestContext: { condition: "RetriesExhausted", functionArn: "arn:…" }, responsePayload: { errorMessage: "boom" } }, {})?.condition // "RetriesExhausted"
 */
export function decodeFailure(json: unknown, messageAttributes: Record<string, string>): Failure | undefined {
  if (isObject(json) && isObject(json.requestContext) && typeof json.requestContext.condition === "string") {
    const rc = json.requestContext;
    const resp = isObject(json.responsePayload) ? json.responsePayload : undefined;
    const respCtx = isObject(json.responseContext) ? json.responseContext : undefined;
    const batchKey = Object.keys(json).find((k) => /BatchInfo$/.test(k) && isObject(json[k]));
    const failure: Failure = {
      condition: rc.condition as string,
      functionArn: str(rc.functionArn),
      errorType: str(resp?.errorType) ?? (respCtx?.functionError ? str(respCtx.functionError) : null),
      errorMessage: str(resp?.errorMessage) ?? (typeof json.responsePayload === "string" ? json.responsePayload : null),
      source: batchKey ? "esm-on-failure" : "async-destination",
      requestId: str(rc.requestId),
      approximateInvokeCount: typeof rc.approximateInvokeCount === "number" ? rc.approximateInvokeCount : null,
    };
    if (batchKey) failure.batchInfo = { kind: batchKey, fields: json[batchKey] as Record<string, unknown> };
    return failure;
  }
  // Async invocation DLQ: the event itself, with Lambda's three attributes.
  if ("RequestID" in messageAttributes && ("ErrorMessage" in messageAttributes || "ErrorCode" in messageAttributes)) {
    return {
      condition: "RetriesExhausted",
      functionArn: null,
      errorType: messageAttributes.ErrorCode ? `ErrorCode ${messageAttributes.ErrorCode}` : null,
      errorMessage: messageAttributes.ErrorMessage ?? null,
      source: "async-dlq",
      requestId: messageAttributes.RequestID,
      approximateInvokeCount: null,
    };
  }
  return undefined;
}

/** When the message was first sent (SentTimestamp, epoch ms as text), as ISO. */
function sentAt(attributes: Record<string, string>): string | null {
  const ms = Number(attributes.SentTimestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}

/**
 * Decodes one received message for the browser.
 * @example decodeDeadLetter({ MessageId: "m1", ReceiptHandle: "r", Body: '{"a":1}', Attributes: { ApproximateReceiveCount: "4" } }).receiveCount // 4
 */
export function decodeDeadLetter(m: Message): DeadLetter {
  const body = m.Body ?? "";
  const attributes: Record<string, string> = { ...(m.Attributes ?? {}) } as Record<string, string>;
  const messageAttributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) messageAttributes[k] = attributeText(v);
  const json = parseJsonBody(body);
  const failure = decodeFailure(json, messageAttributes);
  const out: DeadLetter = {
    messageId: m.MessageId ?? "",
    receiptHandle: m.ReceiptHandle ?? "",
    body,
    attributes,
    messageAttributes,
    receiveCount: Number(attributes.ApproximateReceiveCount ?? 0) || 0,
    sentAt: sentAt(attributes),
  };
  if (json !== undefined) out.json = json;
  if (failure) out.failure = failure;
  if (attributes.MessageGroupId) out.messageGroupId = attributes.MessageGroupId;
  return out;
}

/** Age in seconds of the oldest message among those peeked (SentTimestamp), or null. */
export function oldestAgeSeconds(letters: Pick<DeadLetter, "sentAt">[], now = Date.now()): number | null {
  let oldest = Infinity;
  for (const l of letters) if (l.sentAt) oldest = Math.min(oldest, Date.parse(l.sentAt));
  return Number.isFinite(oldest) ? Math.max(0, Math.round((now - oldest) / 1000)) : null;
}
