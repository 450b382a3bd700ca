/**
 * Upgrades documents written by older versions of Topograph on read. Each step takes a
 * document of version N and returns one of version N + 1; `migrateDocument` runs the chain.
 * Stored revisions are never rewritten: the upgrade happens every time an old revision is read.
 */
import { TopoError } from "../errors";
import { SCHEMA_VERSION } from "./schema";

export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

/**
 * The chain: MIGRATIONS[n] upgrades version n to n + 1.
 * Version 0 is the pre-release draft format, which had no `schemaVersion` and named the
 * context of a node `context` instead of `contextId`.
 */
export const MIGRATIONS: Record<number, Migration> = {
  0: (doc) => ({
    ...doc,
    schemaVersion: 1,
    nodes: Array.isArray(doc.nodes)
      ? doc.nodes.map((n) => {
          if (!n || typeof n !== "object" || !("context" in n) || "contextId" in n) return n;
          const { context, ...rest } = n as Record<string, unknown>;
          return { ...rest, contextId: context };
        })
      : doc.nodes,
  }),
};

/** The version a raw document declares; a document without one is a version-0 draft. */
export function declaredVersion(doc: Record<string, unknown>): number {
  const v = doc.schemaVersion;
  if (v === undefined) return 0;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
    throw new TopoError("TOPO-E003", `schemaVersion must be a whole number, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Brings a raw document to the current schemaVersion. Unknown future versions are refused
 * rather than guessed at.
 * @example migrateDocument({ name: "x", nodes: [] }).schemaVersion // 1
 */
export function migrateDocument(
  doc: Record<string, unknown>,
  migrations: Record<number, Migration> = MIGRATIONS,
  target: number = SCHEMA_VERSION,
): Record<string, unknown> {
  let version = declaredVersion(doc);
  if (version > target)
    throw new TopoError("TOPO-E003", `this document has schemaVersion ${version}; this Topograph reads up to ${target}`, {
      fix: "Upgrade Topograph to open it.",
    });
  let current = doc;
  while (version < target) {
    const step = migrations[version];
    if (!step) throw new TopoError("TOPO-E003", `no upgrade from schemaVersion ${version}`);
    current = step(current);
    version += 1;
    current = { ...current, schemaVersion: version };
  }
  return current;
}
