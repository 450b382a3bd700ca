import { randomBytes } from "node:crypto";
import type { RegisterCommand } from "./index";
import { EXIT, reportError, type Io } from "../io";
import { createDb, type Db } from "../../db/client";
import { createUser, listUsers, setUserPassword, setUserRole } from "../../auth/users";
import { TopoError } from "../../errors";

/** Reads the first line of stdin when it is piped (passwords never go on the command line, where `ps` shows them). */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new TopoError("TOPO-E030", "--password-stdin needs the password piped in", { fix: "printf '%s\\n' \"$PASSWORD\" | topo user add you@example.com --password-stdin" });
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0];
}

async function withDb(io: Io, json: boolean, setExit: (c: number) => void, f: (db: Db) => Promise<void>) {
  const db = createDb();
  try {
    await f(db);
  } catch (e) {
    setExit(reportError(e, io, json));
  } finally {
    await db.$disconnect();
  }
}

/**
 * `topo user add|list|set-role|set-password`: manage who can sign in, on the database DATABASE_URL
 * names (run it where the server runs). A password is read from stdin (--password-stdin) or
 * generated and printed once; it is stored as a salted scrypt hash only.
 */
export const registerUser: RegisterCommand = (program, io, setExit) => {
  const user = program.command("user").description("manage the users who can sign in (when sign-in is on)");
  user
    .command("add")
    .description("create a user; --admin makes them a Topograph administrator")
    .argument("<email>")
    .option("--name <name>", "display name")
    .option("--admin", "administrator of every project and user")
    .option("--password-stdin", "read the password from stdin instead of generating one")
    .option("--json", "machine-readable output")
    .action(async (email: string, opts: { name?: string; admin?: boolean; passwordStdin?: boolean; json?: boolean }) =>
      withDb(io, !!opts.json, setExit, async (db) => {
        const generated = !opts.passwordStdin;
        const password = generated ? randomBytes(15).toString("base64url") : await passwordFromStdin();
        const u = await createUser(db, { email, name: opts.name, password, role: opts.admin ? "admin" : "member" });
        if (opts.json) io.out(JSON.stringify({ user: u, ...(generated ? { password } : {}) }));
        else {
          io.out(`created ${u.email} (${u.role})`);
          if (generated) io.out(`password (shown once): ${password}`);
        }
      }),
    );
  user
    .command("list")
    .description("list the users (never their password hashes)")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }) =>
      withDb(io, !!opts.json, setExit, async (db) => {
        const users = await listUsers(db);
        if (opts.json) io.out(JSON.stringify({ users }));
        else if (users.length === 0) io.out("no users yet: the first one is created at /signin or with `topo user add <email> --admin`");
        else for (const u of users) io.out(`${u.email}\t${u.role}${u.hasPassword ? "" : "\t(single sign-on)"}`);
      }),
    );
  user
    .command("set-role")
    .description("make a user a Topograph administrator (admin) or not (member)")
    .argument("<email>")
    .argument("<role>", "admin | member")
    .option("--json", "machine-readable output")
    .action(async (email: string, role: string, opts: { json?: boolean }) =>
      withDb(io, !!opts.json, setExit, async (db) => {
        if (role !== "admin" && role !== "member") throw new TopoError("TOPO-E030", `role must be admin or member, not "${role}"`, { fix: "Project roles (viewer, editor, admin) are set per project in Settings → Members." });
        const u = await setUserRole(db, email, role);
        io.out(opts.json ? JSON.stringify({ user: u }) : `${u.email} is now ${u.role}`);
      }),
    );
  user
    .command("set-password")
    .description("give a user a new password (read from stdin, or generated and printed once)")
    .argument("<email>")
    .option("--password-stdin", "read the password from stdin instead of generating one")
    .option("--json", "machine-readable output")
    .action(async (email: string, opts: { passwordStdin?: boolean; json?: boolean }) =>
      withDb(io, !!opts.json, setExit, async (db) => {
        const password = opts.passwordStdin ? await passwordFromStdin() : randomBytes(15).toString("base64url");
        const u = await setUserPassword(db, email, password);
        if (opts.json) io.out(JSON.stringify({ user: u, ...(opts.passwordStdin ? {} : { password }) }));
        else io.out(opts.passwordStdin ? `password changed for ${u.email}` : `new password for ${u.email} (shown once): ${password}`);
      }),
    );
  void EXIT;
};
