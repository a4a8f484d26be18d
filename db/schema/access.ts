// Who may see what: staff users and sessions, customer access tokens, API keys, and lookup rate-limit counters.
import { sql } from 'drizzle-orm';
import { boolean, check, customType, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { orderLines, orders } from './orders.ts';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const staffUsers = pgTable('staff_users', {
  id: serial('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role').$type<'owner' | 'agent'>().notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Lucia's scheme: the token is `id.secret`; only SHA-256(secret) is stored. */
export const staffSessions = pgTable('staff_sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id')
    .notNull()
    .references(() => staffUsers.id, { onDelete: 'cascade' }),
  secretHash: bytea('secret_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastVerifiedAt: timestamp('last_verified_at', { withTimezone: true }).notNull().defaultNow(),
});

export type AccessPurpose = 'order_view' | 'consent' | 'cancel' | 'unsubscribe';

/** Signed, expiring, single-purpose customer access: order view after lookup or from a message link. */
export const accessTokens = pgTable('access_tokens', {
  id: text('id').primaryKey(),
  secretHash: bytea('secret_hash').notNull(),
  purpose: text('purpose').$type<AccessPurpose>().notNull(),
  orderId: integer('order_id')
    .notNull()
    .references(() => orders.id),
  lineId: integer('line_id').references(() => orderLines.id),
  /** A visitor who proved order number + email/phone sees personal data; a message link alone does not. */
  verified: boolean('verified').notNull().default(false),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Integrators' keys, `pl_<id>.<secret>` (src/api-keys/key-token.ts): only SHA-256(secret) is stored. `created_by` and
 * `revoked_by` hold the actor's id as the event log records it (a staff id, or `cli`). `last_used_at` moves at most
 * once a minute per key, so a busy key does not write on every request.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    secretHash: bytea('secret_hash').notNull(),
    scope: text('scope').$type<'read' | 'write'>().notNull().default('read'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
  },
  (t) => [check('api_keys_scope', sql`${t.scope} in ('read', 'write')`)],
);

/** Fixed-window counters of failed attempts, in the database so limits hold across processes. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});
