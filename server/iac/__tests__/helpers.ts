/**
 * Test helpers for server/iac: where ../shared is, the SAM JSON Schema validator, and the
 * offline CDK synthesizer. Tests that need ../shared skip with the reason when it is absent.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";
import Ajv from "ajv-draft-04";
import type { ExportFile } from "../emit/handlers";
import { isPlainObject, type JsonObject } from "../parse/intrinsics";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** ../shared beside the repository (CI layout), or TOPO_SHARED_DIR. */
export const sharedDir = process.env.TOPO_SHARED_DIR || join(repoRoot, "..", "shared");
export const corpusDir = join(sharedDir, "corpus", "sam");
export const samSchemaPath = join(sharedDir, "schemas", "sam.schema.json");

/** A reason to skip when the corpus is missing, or false. */
export function corpusMissing(): string | false {
  if (!existsSync(sharedDir)) return `shared directory not found at ${sharedDir} (set TOPO_SHARED_DIR, or put shared/ beside the repository)`;
  if (!existsSync(corpusDir)) return `SAM corpus not found at ${corpusDir}`;
  return false;
}

export function schemaMissing(): string | false {
  if (!existsSync(samSchemaPath)) return `SAM JSON Schema not found at ${samSchemaPath} (set TOPO_SHARED_DIR, or put shared/ beside the repository)`;
  return false;
}

export function corpusFiles(): { name: string; text: string }[] {
  return readdirSync(corpusDir)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(corpusDir, name), "utf8") }));
}

export type TemplateValidator = (template: JsonObject) => string[];

let validator: TemplateValidator | undefined;

/**
 * Validates each `AWS::Serverless::*` resource of a template against its own definition in the
 * SAM JSON Schema (draft-04), as the issue asks; returns one message per invalid resource.
 */
export function samValidator(): TemplateValidator {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(samSchemaPath, "utf8")) as { definitions: Record<string, JsonObject> };
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema(schema, "sam");
  const byType = new Map<string, string>();
  for (const [key, def] of Object.entries(schema.definitions)) {
    const types = isPlainObject(def.properties) && isPlainObject(def.properties.Type) ? def.properties.Type.enum : undefined;
    if (key.endsWith("__Resource") && Array.isArray(types) && types.length === 1 && typeof types[0] === "string") byType.set(types[0], key);
  }
  const compiled = new Map<string, ReturnType<typeof ajv.getSchema>>();
  validator = (template) => {
    const errors: string[] = [];
    const resources = isPlainObject(template.Resources) ? template.Resources : {};
    for (const [id, r] of Object.entries(resources)) {
      if (!isPlainObject(r) || typeof r.Type !== "string" || !r.Type.startsWith("AWS::Serverless::")) continue;
      const key = byType.get(r.Type);
      if (!key) {
        errors.push(`${id}: no schema definition for ${r.Type}`);
        continue;
      }
      if (!compiled.has(key)) compiled.set(key, ajv.getSchema(`sam#/definitions/${key}`));
      const v = compiled.get(key)!;
      if (!v(r)) errors.push(`${id} (${r.Type}): ${ajv.errorsText(v.errors)}`);
    }
    return errors;
  };
  return validator;
}

export interface SynthResult {
  ok: boolean;
  template?: JsonObject;
  output: string;
  ms: number;
}

/**
 * Synthesizes a generated CDK app offline: writes it to a temp dir with node_modules linked to the
 * repository's, runs bin/app.ts with tsx in a child process, with AWS's CloudFormation validator
 * turned into errors (`@aws-cdk/core:validateAgainstDefaultRules`), and reads the stack template.
 */
export async function synthesizeCdk(files: ExportFile[], stackId: string, opts: { typecheck?: boolean } = {}): Promise<SynthResult> {
  const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-cdk-"));
  try {
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
    const outdir = join(dir, "cdk.out");
    const t0 = Date.now();
    const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number | null; text: string }>((resolve) => {
        const child = spawn(cmd, args, { cwd: dir, env: { ...process.env, NODE_OPTIONS: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let text = "";
        child.stdout.on("data", (d) => (text += d));
        child.stderr.on("data", (d) => (text += d));
        child.on("close", (code) => resolve({ code, text }));
      });
    if (opts.typecheck) {
      // The generated app must also compile under its own tsconfig (strict).
      const tsc = await run(join(repoRoot, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", "."]);
      if (tsc.code !== 0) return { ok: false, output: `tsc:\n${tsc.text}`, ms: Date.now() - t0 };
    }
    const output = await run(process.execPath, ["--import", "tsx", "bin/app.ts"], { CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ "@aws-cdk/core:validateAgainstDefaultRules": true }) });
    const ms = Date.now() - t0;
    const file = join(outdir, `${stackId}.template.json`);
    if (output.code !== 0 || !existsSync(file)) return { ok: false, output: output.text, ms };
    return { ok: true, template: JSON.parse(readFileSync(file, "utf8")) as JsonObject, output: output.text, ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The template.yaml of an export's files. */
export function templateText(files: ExportFile[]): string {
  const f = files.find((x) => x.path === "template.yaml");
  if (!f) throw new Error("no template.yaml in the export");
  return f.content;
}
