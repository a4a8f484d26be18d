// Refunds owed to customers: amount in minor units, the date the right vested and the 7-working-day due date.
import { bigint, date, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { orderLines, orders } from './orders.ts';

export const refunds = pgTable(
  'refunds',
  {
    id: serial('id').primaryKey(),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id),
    lineId: integer('line_id').references(() => orderLines.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').$type<'requested' | 'sent' | 'failed'>().notNull().default('requested'),
    reason: text('reason').notNull(),
    ruleSection: text('rule_section'),
    vestedOn: date('vested_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    reference: text('reference'),
    sentOn: date('sent_on', { mode: 'string' }),
    failureReason: text('failure_reason'),
    /** Per line and shipping share, in minor units: what this refund is made of. */
    breakdown: jsonb('breakdown').$type<{ lines: { id: number; amount: number }[]; shipping: number }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('refunds_order_idx').on(t.orderId), index('refunds_status_due_idx').on(t.status, t.dueOn)],
);
