import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { STORE_TIME_ZONE } from '#db/factories.ts';
import { events, notifications, orderLines, orders, refunds } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { orderEvidence } from '#src/compliance/evidence.ts';
import { runSweep } from '#src/compliance/sweep.ts';
import { consentToDelay, customerCancel, previewCancellation } from '#src/consent/respond-to-delay.ts';
import { addDays, startOfDayInstant, toCalendarDate } from '#src/domain/calendar-date.ts';
import { moveSkuEta } from '#src/eta/move-sku-eta.ts';
import { devMailboxEmail, devMailboxSms } from '#src/messages/channels/dev-mailbox.ts';
import { createNotifier } from '#src/messages/notifier/worker.ts';
import { markRefundSent } from '#src/refunds/mark-refund-sent.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-23T16:00:00Z');
const today = toCalendarDate(now, 'America/New_York');
const customer = { type: 'customer' as const, id: null };
const staff = { type: 'staff' as const, id: 'test' };
let database: Database;
type Line = typeof orderLines.$inferSelect;
let lamps: Line[];

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, now);
  lamps = await database.db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.sku, 'AUR-LAMP'), sql`${orderLines.status} in ('waiting', 'ready')`))
    .orderBy(orderLines.id);
});
afterAll(() => database.close());

/** A notifier that delivers to the dev mailbox, at a fixed time. */
const mailboxNotifier = (at: Date) =>
  createNotifier({
    db: database.db,
    email: devMailboxEmail(database.db),
    sms: devMailboxSms(database.db, '+15005550006'),
    publicUrl: 'https://status.example',
    emailFrom: null,
    rates: { emailRequestsPerSecond: 0, smsSegmentsPerSecond: 0 },
    clock: () => at,
  });

const line = async (id: number) => (await database.db.select().from(orderLines).where(eq(orderLines.id, id)))[0] as Line;

describe('a SKU moves 45 days past its promised dates (435.2(b)(1)(iii))', () => {
  it('sends every open line a notice that needs express consent, due 30 days after its own T', async () => {
    expect(lamps.length).toBeGreaterThanOrEqual(3);
    const latestT = lamps
      .map((l) => l.applicableTime)
      .sort()
      .at(-1) as string;
    const R = addDays(latestT, 45);
    const result = await moveSkuEta(
      database.db,
      { sku: 'AUR-LAMP', from: addDays(R, -5), to: R, reason: 'Glass shades failed inspection', actor: staff },
      { now },
    );
    expect(result).toMatchObject({ ok: true, linesMoved: lamps.length, notices: lamps.length, cancelled: 0 });
    for (const l of lamps) {
      const after = await line(l.id);
      expect(after.awaitingConsent).toBe(true);
      expect(after.shipBy).toBe(addDays(l.applicableTime, 30));
      expect(after.compliance.notices).toEqual([
        {
          kind: 'first',
          sentOn: today,
          revisedDate: R,
          silenceMeans: 'refusal',
          deadline: addDays(l.applicableTime, 30),
          reason: 'Glass shades failed inspection',
        },
      ]);
    }
    const notices = await database.db.select().from(events).where(eq(events.type, 'delay_notice_sent'));
    expect(notices.filter((e) => e.ruleSection === '435.2(b)(1)(iii)')).toHaveLength(lamps.length);
    // One event per line: the notice carries the move, and no separate ETA event is written for it.
    const lampIds = new Set(lamps.map((l) => l.id));
    const lampNotices = notices.filter((e) => e.lineId !== null && lampIds.has(e.lineId));
    expect(lampNotices).toHaveLength(lamps.length);
    for (const n of lampNotices) {
      expect(n.data.changed).toMatchObject({ to: { from: addDays(R, -5), to: R }, reason: 'Glass shades failed inspection' });
    }
    const etaEvents = await database.db.select().from(events).where(eq(events.type, 'eta_changed'));
    expect(etaEvents.filter((e) => e.lineId !== null && lampIds.has(e.lineId))).toEqual([]);
    // Required notices go at once, by e-mail, with no coalescing.
    const queued = await database.db.select().from(notifications).where(eq(notifications.template, 'delay_notice'));
    expect(queued.every((n) => n.required && n.dueAt.getTime() === now.getTime())).toBe(true);
    // Each must go out by the end of its line's T in the store's zone (435.2(b)(1)): quiet hours may not hold it past that.
    const lampOf = new Map(lamps.map((l) => [l.orderId, l]));
    for (const n of queued) {
      const T = (lampOf.get(n.orderId) as Line).applicableTime;
      expect(n.deadlineAt?.toISOString()).toBe(startOfDayInstant(addDays(T, 1), STORE_TIME_ZONE).toISOString());
    }
  });

  it('the notice goes out with the revised date, the deadline, the refund and one-click answer links, and no unsubscribe', async () => {
    const worker = mailboxNotifier(now);
    await worker.tick();
    const [sent] = await database.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.template, 'delay_notice'),
          eq(notifications.orderId, lamps[0]?.orderId as number),
          eq(notifications.channel, 'email'),
        ),
      );
    expect(sent?.status).toBe('sent');
    const text = sent?.rendered?.text ?? '';
    expect(text).toMatch(/https:\/\/status\.example\/orders\/\d+\/respond\?t=[a-z2-7.]+/);
    expect(text).toContain('refund');
    expect(sent?.rendered?.headers['List-Unsubscribe']).toBeUndefined();
    expect(sent?.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('one customer consents, one cancels, one stays silent; the sweep after the deadline cancels only the silent one', async () => {
    const [consenting, cancelling, silent] = lamps as [Line, Line, Line];
    const consent = await consentToDelay(
      database.db,
      { orderId: consenting.orderId, lineId: consenting.id, via: 'link', actor: customer },
      now,
    );
    expect(consent).toMatchObject({ ok: true, alreadyRecorded: false });
    expect((await line(consenting.id)).awaitingConsent).toBe(false);

    const preview = await previewCancellation(database.db, { orderId: cancelling.orderId, lineIds: [cancelling.id] }, now);
    expect(preview).toMatchObject({ ok: true });
    const cancel = await customerCancel(
      database.db,
      { orderId: cancelling.orderId, lineIds: [cancelling.id], via: 'link', actor: customer },
      now,
    );
    expect(cancel).toMatchObject({ ok: true, refundAmount: preview.ok ? preview.refundAmount : -1 });
    const [order] = await database.db.select().from(orders).where(eq(orders.id, cancelling.orderId));
    // Everything tendered comes back: the line and its shipping (a one-line order: all of the shipping).
    expect(cancel.ok && cancel.refundAmount).toBe(cancelling.amountPaid + (order?.shippingPaid ?? 0));
    expect(cancel.ok && cancel.refundDueOn > today).toBe(true);

    // The day after the silent line's deadline (T + 30), the sweep cancels and refunds it.
    const deadline = (await line(silent.id)).shipBy as string;
    const onDeadline = new Date(`${deadline}T17:00:00Z`);
    await runSweep(database.db, onDeadline);
    // Other demo lines lapse by then too (their own T passed with no notice); this one is still within its window.
    expect((await line(silent.id)).status).toBe('waiting');
    const after = new Date(`${addDays(deadline, 1)}T17:00:00Z`);
    const report = await runSweep(database.db, after);
    expect(report.cancelled).toBeGreaterThanOrEqual(1);
    expect((await line(silent.id)).status).toBe('cancelled');
    expect((await line(consenting.id)).status).toBe('waiting');
    const [refund] = await database.db.select().from(refunds).where(eq(refunds.orderId, silent.orderId));
    expect(refund).toMatchObject({ status: 'requested', vestedOn: addDays(deadline, 1), ruleSection: '435.1(b)' });
    const cancelled = await database.db
      .select()
      .from(events)
      .where(and(eq(events.lineId, silent.id), eq(events.type, 'cancelled')));
    expect(cancelled[0]?.ruleSection).toBe('435.2(b)(1)(iii)');
    // Re-running the sweep changes nothing.
    expect((await runSweep(database.db, after)).cancelled).toBe(0);
  });

  it('the cancellation messages say why in words for the customer: none for their own request, the rule for the sweep', async () => {
    const [, cancelling, silent] = lamps as [Line, Line, Line];
    // The day after the silent line's deadline (T + 30), as in the sweep above.
    const after = new Date(`${addDays(silent.applicableTime, 31)}T17:00:00Z`);
    const worker = mailboxNotifier(after);
    while ((await worker.tick()) > 0);
    const emailTo = async (orderId: number) => {
      const sent = await database.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.orderId, orderId), eq(notifications.channel, 'email'), eq(notifications.status, 'sent')));
      return sent.map((n) => n.rendered?.text ?? '').find((t) => t.includes('cancellation is confirmed')) ?? '';
    };
    const own = await emailTo(cancelling.orderId);
    expect(own).toContain('cancellation is confirmed');
    expect(own).not.toContain('Reason:');
    const byRule = await emailTo(silent.orderId);
    expect(byRule).toContain('the law has us cancel it and refund you in full');
    expect(byRule).not.toContain('The promised date passed');
  });

  it('the evidence trail shows every notice, answer, cancellation and refund with its section', async () => {
    const [consenting, , silent] = lamps as [Line, Line, Line];
    const [order] = await database.db.select().from(orders).where(eq(orders.id, silent.orderId));
    const trail = (await orderEvidence(database.db, order?.number as string)) ?? '';
    expect(trail).toContain('delay_notice_sent line 1 by staff:test [435.2(b)(1)(iii)]');
    expect(trail).toContain('cancelled line 1 by system [435.2(b)(1)(iii)]');
    expect(trail).toContain('refund_requested by system [435.1(b)]');
    expect(trail).toMatch(/content sha256 [0-9a-f]{64}/);
    const [consentOrder] = await database.db.select().from(orders).where(eq(orders.id, consenting.orderId));
    expect(await orderEvidence(database.db, consentOrder?.number as string)).toContain(
      'consent_given line 1 by customer [435.2(b)(1)(iii)] {"via":"link"',
    );
  });

  it('refuses a sent date that is not a real date or is after today in the store, and changes nothing', async () => {
    const [refund] = await database.db.select().from(refunds).where(eq(refunds.status, 'requested'));
    const mark = (sentOn: string) =>
      markRefundSent(database.db, { refundId: refund?.id as number, reference: 'RF-123', sentOn, actor: staff }, now);
    expect(await mark('2026-02-30')).toEqual({ ok: false, reason: 'invalid_date' });
    expect(await mark(addDays(today, 1))).toEqual({ ok: false, reason: 'date_in_future' });
    const [after] = await database.db
      .select()
      .from(refunds)
      .where(eq(refunds.id, refund?.id as number));
    expect(after).toEqual(refund);
  });

  it('staff mark the refund sent, by default on today in the store; the customer is told', async () => {
    const [refund] = await database.db.select().from(refunds).where(eq(refunds.status, 'requested'));
    // 21:00 in New York is already tomorrow in UTC: the refund was sent on New York's date.
    const evening = new Date(`${addDays(today, 1)}T02:00:00Z`);
    const r = await markRefundSent(database.db, { refundId: refund?.id as number, reference: 'RF-123', actor: staff }, evening);
    expect(r).toMatchObject({ ok: true, customersTold: 1 });
    const [sent] = await database.db
      .select()
      .from(refunds)
      .where(eq(refunds.id, refund?.id as number));
    expect(sent).toMatchObject({ status: 'sent', sentOn: today });
    expect(
      await markRefundSent(database.db, { refundId: refund?.id as number, reference: 'RF-123', sentOn: today, actor: staff }, now),
    ).toEqual({
      ok: false,
      reason: 'already_sent',
    });
  });
});

describe('the sweep on its own', () => {
  let own: Database;
  beforeAll(async () => {
    own = await freshDatabase();
    await seedDemo(own.db, now);
  });
  afterAll(() => own.close());

  it('sends the first notice when a line reaches T unshipped with a later ETA and no notice', async () => {
    const [ready] = await own.db
      .select()
      .from(orderLines)
      .where(and(eq(orderLines.sku, 'TRL-PACK30'), eq(orderLines.status, 'ready')))
      .limit(1);
    if (!ready) throw new Error('no ready line');
    await own.db
      .update(orderLines)
      .set({ etaFrom: addDays(ready.applicableTime, 3), etaTo: addDays(ready.applicableTime, 10) })
      .where(eq(orderLines.id, ready.id));
    const atT = new Date(`${ready.applicableTime}T16:00:00Z`);
    const report = await runSweep(own.db, atT);
    expect(report.noticesSent).toBeGreaterThanOrEqual(1);
    const [after] = await own.db.select().from(orderLines).where(eq(orderLines.id, ready.id));
    if (!after) throw new Error('line gone');
    expect(after.compliance.notices[0]).toMatchObject({
      kind: 'first',
      silenceMeans: 'consent',
      revisedDate: addDays(ready.applicableTime, 10),
    });
  });
});
