// Use case: a customer opts out of optional progress updates (RFC 8058 one-click); legal notices still go out.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { customers, events, orders } from '#db/schema/index.ts';
import { validateOrderAccess } from '#src/auth/order-access.ts';
import { eventRow } from '#src/domain/events.ts';

export async function unsubscribeFromUpdates(db: Db, token: string | undefined, now: Date = new Date()): Promise<{ ok: boolean }> {
  const access = await validateOrderAccess(db, token, 'unsubscribe', now);
  if (!access) return { ok: false };
  await db.transaction(async (tx) => {
    const [order] = await tx.select({ customerId: orders.customerId }).from(orders).where(eq(orders.id, access.orderId));
    if (!order) return;
    const changed = await tx
      .update(customers)
      .set({ updatesOptedOutAt: now })
      .where(sql`${customers.id} = ${order.customerId} and ${customers.updatesOptedOutAt} is null`)
      .returning({ id: customers.id });
    if (changed.length) {
      await tx.insert(events).values({
        orderId: access.orderId,
        ...eventRow({ type: 'updates_unsubscribed', data: {} }),
        actorType: 'customer',
        actorId: null,
        occurredAt: now,
      });
    }
  });
  return { ok: true };
}
