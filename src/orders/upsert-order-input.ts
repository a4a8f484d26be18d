// The body of an order upsert (issue 18: `PUT /api/v1/orders/{number}`, the CLI's `order:upsert`, a CSV row): one
// schema, with the JSON field names the API documents. Money in integer minor units, instants ISO 8601 with an
// offset, dates YYYY-MM-DD in the store's zone. Unknown keys are refused: a misspelt `promised_by` silently dropped
// would move the legal ship-by date.
import { z } from 'zod';
import { normalisePhone } from '#src/domain/contact.ts';
import { LINE_KINDS } from '#src/domain/line-status.ts';
import { PAYMENT_CHARGES } from '#src/domain/payment-split.ts';
import { dateText } from '#src/input/calendar-date.ts';
import { orderNumber } from '#src/input/order-number.ts';
import { text } from '#src/input/text.ts';
import { canonicalTimeZone } from '#src/store/update-store-settings.ts';

/** Limits that keep every sum a safe integer: 100 lines × 10,000 × 10^9 minor units stays below 2^53. */
export const UPSERT_LIMITS = { lines: 100, quantity: 10_000, unitPrice: 1_000_000_000, paid: 1_000_000_000_000_000 } as const;

/** Dates this code can do arithmetic on (T + 30 days, R + 1 day) without leaving the calendar's range. */
const FIRST_DATE = '2000-01-01';
const LAST_DATE = '2099-12-31';
const orderDate = dateText.refine((d) => d >= FIRST_DATE && d <= LAST_DATE, `must be between ${FIRST_DATE} and ${LAST_DATE}`);

/** A whole amount: a JSON number, or digits (a form field, a CSV cell). */
const whole = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,16}$/, 'must be a whole number')
        .transform(Number),
    ])
    .pipe(z.number().int('must be a whole number').min(min).max(max));

/** Absent, null and "" are all "not given". */
const optional = <T extends z.ZodType>(schema: T) =>
  z
    .union([z.literal('').transform(() => undefined), z.null().transform(() => undefined), schema])
    .optional()
    .transform((v) => v ?? undefined);

const phone = z
  .string()
  .max(40, 'must be at most 40 characters')
  .transform((value, ctx) => {
    const e164 = /^[+\d\s().-]+$/.test(value) ? normalisePhone(value) : null;
    if (e164 === null) {
      ctx.addIssue({ code: 'custom', message: 'is not a phone number' });
      return z.NEVER;
    }
    return e164;
  });

const locale = z
  .string()
  .max(35)
  .transform((value, ctx) => {
    try {
      const tag = Intl.getCanonicalLocales(value)[0];
      if (tag) return tag;
    } catch {}
    ctx.addIssue({ code: 'custom', message: 'is not a language tag such as en or de-DE' });
    return z.NEVER;
  });

const timeZone = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const zone = canonicalTimeZone(value);
    if (zone === null) {
      ctx.addIssue({ code: 'custom', message: 'is not an IANA time zone such as America/New_York' });
      return z.NEVER;
    }
    return zone;
  });

/** The platform's id of a line: text or a number, kept as text. */
const lineId = z
  .union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).transform(String), z.string()])
  .pipe(text({ min: 1, max: 64 }));

const line = z.strictObject({
  id: lineId,
  sku: text({ min: 1, max: 64 }),
  name: text({ min: 1, max: 200 }),
  quantity: whole(1, UPSERT_LIMITS.quantity),
  unit_price: whole(0, UPSERT_LIMITS.unitPrice),
  kind: z.enum(LINE_KINDS),
  /** The ship-by date stated at checkout (the applicable time T); absent: 30 days after the order. */
  promised_by: optional(orderDate),
  /** The expected ship window; absent: the product's window when the SKU is known. */
  eta: optional(z.strictObject({ from: orderDate, to: orderDate })),
});

export const upsertOrderInput = z.strictObject({
  orderNumber,
  placed_at: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date and time with its offset, e.g. 2026-11-20T14:03:00Z' })
    .refine((v) => v.slice(0, 10) >= FIRST_DATE && v.slice(0, 10) <= LAST_DATE, `must be between ${FIRST_DATE} and ${LAST_DATE}`),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  customer: z.strictObject({
    email: z.string().trim().toLowerCase().max(254).pipe(z.email('is not an e-mail address')),
    phone: optional(phone),
    name: optional(text({ max: 200 })),
    locale: optional(locale),
    time_zone: optional(timeZone),
  }),
  lines: z.array(line).min(1, 'must hold at least one line').max(UPSERT_LIMITS.lines),
  payment: z.strictObject({
    paid: whole(0, UPSERT_LIMITS.paid),
    shipping: optional(whole(0, UPSERT_LIMITS.paid)),
    deposit: optional(whole(0, UPSERT_LIMITS.paid)),
    /** How the goods are charged; absent: `deposit` when a deposit is given, else `paid`. */
    charge: optional(z.enum(PAYMENT_CHARGES)),
  }),
});

export type UpsertOrderInput = z.infer<typeof upsertOrderInput>;
export type UpsertLineInput = UpsertOrderInput['lines'][number];
