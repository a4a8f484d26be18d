// Use cases for staff accounts: create (and the first owner), sign in with rate limits, change password, sign out;
// and the commands for the first owner and a password change (signing in and out is session handling, not a command).
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '#db/client.ts';
import { staffUsers } from '#db/schema/index.ts';
import { type GuessPolicy, guardGuess, type Wait } from '#src/auth/guess-guard.ts';
import {
  hashPassword,
  needsRehash,
  PASSWORD_MAX_LENGTH,
  type PasswordProblem,
  passwordProblem,
  verifyDummy,
  verifyPassword,
} from '#src/auth/passwords.ts';
import { createSession, invalidateSession, invalidateUserSessions, type StaffRole, type StaffUser } from '#src/auth/staff-sessions.ts';
import { defineCommand } from '#src/commands/command.ts';
import type { Principal } from '#src/commands/principal.ts';
import type { Rule } from '#src/commands/rules.ts';

export type { StaffRole, StaffUser };
export const STAFF_ROLES = ['owner', 'agent'] as const satisfies readonly StaffRole[];

/**
 * Failed sign-ins: 5 per (account, address) and 20 per address in 15 minutes, then 429 for that address; beyond 10
 * failures at an account in the window, attempts at it take turns 2 s apart for every unproven address
 * (docs/decisions/028). No number of failures elsewhere locks the account.
 */
export const SIGN_IN_LIMITS: GuessPolicy = { perSubjectClient: 5, perClient: 20, windowMs: 15 * 60_000, slowAfter: 10, spacingMs: 2000 };
/** Guesses at the current password through a session: 5 per (account, session) in 15 minutes. */
export const PASSWORD_CHANGE_LIMITS: GuessPolicy = { ...SIGN_IN_LIMITS, perClient: SIGN_IN_LIMITS.perSubjectClient };

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

export async function signIn(
  db: Db,
  input: { email: string; password: string; ip: string },
  now: Date = new Date(),
  limits: GuessPolicy = SIGN_IN_LIMITS,
  wait?: Wait,
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  // The subject is the e-mail as typed (normalised), known or not, so the limits do not tell accounts apart either.
  const outcome = await guardGuess(
    db,
    { scope: 'signin', subject: email, client: input.ip },
    limits,
    now,
    async () => {
      const [row] = await db.select().from(staffUsers).where(eq(staffUsers.email, email)).limit(1);
      // An unknown e-mail still costs one argon2 verification, so timing does not tell the two failures apart.
      const matches = row ? await verifyPassword(row.passwordHash, input.password) : await verifyDummy(input.password);
      return row && matches ? row : null;
    },
    wait,
  );
  if (outcome.kind === 'limited') return { ok: false, reason: 'rate_limited' };
  if (outcome.kind === 'wrong') return { ok: false, reason: 'invalid_credentials' };
  const row = outcome.value;
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
  limits: GuessPolicy = PASSWORD_CHANGE_LIMITS,
): Promise<ChangePasswordResult> {
  const [row] = await db.select().from(staffUsers).where(eq(staffUsers.id, input.userId)).limit(1);
  if (!row) return { ok: false, reason: 'not_found' };
  // Guesses at the current password through a hijacked session are limited per session, which only its holder uses.
  const outcome = await guardGuess(
    db,
    { scope: 'password-change', subject: String(row.id), client: input.sessionId },
    limits,
    now,
    async () => ((await verifyPassword(row.passwordHash, input.currentPassword)) ? true : null),
  );
  if (outcome.kind === 'limited') return { ok: false, reason: 'rate_limited' };
  if (outcome.kind === 'wrong') return { ok: false, reason: 'wrong_password' };
  const problem = passwordProblem(input.newPassword);
  if (problem) return { ok: false, reason: problem };
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ passwordHash }).where(eq(staffUsers.id, row.id));
    await invalidateUserSessions(tx, row.id, input.sessionId);
  });
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

/** A password typed twice: at most four times the longest password, so an overlong one is the policy's to refuse. */
const typedPassword = z.string().max(PASSWORD_MAX_LENGTH * 4);

/** Command: a signed-in member changes their own password, through the session they are using (which stays). */
export const changeOwnPassword = defineCommand({
  name: 'change-password',
  input: z.object({ currentPassword: typedPassword.min(1), newPassword: typedPassword, confirmPassword: typedPassword }),
  // Only a member's own session: the CLI and API keys have no password of their own to change.
  allow: (p) => p.kind === 'staff' && p.sessionId !== undefined,
  run: async (db, input, { principal, now }) => {
    if (principal.kind !== 'staff' || principal.sessionId === undefined) return { ok: false, reason: 'forbidden' } as const;
    if (input.newPassword !== input.confirmPassword) return { ok: false, reason: 'mismatch' } as const;
    const { currentPassword, newPassword } = input;
    return changePassword(db, { userId: principal.staffId, sessionId: principal.sessionId, currentPassword, newPassword }, now);
  },
});

/**
 * Whoever holds the one-time setup link: nobody is signed in yet, so no staff principal can exist. The setup page checks
 * the link's key (as the sign-in page checks a password) and only then asks as this principal. It is a system principal
 * with its own name, and the setup command's rule accepts that name alone, so no other system work (the sweep, a signed
 * callback) can create an owner; a new principal kind would widen every command's rule for one form.
 */
export const SETUP_LINK: Principal = { kind: 'system', name: 'setup-link' };
const holdsSetupLink: Rule<unknown> = (p) => p.kind === 'system' && p.name === 'setup-link';

/** Command: the first owner, created and signed in by the one-time setup (only while no staff account exists). */
export const setUpFirstOwner = defineCommand({
  name: 'set-up-first-owner',
  input: z.object({ name: z.string().max(100), email: z.string().max(254), password: typedPassword, confirmPassword: typedPassword }),
  allow: holdsSetupLink,
  run: async (db, input, { now }) => {
    if (input.password !== input.confirmPassword) return { ok: false, reason: 'mismatch' } as const;
    return createFirstOwner(db, { name: input.name, email: input.email, password: input.password }, now);
  },
});
