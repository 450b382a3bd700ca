/**
 * Shared CLI plumbing: exit codes, reading input files, and printing errors with code and fix.
 * Exit codes: 0 ok, 1 findings or failure, 2 bad input or usage.
 */
import { readFile } from "node:fs/promises";
import { TopoError, isTopoError, type ProblemDetail } from "../errors";

export const EXIT = { ok: 0, findings: 1, badInput: 2 } as const;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const processIo: Io = {
  out: (s) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`),
};

/** Reads a whole input file; a missing or unreadable file is TOPO-E031 (exit 2). */
export async function readInput(path: string, maxBytes = 5 * 1024 * 1024): Promise<string> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TopoError("TOPO-E031", `cannot read ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message}`);
  }
  if (buf.length > maxBytes) throw new TopoError("TOPO-E024", `${path} is ${buf.length} bytes; the limit is ${maxBytes}`);
  return buf.toString("utf8");
}

export function formatProblems(problems: ProblemDetail[]): string {
  return problems
    .map((p) => `  ${p.code ?? ""} ${p.path ? `${p.path}: ` : ""}${p.message}${p.fix ? `\n      fix: ${p.fix}` : ""}`)
    .join("\n");
}

/** Prints an error the user can act on and returns the exit code; unknown errors never show a stack. */
export function reportError(e: unknown, io: Io, json: boolean): number {
  const err = isTopoError(e) ? e : new TopoError("TOPO-E050", "unexpected error: " + (e instanceof Error ? e.message : String(e)));
  if (json) io.out(JSON.stringify(err.toJSON()));
  else {
    io.err(`${err.code}: ${err.message}`);
    if (err.details?.length) io.err(formatProblems(err.details));
    io.err(`fix: ${err.fix}`);
  }
  if (process.env.TOPO_DEBUG && !isTopoError(e) && e instanceof Error) io.err(e.stack ?? "");
  return err.status >= 500 ? EXIT.findings : err.code === "TOPO-E021" ? EXIT.findings : EXIT.badInput;
}
