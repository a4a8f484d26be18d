import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { customers, notifications, suppressions } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { execute } from '#src/commands/command.ts';
import { CLI } from '#src/commands/principal.ts';
import { handleInboundSms } from '#src/messages/answer-inbound-sms.ts';
import { readResendWebhook } from '#src/messages/provider-webhooks/resend-events.ts';
import { readTwilioStatus, TWILIO_STATUS_WEBHOOK, verifyTwilio } from '#src/messages/provider-webhooks/twilio-events.ts';
import { recordDelivery, recordDeliveryReport } from '#src/messages/record-delivery.ts';
import { newSvixSecret, svixHeaders, twilioSignature } from '#tests/fakes/webhook-signing.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date();
let database: Database;
let emailId: number;
let smsId: number;
const secret = newSvixSecret();

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, now);
  const rows = await database.db.execute(sql`
    insert into notifications (event_id, order_id, customer_id, channel, recipient, template, locale, status, dedupe_key, provider_message_id)
    select e.id, e.order_id, o.customer_id, ch, case when ch = 'email' then c.email else c.phone end, 'update', 'en', 'sent', ch || ':' || e.id,
           case when ch = 'email' then 're_msg_1' else 'SM00000000000000000000000000000001' end
    from events e join orders o on o.id = e.order_id join customers c on c.id = o.customer_id, unnest(array['email', 'sms']) ch
    where o.number = '1002' and e.type = 'order_created' returning id, channel`);
  const list =
    ('rows' in (rows as object)
      ? (rows as { rows: { id: number; channel: string }[] }).rows
      : (rows as unknown as { id: number; channel: string }[])) ?? [];
  emailId = Number(list.find((r) => r.channel === 'email')?.id);
  smsId = Number(list.find((r) => r.channel === 'sms')?.id);
});
afterAll(() => database.close());

const statusOf = async (id: number) => (await database.db.select().from(notifications).where(eq(notifications.id, id)))[0];

function resendDelivery(type: string, opts: { id?: string; timestamp?: number; secret?: string } = {}) {
  const body = JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: { email_id: 're_msg_1', bounce: { message: 'Mailbox does not exist' } },
  });
  const headers = new Headers(
    svixHeaders({
      secret: opts.secret ?? secret,
      body,
      ...(opts.id ? { id: opts.id } : {}),
      ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
    }),
  );
  return { body, headers };
}

describe('Resend webhooks', () => {
  it('a signed delivery report marks the e-mail delivered, once', async () => {
    const { body, headers } = resendDelivery('email.delivered', { id: 'msg_delivered_1' });
    const read = readResendWebhook(body, headers, secret);
    if (!read.ok || !read.report) throw new Error('not read');
    expect(await recordDelivery(database.db, read.report)).toEqual({ ok: true, outcome: 'applied' });
    expect((await statusOf(emailId))?.status).toBe('delivered');
    // The same delivery again (Svix redelivers with the same id) changes nothing.
    expect(await recordDelivery(database.db, read.report)).toEqual({ ok: true, outcome: 'duplicate' });
  });

  it('a late "sent" report never moves a delivered e-mail back', async () => {
    const { body, headers } = resendDelivery('email.sent', { id: 'msg_sent_late' });
    const read = readResendWebhook(body, headers, secret);
    if (!read.ok || !read.report) throw new Error('not read');
    expect(await recordDelivery(database.db, read.report)).toEqual({ ok: true, outcome: 'stale' });
    expect((await statusOf(emailId))?.status).toBe('delivered');
  });

  it('refuses forged and stale deliveries', () => {
    const forged = resendDelivery('email.delivered', { secret: newSvixSecret() });
    expect(readResendWebhook(forged.body, forged.headers, secret).ok).toBe(false);
    const stale = resendDelivery('email.delivered', { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(readResendWebhook(stale.body, stale.headers, secret).ok).toBe(false);
    const tampered = resendDelivery('email.delivered');
    expect(readResendWebhook(tampered.body.replace('re_msg_1', 're_msg_2'), tampered.headers, secret).ok).toBe(false);
  });

  it('a bounce fails the message with its reason and suppresses the address', async () => {
    const { body, headers } = resendDelivery('email.bounced', { id: 'msg_bounce_1' });
    const read = readResendWebhook(body, headers, secret);
    if (!read.ok || !read.report) throw new Error('not read');
    await recordDelivery(database.db, read.report);
    const row = await statusOf(emailId);
    expect(row).toMatchObject({ status: 'failed', lastError: 'bounced: Mailbox does not exist' });
    expect(
      await database.db
        .select()
        .from(suppressions)
        .where(eq(suppressions.address, row?.recipient as string)),
    ).toHaveLength(1);
  });
});

describe('Twilio webhooks', () => {
  const token = 'twilio_auth_token_for_tests';
  const url = 'https://status.example/webhooks/twilio/status';

  it('verifies the signature against our public URL', () => {
    const params = { MessageSid: 'SM00000000000000000000000000000001', MessageStatus: 'delivered' };
    expect(verifyTwilio(token, twilioSignature(token, url, params), url, params)).toBe(true);
    expect(verifyTwilio(token, twilioSignature(token, 'https://evil.example/x', params), url, params)).toBe(false);
    expect(verifyTwilio(token, twilioSignature(token, url, params), url, { ...params, MessageStatus: 'failed' })).toBe(false);
    expect(verifyTwilio(token, null, url, params)).toBe(false);
  });

  it('out-of-order callbacks: delivered then sent leaves it delivered', async () => {
    const delivered = readTwilioStatus({ MessageSid: 'SM00000000000000000000000000000001', MessageStatus: 'delivered' });
    const sent = readTwilioStatus({ MessageSid: 'SM00000000000000000000000000000001', MessageStatus: 'sent' });
    await recordDelivery(database.db, delivered!);
    expect(await recordDelivery(database.db, sent!)).toEqual({ ok: true, outcome: 'stale' });
    expect((await statusOf(smsId))?.status).toBe('delivered');
  });

  it('STOP opts the number out of SMS at once; START restores it; HELP answers', async () => {
    const [jonas] = await database.db.select().from(customers).where(eq(customers.email, 'jonas.berg@example.com'));
    const phone = jonas?.phone as string;
    const store = { name: 'Northwind Outfitters', supportEmail: 'help@northwind.example', supportPhone: null };
    expect(await handleInboundSms(database.db, { receiptId: 'SMin1', from: phone, body: 'Stop', store })).toMatchObject({
      action: 'opted_out',
    });
    const [after] = await database.db
      .select()
      .from(customers)
      .where(eq(customers.id, jonas?.id as number));
    expect(after?.smsOptedOutAt).not.toBeNull();
    expect(await handleInboundSms(database.db, { receiptId: 'SMin1', from: phone, body: 'Stop', store })).toMatchObject({ action: 'none' });
    expect(await handleInboundSms(database.db, { receiptId: 'SMin2', from: phone, body: 'START', store })).toMatchObject({
      action: 'opted_in',
    });
    const [back] = await database.db
      .select()
      .from(customers)
      .where(eq(customers.id, jonas?.id as number));
    expect(back?.smsOptedOutAt).toBeNull();
    const help = await handleInboundSms(database.db, { receiptId: 'SMin3', from: phone, body: 'HELP', store });
    expect(help.reply).toContain('help@northwind.example');
  });
});

describe('the record-delivery command', () => {
  const report = readTwilioStatus({ MessageSid: 'SM00000000000000000000000000000099', MessageStatus: 'sent' });

  it('is run by the system once a webhook is verified, never by staff or the CLI', async () => {
    expect(await execute(recordDeliveryReport, database.db, report, CLI)).toEqual({ ok: false, reason: 'forbidden' });
    expect(await execute(recordDeliveryReport, database.db, report, { kind: 'staff', staffId: 1, role: 'owner' })).toEqual({
      ok: false,
      reason: 'forbidden',
    });
    expect(await execute(recordDeliveryReport, database.db, report, TWILIO_STATUS_WEBHOOK)).toEqual({
      ok: true,
      outcome: 'unknown_message',
    });
  });

  it('refuses a report of a status a message cannot have, naming the field', async () => {
    expect(await execute(recordDeliveryReport, database.db, { ...report, status: 'bounced' }, TWILIO_STATUS_WEBHOOK)).toEqual({
      ok: false,
      reason: 'invalid_input',
      fields: ['status'],
      issues: [{ path: ['status'], message: expect.any(String) }],
    });
  });
});
