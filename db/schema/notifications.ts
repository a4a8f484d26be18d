// Notifications: the outbox. One message to one recipient on one channel, caused by one event.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { keyText } from './key-text.ts';

export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'suppressed';
export type DeliveryStep = { at: string; status: NotificationStatus | 'retry' | 'held' | 'reclaimed'; detail?: string };
export type NotificationPayload = { events: number[] };
export type RenderedContent = {
  subject: string;
  /** The e-mail bodies: absent on an SMS row, which never sends them. */
  text?: string;
  html?: string;
  sms: string;
  /** The single-purpose access token id whose link the message carries. */
  accessTokenId: string;
  headers: Record<string, string>;
};

export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    // No foreign keys, like events: rows come only from insert-selects joining the event, order and customer
    // (docs/decisions/010).
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    orderId: integer('order_id').notNull(),
    customerId: integer('customer_id').notNull(),
    channel: text('channel').$type<'email' | 'sms'>().notNull(),
    recipient: text('recipient').notNull(),
    template: text('template').notNull(),
    locale: text('locale').notNull(),
    /** A notice the law requires: no unsubscribe applies, no marketing content, never held past its deadline. */
    required: boolean('required').notNull().default(false),
    status: text('status').$type<NotificationStatus>().notNull().default('queued'),
    /** Unique with the order (`notifications_order_dedupe_idx`); the key itself names its event, so it is unique alone. */
    dedupeKey: keyText('dedupe_key').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
    deadlineAt: timestamp('deadline_at', { withTimezone: true }),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    firstAttemptAt: timestamp('first_attempt_at', { withTimezone: true }),
    providerMessageId: text('provider_message_id'),
    lastError: text('last_error'),
    segments: integer('segments'),
    contentHash: text('content_hash'),
    /** What caused it: the ids of the events coalesced into this one message. */
    payload: jsonb('payload').$type<NotificationPayload>().notNull().default({ events: [] }),
    /** The rendered message, persisted before the first provider call so every retry sends identical bytes. */
    rendered: jsonb('rendered').$type<RenderedContent>(),
    /** Emails sent together in one Resend batch call share this key (the call's Idempotency-Key) and are retried together. */
    batchKey: text('batch_key'),
    /** True when the last attempt is known not to have reached the provider, so a retry needs no reconciliation. */
    retrySafe: boolean('retry_safe').notNull().default(false),
    history: jsonb('history').$type<DeliveryStep[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('notifications_due_idx').on(t.dueAt).where(sql`status = 'queued'`),
    index('notifications_lease_idx').on(t.leaseUntil).where(sql`status = 'sending'`),
    // One open (queued, optional) message per order and channel: later changes coalesce into it.
    uniqueIndex('notifications_coalesce_idx').on(t.orderId, t.channel).where(sql`status = 'queued' and not required`),
    // Serves both an order's messages and the dedupe key's uniqueness: one index fewer for every message a fan-out
    // queues (decision 018).
    uniqueIndex('notifications_order_dedupe_idx').on(t.orderId, t.dedupeKey),
    // Partial: most rows have neither, and a bulk enqueue should not pay for indexing nulls.
    index('notifications_batch_idx').on(t.batchKey).where(sql`batch_key is not null`),
    index('notifications_provider_idx').on(t.providerMessageId).where(sql`provider_message_id is not null`),
  ],
);

export const suppressions = pgTable('suppressions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  channel: text('channel').$type<'email' | 'sms'>().notNull(),
  address: text('address').notNull().unique(),
  reason: text('reason').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Messages the dev mailbox transport "sent": what /dev/mailbox shows when no provider is configured. */
export const devMailbox = pgTable('dev_mailbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  notificationId: bigint('notification_id', { mode: 'number' }),
  channel: text('channel').$type<'email' | 'sms'>().notNull(),
  recipient: text('recipient').notNull(),
  sender: text('sender').notNull(),
  subject: text('subject'),
  text: text('text').notNull(),
  html: text('html'),
  segments: integer('segments'),
  headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Provider pacing shared by every worker: the next instant a request on this key may start. */
export const rateSlots = pgTable('rate_slots', {
  key: text('key').primaryKey(),
  nextAt: timestamp('next_at', { withTimezone: true }).notNull(),
});

/** Webhook deliveries already processed, so redeliveries and replays change nothing. */
export const webhookReceipts = pgTable(
  'webhook_receipts',
  {
    provider: text('provider').notNull(),
    receiptId: text('receipt_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.receiptId] })],
);
