// The owner's staff management: list members, add one with a generated password shown once, change roles, remove.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '#db/client.ts';
import { staffUsers } from '#db/schema/index.ts';
import { generatePassword } from '#src/auth/passwords.ts';
import { invalidateUserSessions, type StaffRole, type StaffUser } from '#src/auth/staff-sessions.ts';
import { createStaff, STAFF_ROLES } from './staff-accounts.ts';

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
  if (!(await isOwner(db, actor.id))) return { ok: false, reason: 'forbidden' };
  if (!isStaffRole(input.role)) return { ok: false, reason: 'invalid_role' };
  const password = generatePassword();
  const created = await createStaff(db, { email: input.email, name: input.name, role: input.role, password });
  if (!created.ok) {
    // A generated password always meets the policy; any other reason is the input's.
    if (created.reason === 'password_too_short' || created.reason === 'password_too_long') throw new Error('generated password refused');
    return { ok: false, reason: created.reason };
  }
  return { ok: true, user: created.user, password };
}

/**
 * Changes a member's role. Owners cannot change their own role (so nobody demotes themselves by mistake), and the
 * last owner stays an owner. Role changes are serialised so two owners demoting each other cannot leave none.
 */
export async function changeStaffRole(db: Db, actor: StaffUser, input: { userId: number; role: string }): Promise<ChangeRoleResult> {
  const role = input.role;
  if (!isStaffRole(role)) return { ok: false, reason: 'invalid_role' };
  return db.transaction(async (tx) => {
    await lockStaffRoles(tx);
    if (!(await isOwner(tx, actor.id))) return { ok: false, reason: 'forbidden' } as const;
    const target = await findStaff(tx, input.userId);
    if (!target) return { ok: false, reason: 'not_found' } as const;
    if (target.role === role) return { ok: true, user: target, changed: false } as const;
    if (target.id === actor.id) return { ok: false, reason: 'self' } as const;
    if (target.role === 'owner' && (await ownerCount(tx)) <= 1) return { ok: false, reason: 'last_owner' } as const;
    await tx.update(staffUsers).set({ role }).where(eq(staffUsers.id, target.id));
    return { ok: true, user: { ...target, role }, changed: true } as const;
  });
}

/** Removes a member and ends their sessions at once. Nobody removes themselves, and the last owner stays. */
export async function removeStaff(db: Db, actor: StaffUser, input: { userId: number }): Promise<RemoveStaffResult> {
  return db.transaction(async (tx) => {
    await lockStaffRoles(tx);
    if (!(await isOwner(tx, actor.id))) return { ok: false, reason: 'forbidden' } as const;
    const target = await findStaff(tx, input.userId);
    if (!target) return { ok: false, reason: 'not_found' } as const;
    if (target.id === actor.id) return { ok: false, reason: 'self' } as const;
    if (target.role === 'owner' && (await ownerCount(tx)) <= 1) return { ok: false, reason: 'last_owner' } as const;
    await invalidateUserSessions(tx, target.id);
    await tx.delete(staffUsers).where(eq(staffUsers.id, target.id));
    return { ok: true, user: target } as const;
  });
}

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
