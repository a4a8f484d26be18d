// Rate-limit buckets follow the client requestClient finds: spoofed X-Forwarded-For counts for nothing at the default
// TRUST_PROXY=0, and behind a trusted proxy each client gets its own bucket instead of all sharing the proxy's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { type DemoLogin, seedDemo } from '#db/seed.ts';
import { requestClient } from '#src/auth/client-address.ts';
import { lookupOrder } from '#src/orders/lookup-order.ts';
import { createStaff, SIGN_IN_LIMITS, signIn } from '#src/staff/staff-accounts.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const settings = { perIp: 20, perOrder: 5, windowMs: 15 * 60_000, accessMs: 60 * 60_000 };
const now = new Date('2026-11-22T15:00:00Z');
const PROXY = '10.0.0.1';
let database: Database;
let logins: DemoLogin[];

beforeAll(async () => {
  database = await freshDatabase();
  logins = await seedDemo(database.db, now);
});
afterAll(() => database.close());

/** A form post as the server receives it: from the proxy's (or attacker's) socket, with whatever headers came along. */
function clientOf(forwardedFor: string, hops: number) {
  const request = new Request('http://status.example.com/', { method: 'POST', headers: { 'x-forwarded-for': forwardedFor } });
  return requestClient({ request, clientAddress: PROXY }, hops).address;
}

describe('rate-limit buckets and TRUST_PROXY', () => {
  it('at the default 0 hops, a new spoofed X-Forwarded-For on every guess does not escape the limit', async () => {
    const l = logins[0] as DemoLogin;
    for (let i = 0; i < settings.perOrder; i++) {
      const ip = clientOf(`198.51.100.${i}`, 0);
      const r = await lookupOrder(database.db, { orderNumber: l.number, contact: `guess${i}@example.com`, ip }, settings, now);
      expect(r).toEqual({ ok: false, reason: 'no_match' });
    }
    const ip = clientOf('198.51.100.99', 0);
    expect(await lookupOrder(database.db, { orderNumber: l.number, contact: l.email, ip }, settings, now)).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
  });

  it('behind one trusted proxy, clients are told apart: one guessing client does not hold up another', async () => {
    const l = logins[1] as DemoLogin;
    const attacker = clientOf('192.0.2.1, 198.51.100.7', 1);
    for (let i = 0; i < settings.perOrder; i++) {
      await lookupOrder(database.db, { orderNumber: l.number, contact: `guess${i}@example.com`, ip: attacker }, settings, now);
    }
    expect((await lookupOrder(database.db, { orderNumber: l.number, contact: l.email, ip: attacker }, settings, now)).ok).toBe(false);
    // The attacker's own left-hand entry changes nothing: the proxy's entry is what counts.
    expect(
      (
        await lookupOrder(
          database.db,
          { orderNumber: l.number, contact: l.email, ip: clientOf('203.0.113.5, 198.51.100.7', 1) },
          settings,
          now,
        )
      ).ok,
    ).toBe(false);
    const customer = clientOf('198.51.100.8', 1);
    expect(await lookupOrder(database.db, { orderNumber: l.number, contact: l.email, ip: customer }, settings, now)).toMatchObject({
      ok: true,
    });
  });

  it('signs the owner in behind the proxy while another client is over its limit at their account', async () => {
    const created = await createStaff(database.db, {
      email: 'owner@proxy.example',
      name: 'Olive Owner',
      role: 'owner',
      password: 'the owner password',
    });
    if (!created.ok) throw new Error(created.reason);
    const attacker = clientOf('198.51.100.66', 1);
    for (let i = 0; i <= SIGN_IN_LIMITS.perSubjectClient; i++) {
      await signIn(database.db, { email: 'owner@proxy.example', password: `guess ${i}`, ip: attacker }, now);
    }
    expect(await signIn(database.db, { email: 'owner@proxy.example', password: 'the owner password', ip: attacker }, now)).toEqual({
      ok: false,
      reason: 'rate_limited',
    });
    const owner = clientOf('203.0.113.40', 1);
    expect((await signIn(database.db, { email: 'owner@proxy.example', password: 'the owner password', ip: owner }, now)).ok).toBe(true);
  });
});
