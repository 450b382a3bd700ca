import { created, readJson, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { importProjectFromTemplate } from "@/server/db/iac";

// POST /api/projects/import – { template, fileName?, name?, description? } → 201 { project, report }: a new project from a SAM/CloudFormation template
export const POST = route(async (req) => created(await importProjectFromTemplate(getDb(), await readJson(req))));
