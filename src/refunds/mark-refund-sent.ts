// Use case: staff record that a refund was sent (the ledger adapter), which tells the customer.
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Queryable } from '#db/client.ts';
import { events, refunds, webhookReceipts } from '#db/schema/index.ts';
import { isValidCalendarDate, toCalendarDate } from '#src/domain/calendar-date.ts';
import { eventRow } from '#src/domain/events.ts';
import type { Actor } from '../commands/actor.ts';
import { enqueueForEvents } from '../messages/enqueue-notifications.ts';
import { loadStoreSettings } from '../store/store-settings.ts';

export type RefundSentResult =
  | { ok: true; customersTold: number }
  | { ok: false; reason: 'not_found' | 'already_sent' | 'reference_required' | 'invalid_date' | 'date_in_future' | 'duplicate_delivery' };

/**
 * `sentOn` must be a real date no later than today in the store's zone, where every calendar date of the rule is
 * counted; without one the refund was sent today there.
 */
export async function markRefundSent(
  db: Db,
  input: { refundId: number; reference: string; sentOn?: string; actor: Actor; deliveryId?: string },
  now: Date = new Date(),
): Promise<RefundSentResult> {
  const reference = input.reference.trim();
  if (!reference) return { ok: false, reason: 'reference_required' };
  if (input.sentOn !== undefined && !isValidCalendarDate(input.sentOn)) return { ok: false, reason: 'invalid_date' };
  const today = toCalendarDate(now, (await loadStoreSettings(db)).timeZone);
  const sentOn = input.sentOn ?? today;
  if (sentOn > today) return { ok: false, reason: 'date_in_future' };
  return db.transaction(async (tx): Promise<RefundSentResult> => {
    if (input.deliveryId !== undefined && !(await firstReceipt(tx, input.deliveryId, now)))
      return { ok: false, reason: 'duplicate_delivery' };
    const [refund] = await tx.select().from(refunds).where(eq(refunds.id, input.refundId)).for('update');
    if (!refund) return { ok: false, reason: 'not_found' };
    if (refund.status === 'sent') return { ok: false, reason: 'already_sent' };
    await tx
      .update(refunds)
      .set({ status: 'sent', reference, sentOn })
      .where(and(eq(refunds.id, refund.id)));
    // The payment state says what money has moved: refunded once the refunds sent cover everything paid.
    await tx.execute(sql`
      update orders o set payment_state = case
        when (select coalesce(sum(amount), 0) from refunds where order_id = o.id and status = 'sent')
             >= o.shipping_paid + (select coalesce(sum(amount_paid), 0) from order_lines where order_id = o.id)
        then 'refunded' else 'partially_refunded' end
      where o.id = ${refund.orderId}`);
    const [event] = await tx
      .insert(events)
      .values({
        orderId: refund.orderId,
        ...eventRow({
          type: 'refund_sent',
          data: { refundId: refund.id, amount: refund.amount, currency: refund.currency, reference, sentOn, dueOn: refund.dueOn },
        }),
        actorType: input.actor.type,
        actorId: input.actor.id,
        ruleSection: '435.1(b)',
        dedupeKey: `refund_sent:${refund.id}`,
        occurredAt: now,
      })
      .returning({ id: events.id });
    const customersTold = await enqueueForEvents(tx, [event?.id as number], {
      now,
      coalesceSeconds: 0,
      required: true,
      template: 'refund',
    });
    return { ok: true, customersTold };
  });
}

export type RefundFailedResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' | 'already_sent' | 'reason_required' | 'duplicate_delivery' };

/** The shop platform could not refund: the refund stays owed and overdue-tracked, with the reason for staff. */
export async function markRefundFailed(
  db: Db,
  input: { refundId: number; reason: string; actor: Actor; deliveryId?: string },
  now: Date = new Date(),
): Promise<RefundFailedResult> {
  const reason = input.reason.trim().slice(0, 500);
  if (!reason) return { ok: false, reason: 'reason_required' };
  return db.transaction(async (tx): Promise<RefundFailedResult> => {
    if (input.deliveryId !== undefined && !(await firstReceipt(tx, input.deliveryId, now)))
      return { ok: false, reason: 'duplicate_delivery' };
    const [refund] = await tx.select().from(refunds).where(eq(refunds.id, input.refundId)).for('update');
    if (!refund) return { ok: false, reason: 'not_found' };
    if (refund.status === 'sent') return { ok: false, reason: 'already_sent' };
    await tx.update(refunds).set({ status: 'failed', failureReason: reason }).where(eq(refunds.id, refund.id));
    await tx.insert(events).values({
      orderId: refund.orderId,
      // Still owed by the same date: the timeline says so.
      ...eventRow({
        type: 'refund_failed',
        data: { refundId: refund.id, amount: refund.amount, currency: refund.currency, reason, dueOn: refund.dueOn },
      }),
      actorType: input.actor.type,
      actorId: input.actor.id,
      ruleSection: '435.1(b)',
      occurredAt: now,
    });
    return { ok: true };
  });
}

/**
 * Records a shop platform's callback delivery by its id; false when it was recorded before. In the transaction of
 * the change it reports, so a delivery counts once whether or not it changed anything.
 */
async function firstReceipt(tx: Queryable, deliveryId: string, now: Date): Promise<boolean> {
  const fresh = await tx
    .insert(webhookReceipts)
    .values({ provider: 'refund-callback', receiptId: deliveryId, receivedAt: now })
    .onConflictDoNothing()
    .returning({ id: webhookReceipts.receiptId });
  return fresh.length > 0;
}
