// Use case: the console marks a refund of one order sent (the refund must belong to that order).
import { eq, sql } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { orders, refunds } from '#db/schema/index.ts';
import { normaliseOrderNumber } from '#src/domain/contact.ts';
import type { Actor } from '../commands/actor.ts';
import { markRefundSent, type RefundSentResult } from './mark-refund-sent.ts';

/**
 * Marks a refund of this order sent: the refund must belong to the order (so a form can never touch another order's);
 * `markRefundSent` checks the date.
 */
export async function markOrderRefundSent(
  db: Db,
  input: { orderNumber: string; refundId: number; reference: string; sentOn?: string | undefined; actor: Actor },
  now: Date = new Date(),
): Promise<RefundSentResult> {
  const [owned] = await db
    .select({ id: refunds.id })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(sql`${refunds.id} = ${input.refundId} and ${orders.number} = ${normaliseOrderNumber(input.orderNumber)}`);
  if (!owned) return { ok: false, reason: 'not_found' };
  return markRefundSent(db, { refundId: owned.id, reference: input.reference, sentOn: input.sentOn, actor: input.actor }, now);
}
