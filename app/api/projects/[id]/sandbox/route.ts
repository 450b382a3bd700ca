import { noContent, route } from "@/server/api/handler";
import { getDb } from "@/server/db/client";
import { getSandbox, startSandboxFor, stopSandboxFor } from "@/server/sandbox/api";

type P = { id: string };

// GET /api/projects/:id/sandbox – status (running, revision, endpoints), summary (per function / queue / trigger), traffic runs
export const GET = route<P>(async (_req, { id }) => ({ sandbox: await getSandbox(getDb(), id) }));

// POST /api/projects/:id/sandbox – start the local sandbox on the latest revision (idempotent; a newer revision restarts it)
export const POST = route<P>(async (_req, { id }, ctx) => ({ sandbox: await startSandboxFor(getDb(), id, ctx.actor) }));

// DELETE /api/projects/:id/sandbox – stop it and free its ports
export const DELETE = route<P>(async (_req, { id }, ctx) => {
  await stopSandboxFor(getDb(), id, ctx.actor);
  return noContent();
});
