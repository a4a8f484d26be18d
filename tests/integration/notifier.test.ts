import { desc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { customers, events, notifications, suppressions } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { createResendClient, createTwilioClient } from '#src/messages/channels/provider-clients.ts';
import { resendEmail } from '#src/messages/channels/resend-email.ts';
import { twilioSms } from '#src/messages/channels/twilio-sms.ts';
import type { SmsChannel } from '#src/messages/channels/types.ts';
import { enqueueForEvents } from '#src/messages/enqueue-notifications.ts';
import { reserveSlot } from '#src/messages/notifier/rate-slots.ts';
import { createNotifier, type Notifier } from '#src/messages/notifier/worker.ts';
import { addCustomerNote } from '#src/orders/add-customer-note.ts';
import { type ResendFake, startResendFake } from '#tests/fakes/resend-fake.ts';
import { startTwilioFake, type TwilioFake } from '#tests/fakes/twilio-fake.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

// Noon in New York: outside SMS quiet hours for every demo customer zone except Berlin (18:00, still fine).
const start = new Date('2026-11-23T17:00:00Z');
let database: Database;
let resend: ResendFake;
let twilio: TwilioFake;
let clock: Date;
const staff = { type: 'staff' as const, id: 'test' };
const FROM = '+15005550006';

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, start);
  await database.db.update(customers).set({ smsConsentAt: start, smsConsentMethod: 'checkout', smsConsentPhone: sql`${customers.phone}` });
  await database.db.execute(sql`update store_settings set coalesce_seconds = 0`);
});
afterAll(() => database.close());

beforeEach(async () => {
  clock = new Date(start);
  resend = await startResendFake({ apiKey: 're_test', now: () => clock.getTime() });
  twilio = await startTwilioFake({ now: () => clock.getTime() });
  for (const table of ['notifications', 'rate_slots', 'suppressions']) await database.db.execute(sql.raw(`delete from ${table}`));
  await database.db.execute(sql`update customers set sms_opted_out_at = null`);
});
afterEach(async () => {
  await resend.close();
  await twilio.close();
});

function notifier(overrides: { timeoutMs?: number; emailRate?: number } = {}): Notifier {
  return createNotifier({
    db: database.db,
    email: resendEmail(createResendClient({ apiKey: 're_test', baseUrl: resend.url }), overrides.timeoutMs ?? 2000),
    sms: twilioSms(
      createTwilioClient({
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        baseUrl: twilio.url,
        timeoutMs: overrides.timeoutMs ?? 2000,
      }),
      {
        from: FROM,
        statusCallback: 'https://status.example/webhooks/twilio/status',
      },
    ),
    publicUrl: 'https://status.example',
    emailFrom: 'Northwind <orders@northwind.example>',
    rates: { emailRequestsPerSecond: overrides.emailRate ?? 0, smsSegmentsPerSecond: 0 },
    clock: () => clock,
    leaseMs: 30_000,
    retry: { baseMs: 1000, capMs: 5000, maxAttempts: 4, windowMs: 23 * 3_600_000 },
  });
}

async function note(orderNumber: string, text = 'Your parcel leaves the warehouse tomorrow.') {
  const r = await addCustomerNote(database.db, { orderNumber, text, actor: staff }, clock);
  if (!r.ok) throw new Error(r.reason);
}

const rowsFor = (channel: 'email' | 'sms') => database.db.select().from(notifications).where(eq(notifications.channel, channel));

describe('sending through the real SDKs to the fake providers', () => {
  it('sends each queued message once, e-mail batched, with a signed link and its delivery history', async () => {
    for (const n of ['1001', '1002', '1003']) await note(n);
    const handled = await notifier().tick();
    expect(handled).toBe(6);
    expect(resend.emails).toHaveLength(3);
    expect(resend.emails.every((e) => e.via === 'batch')).toBe(true);
    expect(twilio.messages).toHaveLength(3);
    expect(twilio.messages[0]?.statusCallback).toBe('https://status.example/webhooks/twilio/status');
    expect(resend.emails[0]?.text).toMatch(/https:\/\/status\.example\/orders\/100\d\?t=[a-z2-7]{24}\.[a-z2-7]{39}/);
    // Optional updates carry RFC 8058 one-click unsubscribe headers.
    expect(resend.emails[0]?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const rows = [...(await rowsFor('email')), ...(await rowsFor('sms'))];
    expect(rows.every((r) => r.status === 'sent' && r.providerMessageId)).toBe(true);
    expect(rows[0]?.history.map((h) => h.status)).toEqual(['queued', 'sending', 'sent']);
    expect((await rowsFor('sms'))[0]?.segments).toBe(1);
    // Nothing is sent twice.
    expect(await notifier().tick()).toBe(0);
    expect(resend.emails).toHaveLength(3);
  });

  it('sends from the senders staff saved in the settings, over the server configuration, and from the configured ones without', async () => {
    const service = 'MG0123456789abcdef0123456789abcdef';
    await database.db.execute(
      sql`update store_settings set email_from = 'Northwind Orders <hello@northwind.example>', sms_from = ${service}`,
    );
    try {
      await note('1001');
      await notifier().tick();
      expect(resend.emails[0]?.from).toBe('Northwind Orders <hello@northwind.example>');
      expect(twilio.messages[0]).toMatchObject({ messagingServiceSid: service, from: null });
    } finally {
      await database.db.execute(sql`update store_settings set email_from = null, sms_from = null`);
    }
    await note('1002');
    await notifier().tick();
    expect(resend.emails[1]?.from).toBe('Northwind <orders@northwind.example>');
    expect(twilio.messages[1]).toMatchObject({ from: FROM, messagingServiceSid: null });
  });

  it('honours 429 Retry-After, then sends', async () => {
    await note('1004');
    resend.failNext(1, { status: 429, retryAfter: 7 });
    const worker = notifier();
    await worker.tick();
    const [row] = await rowsFor('email');
    expect(row?.status).toBe('sending');
    expect(row?.leaseUntil?.getTime()).toBe(start.getTime() + 7000);
    expect(row?.history.at(-1)).toMatchObject({ status: 'retry' });
    clock = new Date(start.getTime() + 6000);
    await worker.tick();
    expect(resend.emails).toHaveLength(0);
    clock = new Date(start.getTime() + 7000);
    await worker.tick();
    expect(resend.emails).toHaveLength(1);
    expect((await rowsFor('email'))[0]?.status).toBe('sent');
  });

  it('retries 5xx with backoff and gives up after the last attempt with a visible reason', async () => {
    await note('1005');
    resend.failNext(10, { status: 500 });
    const worker = notifier();
    for (let i = 0; i < 6; i++) {
      await worker.tick();
      clock = new Date(clock.getTime() + 10_000);
    }
    const [row] = await rowsFor('email');
    expect(row?.status).toBe('failed');
    expect(row?.attempts).toBe(4);
    expect(row?.lastError).toMatch(/gave up after 4 attempts; last error: 500/);
  });

  it('fails a permanent refusal at once with the provider reason', async () => {
    await note('1006');
    resend.failNext(1, { status: 422, name: 'validation_error', message: 'Invalid `to` field.' });
    await notifier().tick();
    const [row] = await rowsFor('email');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row?.lastError).toContain('validation_error');
  });

  it('an e-mail whose answer was lost is retried under the same key and delivered once', async () => {
    await note('1008');
    resend.failNext(1, 'hang-after-accept');
    const worker = notifier({ timeoutMs: 300 });
    await worker.tick();
    expect(resend.emails).toHaveLength(1);
    expect((await rowsFor('email'))[0]?.status).toBe('sending');
    clock = new Date(clock.getTime() + 10_000);
    await worker.tick();
    expect(resend.emails).toHaveLength(1);
    expect((await rowsFor('email'))[0]?.status).toBe('sent');
  });

  it('an SMS whose answer was lost is found at Twilio instead of sent again', async () => {
    await note('1009');
    twilio.failNext(1, 'reset-after-accept');
    const worker = notifier();
    await worker.tick();
    expect(twilio.messages).toHaveLength(1);
    clock = new Date(clock.getTime() + 10_000);
    await worker.tick();
    expect(twilio.messages).toHaveLength(1);
    const [row] = await rowsFor('sms');
    expect(row).toMatchObject({ status: 'sent', providerMessageId: twilio.messages[0]?.sid });
    expect(row?.history.at(-1)?.detail).toContain('found at the provider');
  });

  it('a worker that dies mid-send leaves rows another worker finishes, with no e-mail sent twice', async () => {
    for (const n of ['1011', '1012']) await note(n);
    resend.failNext(1, 'hang-after-accept');
    const first = notifier({ timeoutMs: 200 });
    // Simulate the crash: claim and send, but the recorded outcome is a lost answer and the lease runs out.
    await first.tick();
    expect(resend.emails).toHaveLength(2);
    clock = new Date(clock.getTime() + 60_000);
    await notifier().tick();
    expect(resend.emails).toHaveLength(2);
    expect((await rowsFor('email')).map((r) => [r.status, r.lastError])).toEqual([
      ['sent', null],
      ['sent', null],
    ]);
  });

  it('workers killed mid-send again and again do not use up the retry budget: the message still goes, once', async () => {
    await note('1013');
    const kills = 6; // more than the 4 attempts the policy allows
    resend.failNext(kills, 'hang');
    for (let i = 0; i < kills; i++) {
      // A worker claims the e-mail and is "killed" while its call hangs: never awaited, it records nothing.
      void notifier({ timeoutMs: 600_000 })
        .tick()
        .catch(() => {});
      await expect.poll(async () => resend.requests, { timeout: 5000 }).toBe(i + 1);
      clock = new Date(clock.getTime() + 60_000);
    }
    // The first attempt that reaches an answer meets a 500: a retry is still due, not a give-up.
    resend.failNext(1, { status: 500 });
    await notifier().tick();
    expect((await rowsFor('email'))[0]).toMatchObject({ status: 'sending', attempts: 1 });
    clock = new Date(clock.getTime() + 60_000);
    await notifier().tick();
    const [row] = await rowsFor('email');
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(row?.history.filter((h) => h.status === 'reclaimed')).toHaveLength(kills);
    expect(resend.emails).toHaveLength(1);
  });

  it('an SMS whose worker was killed after Twilio accepted it is found there, not sent again', async () => {
    await note('1015');
    twilio.failNext(1, 'hang-after-accept');
    void notifier({ timeoutMs: 600_000 })
      .tick()
      .catch(() => {});
    await expect.poll(async () => twilio.messages.length, { timeout: 5000 }).toBe(1);
    clock = new Date(clock.getTime() + 60_000);
    await notifier().tick();
    const [row] = await rowsFor('sms');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: twilio.messages[0]?.sid });
    expect(twilio.messages).toHaveLength(1);
  });

  it('a worker killed during a retry does not count that retry twice', async () => {
    await note('1016');
    resend.failNext(1, { status: 500 });
    await notifier().tick();
    expect((await rowsFor('email'))[0]).toMatchObject({ status: 'sending', attempts: 1 });
    resend.failNext(3, 'hang');
    for (let i = 0; i < 3; i++) {
      clock = new Date(clock.getTime() + 60_000);
      void notifier({ timeoutMs: 600_000 })
        .tick()
        .catch(() => {});
      await expect.poll(async () => resend.requests, { timeout: 5000 }).toBe(i + 2);
    }
    clock = new Date(clock.getTime() + 60_000);
    await notifier().tick();
    expect((await rowsFor('email'))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a message whose worker keeps dying fails with its reason once the retry window has passed', async () => {
    await note('1014');
    resend.failNext(1, 'hang');
    void notifier({ timeoutMs: 600_000 })
      .tick()
      .catch(() => {});
    await expect.poll(async () => resend.requests, { timeout: 5000 }).toBe(1);
    clock = new Date(clock.getTime() + 24 * 3_600_000);
    await notifier().tick();
    const [row] = await rowsFor('email');
    expect(row).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/retry window has passed/) });
    expect(resend.emails).toHaveLength(0);
  });

  it('an opted-out number fails at once, is suppressed, and later messages to it are recorded as suppressed', async () => {
    const [customer] = await database.db.select().from(customers).where(eq(customers.email, 'ethan.walker@example.com'));
    twilio.optedOut.add(customer?.phone as string);
    await note('1010');
    await notifier().tick();
    const [sms] = await rowsFor('sms');
    expect(sms?.status).toBe('failed');
    expect(sms?.lastError).toContain('21610');
    expect(await database.db.select().from(suppressions)).toHaveLength(1);
    await note('1010', 'A second note.');
    const smsRows = await rowsFor('sms');
    expect(smsRows.find((r) => r.id !== sms?.id)).toMatchObject({ status: 'suppressed', lastError: 'suppressed: opted out of SMS' });
  });

  it('an SMS whose answer was lost just before quiet hours is looked up at Twilio in the morning, not sent again', async () => {
    clock = new Date('2026-11-24T01:59:50Z'); // 20:59:50 in New York
    await note('1001');
    twilio.failNext(1, 'reset-after-accept');
    await notifier().tick();
    expect(twilio.messages).toHaveLength(1);
    clock = new Date('2026-11-24T02:00:30Z'); // the retry falls due at 21:00:30: quiet hours, so it is held
    await notifier().tick();
    const [held] = await rowsFor('sms');
    expect(held).toMatchObject({ status: 'sending', retrySafe: false });
    expect(held?.history.at(-1)).toMatchObject({ status: 'held' });
    clock = new Date('2026-11-24T13:00:01Z'); // 08:00 in New York
    await notifier().tick();
    const [row] = await rowsFor('sms');
    expect(row).toMatchObject({ status: 'sent', providerMessageId: twilio.messages[0]?.sid });
    expect(twilio.messages).toHaveLength(1);
  });

  it('holds SMS during the customer quiet hours and sends it after', async () => {
    clock = new Date('2026-11-24T03:00:00Z'); // 22:00 in New York
    await note('1001');
    const worker = notifier();
    await worker.tick();
    expect(resend.emails).toHaveLength(1);
    expect(twilio.messages).toHaveLength(0);
    const [held] = await rowsFor('sms');
    expect(held?.leaseUntil?.toISOString()).toBe('2026-11-24T13:00:00.000Z'); // 08:00 New York
    expect(held?.history.at(-1)).toMatchObject({ status: 'held' });
    clock = new Date('2026-11-24T13:00:01Z');
    await worker.tick();
    expect(twilio.messages).toHaveLength(1);
  });

  it('sends a required notice by SMS at once in quiet hours when waiting for the morning would miss its deadline', async () => {
    clock = new Date('2026-11-24T04:30:00Z'); // 23:30 in New York
    await note('1002');
    const [event] = await database.db.select().from(events).orderBy(desc(events.id)).limit(1);
    // The same event, queued as a notice the law requires by midnight in New York instead of as an optional update.
    await database.db.delete(notifications);
    await database.db.transaction((tx) =>
      enqueueForEvents(tx, [event?.id as number], {
        now: clock,
        coalesceSeconds: 0,
        required: true,
        template: 'update',
        deadlineAt: new Date('2026-11-24T05:00:00Z'),
      }),
    );
    await notifier().tick();
    expect(twilio.messages).toHaveLength(1);
    expect((await rowsFor('sms'))[0]).toMatchObject({ status: 'sent', required: true });
  });

  it('two workers with a lease shorter than their batch never send one SMS twice: a running pass keeps its leases', async () => {
    const t0 = Date.now();
    const moving = () => new Date(start.getTime() + (Date.now() - t0)); // noon in New York, running
    clock = moving();
    for (const n of ['1030', '1031', '1032', '1033', '1034', '1035']) await note(n);
    await database.db.update(notifications).set({ status: 'suppressed' }).where(eq(notifications.channel, 'email'));
    twilio.setLatency(150);
    const worker = (concurrency: number) =>
      createNotifier({
        db: database.db,
        email: resendEmail(createResendClient({ apiKey: 're_test', baseUrl: resend.url })),
        sms: twilioSms(createTwilioClient({ accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url }), {
          from: FROM,
          statusCallback: null,
        }),
        publicUrl: 'https://status.example',
        emailFrom: 'a@b.example',
        rates: { emailRequestsPerSecond: 0, smsSegmentsPerSecond: 0 },
        clock: moving,
        concurrency,
        leaseMs: 300, // the six SMS take about a second, one at a time
        pollMs: 20,
      });
    // A sends one at a time; B, free, would take over everything A has not sent yet if A's leases ran out.
    const [a, b] = [worker(1), worker(8)];
    a.start();
    await expect.poll(async () => twilio.messages.length, { timeout: 5000, interval: 10 }).toBe(1);
    b.start();
    await expect.poll(async () => (await rowsFor('sms')).every((r) => r.status === 'sent'), { timeout: 10_000, interval: 50 }).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
    expect(twilio.messages).toHaveLength(6);
    expect(new Set(twilio.messages.map((m) => m.to)).size).toBe(6);
  });

  it('a pass whose thread stalled past its lease sends nothing another worker has taken over', async () => {
    for (const n of ['1030', '1031', '1032']) await note(n);
    await database.db.update(notifications).set({ status: 'suppressed' }).where(eq(notifications.channel, 'email'));
    const sdk = twilioSms(createTwilioClient({ accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url }), {
      from: FROM,
      statusCallback: null,
    });
    const worker = (sms: SmsChannel) =>
      createNotifier({
        db: database.db,
        email: resendEmail(createResendClient({ apiKey: 're_test', baseUrl: resend.url })),
        sms,
        publicUrl: 'https://status.example',
        emailFrom: 'a@b.example',
        rates: { emailRequestsPerSecond: 0, smsSegmentsPerSecond: 0 },
        clock: () => clock,
        leaseMs: 30_000,
        concurrency: 1,
        lanes: 1,
      });
    const other = worker(sdk);
    let stalled = false;
    const stalling: SmsChannel = {
      name: sdk.name,
      sender: sdk.sender,
      findSent: (m, since) => sdk.findSent(m, since),
      async send(m) {
        const outcome = await sdk.send(m);
        if (!stalled) {
          stalled = true;
          // The thread stops for two leases after its first SMS: its leases run out unrenewed, and another worker
          // takes the three rows over (finding the first at Twilio, sending the other two).
          clock = new Date(clock.getTime() + 60_000);
          await other.tick();
        }
        return outcome;
      },
    };
    await worker(stalling).tick();
    expect(twilio.messages).toHaveLength(3);
    expect(new Set(twilio.messages.map((m) => m.to)).size).toBe(3);
    expect((await rowsFor('sms')).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  /**
   * Queues a note for each order and drains them through a notifier paced at 4 e-mail requests/s, one e-mail per
   * request; returns when each request started, sorted. `onFirstSend` runs as the first request starts.
   */
  async function sendPacedAtFour(orderNumbers: string[], opts: { batchSize: number; lanes: number; onFirstSend?: () => void }) {
    clock = new Date();
    const starts: number[] = [];
    const channel = resendEmail(createResendClient({ apiKey: 're_test', baseUrl: resend.url }));
    const paced = createNotifier({
      db: database.db,
      email: {
        name: 'timed',
        maxBatch: 1,
        send: (b, k) => {
          if (starts.length === 0) opts.onFirstSend?.();
          starts.push(Date.now());
          return channel.send(b, k);
        },
      },
      sms: null,
      publicUrl: 'https://status.example',
      emailFrom: 'a@b.example',
      rates: { emailRequestsPerSecond: 4, smsSegmentsPerSecond: 0 },
      batchSize: opts.batchSize,
      lanes: opts.lanes,
      clock: () => new Date(),
    });
    for (const n of orderNumbers) await note(n);
    paced.start();
    await expect.poll(() => resend.emails.length, { timeout: 10_000, interval: 50 }).toBe(orderNumbers.length);
    await paced.stop();
    return starts.sort((x, y) => x - y);
  }

  /** No sliding second holds more than 4 starts: each start and the one 4 later are over a second apart. */
  function expectAtMostFourPerSecond(starts: number[]) {
    for (let i = 0; i + 4 < starts.length; i++) expect((starts[i + 4] as number) - (starts[i] as number)).toBeGreaterThan(1000);
  }

  it('never exceeds the configured e-mail request rate, with both lanes of its loop sending', async () => {
    const orders = ['1017', '1018', '1019', '1020', '1021', '1022', '1023', '1024', '1025', '1026'];
    expectAtMostFourPerSecond(await sendPacedAtFour(orders, { batchSize: 5, lanes: 2 }));
  });

  it('a call whose timer fires late (a busy thread) takes a new slot instead of crowding the next second', async () => {
    const orders = ['1017', '1018', '1019', '1020', '1021', '1022', '1023', '1024'];
    // The thread is held for 300 ms just before the second call's slot (280 ms after the first at 4/s).
    const holdThread = () =>
      setTimeout(() => {
        const until = Date.now() + 300;
        while (Date.now() < until) {}
      }, 200);
    expectAtMostFourPerSecond(await sendPacedAtFour(orders, { batchSize: 10, lanes: 1, onFirstSend: holdThread }));
  });

  it('reserves provider slots so that no second ever holds more than the rate, whoever asks', async () => {
    // Workers asking at the same instant get slots a quarter second apart at 4 per second (plus 2 % and a tenth, ≤ 30 ms).
    const at = new Date('2026-11-23T17:00:00Z');
    const starts = await Promise.all(Array.from({ length: 8 }, () => reserveSlot(database.db, 'resend-test', 4, 1, at)));
    const offsets = starts.map((d) => d.getTime() - at.getTime()).sort((a, b) => a - b);
    expect(offsets).toEqual([0, 280, 560, 840, 1120, 1400, 1680, 1960]);
    // An SMS of three segments at 1 segment/s holds its sender for three seconds.
    const sms = await reserveSlot(database.db, 'sms-test', 1, 3, at);
    const next = await reserveSlot(database.db, 'sms-test', 1, 1, at);
    expect(next.getTime() - sms.getTime()).toBe(3090);
  });
});
