// Customers: contact points, locale and zone, and the recorded consent that SMS requires.
import { index, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

export const customers = pgTable(
  'customers',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** Stored lower-cased so lookups compare exactly. */
    email: text('email').notNull(),
    /** E.164, e.g. +15551234567. */
    phone: text('phone'),
    locale: text('locale').notNull().default('en'),
    timeZone: text('time_zone').notNull().default('America/New_York'),
    smsConsentAt: timestamp('sms_consent_at', { withTimezone: true }),
    smsConsentMethod: text('sms_consent_method'),
    smsConsentPhone: text('sms_consent_phone'),
    smsOptedOutAt: timestamp('sms_opted_out_at', { withTimezone: true }),
    /** Opt-out of optional progress updates only; legally required notices ignore it. */
    updatesOptedOutAt: timestamp('updates_opted_out_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('customers_email_idx').on(t.email), index('customers_phone_idx').on(t.phone)],
);
