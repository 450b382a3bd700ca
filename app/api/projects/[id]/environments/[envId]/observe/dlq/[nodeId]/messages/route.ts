import { noContent, readJson, route } from "@/server/api/handler";
import { parseOrThrow } from "@/server/api/parse";
import { getDb } from "@/server/db/client";
import { DeleteLetterSchema, NodeParamSchema, PeekQuerySchema } from "@/server/observe/dlq/schemas";
import { deleteDeadLetter, peekDlq, resolveDlqEnv } from "@/server/observe/dlq/service";

type P = { id: string; envId: string; nodeId: string };

// GET /api/projects/:id/environments/:envId/observe/dlq/:nodeId/messages?max= – peek (received, then released at once; raises receive counts)
export const GET = route<P>(async (req, { id, envId, nodeId }) => {
  const { max } = parseOrThrow(PeekQuerySchema, Object.fromEntries(new URL(req.url).searchParams));
  const db = getDb();
  return peekDlq(await resolveDlqEnv(db, id, envId), parseOrThrow(NodeParamSchema, nodeId), max);
});

// DELETE /api/projects/:id/environments/:envId/observe/dlq/:nodeId/messages {messageId, receiptHandle} – delete one dead letter (audited)
export const DELETE = route<P>(async (req, { id, envId, nodeId }, ctx) => {
  const body = parseOrThrow(DeleteLetterSchema, await readJson(req, 16 * 1024));
  const db = getDb();
  await deleteDeadLetter(db, await resolveDlqEnv(db, id, envId), ctx.actor, parseOrThrow(NodeParamSchema, nodeId), body);
  return noContent();
});
