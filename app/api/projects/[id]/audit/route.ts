import { z } from "zod";
import { route } from "@/server/api/handler";
import { parseOrThrow } from "@/server/api/parse";
import { listAudit } from "@/server/audit/audit";
import { getDb } from "@/server/db/client";

const Query = z.object({ limit: z.coerce.number().int().min(1).max(500).optional(), before: z.iso.datetime().optional() });

// GET /api/projects/:id/audit?limit=&before= – { events }: who changed what, newest first (admins)
export const GET = route<{ id: string }>(async (req, { id }) => {
  const q = parseOrThrow(Query, Object.fromEntries(new URL(req.url).searchParams));
  return { events: await listAudit(getDb(), id, { limit: q.limit, before: q.before ? new Date(q.before) : undefined }) };
});
