// The language an order's customer reads: pages reached by a message link speak it, as the message did.
import { eq } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { customers, orders } from '#db/schema/index.ts';

export async function customerLocaleOf(db: Queryable, orderId: number): Promise<string | null> {
  const [row] = await db
    .select({ locale: customers.locale })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .where(eq(orders.id, orderId));
  return row?.locale ?? null;
}
