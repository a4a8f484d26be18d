// Turns a timeline event into the sentence a customer reads, in their language.

import { type CUSTOMER_VISIBLE, type EventData, type EventType, storedEvent } from '#src/domain/events.ts';
import type { TimelineEntry } from '#src/orders/order-view.ts';
import type { MessageKey } from './en.ts';
import { formatCalendarDate, formatCalendarRange, formatMoney } from './format.ts';
import type { Translate } from './translate.ts';

type Described = { text: string; detail?: string };
type Context = { line: number | string; t: Translate; locale: string; money: (v: unknown) => string };

/**
 * The customer's text of every event type: a function for each type customers see, null for the staff-only ones.
 * A type without its entry, or a visible type without its text, does not compile.
 */
type CustomerTexts = {
  [T in EventType]: (typeof CUSTOMER_VISIBLE)[T] extends true ? (d: EventData<T>, c: Context) => Described : null;
};

const CUSTOMER_TEXT = {
  order_created: (_, { line, t }) => ({ text: t('event.order_created', { line }) }),
  status_changed: (d, { line, t }) => ({ text: t('event.status_changed', { line, to: t(`status.${String(d.to)}` as MessageKey) }) }),
  eta_changed: (d, { line, t, locale }) => describeMove(d, line, 'event.eta_changed', t, locale),
  // A notice sent with a move carries the move (`changed`); one sent later for the ETA the line had does not.
  delay_notice_sent: (d, { line, t, locale }) =>
    d.changed
      ? describeMove(d.changed, line, 'event.delay_notice_sent.moved', t, locale)
      : { text: t('event.delay_notice_sent', { line }) },
  consent_given: (_, { line, t }) => ({ text: t('event.consent_given', { line }) }),
  cancel_requested: (_, { line, t }) => ({ text: t('event.cancel_requested', { line }) }),
  cancelled: (_, { line, t }) => ({ text: t('event.cancelled', { line }) }),
  refund_requested: (d, { t, locale, money }) => ({
    text: t('event.refund_requested', {
      amount: money(d.amount),
      date: typeof d.dueOn === 'string' ? formatCalendarDate(d.dueOn, locale) : '',
    }),
  }),
  refund_sent: (d, { t, money }) =>
    typeof d.reference === 'string' && d.reference
      ? { text: t('event.refund_sent.reference', { amount: money(d.amount), reference: d.reference }) }
      : { text: t('event.refund_sent', { amount: money(d.amount) }) },
  refund_failed: (d, { t, money }) =>
    typeof d.reason === 'string' && d.reason
      ? { text: t('event.refund_failed.reason', { amount: money(d.amount), reason: d.reason }) }
      : { text: t('event.refund_failed', { amount: money(d.amount) }) },
  customer_note: (d, { t }) => ({ text: t('event.customer_note', { text: String(d.text ?? '') }) }),
  at_risk: null,
  refund_overdue: null,
  updates_unsubscribed: null,
  line_added: (d, { line, t }) => ({ text: t('event.line_added', { line, name: d.name }) }),
  line_changed: (_, { line, t }) => ({ text: t('event.line_changed', { line }) }),
  payment_changed: (d, { t, money }) => ({ text: t('event.payment_changed', { amount: money(d.to.paid) }) }),
} satisfies CustomerTexts;

export function describeEvent(e: TimelineEntry, t: Translate, locale: string, currency: string): Described {
  const event = storedEvent(e);
  const textOf = event ? (CUSTOMER_TEXT[event.type] as ((d: unknown, c: Context) => Described) | null) : null;
  if (!event || !textOf) return { text: t('event.other') };
  const d: Record<string, unknown> = event.data;
  const money = (v: unknown) => formatMoney(typeof v === 'number' ? v : 0, typeof d.currency === 'string' ? d.currency : currency, locale);
  return textOf(event.data, { line: e.lineNo ?? '', t, locale, money });
}

/** A move of the expected ship date: the new window, and the merchant's reason as the detail. */
function describeMove(
  d: Partial<EventData<'eta_changed'>>,
  line: number | string,
  key: 'event.eta_changed' | 'event.delay_notice_sent.moved',
  t: Translate,
  locale: string,
): Described {
  const to: { from?: string | null; to?: string | null } = d.to ?? {};
  const eta = formatCalendarRange(to.from ?? null, to.to ?? null, locale) ?? t('order.line.etaUnknown');
  const reason = typeof d.reason === 'string' && d.reason ? t('event.eta_changed.reason', { reason: d.reason }) : undefined;
  return reason ? { text: t(key, { line, eta }), detail: reason } : { text: t(key, { line, eta }) };
}
