/**
 * `auth-overhead`: what route()'s checks cost per API request, in process on a fresh SQLite
 * database: GET /api/projects/:id/revisions as the loopback local admin (no session) and as a
 * signed-in viewer (decrypt the session JWT, read the user and the membership); plus one scrypt
 * password hash, which bounds how fast sign-ins (and password guesses) can go.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "../../db/client";
import { resolveDbConfig } from "../../db/config";
import { migrateDatabase } from "../../db/migrate";
import { createProject } from "../../db/projects";
import { hashPassword } from "../../auth/password";
import { mintSessionCookie } from "../../auth/session";
import { measureAsync } from "../measure";

export async function run() {
  const config = resolveDbConfig(`file:${join(mkdtempSync(join(tmpdir(), "topo-bench-auth-")), "bench.db")}`);
  await migrateDatabase(config);
  const db = createDb(config);
  const g = globalThis as { __topographDb?: Db };
  const savedDb = g.__topographDb;
  g.__topographDb = db;
  const saved = { auth: process.env.TOPO_AUTH, secret: process.env.NEXTAUTH_SECRET, argv: [...process.argv], limit: process.env.TOPO_RATE_LIMIT };
  try {
    const project = await createProject(db, { name: "Bench" } as never);
    const user = await db.user.create({ data: { id: "u-bench", email: "bench@example.com", role: "member" } });
    await db.membership.create({ data: { id: "m-bench", projectId: project.id, userId: user.id, role: "viewer" } });
    const { GET } = await import("../../../app/api/projects/[id]/revisions/route");
    const url = `http://localhost:3000/api/projects/${project.id}/revisions`;
    const ctx = { params: Promise.resolve({ id: project.id }) };
    const get = async (cookie?: string) => {
      const res = await GET(new Request(url, { headers: cookie ? { cookie } : {} }), ctx);
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      await res.arrayBuffer();
    };

    delete process.env.TOPO_AUTH;
    delete process.env.NEXTAUTH_SECRET;
    process.argv.push("-H", "127.0.0.1");
    const local = await measureAsync(1000, () => get());
    process.argv.splice(0, process.argv.length, ...saved.argv);

    process.env.TOPO_AUTH = "on";
    process.env.NEXTAUTH_SECRET = "bench-secret-0123456789abcdef";
    process.env.TOPO_RATE_LIMIT = "off";
    const cookie = await mintSessionCookie(user.id, user.email, process.env.NEXTAUTH_SECRET);
    const signedIn = await measureAsync(1000, () => get(cookie));
    const scrypt = await measureAsync(10, async () => void (await hashPassword("a long enough passphrase")));
    return {
      localAdminMedianMs: local.median,
      localAdminP95Ms: local.p95,
      signedInMedianMs: signedIn.median,
      signedInP95Ms: signedIn.p95,
      authOverheadMedianMs: Math.round((signedIn.median - local.median) * 100) / 100,
      scryptHashMs: scrypt.median,
      requests: local.runs + signedIn.runs,
    };
  } finally {
    process.argv.splice(0, process.argv.length, ...saved.argv);
    for (const [k, v] of [["TOPO_AUTH", saved.auth], ["NEXTAUTH_SECRET", saved.secret], ["TOPO_RATE_LIMIT", saved.limit]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    g.__topographDb = savedDb;
    await db.$disconnect();
  }
}
