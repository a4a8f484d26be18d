// The append-only event log: an order's timeline and the staff audit trail (and the 435.2(d) record).
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    // No foreign keys: events are only written by insert-selects from existing orders and lines, which are never
    // deleted, and the per-row checks doubled the cost of a SKU fan-out (docs/decisions/010).
    orderId: integer('order_id').notNull(),
    lineId: integer('line_id'),
    type: text('type').notNull(),
    actorType: text('actor_type').$type<'system' | 'staff' | 'customer' | 'api'>().notNull(),
    actorId: text('actor_id'),
    /** Rule section the event implements, e.g. 435.2(b)(1)(iii). */
    ruleSection: text('rule_section'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    /** Makes a re-run of the same change insert nothing. */
    dedupeKey: text('dedupe_key').unique(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('events_order_idx').on(t.orderId, t.occurredAt)],
);
