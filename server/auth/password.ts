/**
 * Password hashing with Node's scrypt: a random 16-byte salt per password, N=2^15, r=8, p=1,
 * a 64-byte key, compared in constant time. Stored as `scrypt$N$r$p$salt$key` (base64), so the
 * parameters can be raised later without breaking stored hashes.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { TopoError } from "../errors";

const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 64;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password.normalize("NFKC"), salt, keylen, { ...opts, maxmem: 128 * opts.N! * opts.r! * 2 }, (e, key) => (e ? reject(e) : resolve(key))));
}

/** Refuses passwords shorter than 12 characters (TOPO-E178). */
export function checkPasswordStrength(password: unknown): string {
  if (typeof password !== "string" || password.length < MIN_PASSWORD_LENGTH)
    throw new TopoError("TOPO-E178", `the password must have at least ${MIN_PASSWORD_LENGTH} characters`, { details: [{ path: "password", message: `at least ${MIN_PASSWORD_LENGTH} characters` }] });
  if (password.length > MAX_PASSWORD_LENGTH) throw new TopoError("TOPO-E178", `the password is longer than ${MAX_PASSWORD_LENGTH} characters`, { details: [{ path: "password", message: "too long" }] });
  return password;
}

/**
 * @example const stored = await hashPassword("correct horse battery"); await verifyPassword("correct horse battery", stored) // true
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

// Verifying against this when the user does not exist keeps the answer time the same, so timing
// does not tell which emails have accounts.
const DUMMY = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString("base64")}$${Buffer.alloc(KEYLEN).toString("base64")}`;

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored || DUMMY).split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  if (!Number.isInteger(n) || n < 2 || n > 1 << 20 || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) return false;
  const salt = Buffer.from(parts[4], "base64");
  const expected = Buffer.from(parts[5], "base64");
  if (expected.length < 16) return false;
  const key = await scrypt(typeof password === "string" ? password.slice(0, MAX_PASSWORD_LENGTH) : "", salt, expected.length, { N: n, r, p });
  return timingSafeEqual(key, expected) && !!stored;
}
