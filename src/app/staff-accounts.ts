// Use cases for staff accounts: create (and the first owner), sign in with rate limits, change password, sign out.
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '#db/client.ts';
import { staffUsers } from '#db/schema/index.ts';
import { hashPassword, needsRehash, type PasswordProblem, passwordProblem, verifyDummy, verifyPassword } from '#src/auth/passwords.ts';
import { clearFailures, isOverLimit, recordFailure } from '#src/auth/rate-limit.ts';
import { createSession, invalidateSession, invalidateUserSessions, type StaffRole, type StaffUser } from '#src/auth/staff-sessions.ts';

export type { StaffRole, StaffUser };
export const STAFF_ROLES = ['owner', 'agent'] as const satisfies readonly StaffRole[];

/** Failed sign-ins allowed per account and per address in one window before everything is refused. */
export type SignInLimits = { perAccount: number; perIp: number; windowMs: number };
export const SIGN_IN_LIMITS: SignInLimits = { perAccount: 5, perIp: 20, windowMs: 15 * 60_000 };

export type NewStaff = { email: string; name: string; role: StaffRole; password: string };
export type StaffInputProblem = 'invalid_email' | 'invalid_name' | 'invalid_role' | PasswordProblem;

export type CreateStaffResult = { ok: true; user: StaffUser } | { ok: false; reason: StaffInputProblem | 'email_taken' };
export type FirstOwnerResult =
  | { ok: true; user: StaffUser; token: string; expiresAt: Date }
  | { ok: false; reason: Exclude<StaffInputProblem, 'invalid_role'> | 'setup_done' };
export type SignInResult =
  | { ok: true; user: StaffUser; token: string; expiresAt: Date }
  /** One answer for an unknown e-mail and a wrong password alike, so accounts cannot be discovered. */
  | { ok: false; reason: 'invalid_credentials' | 'rate_limited' };
export type ChangePasswordResult = { ok: true } | { ok: false; reason: 'wrong_password' | 'rate_limited' | 'not_found' | PasswordProblem };

/** E-mail addresses are compared trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const emailSchema = z.email().max(254);
// Letters, marks, digits, spaces and common punctuation; no control characters.
const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{C}]+$/u);

function validate(input: NewStaff): { ok: true; value: NewStaff } | { ok: false; reason: StaffInputProblem } {
  const email = normaliseEmail(input.email);
  if (!emailSchema.safeParse(email).success) return { ok: false, reason: 'invalid_email' };
  const name = nameSchema.safeParse(input.name);
  if (!name.success) return { ok: false, reason: 'invalid_name' };
  if (!STAFF_ROLES.includes(input.role)) return { ok: false, reason: 'invalid_role' };
  const problem = passwordProblem(input.password);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, value: { email, name: name.data, role: input.role, password: input.password } };
}

async function insertStaff(db: Queryable, value: NewStaff, passwordHash: string): Promise<StaffUser | null> {
  const [row] = await db
    .insert(staffUsers)
    .values({ email: value.email, name: value.name, role: value.role, passwordHash })
    .onConflictDoNothing({ target: staffUsers.email })
    .returning({ id: staffUsers.id, email: staffUsers.email, name: staffUsers.name, role: staffUsers.role });
  return row ?? null;
}

export async function createStaff(db: Db, input: NewStaff): Promise<CreateStaffResult> {
  const valid = validate(input);
  if (!valid.ok) return valid;
  const user = await insertStaff(db, valid.value, await hashPassword(valid.value.password));
  return user ? { ok: true, user } : { ok: false, reason: 'email_taken' };
}

export async function hasAnyStaff(db: Queryable): Promise<boolean> {
  const [row] = await db.select({ id: staffUsers.id }).from(staffUsers).limit(1);
  return row !== undefined;
}

/** The one-time setup: creates the first owner and signs them in, only while no staff account exists (race-safe). */
export async function createFirstOwner(db: Db, input: Omit<NewStaff, 'role'>, now: Date = new Date()): Promise<FirstOwnerResult> {
  if (await hasAnyStaff(db)) return { ok: false, reason: 'setup_done' };
  const valid = validate({ ...input, role: 'owner' });
  if (!valid.ok) return valid as { ok: false; reason: Exclude<StaffInputProblem, 'invalid_role'> };
  const passwordHash = await hashPassword(valid.value.password);
  return db.transaction(async (tx) => {
    // Two setup forms submitted at once: the second waits here, then sees the first owner.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('porchlight:first-owner'))`);
    if (await hasAnyStaff(tx)) return { ok: false, reason: 'setup_done' } as const;
    const user = await insertStaff(tx, valid.value, passwordHash);
    if (!user) return { ok: false, reason: 'setup_done' } as const;
    const { token, session } = await createSession(tx, user.id, now);
    return { ok: true, user, token, expiresAt: session.expiresAt } as const;
  });
}

/** Identities are hashed before they are stored: the limiter needs identity, not the address or e-mail. */
const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);
const accountKey = (email: string) => `signin:account:${digest(normaliseEmail(email))}`;
const ipKey = (ip: string) => `signin:ip:${digest(ip)}`;

export async function signIn(
  db: Db,
  input: { email: string; password: string; ip: string },
  now: Date = new Date(),
  limits: SignInLimits = SIGN_IN_LIMITS,
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const keys = [accountKey(email), ipKey(input.ip)];
  const over = await isOverLimit(
    db,
    [
      { key: keys[0] as string, max: limits.perAccount },
      { key: keys[1] as string, max: limits.perIp },
    ],
    now,
    limits.windowMs,
  );
  if (over) return { ok: false, reason: 'rate_limited' };

  const [row] = await db.select().from(staffUsers).where(eq(staffUsers.email, email)).limit(1);
  // An unknown e-mail still costs one argon2 verification, so timing does not tell the two failures apart.
  const matches = row ? await verifyPassword(row.passwordHash, input.password) : await verifyDummy(input.password);
  if (!row || !matches) {
    await recordFailure(db, keys, now, limits.windowMs);
    return { ok: false, reason: 'invalid_credentials' };
  }
  // The account's own counter restarts; the address's does not (one valid login must not reset an attacker's budget).
  await clearFailures(db, [keys[0] as string]);
  if (needsRehash(row.passwordHash)) {
    await db
      .update(staffUsers)
      .set({ passwordHash: await hashPassword(input.password) })
      .where(eq(staffUsers.id, row.id));
  }
  const { token, session } = await createSession(db, row.id, now);
  return { ok: true, user: { id: row.id, email: row.email, name: row.name, role: row.role }, token, expiresAt: session.expiresAt };
}

/** Requires the current password; on success every other session of the user ends (this one stays signed in). */
export async function changePassword(
  db: Db,
  input: { userId: number; sessionId: string; currentPassword: string; newPassword: string },
  now: Date = new Date(),
  limits: SignInLimits = SIGN_IN_LIMITS,
): Promise<ChangePasswordResult> {
  const [row] = await db.select().from(staffUsers).where(eq(staffUsers.id, input.userId)).limit(1);
  if (!row) return { ok: false, reason: 'not_found' };
  // Guesses at the current password through a hijacked session count against the same budget as sign-in guesses.
  const key = accountKey(row.email);
  if (await isOverLimit(db, [{ key, max: limits.perAccount }], now, limits.windowMs)) return { ok: false, reason: 'rate_limited' };
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await recordFailure(db, [key], now, limits.windowMs);
    return { ok: false, reason: 'wrong_password' };
  }
  const problem = passwordProblem(input.newPassword);
  if (problem) return { ok: false, reason: problem };
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ passwordHash }).where(eq(staffUsers.id, row.id));
    await invalidateUserSessions(tx, row.id, input.sessionId);
  });
  await clearFailures(db, [key]);
  return { ok: true };
}

export async function signOut(db: Db, sessionId: string): Promise<{ ok: true }> {
  await invalidateSession(db, sessionId);
  return { ok: true };
}

/** Ends every session of the user, this device's included. */
export async function signOutEverywhere(db: Db, userId: number): Promise<{ ok: true }> {
  await invalidateUserSessions(db, userId);
  return { ok: true };
}
