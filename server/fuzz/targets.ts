/**
 * What the fuzzer feeds, and what "no crash" means for each target:
 * - `iac`: importSam on template text or bytes. Allowed: a TopoError, or a result whose topology
 *   validates (the importer promises a valid document) and, for one in four, exports back to SAM.
 * - `report`: the REPORT line parsers (server/sandbox/report.ts parseReportLine and
 *   server/observe/report-parse.ts parsePlatformLine). Allowed: undefined, or a record whose
 *   numbers are finite and not negative.
 * - `validate`: validateTopology / validateTopologyText / parseTopologyOrThrow. Allowed: a
 *   result (never an exception from validateTopology), TopoError from parseTopologyOrThrow, and a
 *   valid topology must validate again unchanged after a JSON round trip.
 * Any other exception, or a broken promise, is a failure. Object.prototype must stay clean.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isTopoError } from "../errors";
import { exportSam, importSam, parseTemplate, writeYaml } from "../iac";
import type { JsonObject } from "../iac/parse/intrinsics";
import { EXAMPLES } from "../model/examples";
import { generateTopology } from "../model/generate";
import { parseTopologyOrThrow, validateTopology, validateTopologyText } from "../model/validate";
import { formatEndText, formatReportJson, formatReportText, formatStartJson, formatStartText, parseReportLine, type ReportFields } from "../sandbox/report";
import { parsePlatformLine } from "../observe/report-parse";
import { mutateBytes, mutateJson, mutateText } from "./mutate";
import { randomTopology } from "./gen-topology";
import { Rng, randomJson, randomString } from "./rng";

export const TARGET_NAMES = ["iac", "report", "validate"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** A generated input: what it is (`shape`, for the report) and the value. */
export interface FuzzInput {
  shape: string;
  value: string | Uint8Array | unknown;
  /** The file name the importer is told, for iac inputs. */
  fileName?: string;
}

/** The input broke a promise: not an exception of the code under test, but a wrong result. */
export class InvariantError extends Error {
  override name = "InvariantError";
}

export type Outcome = { kind: "ok" } | { kind: "refused"; code: string };

export interface Target {
  name: TargetName;
  generate(r: Rng): FuzzInput;
  run(input: FuzzInput): Outcome;
}

// ------------------------------------------------------------------------------------------------
// Corpus
// ------------------------------------------------------------------------------------------------

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The shared SAM corpus (outside the repo); the tests fall back to the golden templates when absent. */
export const SAM_CORPUS_DIR = process.env.TOPO_SAM_CORPUS ?? join(ROOT, "..", "shared", "corpus", "sam");

interface Corpus {
  texts: string[];
  values: JsonObject[];
  topologies: unknown[];
  strings: string[];
}

let corpus: Corpus | undefined;
export function loadCorpus(): Corpus {
  if (corpus) return corpus;
  const texts: string[] = [];
  if (existsSync(SAM_CORPUS_DIR)) for (const f of readdirSync(SAM_CORPUS_DIR).sort()) if (/\.(ya?ml|json|template)$/.test(f)) texts.push(readFileSync(join(SAM_CORPUS_DIR, f), "utf8"));
  const golden = join(ROOT, "server", "iac", "__tests__", "golden");
  if (existsSync(golden)) for (const d of readdirSync(golden).sort()) if (existsSync(join(golden, d, "template.yaml"))) texts.push(readFileSync(join(golden, d, "template.yaml"), "utf8"));
  for (const ex of EXAMPLES) texts.push(exportSam(ex.topology).files.find((f) => f.path === "template.yaml")!.content);
  const values: JsonObject[] = [];
  for (const t of texts) {
    try {
      values.push(parseTemplate(t).value);
    } catch {
      /* a corpus file the parser refuses is still good text to mutate */
    }
  }
  const topologies: unknown[] = [
    ...EXAMPLES.map((e) => JSON.parse(JSON.stringify(e.topology))),
    JSON.parse(JSON.stringify(generateTopology({ functions: 12, channels: 6, edges: 20, contexts: 3 }))),
  ];
  const strings = new Set<string>();
  for (const v of values.slice(0, 60)) collectStrings(v, strings);
  return (corpus = { texts, values, topologies, strings: [...strings].slice(0, 2_000) });
}

function collectStrings(v: unknown, out: Set<string>) {
  if (typeof v === "string") out.add(v);
  else if (Array.isArray(v)) v.forEach((x) => collectStrings(x, out));
  else if (v && typeof v === "object") for (const k in v) (out.add(k), collectStrings((v as Record<string, unknown>)[k], out));
}

// ------------------------------------------------------------------------------------------------
// iac
// ------------------------------------------------------------------------------------------------

const RESOURCE_TYPES = [
  "AWS::Serverless::Function", "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::SimpleTable", "AWS::Lambda::Function",
  "AWS::Lambda::EventSourceMapping", "AWS::Lambda::EventInvokeConfig", "AWS::Lambda::Permission", "AWS::SQS::Queue", "AWS::SNS::Topic",
  "AWS::SNS::Subscription", "AWS::Kinesis::Stream", "AWS::DynamoDB::Table", "AWS::Events::EventBus", "AWS::Events::Rule", "AWS::Scheduler::Schedule",
  "AWS::S3::Bucket", "AWS::Pipes::Pipe", "AWS::MSK::Cluster", "AWS::IAM::Role", "AWS::Serverless::Application", "Custom::Thing",
];
const EVENT_TYPES = ["SQS", "Kinesis", "DynamoDB", "Api", "HttpApi", "Schedule", "ScheduleV2", "EventBridgeRule", "SNS", "S3", "MSK", "SelfManagedKafka", "CloudWatchEvent"];

function randomTemplate(r: Rng, strings: string[]): JsonObject {
  const resources: JsonObject = {};
  const ids: string[] = [];
  for (let i = r.int(0, 8); i > 0; i--) ids.push(r.chance(0.8) ? `R${i}` : randomString(r, 10));
  const ref = () => r.weighted([
    [3, { Ref: r.pick(ids.length ? ids : ["X"]) }],
    [3, { "Fn::GetAtt": [r.pick(ids.length ? ids : ["X"]), r.pick(["Arn", "StreamArn", "QueueUrl", "QueueName"])] }],
    [1, { "Fn::Sub": "${" + r.pick(ids.length ? ids : ["X"]) + ".Arn}" }],
    [1, r.pick(strings.length ? strings : ["x"])],
    [1, randomJson(r, 2)],
  ] as const);
  for (const id of ids) {
    const props: JsonObject = {};
    for (let k = r.int(0, 6); k > 0; k--) props[r.pick(["Runtime", "Handler", "Timeout", "MemorySize", "BatchSize", "QueueName", "Tags", "Environment", "Policies", "DeadLetterQueue", "RedrivePolicy", "FunctionName", "EventSourceArn", "Target", "Targets", "StreamSpecification", "KeySchema", "VisibilityTimeout", "FifoQueue", r.pick(strings.length ? strings : ["P"])])] = r.chance(0.5) ? ref() : (randomJson(r, 2) as never);
    if (r.chance(0.5)) {
      const events: JsonObject = {};
      for (let e = r.int(1, 3); e > 0; e--) events[`E${e}`] = { Type: r.pick(EVENT_TYPES), Properties: { Queue: ref(), Stream: ref(), BatchSize: r.int(-1, 20_000), StartingPosition: r.pick(["LATEST", "TRIM_HORIZON", 3]), Path: "/x", Method: "get", Schedule: r.pick(["rate(1 minute)", "cron(0 * * * ? *)", "nope"]), ...(r.chance(0.3) ? (randomJson(r, 2) as JsonObject) : {}) } } as never;
      props.Events = events;
    }
    resources[id] = { Type: r.pick(RESOURCE_TYPES), ...(r.chance(0.9) ? { Properties: props } : {}), ...(r.chance(0.1) ? { Metadata: randomJson(r, 2) as never } : {}) } as never;
  }
  const doc: JsonObject = { Resources: resources };
  if (r.chance(0.5)) doc.Transform = "AWS::Serverless-2016-10-31";
  if (r.chance(0.2)) doc.Globals = { Function: { Timeout: r.int(-5, 1000), Runtime: r.pick(["nodejs22.x", "python3.12", "bogus"]) } } as never;
  if (r.chance(0.2)) doc.Parameters = { P: { Type: "String" } } as never;
  return doc;
}

function serialize(r: Rng, v: JsonObject): string {
  if (r.chance(0.3)) return JSON.stringify(v, null, r.chance(0.5) ? 2 : undefined);
  try {
    return writeYaml(v);
  } catch {
    return JSON.stringify(v);
  }
}

const MAGIC = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  [0x1f, 0x8b, 0x08],
  [0xff, 0xfe],
  [0xfe, 0xff],
  [0xef, 0xbb, 0xbf],
  [0x25, 0x50, 0x44, 0x46],
];

const iac: Target = {
  name: "iac",
  generate(r) {
    const c = loadCorpus();
    const kind = r.weighted([
      [45, "mutated-text"],
      [20, "mutated-tree"],
      [15, "random-template"],
      [10, "bytes"],
      [5, "spliced"],
      [5, "corpus"],
    ] as const);
    const fileName = r.pick(["template.yaml", "template.json", "t.yml", "x"]);
    switch (kind) {
      case "mutated-text": {
        let t = r.pick(c.texts);
        for (let k = r.int(1, 4); k > 0; k--) t = mutateText(r, t, r.pick(c.texts));
        return { shape: kind, value: t, fileName };
      }
      case "mutated-tree": {
        const v = mutateJson(r, structuredClone(r.pick(c.values)), 6, { strings: c.strings }) as JsonObject;
        return { shape: kind, value: v && typeof v === "object" && !Array.isArray(v) ? serialize(r, v) : JSON.stringify(v), fileName };
      }
      case "random-template":
        return { shape: kind, value: serialize(r, randomTemplate(r, c.strings)), fileName };
      case "bytes": {
        if (r.chance(0.4)) return { shape: "bytes", value: mutateBytes(r, new TextEncoder().encode(r.pick(c.texts))), fileName };
        const head = r.chance(0.5) ? r.pick(MAGIC) : [];
        return { shape: "bytes", value: new Uint8Array([...head, ...Array.from({ length: r.int(0, 600) }, () => r.int(0, 255))]), fileName };
      }
      case "spliced": {
        const a = r.pick(c.texts);
        const b = r.pick(c.texts);
        return { shape: kind, value: a.slice(0, r.int(0, a.length)) + b.slice(r.int(0, b.length)), fileName };
      }
      default:
        return { shape: kind, value: r.pick(c.texts), fileName };
    }
  },
  run(input) {
    let result: ReturnType<typeof importSam>;
    try {
      result = importSam(input.value as string | Uint8Array, { fileName: input.fileName });
    } catch (e) {
      if (isTopoError(e)) {
        if (e.code === "TOPO-E050") throw new InvariantError(`importSam answered an internal error: ${e.message}`);
        return { kind: "refused", code: e.code };
      }
      throw e;
    }
    const v = validateTopology(JSON.parse(JSON.stringify(result.topology)));
    if (!v.ok) throw new InvariantError(`the imported topology does not validate: ${v.problems[0]?.path}: ${v.problems[0]?.message}`);
    if (typeof result.report?.summary !== "string") throw new InvariantError("the import report has no summary");
    // Export back: one in four (it costs more than the import), the same choice for the same input.
    if ((input.value as { length: number }).length % 4 === 0) {
      try {
        exportSam(result.topology, { force: true });
      } catch (e) {
        if (!isTopoError(e) || e.code === "TOPO-E050") throw e;
      }
    }
    return { kind: "ok" };
  },
};

// ------------------------------------------------------------------------------------------------
// report lines
// ------------------------------------------------------------------------------------------------

function reportFields(r: Rng): ReportFields {
  const f: ReportFields = {
    requestId: r.chance(0.9) ? crypto.randomUUID.call(crypto).replace(/[0-9a-f]/g, () => r.int(0, 15).toString(16)) : randomString(r, 40),
    durationMs: r.chance(0.9) ? r.next() * 900_000 : r.pick([0, 0.001, 1e21, 2 ** 53]),
    memorySizeMb: r.pick([128, 256, 1024, 10_240, 0]),
    maxMemoryUsedMb: r.int(0, 10_240),
  };
  if (r.chance(0.3)) f.initDurationMs = r.next() * 10_000;
  if (r.chance(0.3)) f.status = r.pick(["success", "failure", "error", "timeout"] as const);
  if (r.chance(0.3)) f.errorType = r.pick(["Runtime.ExitError", "Runtime.Unknown", "Sandbox.Timedout", randomString(r, 20)]);
  return f;
}

const OTHER_LINES = [
  "INIT_REPORT Init Duration: 3001.12 ms\tPhase: init\tStatus: timeout",
  "INIT_REPORT Init Duration: 250.00 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ExitError",
  "RESTORE_REPORT Restore Duration: 571.67 ms",
  "2024-01-01T00:00:00.000Z 1f2e3d4c-0000-0000-0000-000000000000 Task timed out after 3.00 seconds",
  '2024-01-01T00:00:00.000Z\t1f2e3d4c-0000-0000-0000-000000000000\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"boom"}',
  '{"time":"2024-01-01T00:00:00.000Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"success","metrics":{"durationMs":125.3}}}',
  '{"time":"2024-01-01T00:00:00.000Z","type":"platform.restoreReport","record":{"status":"success","metrics":{"durationMs":571.67}}}',
  "XRAY TraceId: 1-5d8e-1234\tSegmentId: abc\tSampled: true",
  // Tokens that start like a known field but are not one (an "X…" token once looped forever).
  "REPORT RequestId: 3f2a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tX-Extra: 1\tDur\tBilled\tMem\tInit\tRestore\tStatus\tError",
  "INIT_START Runtime Version: nodejs:22.v14",
];

const report: Target = {
  name: "report",
  generate(r) {
    const kind = r.weighted([
      [30, "text-report"],
      [25, "json-report"],
      [15, "platform-line"],
      [10, "start-end"],
      [10, "json-tree"],
      [10, "random"],
    ] as const);
    const mutate = (s: string) => {
      for (let k = r.int(0, 3); k > 0; k--) s = mutateText(r, s);
      return s;
    };
    switch (kind) {
      case "text-report":
        return { shape: kind, value: mutate(formatReportText(reportFields(r))) };
      case "json-report":
        return { shape: kind, value: mutate(formatReportJson(reportFields(r), new Date(Date.UTC(2026, 0, 1) + r.int(0, 1e9)))) };
      case "platform-line":
        return { shape: kind, value: mutate(r.pick(OTHER_LINES)) };
      case "start-end":
        return { shape: kind, value: mutate(r.pick([formatStartText("abc"), formatEndText("abc"), formatStartJson("abc", new Date(0))])) };
      case "json-tree": {
        const base = JSON.parse(r.chance(0.7) ? formatReportJson(reportFields(r), new Date(0)) : r.pick(OTHER_LINES.filter((l) => l.startsWith("{"))));
        return { shape: kind, value: JSON.stringify(mutateJson(r, base, 3)) };
      }
      default:
        return { shape: kind, value: r.chance(0.5) ? randomString(r, 200) : new TextDecoder().decode(new Uint8Array(Array.from({ length: r.int(0, 300) }, () => r.int(0, 255)))) };
    }
  },
  run(input) {
    const line = input.value as string;
    const a = parseReportLine(line);
    if (a !== undefined) checkNumbers("parseReportLine", a as unknown as Record<string, unknown>, ["durationMs", "billedDurationMs", "memorySizeMb", "maxMemoryUsedMb", "initDurationMs", "restoreDurationMs"]);
    const b = parsePlatformLine(line);
    if (b !== undefined) checkNumbers("parsePlatformLine", b as unknown as Record<string, unknown>, ["durationMs", "billedDurationMs", "memorySizeMb", "maxMemoryUsedMb", "initDurationMs", "restoreDurationMs", "timeoutSeconds"]);
    return { kind: "ok" };
  },
};

function checkNumbers(fn: string, rec: Record<string, unknown>, keys: string[]) {
  if (!rec || typeof rec !== "object") throw new InvariantError(`${fn} returned ${typeof rec}`);
  for (const k of keys) {
    const v = rec[k];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new InvariantError(`${fn} returned ${k} = ${JSON.stringify(v) ?? String(v)} (a duration or size must be a finite number ≥ 0, or the line refused)`);
  }
}

// ------------------------------------------------------------------------------------------------
// topology validator
// ------------------------------------------------------------------------------------------------

const validate: Target = {
  name: "validate",
  generate(r) {
    const c = loadCorpus();
    const kind = r.weighted([
      [40, "schema-shaped"],
      [30, "mutated-example"],
      [10, "json-text"],
      [10, "random-json"],
      [10, "example"],
    ] as const);
    switch (kind) {
      case "schema-shaped":
        return { shape: kind, value: randomTopology(r) };
      case "mutated-example":
        return { shape: kind, value: mutateJson(r, structuredClone(r.pick(c.topologies)), 5) };
      case "json-text": {
        let t = JSON.stringify(r.chance(0.5) ? r.pick(c.topologies) : randomTopology(r));
        for (let k = r.int(1, 3); k > 0; k--) t = mutateText(r, t);
        return { shape: kind, value: t };
      }
      case "random-json":
        return { shape: kind, value: randomJson(r, 4) };
      default:
        return { shape: kind, value: mutateJson(r, structuredClone(r.pick(c.topologies)), 1) };
    }
  },
  run(input) {
    const res = typeof input.value === "string" ? validateTopologyText(input.value) : validateTopology(input.value);
    if (!res || typeof res.ok !== "boolean" || !Array.isArray(res.problems)) throw new InvariantError("validateTopology returned no result");
    if (!res.ok) {
      if (!res.problems.length) throw new InvariantError("invalid without a problem");
      for (const p of res.problems) if (!p.code || typeof p.message !== "string") throw new InvariantError(`a problem without code or message: ${JSON.stringify(p)}`);
      if (typeof input.value !== "string") {
        try {
          parseTopologyOrThrow(input.value);
          throw new InvariantError("parseTopologyOrThrow accepted what validateTopology refused");
        } catch (e) {
          if (e instanceof InvariantError || !isTopoError(e)) throw e;
        }
      }
      return { kind: "refused", code: res.problems[0].code ?? "?" };
    }
    const again = validateTopology(JSON.parse(JSON.stringify(res.topology)));
    if (!again.ok) throw new InvariantError(`a valid topology is invalid after a JSON round trip: ${again.problems[0]?.path}: ${again.problems[0]?.message}`);
    return { kind: "ok" };
  },
};

export const TARGETS: Record<TargetName, Target> = { iac, report, validate };
