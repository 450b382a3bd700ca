/**
 * DynamoDB tables in the sandbox: items kept in memory by key; every write produces the stream record of the
 * table's view type (INSERT / MODIFY / REMOVE, `Keys`, `NewImage`, `OldImage` in DynamoDB JSON), which the
 * sandbox appends to the table's stream. There is no DynamoDB endpoint: writes come from `Sandbox.send()`.
 */
import { randomUUID } from "node:crypto";
import type { NodeOf } from "../model/schema";

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

/** Plain JSON → DynamoDB JSON. */
export function marshall(v: unknown): AttributeValue {
  if (v === null || v === undefined) return { NULL: true };
  if (typeof v === "string") return { S: v };
  if (typeof v === "number") return { N: String(v) };
  if (typeof v === "boolean") return { BOOL: v };
  if (Array.isArray(v)) return { L: v.map(marshall) };
  if (typeof v === "object") return { M: marshallItem(v as Record<string, unknown>) };
  return { S: String(v) };
}

export function marshallItem(item: Record<string, unknown>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(item).filter(([, x]) => x !== undefined).map(([k, x]) => [k, marshall(x)]));
}

export interface StreamChange {
  eventName: "INSERT" | "MODIFY" | "REMOVE";
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SizeBytes: number;
    StreamViewType: string;
  };
}

export class LocalTable {
  private items = new Map<string, Record<string, unknown>>();
  readonly streamLabel = new Date().toISOString().replace(/Z$/, "");

  constructor(readonly node: NodeOf<"table">) {}

  get size() {
    return this.items.size;
  }

  get streamArn() {
    return `arn:aws:dynamodb:us-east-1:000000000000:table/${this.node.name}/stream/${this.streamLabel}`;
  }

  /** PutItem: a missing partition key is generated. Returns the stream change. */
  put(item: Record<string, unknown>): StreamChange {
    const pk = this.node.partitionKey.name;
    if (item[pk] === undefined) item = { [pk]: this.node.partitionKey.type === "N" ? Date.now() : randomUUID(), ...item };
    const sk = this.node.sortKey?.name;
    if (sk && item[sk] === undefined) item = { ...item, [sk]: this.node.sortKey!.type === "N" ? 0 : "-" };
    const keys: Record<string, unknown> = { [pk]: item[pk] };
    if (sk) keys[sk] = item[sk];
    const id = JSON.stringify([item[pk], sk ? item[sk] : null]);
    const old = this.items.get(id);
    this.items.set(id, item);
    return this.change(old ? "MODIFY" : "INSERT", keys, item, old);
  }

  get(key: Record<string, unknown>): Record<string, unknown> | undefined {
    const sk = this.node.sortKey?.name;
    return this.items.get(JSON.stringify([key[this.node.partitionKey.name], sk ? key[sk] : null]));
  }

  private change(eventName: StreamChange["eventName"], keys: Record<string, unknown>, item?: Record<string, unknown>, old?: Record<string, unknown>): StreamChange {
    const view = this.node.stream?.viewType ?? "NEW_AND_OLD_IMAGES";
    const Keys = marshallItem(keys);
    const NewImage = item && (view === "NEW_IMAGE" || view === "NEW_AND_OLD_IMAGES") ? marshallItem(item) : undefined;
    const OldImage = old && (view === "OLD_IMAGE" || view === "NEW_AND_OLD_IMAGES") ? marshallItem(old) : undefined;
    const dynamodb: StreamChange["dynamodb"] = {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys,
      ...(NewImage ? { NewImage } : {}),
      ...(OldImage ? { OldImage } : {}),
      SizeBytes: Buffer.byteLength(JSON.stringify({ Keys, NewImage, OldImage })),
      StreamViewType: view,
    };
    return { eventName, dynamodb };
  }
}
