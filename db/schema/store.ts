// Store settings: a single row holding the merchant's name, zone, message and refund policies.
import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const storeSettings = pgTable('store_settings', {
  id: integer('id').primaryKey().default(1),
  name: text('name').notNull(),
  supportEmail: text('support_email').notNull(),
  supportPhone: text('support_phone'),
  logoUrl: text('logo_url'),
  timeZone: text('time_zone').notNull().default('America/New_York'),
  defaultLocale: text('default_locale').notNull().default('en'),
  locales: jsonb('locales').$type<string[]>().notNull().default(['en']),
  quietHoursStart: text('quiet_hours_start').notNull().default('21:00'),
  quietHoursEnd: text('quiet_hours_end').notNull().default('08:00'),
  coalesceSeconds: integer('coalesce_seconds').notNull().default(120),
  atRiskDays: integer('at_risk_days').notNull().default(5),
  /** Store policy may be stricter than the law for optional cancellations, never for those the rule grants. */
  cancellationPolicy: text('cancellation_policy').$type<'while_unshipped' | 'rule_only'>().notNull().default('while_unshipped'),
  holidays: jsonb('holidays').$type<string[]>().notNull().default([]),
  emailFrom: text('email_from'),
  smsFrom: text('sms_from'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
