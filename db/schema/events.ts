// The append-only event log: an order's timeline and the staff audit trail (and the 435.2(d) record).
import { bigserial, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { EventType, ValidatedEventData } from '#src/domain/events.ts';
import { keyText } from './key-text.ts';

export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    // No foreign keys: events are only written by insert-selects from existing orders and lines, which are never
    // deleted, and the per-row checks doubled the cost of a SKU fan-out (docs/decisions/010).
    orderId: integer('order_id').notNull(),
    lineId: integer('line_id'),
    type: text('type').$type<EventType>().notNull(),
    actorType: text('actor_type').$type<'system' | 'staff' | 'customer' | 'api'>().notNull(),
    actorId: text('actor_id'),
    /** Rule section the event implements, e.g. 435.2(b)(1)(iii). */
    ruleSection: text('rule_section'),
    // Only validated data is written (`eventRow`, decision 036): the type makes a writer that skips it fail to compile.
    data: jsonb('data')
      .$type<ValidatedEventData>()
      .notNull()
      .default({} as ValidatedEventData),
    /**
     * Makes a re-run of the same change insert nothing: unique with the order (`events_order_dedupe_idx`). Every key
     * names a line, notice or refund of that order, so it is unique alone too.
     */
    dedupeKey: keyText('dedupe_key'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Serves both an order's timeline (a few rows, sorted after) and the dedupe key: one index fewer for each of the
  // 100,000s of events a SKU fan-out writes (decision 018).
  (t) => [uniqueIndex('events_order_dedupe_idx').on(t.orderId, t.dedupeKey)],
);
