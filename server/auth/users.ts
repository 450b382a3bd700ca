/**
 * Users and per-project memberships. A user's global `role` is "admin" (every project, every
 * user) or "member" (only the projects they are a member of, with the membership's role).
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { TopoError } from "../errors";
import { parseOrThrow } from "../api/parse";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { checkPasswordStrength, hashPassword } from "./password";
import type { Role } from "./policy";

export const ROLES: readonly Role[] = ["viewer", "editor", "admin"];
export const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

export interface UserInfo {
  id: string;
  email: string;
  name: string;
  role: "admin" | "member";
  hasPassword: boolean;
  createdAt: string;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  /** Global administrators are admin of every project, member or not. */
  globalAdmin: boolean;
  createdAt: string;
}

const Email = z.string().trim().toLowerCase().max(254).regex(/^[^\s@]+@[^\s@]+$/, "an email looks like name@example.com");

export const UserCreateSchema = z.strictObject({
  email: Email,
  name: z.string().trim().max(140).optional(),
  password: z.string().optional(),
  role: z.enum(["admin", "member"]).optional(),
});

export const MemberAddSchema = z.strictObject({
  email: Email,
  role: z.enum(["viewer", "editor", "admin"]),
  /** Global admins may create the user on the spot by giving a first password. */
  password: z.string().optional(),
  name: z.string().trim().max(140).optional(),
});

export const MemberUpdateSchema = z.strictObject({ role: z.enum(["viewer", "editor", "admin"]) });

type UserRow = Awaited<ReturnType<Db["user"]["findFirstOrThrow"]>>;

function toInfo(u: UserRow): UserInfo {
  return { id: u.id, email: u.email, name: u.name, role: u.role === "admin" ? "admin" : "member", hasPassword: !!u.passwordHash, createdAt: u.createdAt.toISOString() };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function countUsers(db: Db): Promise<number> {
  return db.user.count();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  return db.user.findUnique({ where: { email: normalizeEmail(email) } });
}

export async function getUser(db: Db, id: string): Promise<UserRow | null> {
  return db.user.findUnique({ where: { id } });
}

export async function listUsers(db: Db): Promise<UserInfo[]> {
  return (await db.user.findMany({ orderBy: { email: "asc" } })).map(toInfo);
}

/** Creates a user with a scrypt-hashed password (or none, for OIDC users). 409 TOPO-E181 when the email exists. */
export async function createUser(db: Db, input: unknown, opts: { allowNoPassword?: boolean } = {}): Promise<UserInfo> {
  const data = parseOrThrow(UserCreateSchema, input);
  if (data.password === undefined && !opts.allowNoPassword) checkPasswordStrength(undefined);
  const passwordHash = data.password === undefined ? null : await hashPassword(checkPasswordStrength(data.password));
  try {
    const u = await db.user.create({ data: { id: `u-${randomUUID()}`, email: data.email, name: data.name ?? "", passwordHash, role: data.role ?? "member" } });
    return toInfo(u);
  } catch (e) {
    if (isUniqueViolation(e)) throw new TopoError("TOPO-E181", `a user with the email "${data.email}" already exists`, { details: [{ path: "email", message: "already registered" }] });
    throw e;
  }
}

export async function setUserRole(db: Db, email: string, role: "admin" | "member"): Promise<UserInfo> {
  const u = await findUserByEmail(db, email);
  if (!u) throw new TopoError("TOPO-E179", `no user has the email "${email}"`);
  return toInfo(await db.user.update({ where: { id: u.id }, data: { role } }));
}

export async function setUserPassword(db: Db, email: string, password: string): Promise<UserInfo> {
  const u = await findUserByEmail(db, email);
  if (!u) throw new TopoError("TOPO-E179", `no user has the email "${email}"`);
  return toInfo(await db.user.update({ where: { id: u.id }, data: { passwordHash: await hashPassword(checkPasswordStrength(password)) } }));
}

/** The caller's role on a project: global admins are admin everywhere; otherwise the membership's role, or null. */
export async function projectRoleOf(db: Db, user: { id: string; role: string }, projectId: string): Promise<Role | null> {
  if (user.role === "admin") return "admin";
  const m = await db.membership.findUnique({ where: { projectId_userId: { projectId, userId: user.id } } });
  return m && (ROLES as string[]).includes(m.role) ? (m.role as Role) : null;
}

/** The ids of the projects a user may see (undefined = all, for global admins). */
export async function visibleProjectIds(db: Db, user: { id: string; role: string }): Promise<Set<string> | undefined> {
  if (user.role === "admin") return undefined;
  const rows = await db.membership.findMany({ where: { userId: user.id }, select: { projectId: true } });
  return new Set(rows.map((r) => r.projectId));
}

export async function listMembers(db: Db, projectId: string): Promise<Member[]> {
  const rows = await db.membership.findMany({ where: { projectId }, include: { user: true }, orderBy: { createdAt: "asc" } });
  return rows.map((m) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role as Role, globalAdmin: m.user.role === "admin", createdAt: m.createdAt.toISOString() }));
}

/** Adds (or re-roles) a member. Creates the user when `password` is given and the caller may (global admin). */
export async function addMember(db: Db, projectId: string, input: unknown, opts: { mayCreateUser: boolean }): Promise<{ member: Member; createdUser: boolean }> {
  const data = parseOrThrow(MemberAddSchema, input);
  let user = await findUserByEmail(db, data.email);
  let createdUser = false;
  if (!user) {
    if (data.password === undefined || !opts.mayCreateUser) {
      throw new TopoError("TOPO-E179", `no user has the email "${data.email}"`, {
        fix: opts.mayCreateUser ? "Give a first password (12+ characters) to create the user, or check the email." : "Ask a Topograph administrator to create the user (`topo user add`), then add them here.",
        details: [{ path: "email", message: "no such user" }],
      });
    }
    const info = await createUser(db, { email: data.email, name: data.name, password: data.password });
    user = (await getUser(db, info.id))!;
    createdUser = true;
  }
  const existing = await db.membership.findUnique({ where: { projectId_userId: { projectId, userId: user.id } } });
  if (existing && existing.role === "admin" && data.role !== "admin") await assertAnotherAdmin(db, projectId, user.id);
  const m = existing
    ? await db.membership.update({ where: { id: existing.id }, data: { role: data.role } })
    : await db.membership.create({ data: { id: randomUUID(), projectId, userId: user.id, role: data.role } });
  return { member: { userId: user.id, email: user.email, name: user.name, role: m.role as Role, globalAdmin: user.role === "admin", createdAt: m.createdAt.toISOString() }, createdUser };
}

async function assertAnotherAdmin(db: Db, projectId: string, userId: string) {
  const others = await db.membership.count({ where: { projectId, role: "admin", userId: { not: userId } } });
  if (others === 0) throw new TopoError("TOPO-E180", "this is the project's only admin");
}

async function membershipOrThrow(db: Db, projectId: string, userId: string) {
  const m = await db.membership.findUnique({ where: { projectId_userId: { projectId, userId } }, include: { user: true } });
  if (!m) throw new TopoError("TOPO-E020", "member not found", { fix: "List the members with GET /api/projects/:id/members." });
  return m;
}

export async function updateMember(db: Db, projectId: string, userId: string, input: unknown): Promise<Member> {
  const { role } = parseOrThrow(MemberUpdateSchema, input);
  const m = await membershipOrThrow(db, projectId, userId);
  if (m.role === "admin" && role !== "admin") await assertAnotherAdmin(db, projectId, userId);
  const u = await db.membership.update({ where: { id: m.id }, data: { role } });
  return { userId, email: m.user.email, name: m.user.name, role: u.role as Role, globalAdmin: m.user.role === "admin", createdAt: u.createdAt.toISOString() };
}

export async function removeMember(db: Db, projectId: string, userId: string): Promise<Member> {
  const m = await membershipOrThrow(db, projectId, userId);
  if (m.role === "admin") await assertAnotherAdmin(db, projectId, userId);
  await db.membership.delete({ where: { id: m.id } });
  return { userId, email: m.user.email, name: m.user.name, role: m.role as Role, globalAdmin: m.user.role === "admin", createdAt: m.createdAt.toISOString() };
}

/** The creator of a project becomes its admin (idempotent). */
export async function grantCreator(db: Db, projectId: string, userId: string): Promise<void> {
  await db.membership.upsert({
    where: { projectId_userId: { projectId, userId } },
    create: { id: randomUUID(), projectId, userId, role: "admin" },
    update: { role: "admin" },
  });
}
