// Store settings: a single row holding the merchant's name, zone, message and refund policies.
import { boolean, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

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
  /** Send the order confirmation (a new order with a preorder or backorder line); staff may turn it off. */
  orderConfirmation: boolean('order_confirmation').notNull().default(true),
  holidays: jsonb('holidays').$type<string[]>().notNull().default([]),
  emailFrom: text('email_from'),
  smsFrom: text('sms_from'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Long staff operations (a SKU move over many lines) and their progress, so the console can show it. */
export const bulkJobs = pgTable('bulk_jobs', {
  id: serial('id').primaryKey(),
  kind: text('kind').notNull(),
  params: jsonb('params').$type<Record<string, unknown>>().notNull(),
  status: text('status').$type<'running' | 'done' | 'failed'>().notNull().default('running'),
  total: integer('total').notNull().default(0),
  done: integer('done').notNull().default(0),
  result: jsonb('result').$type<Record<string, unknown>>(),
  error: text('error'),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** Moved on while the process running the job is alive: a job still `running` without one has lost its process. */
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
  /** Which run of the job owns it now: a run that finds another's here stops (it was taken for dead and resumed). */
  runner: text('runner'),
  /** When a worker last took the job over from a stopped process, and how many times one has. */
  resumedAt: timestamp('resumed_at', { withTimezone: true }),
  resumes: integer('resumes').notNull().default(0),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
