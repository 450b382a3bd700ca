/**
 * The AWS-native push integrations of the sandbox, as event builders and matchers (pure): SNS notifications
 * (Lambda's SNS event, the SQS subscription envelope, filter policies on message attributes), EventBridge events
 * (the envelope, rule patterns), S3 event notifications (event types with `*`, prefix/suffix filters), and the
 * payloads a function passes on to its calls and produce edges.
 */
import { createHash, randomUUID } from "node:crypto";
import type { TopoNode } from "../model/schema";
import { jsonOrString } from "./filter-pattern";

export const ACCOUNT = "000000000000";
const REGION = "us-east-1";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// ---- SNS -----------------------------------------------------------------------------------------------------

export interface SnsMessage {
  MessageId: string;
  TopicArn: string;
  Subject: string | null;
  Message: string;
  Timestamp: string;
  MessageAttributes: Record<string, { Type: string; Value: string }>;
}

export const snsTopicArn = (node: TopoNode) => `arn:aws:sns:${REGION}:${ACCOUNT}:${node.kind === "sns-topic" && node.fifo ? `${node.id}.fifo` : node.id}`;

/**
 * A body sent to a topic: `{ Message, Subject?, MessageAttributes? }` publishes that message with its attributes
 * (`{ name: "text" }`, `{ name: { Type|DataType, Value|StringValue } }`); anything else is the message itself.
 */
export function snsMessage(topic: TopoNode, body: string): SnsMessage {
  const parsed = jsonOrString(body);
  let message = body;
  let subject: string | null = null;
  const attrs: SnsMessage["MessageAttributes"] = {};
  if (isObject(parsed) && typeof parsed.Message === "string") {
    message = parsed.Message;
    if (typeof parsed.Subject === "string") subject = parsed.Subject;
    if (isObject(parsed.MessageAttributes))
      for (const [k, v] of Object.entries(parsed.MessageAttributes)) {
        if (typeof v === "string" || typeof v === "number") attrs[k] = { Type: typeof v === "number" ? "Number" : "String", Value: String(v) };
        else if (isObject(v)) attrs[k] = { Type: String(v.Type ?? v.DataType ?? "String"), Value: String(v.Value ?? v.StringValue ?? "") };
      }
  }
  return { MessageId: randomUUID(), TopicArn: snsTopicArn(topic), Subject: subject, Message: message, Timestamp: new Date().toISOString(), MessageAttributes: attrs };
}

/** What a filter policy (scope MessageAttributes) sees: attribute values, numbers for Number attributes. */
export function snsPolicyInput(m: SnsMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(m.MessageAttributes)) {
    if (a.Type === "Number") out[k] = Number(a.Value);
    else if (a.Type === "String.Array") out[k] = jsonOrString(a.Value);
    else out[k] = a.Value;
  }
  return out;
}

/** Lambda's event for an SNS subscription. */
export function snsLambdaEvent(m: SnsMessage, subscriptionId: string) {
  return {
    Records: [
      {
        EventSource: "aws:sns",
        EventVersion: "1.0",
        EventSubscriptionArn: `${m.TopicArn}:${subscriptionId}`,
        Sns: {
          Type: "Notification",
          MessageId: m.MessageId,
          TopicArn: m.TopicArn,
          Subject: m.Subject,
          Message: m.Message,
          Timestamp: m.Timestamp,
          SignatureVersion: "1",
          Signature: "SANDBOX",
          SigningCertUrl: "http://127.0.0.1/sandbox.pem",
          UnsubscribeUrl: `http://127.0.0.1/?Action=Unsubscribe&SubscriptionArn=${m.TopicArn}:${subscriptionId}`,
          MessageAttributes: m.MessageAttributes,
        },
      },
    ],
  };
}

/** The JSON body an SQS (or HTTP) subscription receives without raw message delivery. */
export function snsEnvelope(m: SnsMessage, subscriptionId: string) {
  return {
    Type: "Notification",
    MessageId: m.MessageId,
    TopicArn: m.TopicArn,
    ...(m.Subject !== null ? { Subject: m.Subject } : {}),
    Message: m.Message,
    Timestamp: m.Timestamp,
    SignatureVersion: "1",
    Signature: "SANDBOX",
    SigningCertURL: "http://127.0.0.1/sandbox.pem",
    UnsubscribeURL: `http://127.0.0.1/?Action=Unsubscribe&SubscriptionArn=${m.TopicArn}:${subscriptionId}`,
    ...(Object.keys(m.MessageAttributes).length ? { MessageAttributes: m.MessageAttributes } : {}),
  };
}

// ---- EventBridge ---------------------------------------------------------------------------------------------

export interface BridgeEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/**
 * A body put on a bus: an event with `source` and `detail-type` (or PutEvents' `Source`/`DetailType`/`Detail`) keeps
 * them; anything else becomes `{ source: "topograph.sandbox", "detail-type": "Sandbox Event", detail: <body> }`.
 */
export function bridgeEvent(body: string): BridgeEvent {
  const parsed = jsonOrString(body);
  const base = { version: "0" as const, id: randomUUID(), account: ACCOUNT, time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"), region: REGION };
  if (isObject(parsed)) {
    const source = parsed.source ?? parsed.Source;
    const detailType = parsed["detail-type"] ?? parsed.DetailType;
    if (typeof source === "string" && typeof detailType === "string") {
      const raw = parsed.detail ?? parsed.Detail ?? {};
      return {
        ...base,
        "detail-type": detailType,
        source,
        resources: Array.isArray(parsed.resources ?? parsed.Resources) ? ((parsed.resources ?? parsed.Resources) as string[]) : [],
        detail: typeof raw === "string" ? jsonOrString(raw) : raw,
      };
    }
  }
  return { ...base, "detail-type": "Sandbox Event", source: "topograph.sandbox", resources: [], detail: isObject(parsed) ? parsed : { body } };
}

// ---- S3 ------------------------------------------------------------------------------------------------------

export interface S3Object {
  key: string;
  body: string;
  eTag: string;
}

/**
 * A body sent to a bucket: `{ key, body? }` writes that object; anything else is written under
 * `traffic/<uuid>.json` (with `-<marker>` when the event is poison, so the consumer's default handler sees it).
 */
export function s3Object(body: string): S3Object {
  const parsed = jsonOrString(body);
  let key: string;
  let content = body;
  if (isObject(parsed) && typeof parsed.key === "string" && parsed.key) {
    key = parsed.key;
    if (parsed.body !== undefined) content = typeof parsed.body === "string" ? parsed.body : JSON.stringify(parsed.body);
  } else {
    const poison = isObject(parsed) && typeof parsed.poison === "string" ? `-${parsed.poison.replace(/[^A-Za-z0-9_.-]/g, "_")}` : "";
    key = `traffic/${randomUUID()}${poison}.json`;
  }
  return { key, body: content, eTag: createHash("md5").update(content).digest("hex") };
}

export function s3Record(bucket: string, obj: S3Object, configurationId: string, eventName = "ObjectCreated:Put") {
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: REGION,
    eventTime: new Date().toISOString(),
    eventName,
    userIdentity: { principalId: "AWS:SANDBOX" },
    requestParameters: { sourceIPAddress: "127.0.0.1" },
    responseElements: { "x-amz-request-id": randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase(), "x-amz-id-2": randomUUID() },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId,
      bucket: { name: bucket, ownerIdentity: { principalId: "SANDBOX" }, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodeURIComponent(obj.key).replace(/%2F/g, "/"), size: Buffer.byteLength(obj.body), eTag: obj.eTag, sequencer: Date.now().toString(16).toUpperCase().padStart(16, "0") },
    },
  };
}

/** EventBridge's "Object Created" event for a bucket sending to a bus. */
export function s3BridgeEvent(bucket: string, obj: S3Object) {
  return {
    source: "aws.s3",
    "detail-type": "Object Created",
    resources: [`arn:aws:s3:::${bucket}`],
    detail: { version: "0", bucket: { name: bucket }, object: { key: obj.key, size: Buffer.byteLength(obj.body), etag: obj.eTag }, reason: "PutObject" },
  };
}

/** S3 notification filter: event types (`s3:ObjectCreated:*` or exact) and key prefix/suffix. */
export function s3Matches(eventName: string, key: string, events: string[] | undefined, filter: { prefix?: string; suffix?: string } | undefined): boolean {
  const types = events?.length ? events : ["s3:ObjectCreated:*"];
  const name = `s3:${eventName}`;
  if (!types.some((t) => (t.endsWith("*") ? name.startsWith(t.slice(0, -1)) : name === t))) return false;
  if (filter?.prefix && !key.startsWith(filter.prefix)) return false;
  if (filter?.suffix && !key.endsWith(filter.suffix)) return false;
  return true;
}

// ---- what a function passes on -------------------------------------------------------------------------------

/**
 * The payloads an invocation passes to its calls and produce edges (the default handler "forwards" its input):
 * one per record that succeeded (SQS body, Kinesis data, SNS message, DynamoDB new image, Kafka value), an HTTP
 * request's body, or the event itself.
 */
export function forwardedPayloads(event: unknown, response: unknown): string[] {
  const failed = new Set<string>();
  const f = isObject(response) ? response.batchItemFailures : undefined;
  if (Array.isArray(f)) for (const x of f) if (isObject(x) && typeof x.itemIdentifier === "string") failed.add(x.itemIdentifier);
  if (isObject(event) && Array.isArray(event.Records)) {
    const out: string[] = [];
    for (const r of event.Records) {
      if (!isObject(r)) continue;
      const kin = isObject(r.kinesis) ? r.kinesis : undefined;
      const ddb = isObject(r.dynamodb) ? r.dynamodb : undefined;
      const id = (r.messageId ?? kin?.sequenceNumber ?? ddb?.SequenceNumber) as string | undefined;
      if (id && failed.has(id)) continue;
      if (typeof r.body === "string") out.push(r.body);
      else if (kin && typeof kin.data === "string") out.push(Buffer.from(kin.data, "base64").toString("utf8"));
      else if (isObject(r.Sns) && typeof r.Sns.Message === "string") out.push(r.Sns.Message);
      else if (ddb) out.push(JSON.stringify(ddb.NewImage ?? ddb.Keys ?? {}));
      else out.push(JSON.stringify(r));
    }
    return out;
  }
  if (isObject(event) && isObject(event.records)) {
    const out: string[] = [];
    for (const list of Object.values(event.records))
      if (Array.isArray(list)) for (const r of list) if (isObject(r) && typeof r.value === "string") out.push(Buffer.from(r.value, "base64").toString("utf8"));
    return out;
  }
  if (isObject(event) && isObject(event.requestContext) && "body" in event) return [typeof event.body === "string" ? event.body : "{}"];
  return [JSON.stringify(event ?? null)];
}

// ---- event names from the design --------------------------------------------------------------------------

/** Event type names in an edge label ("CustomerRegistered, CustomerEmailChanged"); free text gives none. */
export function labelEventTypes(label: string | undefined): string[] {
  if (!label) return [];
  const parts = label.split(/[,;/|]/).map((x) => x.trim());
  return parts.every((x) => /^[A-Za-z][\w.:-]*$/.test(x)) ? parts : [];
}

/**
 * What a default handler puts on a bus: its payload as an event's detail, with the first event type the produce
 * edge's label names as `detail-type`, and a `source` a rule of that bus listens to for that type (so the design's
 * rules fire in the sandbox as they would with the real code). A payload that already is an event is kept.
 */
export function busEventFor(payload: string, label: string | undefined, rulePatterns: unknown[], producerId: string): string {
  const parsed = jsonOrString(payload);
  if (isObject(parsed) && (typeof parsed.source === "string" || typeof parsed.Source === "string") && (typeof parsed["detail-type"] === "string" || typeof parsed.DetailType === "string"))
    return payload;
  const type = labelEventTypes(label)[0];
  if (!type) return payload;
  let source = `topograph.${producerId}`;
  for (const p of rulePatterns) {
    if (!isObject(p)) continue;
    const types = p["detail-type"];
    const sources = p.source;
    if (Array.isArray(types) && types.includes(type) && Array.isArray(sources)) {
      const lit = sources.find((x) => typeof x === "string");
      if (typeof lit === "string") {
        source = lit;
        break;
      }
    }
  }
  return JSON.stringify({ source, "detail-type": type, detail: isObject(parsed) ? parsed : { body: payload } });
}
