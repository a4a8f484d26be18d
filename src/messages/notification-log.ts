// Read model for the console's notification log: every message with its status and reason, filterable.
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { notifications, orders } from '#db/schema/index.ts';
import { DELIVERY_STATUSES } from '#src/domain/delivery-status.ts';

/** The statuses the log filters by: every status a message can have. */
export const LOG_STATUSES = DELIVERY_STATUSES;
export type LogFilter = {
  channel?: 'email' | 'sms' | undefined;
  status?: (typeof LOG_STATUSES)[number] | undefined;
  page: number;
  pageSize: number;
};

export async function listNotifications(db: Queryable, filter: LogFilter) {
  const where: SQL[] = [];
  if (filter.channel) where.push(eq(notifications.channel, filter.channel));
  if (filter.status) where.push(eq(notifications.status, filter.status));
  const cond = where.length ? and(...where) : undefined;
  const rows = await db
    .select({
      id: notifications.id,
      orderNumber: orders.number,
      channel: notifications.channel,
      recipient: notifications.recipient,
      template: notifications.template,
      required: notifications.required,
      status: notifications.status,
      lastError: notifications.lastError,
      attempts: notifications.attempts,
      history: notifications.history,
      updatedAt: notifications.updatedAt,
    })
    .from(notifications)
    .innerJoin(orders, eq(orders.id, notifications.orderId))
    .where(cond)
    .orderBy(desc(notifications.id))
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize);
  const counts = await db
    .select({ status: notifications.status, n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(filter.channel ? eq(notifications.channel, filter.channel) : undefined)
    .groupBy(notifications.status);
  return { rows, counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Record<string, number> };
}
