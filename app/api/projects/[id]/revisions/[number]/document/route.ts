import { NextResponse } from "next/server";
import { parseRevisionNumber, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { getRevisionOrThrow } from "@/server/db/projects";
import { slugify } from "@/server/model/ids";

// GET /api/projects/:id/revisions/:number/document – the bare topology document, as a download (topology JSON file)
export const GET = route<{ id: string; number: string }>(async (req, { id, number }) => {
  const revision = await getRevisionOrThrow(getDb(), id, parseRevisionNumber(number));
  const inline = new URL(req.url).searchParams.get("download") === "0";
  return new NextResponse(JSON.stringify(revision.document, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      ...(inline ? {} : { "content-disposition": `attachment; filename="${slugify(revision.document.name)}-r${revision.number}.topology.json"` }),
    },
  });
});
