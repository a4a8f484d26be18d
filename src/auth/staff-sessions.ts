// Staff sessions after Lucia's current scheme: `id.secret` tokens, SHA-256 of the secret stored, inactivity expiry, cookie settings.
import { and, eq, lte, ne } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { staffSessions, staffUsers } from '#db/schema/index.ts';
import { issueToken, parseToken, secretMatches } from './secret-token.ts';

export const STAFF_SESSION_COOKIE = '__Host-porchlight-staff';
/** A session ends after ten days without use. */
export const SESSION_INACTIVITY_MS = 10 * 24 * 60 * 60_000;
/** `last_verified_at` is written at most once an hour, so most requests only read. */
export const SESSION_REFRESH_MS = 60 * 60_000;

export type StaffRole = 'owner' | 'agent';
export type StaffUser = { id: number; email: string; name: string; role: StaffRole };
export type StaffSession = {
  id: string;
  userId: number;
  createdAt: Date;
  lastVerifiedAt: Date;
  /** When the session ends unless it is used again. */
  expiresAt: Date;
  /** True when this validation moved `lastVerifiedAt` (and so the cookie's expiry) forward. */
  refreshed: boolean;
};
export type ValidatedSession = { session: StaffSession; user: StaffUser };

const expiryOf = (lastVerifiedAt: Date) => new Date(lastVerifiedAt.getTime() + SESSION_INACTIVITY_MS);

/** Starts a session for a user; the token goes to the cookie, only the hash of its secret to the database. */
export async function createSession(
  db: Queryable,
  userId: number,
  now: Date = new Date(),
): Promise<{ token: string; session: StaffSession }> {
  const issued = issueToken();
  await db.insert(staffSessions).values({ id: issued.id, userId, secretHash: issued.secretHash, createdAt: now, lastVerifiedAt: now });
  return {
    token: issued.token,
    session: { id: issued.id, userId, createdAt: now, lastVerifiedAt: now, expiresAt: expiryOf(now), refreshed: false },
  };
}

/** The session and its user, or null when the token is malformed, unknown, forged or idle too long (then it is deleted). */
export async function validateSessionToken(
  db: Queryable,
  token: string | undefined,
  now: Date = new Date(),
): Promise<ValidatedSession | null> {
  if (!token) return null;
  const parsed = parseToken(token);
  if (!parsed) return null;
  const [row] = await db
    .select({
      id: staffSessions.id,
      userId: staffSessions.userId,
      secretHash: staffSessions.secretHash,
      createdAt: staffSessions.createdAt,
      lastVerifiedAt: staffSessions.lastVerifiedAt,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
    })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.userId))
    .where(eq(staffSessions.id, parsed.id))
    .limit(1);
  if (!row || !secretMatches(parsed.secret, row.secretHash)) return null;
  const idle = now.getTime() - row.lastVerifiedAt.getTime();
  if (idle >= SESSION_INACTIVITY_MS) {
    await db.delete(staffSessions).where(eq(staffSessions.id, row.id));
    return null;
  }
  let lastVerifiedAt = row.lastVerifiedAt;
  const refreshed = idle >= SESSION_REFRESH_MS;
  if (refreshed) {
    lastVerifiedAt = now;
    await db.update(staffSessions).set({ lastVerifiedAt: now }).where(eq(staffSessions.id, row.id));
  }
  return {
    session: { id: row.id, userId: row.userId, createdAt: row.createdAt, lastVerifiedAt, expiresAt: expiryOf(lastVerifiedAt), refreshed },
    user: { id: row.userId, email: row.email, name: row.name, role: row.role },
  };
}

export async function invalidateSession(db: Queryable, sessionId: string): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.id, sessionId));
}

/** Signs a user out everywhere; with `exceptSessionId`, everywhere but the current device. */
export async function invalidateUserSessions(db: Queryable, userId: number, exceptSessionId?: string): Promise<void> {
  await db
    .delete(staffSessions)
    .where(
      exceptSessionId === undefined
        ? eq(staffSessions.userId, userId)
        : and(eq(staffSessions.userId, userId), ne(staffSessions.id, exceptSessionId)),
    );
}

/** Housekeeping: removes sessions idle past the limit (validation also removes them one by one). */
export async function deleteIdleSessions(db: Queryable, now: Date = new Date()): Promise<void> {
  await db.delete(staffSessions).where(lte(staffSessions.lastVerifiedAt, new Date(now.getTime() - SESSION_INACTIVITY_MS)));
}

export type CookieOptions = {
  httpOnly: true;
  secure: true;
  sameSite: 'lax';
  path: '/';
  expires: Date;
};

/** What the browser keeps: `__Host-` (Secure, Path=/, no Domain), HttpOnly, SameSite=Lax, ending with the session's idle expiry. */
export function sessionCookie(token: string, expiresAt: Date): { name: string; value: string; options: CookieOptions } {
  return {
    name: STAFF_SESSION_COOKIE,
    value: token,
    options: { httpOnly: true, secure: true, sameSite: 'lax', path: '/', expires: expiresAt },
  };
}

/** The same cookie, emptied and already expired: signs the browser out. */
export function blankSessionCookie(): { name: string; value: string; options: CookieOptions } {
  return sessionCookie('', new Date(0));
}

/** The subset of Astro's cookie jar these helpers use (src/auth never imports astro:*). */
export type CookieJar = {
  get(name: string): { value: string } | undefined;
  set(name: string, value: string, options: CookieOptions): void;
};

export function setSessionCookie(cookies: CookieJar, token: string, expiresAt: Date): void {
  const c = sessionCookie(token, expiresAt);
  cookies.set(c.name, c.value, c.options);
}

export function clearSessionCookie(cookies: CookieJar): void {
  const c = blankSessionCookie();
  cookies.set(c.name, c.value, c.options);
}

export function readSessionCookie(cookies: CookieJar): string | undefined {
  return cookies.get(STAFF_SESSION_COOKIE)?.value || undefined;
}
