/**
 * `npm run bench -- <scenario> [--json]`: runs benchmark scenarios and prints, last, one JSON line
 * per scenario: {"scenario": "...", "metrics": {...}}. `all` runs every scenario.
 */
import { SCENARIOS } from "../server/bench/scenarios/index";

const args = process.argv.slice(2);
const json = args.includes("--json");
const names = args.filter((a) => !a.startsWith("--"));

if (names.length === 0 || names.includes("--help")) {
  console.error("usage: npm run bench -- <scenario|all> [--json]\n\nscenarios:");
  for (const [name, s] of Object.entries(SCENARIOS)) console.error(`  ${name.padEnd(22)} ${s.describe}`);
  process.exit(names.length === 0 ? 2 : 0);
}
const selected = names.includes("all") ? Object.keys(SCENARIOS) : names;
for (const name of selected) {
  const scenario = SCENARIOS[name];
  if (!scenario) {
    console.error(`TOPO-E030: unknown scenario "${name}"; one of: ${Object.keys(SCENARIOS).join(", ")}`);
    process.exit(2);
  }
  if (!json) console.error(`running ${name}: ${scenario.describe}`);
  const metrics = await (await scenario.load()).run();
  console.log(JSON.stringify({ scenario: name, metrics }));
}
