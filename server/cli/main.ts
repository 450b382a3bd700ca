/**
 * `topo`: the command line. Each subcommand lives in commands/<name>.ts and registers itself on
 * the commander program; `main` returns the exit code instead of exiting, so tests can call it.
 */
import { Command, CommanderError } from "commander";
import { COMMANDS } from "./commands";
import { EXIT, processIo, reportError, type Io } from "./io";

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command("topo")
    .description("Topograph: design, export, run and observe serverless topologies.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")), outputError: () => {} });
  for (const register of COMMANDS) register(program, io, setExit);
  return program;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is a usage error.
      if (e.exitCode === 0) return EXIT.ok;
      io.err(`TOPO-E030: ${e.message.replace(/^error: /, "")}\nfix: run \`topo --help\` for usage.`);
      return EXIT.badInput;
    }
    return reportError(e, io, argv.includes("--json"));
  }
}
