// The owner's staff management: list members, add one with a generated password shown once, change roles, remove;
// and the commands the staff page and the CLI run for them.
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '#db/client.ts';
import { staffUsers } from '#db/schema/index.ts';
import { generatePassword, PASSWORD_MAX_LENGTH } from '#src/auth/passwords.ts';
import { invalidateUserSessions, type StaffRole, type StaffUser } from '#src/auth/staff-sessions.ts';
import { defineCommand } from '#src/commands/command.ts';
import type { Principal } from '#src/commands/principal.ts';
import { staff } from '#src/commands/rules.ts';
import { id } from '#src/input/ids.ts';
import { createStaff, STAFF_ROLES, type StaffInputProblem } from './staff-accounts.ts';

export type StaffMember = StaffUser & { createdAt: Date };

export type AddStaffResult =
  | { ok: true; user: StaffUser; password: string }
  | { ok: false; reason: 'forbidden' | 'invalid_email' | 'invalid_name' | 'invalid_role' | 'email_taken' };
export type ChangeRoleResult =
  | { ok: true; user: StaffUser; changed: boolean }
  | { ok: false; reason: 'forbidden' | 'invalid_role' | 'not_found' | 'self' | 'last_owner' };
export type RemoveStaffResult = { ok: true; user: StaffUser } | { ok: false; reason: 'forbidden' | 'not_found' | 'self' | 'last_owner' };

/** Every staff member, owners first, then by name. */
export async function listStaff(db: Queryable): Promise<StaffMember[]> {
  return db
    .select({ id: staffUsers.id, email: staffUsers.email, name: staffUsers.name, role: staffUsers.role, createdAt: staffUsers.createdAt })
    .from(staffUsers)
    .orderBy(sql`case when ${staffUsers.role} = 'owner' then 0 else 1 end`, asc(staffUsers.name), asc(staffUsers.id));
}

export function isStaffRole(value: unknown): value is StaffRole {
  return (STAFF_ROLES as readonly unknown[]).includes(value);
}

/** Adds a member with a strong generated password, returned once for the owner to hand over (only its hash is kept). */
export async function addStaff(db: Db, actor: StaffUser, input: { email: string; name: string; role: string }): Promise<AddStaffResult> {
  const added = await addMember(db, actor.id, input);
  if (!added.ok && (added.reason === 'password_too_short' || added.reason === 'password_too_long')) {
    // A generated password always meets the policy.
    throw new Error('generated password refused');
  }
  return added as AddStaffResult;
}

type AddMemberResult =
  | { ok: true; user: StaffUser; password: string; generated: boolean }
  | { ok: false; reason: 'forbidden' | StaffInputProblem | 'email_taken' };

/**
 * Adds a member with the password given, or a strong generated one (returned once to hand over; only its hash is
 * kept). `actorId` null is the operator at the server's shell, who may; a member must be an owner now.
 */
async function addMember(
  db: Db,
  actorId: number | null,
  input: { email: string; name: string; role: string; password?: string | undefined },
): Promise<AddMemberResult> {
  if (actorId !== null && !(await isOwner(db, actorId))) return { ok: false, reason: 'forbidden' };
  if (!isStaffRole(input.role)) return { ok: false, reason: 'invalid_role' };
  const generated = input.password === undefined;
  const password = input.password ?? generatePassword();
  const created = await createStaff(db, { email: input.email, name: input.name, role: input.role, password });
  if (!created.ok) return created;
  return { ok: true, user: created.user, password, generated };
}

/**
 * Changes a member's role. Owners cannot change their own role (so nobody demotes themselves by mistake), and the
 * last owner stays an owner. Role changes are serialised so two owners demoting each other cannot leave none.
 */
export async function changeStaffRole(db: Db, actor: StaffUser, input: { userId: number; role: string }): Promise<ChangeRoleResult> {
  return changeRole(db, actor.id, input);
}

/** `actorId` null is the operator at the server's shell: allowed, and never the member changed. */
async function changeRole(db: Db, actorId: number | null, input: { userId: number; role: string }): Promise<ChangeRoleResult> {
  const role = input.role;
  if (!isStaffRole(role)) return { ok: false, reason: 'invalid_role' };
  return db.transaction(async (tx) => {
    await lockStaffRoles(tx);
    if (actorId !== null && !(await isOwner(tx, actorId))) return { ok: false, reason: 'forbidden' } as const;
    const target = await findStaff(tx, input.userId);
    if (!target) return { ok: false, reason: 'not_found' } as const;
    if (target.role === role) return { ok: true, user: target, changed: false } as const;
    if (target.id === actorId) return { ok: false, reason: 'self' } as const;
    if (target.role === 'owner' && (await ownerCount(tx)) <= 1) return { ok: false, reason: 'last_owner' } as const;
    await tx.update(staffUsers).set({ role }).where(eq(staffUsers.id, target.id));
    return { ok: true, user: { ...target, role }, changed: true } as const;
  });
}

/** Removes a member and ends their sessions at once. Nobody removes themselves, and the last owner stays. */
export async function removeStaff(db: Db, actor: StaffUser, input: { userId: number }): Promise<RemoveStaffResult> {
  return removeMember(db, actor.id, input);
}

/** `actorId` null is the operator at the server's shell: allowed, and never the member removed. */
async function removeMember(db: Db, actorId: number | null, input: { userId: number }): Promise<RemoveStaffResult> {
  return db.transaction(async (tx) => {
    await lockStaffRoles(tx);
    if (actorId !== null && !(await isOwner(tx, actorId))) return { ok: false, reason: 'forbidden' } as const;
    const target = await findStaff(tx, input.userId);
    if (!target) return { ok: false, reason: 'not_found' } as const;
    if (target.id === actorId) return { ok: false, reason: 'self' } as const;
    if (target.role === 'owner' && (await ownerCount(tx)) <= 1) return { ok: false, reason: 'last_owner' } as const;
    await invalidateUserSessions(tx, target.id);
    await tx.delete(staffUsers).where(eq(staffUsers.id, target.id));
    return { ok: true, user: target } as const;
  });
}

/** The member asking, or null for the operator's CLI (the commands' rules let no other principal through). */
function memberOf(principal: Principal): number | null {
  return principal.kind === 'staff' ? principal.staffId : null;
}

const role = z.string().max(20);

/**
 * Command: an owner (or the operator's CLI) adds a member. The console never sends a password, so one is generated and
 * shown once; the CLI may give one. The owner is checked on the server twice: by the rule (the session's role) and
 * against the database as the member is added (a member demoted a moment ago is no longer an owner).
 */
export const createStaffMember = defineCommand({
  name: 'create-staff',
  input: z.object({
    email: z.string().max(400),
    name: z.string().max(400),
    role,
    password: z
      .string()
      .max(PASSWORD_MAX_LENGTH * 4)
      .optional(),
  }),
  allow: staff('owner'),
  run: (db, input, { principal }) => addMember(db, memberOf(principal), input),
});

/** Command: an owner changes another member's role (never their own, never the last owner's). */
export const changeStaffRoleCommand = defineCommand({
  name: 'change-staff-role',
  input: z.object({ userId: id, role }),
  allow: staff('owner'),
  run: (db, input, { principal }) => changeRole(db, memberOf(principal), input),
});

/** Command: an owner removes another member, whose sessions end at once (never themselves, never the last owner). */
export const removeStaffCommand = defineCommand({
  name: 'remove-staff',
  input: z.object({ userId: id }),
  allow: staff('owner'),
  run: (db, input, { principal }) => removeMember(db, memberOf(principal), input),
});

/** The role is read from the database, not the session's copy, so a member demoted a moment ago is no longer an owner. */
async function isOwner(db: Queryable, userId: number): Promise<boolean> {
  const [row] = await db.select({ role: staffUsers.role }).from(staffUsers).where(eq(staffUsers.id, userId)).limit(1);
  return row?.role === 'owner';
}

async function findStaff(db: Queryable, userId: number): Promise<StaffUser | null> {
  if (!Number.isSafeInteger(userId) || userId < 1 || userId > 2_147_483_647) return null;
  const [row] = await db
    .select({ id: staffUsers.id, email: staffUsers.email, name: staffUsers.name, role: staffUsers.role })
    .from(staffUsers)
    .where(eq(staffUsers.id, userId))
    .limit(1);
  return row ?? null;
}

async function ownerCount(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(staffUsers).where(eq(staffUsers.role, 'owner'));
  return row?.n ?? 0;
}

async function lockStaffRoles(db: Queryable): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('porchlight:staff-roles'))`);
}
