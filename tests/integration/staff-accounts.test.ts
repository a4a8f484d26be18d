// Staff accounts against a real database: creation, sign-in and its limits, sessions and their expiry, sign-out, password change.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { staffSessions, staffUsers } from '#db/schema/index.ts';
import { DUMMY_HASH, verifyPassword } from '#src/auth/passwords.ts';
import {
  createSession,
  deleteIdleSessions,
  invalidateSession,
  invalidateUserSessions,
  SESSION_INACTIVITY_MS,
  SESSION_REFRESH_MS,
  validateSessionToken,
} from '#src/auth/staff-sessions.ts';
import { staffCreateCommand } from '#src/cli/staff-commands.ts';
import { DEMO_STAFF, seedDemoStaff } from '#src/staff/demo-staff.ts';
import {
  changePassword,
  createFirstOwner,
  createStaff,
  hasAnyStaff,
  PASSWORD_CHANGE_LIMITS,
  SIGN_IN_LIMITS,
  signIn,
  signOut,
  signOutEverywhere,
} from '#src/staff/staff-accounts.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-22T15:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

const db = () => database.db;
let n = 0;
/** A staff member of their own, so tests do not share rate-limit counters or sessions. */
async function staff(role: 'owner' | 'agent' = 'agent', password = 'a-long-enough-password') {
  n += 1;
  const r = await createStaff(db(), { email: `staff${n}@shop.example`, name: `Staff ${n}`, role, password });
  if (!r.ok) throw new Error(r.reason);
  return { ...r.user, password };
}
const ip = () => `203.0.113.${++n % 250}`;

describe('the first owner', () => {
  it('is created once, signed in, and after that setup is closed', async () => {
    expect(await hasAnyStaff(db())).toBe(false);
    const [a, b] = await Promise.all([
      createFirstOwner(db(), { email: ' First@Shop.Example ', name: 'Fiona First', password: 'first owner password' }, now),
      createFirstOwner(db(), { email: 'second@shop.example', name: 'Sam Second', password: 'second owner password' }, now),
    ]);
    const results = [a, b];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'setup_done' }]);
    expect(await hasAnyStaff(db())).toBe(true);
    const winner = results.find((r) => r.ok);
    if (!winner?.ok) throw new Error('unreachable');
    expect(winner.user.role).toBe('owner');
    expect((await validateSessionToken(db(), winner.token, now))?.user.id).toBe(winner.user.id);
    expect(await createFirstOwner(db(), { email: 'third@shop.example', name: 'T', password: 'third owner password' }, now)).toEqual({
      ok: false,
      reason: 'setup_done',
    });
  });
});

describe('creating staff', () => {
  it('stores a normalised e-mail and an argon2id hash, never the password', async () => {
    const r = await createStaff(db(), {
      email: '  Agent.Smith@Shop.Example ',
      name: ' Agent Smith ',
      role: 'agent',
      password: 'twelve chars',
    });
    expect(r).toMatchObject({ ok: true, user: { email: 'agent.smith@shop.example', name: 'Agent Smith', role: 'agent' } });
    const [row] = await db().select().from(staffUsers).where(eq(staffUsers.email, 'agent.smith@shop.example'));
    expect(row?.passwordHash.startsWith('$argon2id$')).toBe(true);
    expect(row?.passwordHash).not.toContain('twelve chars');
  });

  it('refuses a second account with the same e-mail, however it is typed', async () => {
    const first = await staff();
    const again = await createStaff(db(), { email: first.email.toUpperCase(), name: 'Other', role: 'owner', password: 'another password' });
    expect(again).toEqual({ ok: false, reason: 'email_taken' });
  });

  it.each([
    [{ email: 'not-an-email' }, 'invalid_email'],
    [{ name: '   ' }, 'invalid_name'],
    [{ name: 'Bad\u0000Name' }, 'invalid_name'],
    [{ role: 'admin' }, 'invalid_role'],
    [{ password: 'elevenchars' }, 'password_too_short'],
    [{ password: 'x'.repeat(257) }, 'password_too_long'],
  ])('refuses %j with %s', async (change, reason) => {
    const input = { email: `valid${++n}@shop.example`, name: 'Valid Name', role: 'agent', password: 'valid password 1', ...change };
    expect(await createStaff(db(), input as never)).toEqual({ ok: false, reason });
  });
});

describe('signing in', () => {
  it('opens a session for the right password, with the e-mail typed any way', async () => {
    const s = await staff('owner');
    const r = await signIn(db(), { email: ` ${s.email.toUpperCase()} `, password: s.password, ip: ip() }, now);
    expect(r).toMatchObject({ ok: true, user: { id: s.id, name: s.name, role: 'owner' } });
    if (!r.ok) throw new Error('unreachable');
    expect(r.expiresAt).toEqual(later(SESSION_INACTIVITY_MS));
    expect(await validateSessionToken(db(), r.token, now)).toMatchObject({ user: { id: s.id, email: s.email } });
  });

  it('gives one answer for an unknown e-mail and a wrong password', async () => {
    const s = await staff();
    const unknown = await signIn(db(), { email: 'nobody@shop.example', password: s.password, ip: ip() }, now);
    const wrong = await signIn(db(), { email: s.email, password: 'not the password', ip: ip() }, now);
    expect(unknown).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(wrong).toEqual(unknown);
  });

  it('spends a full argon2 verification on an unknown e-mail too, so timing does not tell it apart', async () => {
    // Other work on the machine only makes things slower, and comes in bursts: so the two are measured turn about
    // and only their fastest runs compared, as a lower bound. Without the dummy hash an unknown e-mail would answer
    // in a few milliseconds (database only), far under one verification (≈ 20 ms).
    const time = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      await run();
      return performance.now() - started;
    };
    let verifying = Number.POSITIVE_INFINITY;
    let unknownEmail = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 8; i++) {
      verifying = Math.min(verifying, await time(() => verifyPassword(DUMMY_HASH, 'not the password')));
      // Hours apart, so no rate-limit window is shared between attempts.
      const at = later(100 * DAY + ++n * HOUR);
      unknownEmail = Math.min(
        unknownEmail,
        await time(() => signIn(db(), { email: `nobody${n}@shop.example`, password: 'not the password', ip: ip() }, at)),
      );
    }
    expect(verifying).toBeGreaterThan(5);
    expect(unknownEmail).toBeGreaterThanOrEqual(verifying * 0.5);
  });

  it('refuses a sixth guess from one address at one account with 429, until the window ends', async () => {
    const s = await staff();
    const attacker = '198.51.100.5';
    for (let i = 0; i < SIGN_IN_LIMITS.perSubjectClient; i++) {
      expect(await signIn(db(), { email: s.email, password: `guess ${i}`, ip: attacker }, now)).toEqual({
        ok: false,
        reason: 'invalid_credentials',
      });
    }
    // Even the right password: this address has used up its guesses at this account.
    expect(await signIn(db(), { email: s.email, password: s.password, ip: attacker }, now)).toEqual({ ok: false, reason: 'rate_limited' });
    const afterWindow = later(SIGN_IN_LIMITS.windowMs + 1000);
    expect((await signIn(db(), { email: s.email, password: s.password, ip: attacker }, afterWindow)).ok).toBe(true);
  });

  it('lets the owner sign in however often attackers at other addresses fail, slowed down but never refused', async () => {
    const owner = await staff('owner');
    const waits: number[] = [];
    const wait = async (ms: number) => {
      waits.push(ms);
    };
    // Far more failures than any per-account lockout would allow, from many addresses at once.
    const attackers = Array.from({ length: 12 }, (_, i) => `198.51.100.${100 + i}`);
    for (const address of attackers) {
      for (let i = 0; i < SIGN_IN_LIMITS.perSubjectClient; i++) {
        const r = await signIn(db(), { email: owner.email, password: `guess ${i}`, ip: address }, now, SIGN_IN_LIMITS, wait);
        expect(r).toEqual({ ok: false, reason: 'invalid_credentials' });
      }
    }
    // Beyond the first failures at the account, every attempt waited for its own turn, 2 s after the one before.
    const failures = attackers.length * SIGN_IN_LIMITS.perSubjectClient;
    expect(waits).toHaveLength(failures - SIGN_IN_LIMITS.slowAfter);
    expect(waits).toEqual(waits.map((_, i) => i * SIGN_IN_LIMITS.spacingMs));
    const r = await signIn(db(), { email: owner.email, password: owner.password, ip: '203.0.113.250' }, now, SIGN_IN_LIMITS, wait);
    expect(r).toMatchObject({ ok: true, user: { id: owner.id } });
    // The owner waited their turn behind the attackers' attempts, but was not refused.
    expect(waits.at(-1)).toBe((failures - SIGN_IN_LIMITS.slowAfter) * SIGN_IN_LIMITS.spacingMs);
    // Having signed in from there, that address skips the turns at this account from now on.
    const before = waits.length;
    expect((await signIn(db(), { email: owner.email, password: owner.password, ip: '203.0.113.250' }, now, SIGN_IN_LIMITS, wait)).ok).toBe(
      true,
    );
    expect(waits).toHaveLength(before);
  });

  it('limits an unknown e-mail the same way as a real one', async () => {
    const address = '198.51.100.6';
    for (let i = 0; i < SIGN_IN_LIMITS.perSubjectClient; i++)
      await signIn(db(), { email: 'ghost@shop.example', password: `g${i}`, ip: address }, now);
    expect(await signIn(db(), { email: 'ghost@shop.example', password: 'g', ip: address }, now)).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
  });

  it('stops one address that guesses across many accounts, and no one else', async () => {
    const address = '198.51.100.20';
    for (let i = 0; i < SIGN_IN_LIMITS.perClient; i++) {
      await signIn(db(), { email: `spray${i}@shop.example`, password: 'Summer2026!!', ip: address }, now);
    }
    const s = await staff();
    expect(await signIn(db(), { email: s.email, password: s.password, ip: address }, now)).toEqual({ ok: false, reason: 'rate_limited' });
    expect((await signIn(db(), { email: s.email, password: s.password, ip: '198.51.100.21' }, now)).ok).toBe(true);
  });

  it('refuses a burst of parallel guesses from one address beyond its limit', async () => {
    const s = await staff();
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signIn(db(), { email: s.email, password: `guess ${i}`, ip: '198.51.100.30' }, now)),
    );
    expect(burst.filter((r) => !r.ok && r.reason === 'invalid_credentials')).toHaveLength(SIGN_IN_LIMITS.perSubjectClient);
    expect(burst.filter((r) => !r.ok && r.reason === 'rate_limited')).toHaveLength(10 - SIGN_IN_LIMITS.perSubjectClient);
  });

  it('forgives an address its earlier failures at an account after it signs in there', async () => {
    const s = await staff();
    const address = '198.51.100.40';
    for (let i = 0; i < SIGN_IN_LIMITS.perSubjectClient - 1; i++)
      await signIn(db(), { email: s.email, password: 'typo', ip: address }, now);
    expect((await signIn(db(), { email: s.email, password: s.password, ip: address }, now)).ok).toBe(true);
    for (let i = 0; i < SIGN_IN_LIMITS.perSubjectClient - 1; i++)
      await signIn(db(), { email: s.email, password: 'typo', ip: address }, now);
    expect((await signIn(db(), { email: s.email, password: s.password, ip: address }, now)).ok).toBe(true);
  });
});

describe('sessions', () => {
  it('store only the SHA-256 of the secret, and refuse forged and malformed tokens', async () => {
    const s = await staff();
    const { token, session } = await createSession(db(), s.id, now);
    const [id, secret] = token.split('.') as [string, string];
    const [row] = await db().select().from(staffSessions).where(eq(staffSessions.id, session.id));
    expect(row?.id).toBe(id);
    expect(new Uint8Array(row?.secretHash as Uint8Array)).toHaveLength(32);
    expect(Buffer.from(row?.secretHash as Uint8Array).toString('utf8')).not.toContain(secret);
    const forged = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    for (const bad of [undefined, '', 'nonsense', `${id}`, forged, `${'a'.repeat(24)}.${'b'.repeat(39)}`]) {
      expect(await validateSessionToken(db(), bad, now)).toBeNull();
    }
    expect(await validateSessionToken(db(), token, now)).not.toBeNull();
  });

  it('end after ten days without use, and are deleted then', async () => {
    const s = await staff();
    const { token, session } = await createSession(db(), s.id, now);
    expect(await validateSessionToken(db(), token, later(SESSION_INACTIVITY_MS - 1))).not.toBeNull();
    const { token: idle } = await createSession(db(), s.id, now);
    expect(await validateSessionToken(db(), idle, later(SESSION_INACTIVITY_MS))).toBeNull();
    expect(
      await db()
        .select()
        .from(staffSessions)
        .where(eq(staffSessions.id, idle.split('.')[0] as string)),
    ).toEqual([]);
    expect(session.expiresAt).toEqual(later(SESSION_INACTIVITY_MS));
  });

  it('stay alive while used, refreshing the last use at most hourly', async () => {
    const s = await staff();
    const { token, session } = await createSession(db(), s.id, now);
    const lastVerified = async () =>
      (await db().select().from(staffSessions).where(eq(staffSessions.id, session.id)))[0]?.lastVerifiedAt.getTime();

    const soon = await validateSessionToken(db(), token, later(SESSION_REFRESH_MS - 1000));
    expect(soon?.session.refreshed).toBe(false);
    expect(await lastVerified()).toBe(now.getTime());

    const hourLater = await validateSessionToken(db(), token, later(SESSION_REFRESH_MS));
    expect(hourLater?.session).toMatchObject({ refreshed: true, expiresAt: later(SESSION_REFRESH_MS + SESSION_INACTIVITY_MS) });
    expect(await lastVerified()).toBe(later(SESSION_REFRESH_MS).getTime());

    // Used every nine days for a month: never idle ten days, so still signed in.
    for (let day = 9; day <= 36; day += 9) expect(await validateSessionToken(db(), token, later(day * DAY))).not.toBeNull();
  });

  it('end on sign-out, one device at a time', async () => {
    const s = await staff();
    const a = await createSession(db(), s.id, now);
    const b = await createSession(db(), s.id, now);
    await signOut(db(), a.session.id);
    expect(await validateSessionToken(db(), a.token, now)).toBeNull();
    expect(await validateSessionToken(db(), b.token, now)).not.toBeNull();
    await invalidateSession(db(), b.session.id);
    expect(await validateSessionToken(db(), b.token, now)).toBeNull();
  });

  it('end everywhere at once, and only the user’s own', async () => {
    const s = await staff();
    const other = await staff();
    const mine = await Promise.all([createSession(db(), s.id, now), createSession(db(), s.id, now)]);
    const theirs = await createSession(db(), other.id, now);
    await signOutEverywhere(db(), s.id);
    for (const m of mine) expect(await validateSessionToken(db(), m.token, now)).toBeNull();
    expect(await validateSessionToken(db(), theirs.token, now)).not.toBeNull();
    const keep = await createSession(db(), other.id, now);
    await invalidateUserSessions(db(), other.id, keep.session.id);
    expect(await validateSessionToken(db(), theirs.token, now)).toBeNull();
    expect(await validateSessionToken(db(), keep.token, now)).not.toBeNull();
  });

  it('idle ones are swept by housekeeping', async () => {
    const s = await staff();
    const old = await createSession(db(), s.id, now);
    const fresh = await createSession(db(), s.id, later(5 * DAY));
    await deleteIdleSessions(db(), later(SESSION_INACTIVITY_MS));
    const ids = (await db().select().from(staffSessions).where(eq(staffSessions.userId, s.id))).map((r) => r.id);
    expect(ids).toEqual([fresh.session.id]);
    expect(ids).not.toContain(old.session.id);
  });
});

describe('changing the password', () => {
  it('needs the current password, then signs out every other device and keeps this one', async () => {
    const s = await staff();
    const here = await createSession(db(), s.id, now);
    const elsewhere = await createSession(db(), s.id, now);
    const base = { userId: s.id, sessionId: here.session.id };
    expect(await changePassword(db(), { ...base, currentPassword: 'wrong one', newPassword: 'brand new password' }, now)).toEqual({
      ok: false,
      reason: 'wrong_password',
    });
    expect(await changePassword(db(), { ...base, currentPassword: s.password, newPassword: 'too short' }, now)).toEqual({
      ok: false,
      reason: 'password_too_short',
    });
    expect(await validateSessionToken(db(), elsewhere.token, now)).not.toBeNull();

    expect(await changePassword(db(), { ...base, currentPassword: s.password, newPassword: 'brand new password' }, now)).toEqual({
      ok: true,
    });
    expect(await validateSessionToken(db(), here.token, now)).not.toBeNull();
    expect(await validateSessionToken(db(), elsewhere.token, now)).toBeNull();
    expect(await signIn(db(), { email: s.email, password: s.password, ip: ip() }, now)).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    expect((await signIn(db(), { email: s.email, password: 'brand new password', ip: ip() }, now)).ok).toBe(true);
  });

  it('stops guessing the current password through a session', async () => {
    const s = await staff();
    const here = await createSession(db(), s.id, now);
    const attempt = (currentPassword: string) =>
      changePassword(db(), { userId: s.id, sessionId: here.session.id, currentPassword, newPassword: 'brand new password' }, now);
    for (let i = 0; i < PASSWORD_CHANGE_LIMITS.perSubjectClient; i++) expect((await attempt(`guess ${i}`)).ok).toBe(false);
    expect(await attempt(s.password)).toEqual({ ok: false, reason: 'rate_limited' });
    // Those guesses through a session do not lock the account: signing in still works.
    expect((await signIn(db(), { email: s.email, password: s.password, ip: ip() }, now)).ok).toBe(true);
  });
});

describe('demo staff and the CLI', () => {
  it('seeds the demo owner and agent once, who can then sign in', async () => {
    const first = await seedDemoStaff(db());
    const second = await seedDemoStaff(db());
    expect(second).toEqual(first);
    const rows = await db().select().from(staffUsers);
    for (const demo of DEMO_STAFF) {
      expect(rows.filter((r) => r.email === demo.email)).toHaveLength(1);
      const r = await signIn(db(), { email: demo.email, password: demo.password, ip: ip() }, now);
      expect(r).toMatchObject({ ok: true, user: { role: demo.role } });
    }
  });

  it('staff:create makes an account, and prints a generated password once when none is given', async () => {
    const given = await staffCreateCommand.run(db(), {
      email: 'cli@shop.example',
      name: 'Cli User',
      role: 'agent',
      password: 'given password 1',
    });
    expect(given.code).toBe(0);
    expect(given.output).not.toContain('given password 1');
    const generated = await staffCreateCommand.run(db(), { email: 'cli2@shop.example', name: 'Cli Owner', role: 'owner' });
    expect(generated.code).toBe(0);
    const password = /Password \(shown only this once, store it safely\): (\S+)/.exec(generated.output)?.[1] as string;
    expect(password.length).toBeGreaterThanOrEqual(26);
    expect((await signIn(db(), { email: 'cli2@shop.example', password, ip: ip() }, now)).ok).toBe(true);
    expect(
      await staffCreateCommand.run(db(), { email: 'CLI@shop.example', name: 'Again', role: 'agent', password: 'given password 1' }),
    ).toEqual({
      code: 1,
      output: 'Refused: a staff account with that e-mail already exists',
    });
  });
});
