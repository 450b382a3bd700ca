/** Applies migrations to DATABASE_URL's database and seeds the examples once (see scripts/setup.mjs). */
import { createDb } from "../server/db/client";
import { resolveDbConfig } from "../server/db/config";
import { migrateDatabase } from "../server/db/migrate";
import { seedExamples } from "../server/db/seed";

const config = resolveDbConfig();
const where = config.provider === "sqlite" ? config.file : config.url.replace(/\/\/[^@]*@/, "//***@");
try {
  const m = await migrateDatabase(config);
  console.error(`[setup] database ${config.provider} at ${where}: ${m.applied.length} migration(s) applied, ${m.alreadyApplied.length} already there`);
  if (!process.argv.includes("--no-seed")) {
    const db = createDb(config);
    const { seeded } = await seedExamples(db);
    if (seeded.length) console.error(`[setup] seeded examples: ${seeded.join(", ")}`);
    await db.$disconnect();
  }
} catch (e) {
  console.error(`[setup] TOPO-E040: database setup failed: ${(e as Error).message}`);
  console.error("[setup] fix: check DATABASE_URL and that the database server is running.");
  process.exit(1);
}
