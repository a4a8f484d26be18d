// Orders and their lines: status, kind, the legal ship-by date T, the moving ETA window, money in minor units.
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { CustomerAnswer, DelayNotice } from '#src/domain/ftc-rule.ts';
import type { LineKind, LineStatus } from '#src/domain/line-status.ts';

export type LineCompliance = { notices: DelayNotice[]; answers: CustomerAnswer[] };
/** What the customer tendered, as an order upsert states it (minor units). */
export type OrderPayment = { paid: number; shipping: number; deposit: number | null; charge: 'paid' | 'deposit' | 'on_ship' };

import { customers } from './customers.ts';
import { products } from './products.ts';

export const orders = pgTable(
  'orders',
  {
    id: serial('id').primaryKey(),
    number: text('number').notNull().unique(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    /** When the order was properly completed (payment or authorisation in hand): T's clock starts here. */
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
    currency: text('currency').notNull(),
    paymentState: text('payment_state').$type<'authorized' | 'paid' | 'partially_refunded' | 'refunded'>().notNull(),
    shippingPaid: bigint('shipping_paid', { mode: 'number' }).notNull().default(0),
    shippingRefunded: bigint('shipping_refunded', { mode: 'number' }).notNull().default(0),
    /** The payment as the shop platform last sent it (`upsert-order`): an update re-splits only when it differs. */
    payment: jsonb('payment').$type<OrderPayment>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('orders_customer_idx').on(t.customerId)],
);

export const orderLines = pgTable(
  'order_lines',
  {
    id: serial('id').primaryKey(),
    orderId: integer('order_id')
      .notNull()
      .references(() => orders.id),
    lineNo: integer('line_no').notNull(),
    /** The shop platform's id of the line (an upsert's `lines[].id`); null for lines made here (the demo's). */
    externalId: text('external_id'),
    productId: integer('product_id').references(() => products.id),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<LineKind>().notNull(),
    status: text('status').$type<LineStatus>().notNull().default('waiting'),
    quantity: integer('quantity').notNull(),
    unitPrice: bigint('unit_price', { mode: 'number' }).notNull(),
    /** What the customer tendered for this line so far (a deposit, or the full amount). */
    amountPaid: bigint('amount_paid', { mode: 'number' }).notNull(),
    isDeposit: boolean('is_deposit').notNull().default(false),
    amountRefunded: bigint('amount_refunded', { mode: 'number' }).notNull().default(0),
    /** Ship-by date stated at checkout: the legal baseline, never overwritten. */
    promisedBy: date('promised_by', { mode: 'string' }),
    /** The applicable time T (435.2(a)(1)): promisedBy, or 30 days after completion. Never changes. */
    applicableTime: date('applicable_time', { mode: 'string' }).notNull(),
    etaFrom: date('eta_from', { mode: 'string' }),
    etaTo: date('eta_to', { mode: 'string' }),
    trackingUrl: text('tracking_url'),
    /** The line's delay notices and the customer's answers (the rule's inputs), projected from its events. */
    compliance: jsonb('compliance').$type<LineCompliance>().notNull().default({ notices: [], answers: [] }),
    /** The date the line may ship by under the rule right now (T, R, T+30, a consented date); null = indefinite consent. */
    shipBy: date('ship_by', { mode: 'string' }),
    /**
     * When the sweep must look at the line next: never after `shipBy` (an insert without it takes `shipBy`; every
     * writer that moves `shipBy` sets `least(check_by, ship_by)`, and a check refuses one that does not), raised to
     * `shipBy` by the sweep. `shipBy` itself is not indexed, so a delay that moves it later changes no indexed column
     * and the update stays heap-only (decision 020).
     */
    checkBy: date('check_by', { mode: 'string' }),
    /** A notice asks for express consent that has not come yet (silence will mean cancellation). */
    awaitingConsent: boolean('awaiting_consent').notNull().default(false),
    /** Bumped by every change; `line:<id>:v<version>` is the change's event dedupe key. */
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The open-line predicates stay literal: they must read as the migrations that created these indexes wrote them
  // (0010, 0011), so drizzle-kit sees no change; tests/unit/line-status-sql.test.ts holds them to `openStatus()`.
  (t) => [
    uniqueIndex('order_lines_order_line_no_idx').on(t.orderId, t.lineNo),
    uniqueIndex('order_lines_order_external_id_idx').on(t.orderId, t.externalId),
    index('order_lines_open_check_by_idx').on(t.checkBy).where(sql`status in ('waiting', 'ready')`),
    check('order_lines_check_by_not_after_ship_by', sql`ship_by is null or (check_by is not null and check_by <= ship_by)`),
    // (sku, id): a fan-out walks a SKU's open lines in id order and stops at its last one (decision 019).
    index('order_lines_open_sku_id_idx').on(t.sku, t.id).where(sql`status in ('waiting', 'ready')`),
  ],
);
