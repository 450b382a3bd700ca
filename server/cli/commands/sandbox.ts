import type { RegisterCommand } from "./index";
import { TopoError } from "../../errors";
import { EXIT, readInput, reportError, type Io } from "../io";
import { validateTopologyText } from "../../model/validate";
import { startSandbox, type SandboxSummary } from "../../sandbox/sandbox";
import type { Topology } from "../../model/schema";
import { existsSync } from "node:fs";
import { parseTrafficSpec, SENDABLE_KINDS, startTraffic, type TrafficSpec } from "../../sandbox/traffic";

/**
 * `topo sandbox <topology.json | project id | project name>`: a file, or a project's latest revision from the database
 * (DATABASE_URL; the logs then persist where the app's "Run locally" keeps them).
 * `topo sandbox <topology.json> [--duration <s>] [--traffic <nodeId>:<events/s>[:<poison fraction>]]... [--json]`:
 * runs the topology on loopback (SQS, Kinesis, CloudWatch Logs endpoints), optionally generates traffic, and
 * prints the summary when the duration ends or on Ctrl+C. Exit 0, or 2 on bad input.
 */
export const registerSandbox: RegisterCommand = (program, io, setExit) => {
  program
    .command("sandbox")
    .description("run a topology locally (SQS, Kinesis and CloudWatch Logs on loopback) and print a summary")
    .argument("<file>", "topology document (JSON), or a project id or name in the database (DATABASE_URL)")
    .option("--duration <seconds>", "stop after this many seconds (default: until Ctrl+C)")
    .option("--traffic <spec>", "<nodeId>:<events per s>[:<poison fraction>]; repeatable", (v: string, prev: string[] = []) => [...prev, v])
    .option("--data-dir <dir>", "persist the CloudWatch Logs data here")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, opts: { duration?: string; traffic?: string[]; dataDir?: string; json?: boolean }) => {
      const json = !!opts.json;
      try {
        const duration = opts.duration === undefined ? undefined : Number(opts.duration);
        if (duration !== undefined && !(duration > 0)) throw new TopoError("TOPO-E030", `--duration must be a positive number of seconds, not "${opts.duration}"`);
        let specs: TrafficSpec[];
        try {
          specs = (opts.traffic ?? []).map(parseTrafficSpec);
        } catch (e) {
          throw new TopoError("TOPO-E030", (e as Error).message);
        }
        let topology: Topology;
        let dataDir = opts.dataDir;
        if (!existsSync(file) && !/\.json$/i.test(file)) {
          const project = await loadProject(file);
          topology = project.topology;
          dataDir ??= project.dataDir;
        } else {
          const result = validateTopologyText(await readInput(file));
          if (!result.ok) {
            throw new TopoError(result.problems[0].code ?? "TOPO-E002", `${file} is not a valid topology`, { details: result.problems });
          }
          topology = result.topology;
        }
        for (const s of specs) {
          const node = topology.nodes.find((n) => n.id === s.nodeId);
          if (!node) throw new TopoError("TOPO-E030", `--traffic: no node "${s.nodeId}" in ${file}`);
          if (!(SENDABLE_KINDS as readonly string[]).includes(node.kind))
            throw new TopoError("TOPO-E030", `--traffic: the sandbox can send to ${SENDABLE_KINDS.join(", ")} nodes, not to a ${node.kind} node`);
        }
        const sb = await startSandbox(topology, { dataDir });
        if (!json) io.err(`sandbox running: SQS ${sb.endpoints.sqs}  Kinesis ${sb.endpoints.kinesis}  Logs ${sb.endpoints.logs}  HTTP ${sb.endpoints.http}${duration ? `  (${duration} s)` : "  (Ctrl+C stops)"}`);
        const traffic = specs.map((s) => startTraffic(sb, topology, s));
        await new Promise<void>((resolve) => {
          const done = () => {
            process.off("SIGINT", done);
            process.off("SIGTERM", done);
            clearTimeout(timer);
            resolve();
          };
          const timer = duration ? setTimeout(done, duration * 1000) : undefined;
          process.once("SIGINT", done);
          process.once("SIGTERM", done);
        });
        for (const t of traffic) await t.stop();
        const summary = await sb.summary();
        await sb.stop();
        const out = { ...summary, traffic: traffic.map((t) => t.stats()) };
        if (json) io.out(JSON.stringify(out, null, 2));
        else printHuman(io, out);
        setExit(EXIT.ok);
      } catch (e) {
        setExit(reportError(e, io, json));
      }
    });
};

function printHuman(io: Io, s: SandboxSummary & { traffic: { nodeId: string; sent: number; poison: number; failed: number }[] }) {
  io.out("Functions");
  for (const [id, f] of Object.entries(s.functions))
    io.out(`  ${id}: ${f.invocations} invocations, ${f.coldStarts} cold starts, ${f.errors} errors, ${f.throttles} throttles, ${f.timeouts} timeouts`);
  io.out("Queues");
  for (const [id, q] of Object.entries(s.queues)) io.out(`  ${id}${q.isDeadLetterQueue ? " (DLQ)" : ""}: depth ${q.depth}, in flight ${q.inFlight}`);
  io.out("Triggers");
  for (const [id, t] of Object.entries(s.triggers)) io.out(`  ${id} (${t.source} → ${t.target}): lag ${t.lag}${t.driven ? "" : " (not driven by the sandbox yet)"}`);
  const stores = [...Object.entries(s.tables ?? {}).map(([id, t]) => `  ${id}: ${t.items} items`), ...Object.entries(s.buckets ?? {}).map(([id, b]) => `  ${id}: ${b.objects} objects`)];
  if (stores.length) {
    io.out("Tables and buckets");
    for (const l of stores) io.out(l);
  }
  if (s.traffic.length) {
    io.out("Traffic");
    for (const t of s.traffic) io.out(`  ${t.nodeId}: ${t.sent} sent, ${t.poison} poison${t.failed ? `, ${t.failed} failed` : ""}`);
  }
}

/** A project's latest revision, by id or exact name, from DATABASE_URL's database. */
async function loadProject(ref: string): Promise<{ topology: Topology; dataDir: string }> {
  const { createDb } = await import("../../db/client");
  const { getRevisionOrThrow, listProjects } = await import("../../db/projects");
  const { sandboxDataDir } = await import("../../sandbox/manager");
  const db = createDb();
  try {
    const projects = await listProjects(db);
    const p = projects.find((x) => x.id === ref) ?? projects.find((x) => x.name === ref);
    if (!p) throw new TopoError("TOPO-E031", `no file ${ref} and no project with that id or name`, { fix: "Pass a topology JSON file, or a project id / name (`DATABASE_URL` says which database)." });
    const rev = await getRevisionOrThrow(db, p.id, "latest");
    return { topology: rev.document, dataDir: sandboxDataDir(p.id) };
  } finally {
    await db.$disconnect();
  }
}
