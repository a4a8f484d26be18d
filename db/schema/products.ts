// Products (SKUs): each has its kind and its own ETA window; moving it moves every open line of the SKU.
import { date, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import type { LineKind } from '#src/domain/line-status.ts';

export const products = pgTable('products', {
  id: serial('id').primaryKey(),
  sku: text('sku').notNull().unique(),
  name: text('name').notNull(),
  kind: text('kind').$type<LineKind>().notNull(),
  etaFrom: date('eta_from', { mode: 'string' }),
  etaTo: date('eta_to', { mode: 'string' }),
  etaReason: text('eta_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
