/** `iac-corpus`: import + SAM export of every template of ../shared/corpus/sam (goal: the whole corpus ≤ 1,000 ms, issue 5). */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { importSam } from "../../iac/import/sam";
import { exportSam } from "../../iac/export";
import { measure } from "../measure";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export async function run() {
  const dir = join(process.env.TOPO_SHARED_DIR || join(repoRoot, "..", "shared"), "corpus", "sam");
  if (!existsSync(dir)) return { skipped: `corpus not found at ${dir} (set TOPO_SHARED_DIR)` };
  const texts = readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }));
  let imported = 0;
  let notParsed = 0;
  const stats = measure(5, () => {
    imported = 0;
    notParsed = 0;
    for (const { name, text } of texts) {
      let topology;
      try {
        topology = importSam(text, { fileName: name }).topology;
      } catch {
        notParsed++;
        continue;
      }
      exportSam(topology, { force: true, handlers: false });
      imported++;
    }
  });
  return {
    totalMs: stats.median,
    totalP95Ms: stats.p95,
    templatesPerSec: Math.round((texts.length / stats.median) * 1000),
    runs: stats.runs,
    templates: texts.length,
    imported,
    notParsed,
  };
}
