import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { customers, devMailbox, notifications } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { type Config, parseConfig } from '#src/config/config.ts';
import { channelsFromConfig, DeliveryPlanError } from '#src/messages/channels/from-config.ts';
import { createNotifier } from '#src/messages/notifier/worker.ts';
import { addCustomerNote } from '#src/orders/add-customer-note.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const start = new Date('2026-11-23T17:00:00Z');
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, start);
  await database.db.update(customers).set({ smsConsentAt: start, smsConsentMethod: 'checkout', smsConsentPhone: sql`${customers.phone}` });
  await database.db.execute(sql`update store_settings set coalesce_seconds = 0`);
});
afterAll(() => database.close());

const config = (env: Record<string, string>): Config => parseConfig({ PUBLIC_URL: 'https://status.example', ...env });

describe('channelsFromConfig builds the transports of every combination', () => {
  const resend = { RESEND_API_KEY: 're_live' };
  const twilio = { TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM: '+15005550006' };
  const combos: Array<[string, Record<string, string>, string, string | null]> = [
    ['nothing configured', {}, 'dev-mailbox', 'dev-mailbox'],
    ['Resend only', resend, 'resend', 'dev-mailbox'],
    ['Twilio only', twilio, 'dev-mailbox', 'twilio'],
    ['both', { ...resend, ...twilio }, 'resend', 'twilio'],
    ['production, both', { NODE_ENV: 'production', ...resend, ...twilio }, 'resend', 'twilio'],
    // The defect this guards: SMS were recorded as sent into a mailbox that production does not show.
    ['production, Resend only', { NODE_ENV: 'production', ...resend }, 'resend', null],
  ];
  it.each(combos)('%s', (_, env, email, sms) => {
    const built = channelsFromConfig(database.db, config(env));
    expect(built.email.name).toBe(email);
    expect(built.sms?.name ?? null).toBe(sms);
  });

  it.each([
    ['production without an e-mail provider', { NODE_ENV: 'production', ...twilio }, /RESEND_API_KEY is not set/],
    ['production with nothing', { NODE_ENV: 'production' }, /RESEND_API_KEY is not set/],
    ['half of Twilio', { TWILIO_ACCOUNT_SID: 'AC0123' }, /must be set together/],
  ])('refuses %s with a clear message', (_, env, message) => {
    expect(() => channelsFromConfig(database.db, config(env))).toThrow(DeliveryPlanError);
    expect(() => channelsFromConfig(database.db, config(env))).toThrow(message);
  });
});

describe('in production without an SMS provider', () => {
  it('marks each SMS suppressed with the reason, and puts nothing in the dev mailbox', async () => {
    const { sms } = channelsFromConfig(database.db, config({ NODE_ENV: 'production', RESEND_API_KEY: 're_live' }));
    // Only the SMS half is under test: the e-mail half goes to the dev mailbox, as it does outside production.
    const { email } = channelsFromConfig(database.db, config({}));
    expect(sms).toBeNull();
    const note = await addCustomerNote(
      database.db,
      { orderNumber: '1001', text: 'Packed today.', actor: { type: 'staff', id: 'test' } },
      start,
    );
    expect(note.ok).toBe(true);
    const notifier = createNotifier({
      db: database.db,
      email,
      sms,
      publicUrl: 'https://status.example',
      emailFrom: 'a@b.example',
      rates: { emailRequestsPerSecond: 0, smsSegmentsPerSecond: 0 },
      clock: () => start,
    });
    await notifier.tick();
    const [row] = await database.db.select().from(notifications).where(eq(notifications.channel, 'sms'));
    expect(row).toMatchObject({ status: 'suppressed', lastError: 'suppressed: no SMS provider configured' });
    expect(row?.history.at(-1)).toMatchObject({ status: 'suppressed', detail: 'no SMS provider configured' });
    expect(await database.db.select().from(devMailbox).where(eq(devMailbox.channel, 'sms'))).toEqual([]);
  });
});
