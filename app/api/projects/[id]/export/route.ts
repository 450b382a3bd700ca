import { parseRevisionNumber, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { exportProjectArchive } from "@/server/db/iac";

// GET /api/projects/:id/export?format=sam|cdk[&force=1][&revision=n] – a zip of the SAM template or CDK app; 422 TOPO-E065 when error findings block it
export const GET = route<{ id: string }>(async (req, { id }) => {
  const q = new URL(req.url).searchParams;
  const archive = await exportProjectArchive(getDb(), id, {
    format: q.get("format") ?? "sam",
    force: q.get("force") === "1" || q.get("force") === "true",
    revision: q.has("revision") ? parseRevisionNumber(q.get("revision")!) : "latest",
  });
  return new Response(Buffer.from(archive.zip), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${archive.fileName}"`,
      "x-topograph-export-notes": String(archive.report.notes?.length ?? 0),
    },
  });
});
