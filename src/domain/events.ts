// The event log's vocabulary: every event type with the shape of its data, as one discriminated union. Writers build
// an `OrderEvent` and validate it (`eventRow`); readers narrow a stored row by its type (`storedEvent`) and look its
// text and message up in tables keyed by `EventType`, so a type without an entry does not compile (decision 036).
import { z } from 'zod';
import { type CalendarDate, isValidCalendarDate } from './calendar-date.ts';
import { DelayAction } from './ftc-rule.ts';
import { LINE_KINDS, LINE_STATUSES } from './line-status.ts';

// Strict: a key the schema does not name is a writer's mistake, refused rather than silently dropped.
const obj = z.strictObject;
const date = z.string().refine((v): v is CalendarDate => isValidCalendarDate(v), 'must be a real YYYY-MM-DD date');
const window = obj({ from: date.nullable(), to: date.nullable() });
const amount = z.number().int();
const id = z.number().int().positive();
const status = z.enum(LINE_STATUSES);

/** The delay option notices of 16 CFR 435.2(b), named as the rule's classification names them (`DelayAction`). */
export const NOTICE_KINDS = [
  DelayAction.FirstNoticeSilenceConsents,
  DelayAction.FirstNoticeExpressConsent,
  DelayAction.RenewedNotice,
] as const;
export type DelayNoticeKind = (typeof NOTICE_KINDS)[number];

/** How a customer's answer arrived. */
export const ANSWER_VIA = ['link', 'order_page', 'staff'] as const;

/** A move of a line's expected ship date: what it was, what it is, why, and what the rule made of it. */
const etaChange = obj({
  from: window,
  to: window,
  reason: z.string(),
  classification: z.enum([DelayAction.NoNotice, ...NOTICE_KINDS]),
});

/** A field of a line before and after an order upsert changed it. */
const pair = <T extends z.ZodType>(value: T) => obj({ from: value, to: value });

/** What an order upsert states about the payment (minor units), as `orders.payment` keeps it. */
const payment = obj({
  paid: amount,
  shipping: amount,
  deposit: amount.nullable(),
  charge: z.enum(['paid', 'deposit', 'on_ship']),
});

/** The data each event type carries. Optional fields are those some stored rows (the demo seed's) lack. */
export const EVENT_DATA = {
  order_created: obj({ lines: z.number().int().positive() }),
  status_changed: obj({ from: status, to: status, trackingUrl: z.string().optional() }),
  eta_changed: etaChange,
  /** A delay option notice (the rule's `DelayNotice` record, with its classification); sent with a move, the move too. */
  delay_notice_sent: obj({
    kind: z.enum(['first', 'renewed']),
    sentOn: date,
    revisedDate: date.nullable(),
    silenceMeans: z.enum(['consent', 'refusal']),
    deadline: date,
    reason: z.string().nullable().optional(),
    action: z.enum(NOTICE_KINDS),
    noticeIndex: z.number().int().nonnegative(),
    /** The instant by which the notice must go out (quiet hours may not pass it). */
    sendBy: z.string().nullable().optional(),
    changed: etaChange.optional(),
  }),
  consent_given: obj({ via: z.enum(ANSWER_VIA), noticeIndex: z.number().int().nonnegative(), consentedUntil: date.nullable() }),
  cancel_requested: obj({ via: z.enum(ANSWER_VIA).optional(), lineIds: z.array(id).optional(), scope: z.enum(['order', 'lines']) }),
  cancelled: obj({ reason: z.string(), from: status.optional() }),
  refund_requested: obj({
    refundId: id.nullable().optional(),
    amount,
    currency: z.string().optional(),
    dueOn: date,
    vestedOn: date.optional(),
    lineIds: z.array(id).optional(),
  }),
  refund_sent: obj({
    refundId: id.optional(),
    amount,
    currency: z.string().optional(),
    reference: z.string(),
    sentOn: date.optional(),
    dueOn: date.optional(),
  }),
  refund_failed: obj({ refundId: id, amount, currency: z.string(), reason: z.string(), dueOn: date }),
  customer_note: obj({ text: z.string() }),
  /** Written by the sweep in SQL (`sqlEventData`). */
  at_risk: obj({ shipBy: date, daysLeft: z.number().int() }),
  /** Written by the sweep in SQL (`sqlEventData`). */
  refund_overdue: obj({ refundId: id, dueOn: date, amount }),
  updates_unsubscribed: obj({}),
  /** The shop platform added a line to an existing order (an order upsert naming a new line id). */
  line_added: obj({ sku: z.string(), name: z.string(), quantity: z.number().int().positive() }),
  /** The shop platform changed an open line's details (an order upsert); each field changed, before and after. */
  line_changed: obj({
    quantity: pair(z.number().int().positive()).optional(),
    unitPrice: pair(amount).optional(),
    name: pair(z.string()).optional(),
    kind: pair(z.enum(LINE_KINDS)).optional(),
  }),
  /** The shop platform stated another payment for the order; the open lines' shares were split again. */
  payment_changed: obj({ from: payment.nullable(), to: payment }),
} as const;

export type EventType = keyof typeof EVENT_DATA;
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[];
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>;

/** One event of the log: its type and the data that type carries. */
export type OrderEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];
export type EventOf<T extends EventType> = Extract<OrderEvent, { type: T }>;

const eventSchemas = EVENT_TYPES.map((type) => obj({ type: z.literal(type), data: EVENT_DATA[type] })) as unknown as [
  z.ZodObject<{ type: z.ZodLiteral<EventType>; data: z.ZodType }>,
  ...z.ZodObject<{ type: z.ZodLiteral<EventType>; data: z.ZodType }>[],
];
/** Every event as one schema: the type picks the data's shape. */
export const orderEventSchema = z.discriminatedUnion('type', eventSchemas);

declare const validated: unique symbol;
/** Event data that went through its schema: the only data the `events.data` column accepts. */
export type ValidatedEventData = Record<string, unknown> & { readonly [validated]: true };

/**
 * The `type` and `data` of an event row, validated: a writer that builds the wrong data for its type fails here, in
 * its transaction, before anything is written (and at compile time, when the data is written out).
 */
export function eventRow(event: OrderEvent): { type: EventType; data: ValidatedEventData } {
  return { type: event.type, data: eventData(event.type, event.data) };
}

/** One type's data, validated; for a set-based writer that builds one data object for many rows. */
export function eventData<T extends EventType>(type: T, data: EventData<T>): ValidatedEventData {
  // Parsed for its verdict only: the row keeps exactly what the writer built.
  EVENT_DATA[type].parse(data);
  return data as unknown as ValidatedEventData;
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_DATA, type);
}

/**
 * A stored row as the union, or null for a type this code does not know. The data is not parsed again: every writer
 * validated it, and the optional fields above cover rows written before a field existed.
 */
export function storedEvent(row: { type: string; data: Record<string, unknown> }): OrderEvent | null {
  return isEventType(row.type) ? ({ type: row.type, data: row.data } as OrderEvent) : null;
}

/**
 * Which events the customer sees on their timeline; staff notes and internal bookkeeping stay in the audit trail.
 * An entry per type: a new type must say whether customers see it.
 */
export const CUSTOMER_VISIBLE = {
  order_created: true,
  status_changed: true,
  eta_changed: true,
  delay_notice_sent: true,
  consent_given: true,
  cancel_requested: true,
  cancelled: true,
  refund_requested: true,
  refund_sent: true,
  refund_failed: true,
  customer_note: true,
  at_risk: false,
  refund_overdue: false,
  updates_unsubscribed: false,
  line_added: true,
  line_changed: true,
  payment_changed: true,
} as const satisfies Record<EventType, boolean>;

/** The types customers see: each needs its customer text. */
export type CustomerEventType = { [T in EventType]: (typeof CUSTOMER_VISIBLE)[T] extends true ? T : never }[EventType];
export const CUSTOMER_EVENT_TYPES = EVENT_TYPES.filter((t): t is CustomerEventType => CUSTOMER_VISIBLE[t]);

/**
 * A table with one entry per event type, each given that type's event: what readers fill in for customer text, staff
 * text and message mapping, so the compiler names any type a reader has forgotten.
 */
export type PerEventType<R> = { [T in EventType]: (event: EventOf<T>) => R };
