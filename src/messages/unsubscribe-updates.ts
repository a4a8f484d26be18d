// Use case: a customer opts out of optional progress updates (RFC 8058 one-click); legal notices still go out.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '#db/client.ts';
import { customers, events, orders } from '#db/schema/index.ts';
import { eventRow } from '#src/domain/events.ts';
import { id } from '#src/input/ids.ts';
import type { Actor } from '../commands/actor.ts';
import { defineCommand } from '../commands/command.ts';
import { customerOf } from '../commands/rules.ts';

export type UnsubscribeResult = { ok: true; changed: boolean } | { ok: false; reason: 'not_found' };

/** Opts the customer of an order out of optional updates; recorded once, however often the link is used. */
export async function unsubscribeOrderCustomer(
  db: Db,
  input: { orderId: number; actor: Actor },
  now: Date = new Date(),
): Promise<UnsubscribeResult> {
  return db.transaction(async (tx): Promise<UnsubscribeResult> => {
    const [order] = await tx.select({ customerId: orders.customerId }).from(orders).where(eq(orders.id, input.orderId));
    if (!order) return { ok: false, reason: 'not_found' };
    const changed = await tx
      .update(customers)
      .set({ updatesOptedOutAt: now })
      .where(sql`${customers.id} = ${order.customerId} and ${customers.updatesOptedOutAt} is null`)
      .returning({ id: customers.id });
    if (changed.length) {
      await tx.insert(events).values({
        orderId: input.orderId,
        ...eventRow({ type: 'updates_unsubscribed', data: {} }),
        actorType: input.actor.type,
        actorId: input.actor.id,
        occurredAt: now,
      });
    }
    return { ok: true, changed: changed.length > 0 };
  });
}

/** Command: the customer holding an order's unsubscribe link stops its optional updates. */
export const unsubscribeUpdates = defineCommand({
  name: 'unsubscribe-updates',
  input: z.object({ orderId: id }),
  allow: customerOf((input: { orderId: number }) => input.orderId, ['unsubscribe']),
  run: (db, input, { actor, now }) => unsubscribeOrderCustomer(db, { ...input, actor }, now),
});
