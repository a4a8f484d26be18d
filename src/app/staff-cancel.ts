// Use case: the store will not ship (435.2(b)(4), (c)): staff cancel a line or the whole order, refund promptly.
import { and, eq } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { orderLines, orders } from '#db/schema/index.ts';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import type { Actor } from './actor.ts';
import { type CancelOutcome, cancelLinesInTx } from './cancel-lines.ts';
import { loadStoreSettings } from './store-settings.ts';

export async function staffCancel(
  db: Db,
  input: { orderNumber: string; lineNo: number | null; reason: string; actor: Actor },
  now: Date = new Date(),
): Promise<CancelOutcome | { ok: false; reason: 'not_found' }> {
  return db.transaction(async (tx) => {
    const [order] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.number, input.orderNumber));
    if (!order) return { ok: false, reason: 'not_found' as const };
    let lineIds: number[] | null = null;
    if (input.lineNo !== null) {
      const [line] = await tx
        .select({ id: orderLines.id })
        .from(orderLines)
        .where(and(eq(orderLines.orderId, order.id), eq(orderLines.lineNo, input.lineNo)));
      if (!line) return { ok: false, reason: 'not_found' as const };
      lineIds = [line.id];
    }
    const settings = await loadStoreSettings(tx);
    return cancelLinesInTx(tx, {
      orderId: order.id,
      lineIds,
      actor: input.actor,
      reason: input.reason,
      section: '435.2(b)(4)',
      vestedOn: toCalendarDate(now, settings.timeZone),
      now,
    });
  });
}
