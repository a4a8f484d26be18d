// The SKU-move preview shows staff the message each group will get: its text and its refund are the message's own,
// shipping share included (435.1(b)), because both come from the notifier's code.
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { STORE_TIME_ZONE } from '#db/factories.ts';
import { customers, notifications, orderLines, orders, refunds } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { moveSkuEta } from '#src/eta/move-sku-eta.ts';
import { PREVIEW_GROUPS, type PreviewGroup, previewSkuMove } from '#src/eta/preview-sku-move.ts';
import { formatMoney } from '#src/i18n/format.ts';
import { supportedLocale } from '#src/i18n/translate.ts';
import { devMailboxEmail, devMailboxSms } from '#src/messages/channels/dev-mailbox.ts';
import { createNotifier } from '#src/messages/notifier/worker.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-23T16:00:00Z');
const today = toCalendarDate(now, STORE_TIME_ZONE);
const SKU = 'PRV-LANTERN';
/** The revised ship-by date of the move. */
const R = addDays(today, 40);
const reason = 'The glass supplier closed for a month';
let database: Database;

/** The rule state of each added line, chosen so that one move sends each group of the preview exactly one line. */
const STATES: Record<PreviewGroup, { T: string; notices: unknown[] }> = {
  // T after R: the move keeps the promise, an optional update.
  no_notice: { T: addDays(today, 60), notices: [] },
  // R within 30 days after T: silence consents (435.2(b)(1)(ii)).
  first_notice_silence_consents: { T: addDays(today, 20), notices: [] },
  // R more than 30 days after T: express consent needed (435.2(b)(1)(iii)).
  first_notice_express_consent: { T: addDays(today, 5), notices: [] },
  // Told earlier it would ship by today + 10 (silence consented); R misses that date (435.2(b)(2)).
  renewed_notice: {
    T: addDays(today, -5),
    notices: [
      {
        kind: 'first',
        sentOn: addDays(today, -10),
        revisedDate: addDays(today, 10),
        silenceMeans: 'consent',
        deadline: addDays(today, 10),
        reason: 'Late container',
      },
    ],
  },
  // T passed with no notice: cancelled and refunded now (435.2(c)).
  cancel_now: { T: addDays(today, -3), notices: [] },
};

/** Order number and what its added line paid, by group. */
const placed = new Map<PreviewGroup, { orderId: number; number: string; paid: number }>();

beforeAll(async () => {
  database = await freshDatabase();
  const { db } = database;
  await seedDemo(db, now);
  await db.execute(sql`insert into products (sku, name, kind) values (${SKU}, 'Harbour lantern', 'preorder')`);
  // Orders of the demo that are paid, open and have shipping to share: the added line gets part of it.
  const picked = await db
    .select({ id: orders.id, number: orders.number })
    .from(orders)
    .where(sql`${orders.paymentState} = 'paid' and ${orders.shippingPaid} > 0
      and not exists (select 1 from order_lines l where l.order_id = ${orders.id} and l.status not in ('waiting', 'ready'))`)
    .orderBy(orders.id)
    .limit(PREVIEW_GROUPS.length);
  expect(picked).toHaveLength(PREVIEW_GROUPS.length);
  for (const [i, group] of PREVIEW_GROUPS.entries()) {
    const order = picked[i] as { id: number; number: string };
    const { T, notices } = STATES[group];
    const paid = 2500 + 137 * i;
    await db.execute(sql`
      insert into order_lines (order_id, line_no, product_id, sku, name, kind, status, quantity, unit_price, amount_paid,
                               promised_by, applicable_time, eta_from, eta_to, compliance, ship_by, awaiting_consent, version)
      select ${order.id}, 2, p.id, ${SKU}, 'Harbour lantern', 'preorder', 'waiting', 1, ${paid}, ${paid}, ${T}::date, ${T}::date,
             ${addDays(today, 1)}::date, ${addDays(today, 4)}::date, ${JSON.stringify({ notices, answers: [] })}::jsonb,
             ${T}::date, false, 1
      from products p where p.sku = ${SKU}`);
    placed.set(group, { orderId: order.id, number: order.number, paid });
  }
});
afterAll(() => database.close());

const TEMPLATE: Record<PreviewGroup, string> = {
  no_notice: 'update',
  first_notice_silence_consents: 'delay_notice',
  first_notice_express_consent: 'delay_notice',
  renewed_notice: 'delay_notice',
  cancel_now: 'cancellation',
};

/** The message with its links taken out: the preview's are placeholders, the message's carry fresh tokens. */
const withoutLinks = (text: string) => text.replace(/https?:\/\/\S+/g, '<link>');

describe('the SKU-move preview and the messages the move sends', () => {
  it('match for every group: the same text, the same refund, shipping share included', async () => {
    const { db } = database;
    const preview = await previewSkuMove(db, { sku: SKU, eta: { from: addDays(R, -3), to: R }, reason }, now);
    if (!preview.ok) throw new Error(`preview refused: ${preview.reason}`);
    for (const group of PREVIEW_GROUPS) {
      expect(preview.groups[group].count, group).toBe(1);
      expect(preview.groups[group].sample?.orderNumber, group).toBe(placed.get(group)?.number);
    }

    const [before] = await db.select({ max: sql<number>`coalesce(max(${notifications.id}), 0)::int` }).from(notifications);
    const moved = await moveSkuEta(db, { sku: SKU, from: addDays(R, -3), to: R, reason, actor: { type: 'staff', id: 'test' } }, { now });
    expect(moved).toMatchObject({ ok: true, linesMoved: PREVIEW_GROUPS.length, cancelled: 1 });
    // Past the coalescing window of the optional update, so every message of the move has gone out.
    const at = new Date(now.getTime() + 60_000);
    await createNotifier({
      db,
      email: devMailboxEmail(db),
      sms: devMailboxSms(db, '+15005550006'),
      publicUrl: 'https://status.example',
      emailFrom: null,
      rates: { emailRequestsPerSecond: 0, smsSegmentsPerSecond: 0 },
      clock: () => at,
    }).tick();

    for (const group of PREVIEW_GROUPS) {
      const { orderId, paid } = placed.get(group) as { orderId: number; number: string; paid: number };
      const sample = preview.groups[group].sample;
      if (!sample) throw new Error(`no sample for ${group}`);
      const sent = await db
        .select()
        .from(notifications)
        .where(
          and(
            gt(notifications.id, before?.max ?? 0),
            eq(notifications.orderId, orderId),
            eq(notifications.channel, 'email'),
            eq(notifications.template, TEMPLATE[group]),
          ),
        );
      expect(sent, group).toHaveLength(1);
      const message = sent[0];
      expect(message?.status, group).toBe('sent');
      expect(withoutLinks(sample.text), group).toBe(withoutLinks(message?.rendered?.text ?? ''));
      expect(sample.subject, group).toBe(message?.rendered?.subject);

      if (group === 'no_notice') {
        expect(sample.refund ?? null).toBeNull();
        continue;
      }
      // The refund is more than the line's own price: its share of the order's shipping comes back too.
      expect(sample.refund?.amount, group).toBeGreaterThan(paid);
      const [customer] = await db
        .select({ locale: customers.locale })
        .from(customers)
        .innerJoin(orders, eq(orders.customerId, customers.id))
        .where(eq(orders.id, orderId));
      const amount = formatMoney(sample.refund?.amount ?? -1, 'USD', supportedLocale(customer?.locale ?? 'en'));
      expect(message?.rendered?.text, group).toContain(amount);
    }

    // The cancellation's refund is the one the preview showed, due on the date it showed.
    const cancelled = placed.get('cancel_now') as { orderId: number };
    const [line] = await db
      .select({ id: orderLines.id })
      .from(orderLines)
      .where(and(eq(orderLines.orderId, cancelled.orderId), eq(orderLines.sku, SKU)));
    const owed = await db
      .select({ amount: refunds.amount, dueOn: refunds.dueOn })
      .from(refunds)
      .where(and(eq(refunds.orderId, cancelled.orderId), inArray(refunds.lineId, [line?.id ?? -1])));
    expect(owed).toEqual([preview.groups.cancel_now.sample?.refund]);
  });
});
