/**
 * Fixed hostile templates and how long the importer takes to refuse each: the figures the
 * bad-input tests only guard loosely (< 2 s). Printed by `npm run fuzz`.
 */
import { isTopoError } from "../errors";
import { importSam, PARSE_LIMITS } from "../iac";

function billionLaughs(): string {
  const lol = ['lol0: &lol0 "lol"'];
  for (let i = 1; i <= 9; i++) lol.push(`lol${i}: &lol${i} [${Array(10).fill(`*lol${i - 1}`).join(", ")}]`);
  return `${lol.join("\n")}\nResources: { Q: { Type: AWS::SQS::Queue, Properties: { Tags: *lol9 } } }\n`;
}

export const HOSTILE: { name: string; make: () => string | Uint8Array }[] = [
  { name: "billion laughs (10^9 expansions)", make: billionLaughs },
  { name: "wide aliases (90 × 30,000 values)", make: () => `big: &big [${Array(30_000).fill("1").join(",")}]\nResources: { Q: { Type: AWS::SQS::Queue, Properties: { A: [${Array(90).fill("*big").join(",")}] } } }\n` },
  { name: "100,000 nested flow brackets", make: () => `Resources: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n` },
  { name: "50,000 nested JSON objects", make: () => `{"Resources": ${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}` },
  { name: "400 nested block mappings", make: () => `Resources:\n${Array.from({ length: 400 }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n")} 1\n` },
  { name: "template over 5 MB", make: () => `Resources: {}\n# ${"x".repeat(PARSE_LIMITS.maxBytes)}\n` },
  { name: "PNG bytes", make: () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array(4_096).fill(0)]) },
  { name: "UTF-16 with BOM", make: () => new Uint8Array([0xff, 0xfe, ...Buffer.from("Resources: {}\n".repeat(1_000), "utf16le")]) },
];

export interface HostileTiming {
  name: string;
  code: string;
  ms: number;
}

/** Refusal time of each hostile template (median of `runs`); `code` is the TopoError code, or "accepted". */
export function timeHostile(runs = 3): HostileTiming[] {
  return HOSTILE.map(({ name, make }) => {
    const input = make();
    const times: number[] = [];
    let code = "accepted";
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      try {
        importSam(input);
      } catch (e) {
        code = isTopoError(e) ? e.code : `exception: ${(e as Error).message}`;
      }
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { name, code, ms: Math.round(times[Math.floor(times.length / 2)] * 10) / 10 };
  });
}
