/**
 * Seeds the example projects once, on first start. A marker in Meta records that it happened,
 * so examples a user deletes do not come back on the next start.
 */
import { EXAMPLES } from "../model/examples";
import type { Db } from "./client";
import { createProject } from "./projects";

const MARKER = "examples-seeded";

export async function seedExamples(db: Db): Promise<{ seeded: string[] }> {
  const done = await db.meta.findUnique({ where: { key: MARKER } });
  if (done) return { seeded: [] };
  const seeded: string[] = [];
  for (const ex of EXAMPLES) {
    const exists = await db.project.findUnique({ where: { name: ex.topology.name } });
    if (exists) continue;
    await createProject(db, { name: ex.topology.name, description: firstSentence(ex.topology.description ?? ""), document: ex.topology }, "topograph");
    seeded.push(ex.topology.name);
  }
  await db.meta.upsert({ where: { key: MARKER }, create: { key: MARKER, value: new Date().toISOString() }, update: {} });
  return { seeded };
}

function firstSentence(s: string): string {
  const m = s.match(/^.*?[.!?](\s|$)/);
  return (m ? m[0] : s).trim().slice(0, 300);
}
