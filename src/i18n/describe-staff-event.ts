// Turns any event, staff-only ones included, into the line staff read in the console's order timeline (English).
import { formatCalendarDate, formatCalendarRange, formatMoney } from './format.ts';

export type StaffEventInput = { type: string; lineNo: number | null; data: Record<string, unknown> };

const LABELS: Record<string, string> = {
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
};

const STATUS: Record<string, string> = {
  waiting: 'waiting',
  ready: 'ready to ship',
  shipped: 'shipped',
  delivered: 'delivered',
  cancelled: 'cancelled',
};

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const date = (v: unknown): string | null => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatCalendarDate(v, 'en') : null);

export function describeStaffEvent(e: StaffEventInput, currency: string): { text: string; detail: string | null } {
  const d = e.data;
  const label = LABELS[e.type] ?? e.type.replaceAll('_', ' ');
  const text = e.lineNo === null ? label : `Line ${e.lineNo}: ${label}`;
  const money = (v: unknown) => formatMoney(typeof v === 'number' ? v : 0, str(d.currency) ?? currency, 'en');
  const details: string[] = [];
  switch (e.type) {
    case 'status_changed':
      details.push(`${STATUS[String(d.from)] ?? String(d.from)} → ${STATUS[String(d.to)] ?? String(d.to)}`);
      if (str(d.trackingUrl)) details.push(`tracking ${d.trackingUrl}`);
      break;
    case 'eta_changed': {
      const to = (d.to ?? {}) as { from?: string | null; to?: string | null };
      details.push(`to ${formatCalendarRange(to.from ?? null, to.to ?? null, 'en') ?? 'no date'}`);
      if (str(d.reason)) details.push(`reason: ${d.reason}`);
      break;
    }
    case 'delay_notice_sent': {
      // Sent with a move: the event carries the move too.
      const changed = d.changed as { to?: { from?: string | null; to?: string | null }; reason?: unknown } | undefined;
      if (changed) details.push(`ETA to ${formatCalendarRange(changed.to?.from ?? null, changed.to?.to ?? null, 'en') ?? 'no date'}`);
      details.push(`revised date ${date(d.revisedDate) ?? 'none given'}`, `silence means ${String(d.silenceMeans ?? '?')}`);
      if (date(d.deadline)) details.push(`answer by ${date(d.deadline)}`);
      if (changed && str(changed.reason)) details.push(`reason: ${changed.reason}`);
      break;
    }
    case 'consent_given':
      details.push(`until ${date(d.consentedUntil) ?? 'ready (indefinite)'}`);
      if (str(d.via)) details.push(`via ${String(d.via).replaceAll('_', ' ')}`);
      break;
    case 'cancelled':
      if (str(d.reason)) details.push(String(d.reason));
      break;
    case 'refund_requested':
      details.push(money(d.amount));
      if (date(d.dueOn)) details.push(`due by ${date(d.dueOn)}`);
      break;
    case 'refund_sent':
      details.push(money(d.amount));
      if (str(d.reference)) details.push(`reference ${d.reference}`);
      if (date(d.sentOn)) details.push(`sent ${date(d.sentOn)}`);
      break;
    case 'refund_failed':
      details.push(money(d.amount));
      if (str(d.reason)) details.push(`reason: ${d.reason}`);
      if (date(d.dueOn)) details.push(`still due by ${date(d.dueOn)}`);
      break;
    case 'refund_overdue':
      details.push(money(d.amount));
      if (date(d.dueOn)) details.push(`was due ${date(d.dueOn)}`);
      break;
    case 'at_risk':
      if (date(d.shipBy)) details.push(`ship by ${date(d.shipBy)}`);
      break;
    case 'customer_note':
      if (str(d.text)) details.push(`“${d.text}”`);
      break;
  }
  return { text, detail: details.length ? details.join('; ') : null };
}
