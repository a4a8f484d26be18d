// Notifications: the outbox. One message to one recipient on one channel, caused by one event.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { customers } from './customers.ts';
import { events } from './events.ts';
import { orders } from './orders.ts';

export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'suppressed';
export type DeliveryStep = { at: string; status: NotificationStatus | 'retry'; detail?: string };

export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => events.id),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    channel: text('channel').$type<'email' | 'sms'>().notNull(),
    recipient: text('recipient').notNull(),
    template: text('template').notNull(),
    locale: text('locale').notNull(),
    /** A notice the law requires: no unsubscribe applies, no marketing content, never held past its deadline. */
    required: boolean('required').notNull().default(false),
    status: text('status').$type<NotificationStatus>().notNull().default('queued'),
    dedupeKey: text('dedupe_key').notNull().unique(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
    deadlineAt: timestamp('deadline_at', { withTimezone: true }),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    firstAttemptAt: timestamp('first_attempt_at', { withTimezone: true }),
    providerMessageId: text('provider_message_id'),
    lastError: text('last_error'),
    segments: integer('segments'),
    contentHash: text('content_hash'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    history: jsonb('history').$type<DeliveryStep[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notifications_due_idx').on(t.dueAt).where(sql`status = 'queued'`),
    index('notifications_order_idx').on(t.orderId),
    index('notifications_provider_idx').on(t.providerMessageId),
  ],
);

export const suppressions = pgTable('suppressions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  channel: text('channel').$type<'email' | 'sms'>().notNull(),
  address: text('address').notNull().unique(),
  reason: text('reason').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
