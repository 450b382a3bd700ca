/**
 * Request bodies of the HTTP API, derived from the model where they carry model data.
 * Route handlers parse with these; a failure becomes TOPO-E023 with each field's problem.
 */
import { z } from "zod";
import { EnvironmentInputSchema } from "../model/schema";

/** Largest topology document accepted in one save (bytes of JSON). */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

const ProjectName = z.string().trim().min(1, "a project needs a name").max(100, "a project name has at most 100 characters");

export const ProjectCreateSchema = z.object({
  name: ProjectName,
  description: z.string().max(2_000).default(""),
  /** Optional initial topology; validated with the model like any save. */
  document: z.unknown().optional(),
});

export const ProjectUpdateSchema = z
  .object({ name: ProjectName.optional(), description: z.string().max(2_000).optional() })
  .refine((v) => v.name !== undefined || v.description !== undefined, "send name and/or description");

export const RevisionSaveSchema = z.object({
  baseRevision: z.number().int().min(0).describe("The revision the edit started from; 0 for a project's first save."),
  document: z.unknown(),
  message: z.string().max(500).default(""),
  author: z.string().trim().min(1).max(100).default("local"),
});

export const EnvironmentCreateSchema = EnvironmentInputSchema;
export const EnvironmentUpdateSchema = z.object({
  name: z.string().optional(),
  kind: z.enum(["local", "aws"]).optional(),
  region: z.string().nullable().optional(),
  credentialsRef: z.string().nullable().optional(),
  stackName: z.string().nullable().optional(),
  bindings: z.record(z.string(), z.unknown()).optional(),
});

export type ProjectCreate = z.input<typeof ProjectCreateSchema>;
export type RevisionSave = z.input<typeof RevisionSaveSchema>;
