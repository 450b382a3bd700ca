/** Request shapes of the DLQ routes (zod); responses are in server/observe/types.ts. */
import { z } from "zod";
import { TopoError } from "../../errors";
import { IdSchema } from "../../model/schema";
import { MAX_PEEK } from "./service";

export const PeekQuerySchema = z.object({
  max: z.coerce.number().int().min(1).max(MAX_PEEK).default(10).describe("How many messages to peek (pages of 10), 1–100."),
});

export const DeleteLetterSchema = z.strictObject({
  messageId: z.string().min(1).max(200),
  /** The handle from the peek; the server re-receives the message for a fresh one (a released handle may be stale). */
  receiptHandle: z.string().min(1).max(8_192).optional(),
});

export const RedriveSchema = z.strictObject({
  destinationNodeId: IdSchema.optional().describe("A queue of the topology; default: the DLQ's one source queue."),
  maxPerSecond: z.number().int().min(1).max(500).optional().describe("Like StartMessageMoveTask's MaxNumberOfMessagesPerSecond."),
});

export const NodeParamSchema = IdSchema;
export const TaskParamSchema = z.string().regex(/^(mmt|mv)-[0-9a-f-]{36}$/, "a redrive task id looks like mv-<uuid> or mmt-<uuid>");

/** A small JSON body that may be absent (an empty POST means {}): too large → TOPO-E024, not JSON → TOPO-E001. */
export async function readOptionalJson(req: Request, maxBytes = 16 * 1024): Promise<unknown> {
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) throw new TopoError("TOPO-E024", `the request is larger than ${maxBytes} bytes`);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TopoError("TOPO-E001", `the request body is not valid JSON: ${(e as Error).message}`);
  }
}
