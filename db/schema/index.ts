// The whole schema, one module per aggregate, re-exported for Drizzle and the migrations.
export * from './access.ts';
export * from './customers.ts';
export * from './events.ts';
export * from './notifications.ts';
export * from './orders.ts';
export * from './products.ts';
export * from './refunds.ts';
export * from './relations.ts';
export * from './store.ts';
export * from './webhooks.ts';
