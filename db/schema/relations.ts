// Relations for Drizzle's relational queries: lets the order page load an order with lines and history in one round trip.
import { relations } from 'drizzle-orm';
import { accessTokens } from './access.ts';
import { customers } from './customers.ts';
import { events } from './events.ts';
import { notifications } from './notifications.ts';
import { orderLines, orders } from './orders.ts';
import { refunds } from './refunds.ts';

export const ordersRelations = relations(orders, ({ one, many }) => ({
  customer: one(customers, { fields: [orders.customerId], references: [customers.id] }),
  lines: many(orderLines),
  events: many(events),
  refunds: many(refunds),
  notifications: many(notifications),
}));

export const orderLinesRelations = relations(orderLines, ({ one }) => ({
  order: one(orders, { fields: [orderLines.orderId], references: [orders.id] }),
}));

export const eventsRelations = relations(events, ({ one }) => ({
  order: one(orders, { fields: [events.orderId], references: [orders.id] }),
}));

export const refundsRelations = relations(refunds, ({ one }) => ({
  order: one(orders, { fields: [refunds.orderId], references: [orders.id] }),
}));

export const notificationsRelations = relations(notifications, ({ one }) => ({
  order: one(orders, { fields: [notifications.orderId], references: [orders.id] }),
}));

export const accessTokensRelations = relations(accessTokens, ({ one }) => ({
  order: one(orders, { fields: [accessTokens.orderId], references: [orders.id] }),
}));
