// Turns any event, staff-only ones included, into the line staff read in the console's order timeline (English).
import { isValidCalendarDate } from '#src/domain/calendar-date.ts';
import { type EventData, type EventType, storedEvent } from '#src/domain/events.ts';
import { formatCalendarDate, formatCalendarRange, formatMoney } from './format.ts';

export type StaffEventInput = { type: string; lineNo: number | null; data: Record<string, unknown> };

/** A label for every event type: a type without one does not compile. */
const LABELS = {
  order_created: 'Order placed',
  status_changed: 'Status changed',
  eta_changed: 'ETA moved',
  delay_notice_sent: 'Delay option notice sent',
  consent_given: 'Customer consented to the delay',
  cancel_requested: 'Cancellation requested',
  cancelled: 'Cancelled',
  refund_requested: 'Refund requested',
  refund_sent: 'Refund sent',
  refund_failed: 'Refund failed',
  customer_note: 'Note to the customer',
  at_risk: 'At risk: ship-by date near with no notice sent',
  refund_overdue: 'Refund overdue',
  updates_unsubscribed: 'Customer unsubscribed from optional updates',
  line_added: 'Line added by the shop platform',
  line_changed: 'Line changed by the shop platform',
  payment_changed: 'Payment changed by the shop platform',
} satisfies Record<EventType, string>;

const STATUS: Record<string, string> = {
  waiting: 'waiting',
  ready: 'ready to ship',
  shipped: 'shipped',
  delivered: 'delivered',
  cancelled: 'cancelled',
};

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const date = (v: unknown): string | null => (isValidCalendarDate(v) ? formatCalendarDate(v, 'en') : null);

type Money = (v: unknown) => string;

/** The details of every event type (none for some): a type without its entry does not compile. */
const DETAILS = {
  order_created: () => [],
  status_changed: (d) => [
    `${STATUS[String(d.from)] ?? String(d.from)} → ${STATUS[String(d.to)] ?? String(d.to)}`,
    ...(str(d.trackingUrl) ? [`tracking ${d.trackingUrl}`] : []),
  ],
  eta_changed: (d) => {
    const to: { from?: string | null; to?: string | null } = d.to ?? {};
    const out = [`to ${formatCalendarRange(to.from ?? null, to.to ?? null, 'en') ?? 'no date'}`];
    if (str(d.reason)) out.push(`reason: ${d.reason}`);
    return out;
  },
  delay_notice_sent: (d) => {
    // Sent with a move: the event carries the move too.
    const changed = d.changed;
    const out: string[] = [];
    if (changed) out.push(`ETA to ${formatCalendarRange(changed.to?.from ?? null, changed.to?.to ?? null, 'en') ?? 'no date'}`);
    out.push(`revised date ${date(d.revisedDate) ?? 'none given'}`, `silence means ${String(d.silenceMeans ?? '?')}`);
    if (date(d.deadline)) out.push(`answer by ${date(d.deadline)}`);
    if (changed && str(changed.reason)) out.push(`reason: ${changed.reason}`);
    return out;
  },
  consent_given: (d) => [
    `until ${date(d.consentedUntil) ?? 'ready (indefinite)'}`,
    ...(str(d.via) ? [`via ${String(d.via).replaceAll('_', ' ')}`] : []),
  ],
  cancel_requested: () => [],
  cancelled: (d) => (str(d.reason) ? [String(d.reason)] : []),
  refund_requested: (d, money) => [money(d.amount), ...(date(d.dueOn) ? [`due by ${date(d.dueOn)}`] : [])],
  refund_sent: (d, money) => [
    money(d.amount),
    ...(str(d.reference) ? [`reference ${d.reference}`] : []),
    ...(date(d.sentOn) ? [`sent ${date(d.sentOn)}`] : []),
  ],
  refund_failed: (d, money) => [
    money(d.amount),
    ...(str(d.reason) ? [`reason: ${d.reason}`] : []),
    ...(date(d.dueOn) ? [`still due by ${date(d.dueOn)}`] : []),
  ],
  refund_overdue: (d, money) => [money(d.amount), ...(date(d.dueOn) ? [`was due ${date(d.dueOn)}`] : [])],
  at_risk: (d) => (date(d.shipBy) ? [`ship by ${date(d.shipBy)}`] : []),
  customer_note: (d) => (str(d.text) ? [`“${d.text}”`] : []),
  updates_unsubscribed: () => [],
  line_added: (d) => [`${d.name} (SKU ${d.sku}) × ${d.quantity}`],
  line_changed: (d, money) => [
    ...(d.quantity ? [`quantity ${d.quantity.from} → ${d.quantity.to}`] : []),
    ...(d.unitPrice ? [`unit price ${money(d.unitPrice.from)} → ${money(d.unitPrice.to)}`] : []),
    ...(d.name ? [`name “${d.name.from}” → “${d.name.to}”`] : []),
    ...(d.kind ? [`kind ${d.kind.from.replaceAll('_', ' ')} → ${d.kind.to.replaceAll('_', ' ')}`] : []),
  ],
  payment_changed: (d, money) => [
    `paid ${d.from ? `${money(d.from.paid)} → ` : ''}${money(d.to.paid)}`,
    `shipping ${money(d.to.shipping)}`,
    `charged ${d.to.charge.replaceAll('_', ' ')}${d.to.deposit !== null ? ` (deposit ${money(d.to.deposit)})` : ''}`,
  ],
} satisfies { [T in EventType]: (d: EventData<T>, money: Money) => string[] };

export function describeStaffEvent(e: StaffEventInput, currency: string): { text: string; detail: string | null } {
  const d = e.data;
  const event = storedEvent(e);
  const label = event ? LABELS[event.type] : e.type.replaceAll('_', ' ');
  const text = e.lineNo === null ? label : `Line ${e.lineNo}: ${label}`;
  const money = (v: unknown) => formatMoney(typeof v === 'number' ? v : 0, str(d.currency) ?? currency, 'en');
  const details = event ? (DETAILS[event.type] as (d: unknown, money: Money) => string[])(event.data, money) : [];
  return { text, detail: details.length ? details.join('; ') : null };
}
