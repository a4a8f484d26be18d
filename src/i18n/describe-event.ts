// Turns a timeline event into the sentence a customer reads, in their language.
import type { TimelineEntry } from '#src/app/order-view.ts';
import type { MessageKey } from './en.ts';
import { formatCalendarDate, formatCalendarRange, formatMoney } from './format.ts';
import type { Translate } from './translate.ts';

export function describeEvent(e: TimelineEntry, t: Translate, locale: string, currency: string): { text: string; detail?: string } {
  const line = e.lineNo ?? '';
  const d = e.data;
  const money = (v: unknown) => formatMoney(typeof v === 'number' ? v : 0, typeof d.currency === 'string' ? d.currency : currency, locale);
  switch (e.type) {
    case 'status_changed':
      return { text: t('event.status_changed', { line, to: t(`status.${String(d.to)}` as MessageKey) }) };
    case 'eta_changed':
      return describeMove(d, line, 'event.eta_changed', t, locale);
    case 'delay_notice_sent': {
      // A notice sent with a move carries the move (`changed`); one sent later for the ETA the line had does not.
      const changed = d.changed as Record<string, unknown> | undefined;
      return changed
        ? describeMove(changed, line, 'event.delay_notice_sent.moved', t, locale)
        : { text: t('event.delay_notice_sent', { line }) };
    }
    case 'refund_requested':
      return {
        text: t('event.refund_requested', {
          amount: money(d.amount),
          date: typeof d.dueOn === 'string' ? formatCalendarDate(d.dueOn, locale) : '',
        }),
      };
    case 'refund_sent':
      return typeof d.reference === 'string' && d.reference
        ? { text: t('event.refund_sent.reference', { amount: money(d.amount), reference: d.reference }) }
        : { text: t('event.refund_sent', { amount: money(d.amount) }) };
    case 'refund_failed':
      return typeof d.reason === 'string' && d.reason
        ? { text: t('event.refund_failed.reason', { amount: money(d.amount), reason: d.reason }) }
        : { text: t('event.refund_failed', { amount: money(d.amount) }) };
    case 'customer_note':
      return { text: t('event.customer_note', { text: String(d.text ?? '') }) };
    case 'order_created':
    case 'consent_given':
    case 'cancel_requested':
    case 'cancelled':
      return { text: t(`event.${e.type}`, { line }) };
    default:
      return { text: t('event.other') };
  }
}

/** A move of the expected ship date: the new window, and the merchant's reason as the detail. */
function describeMove(
  d: Record<string, unknown>,
  line: number | string,
  key: 'event.eta_changed' | 'event.delay_notice_sent.moved',
  t: Translate,
  locale: string,
): { text: string; detail?: string } {
  const to = (d.to ?? {}) as { from?: string | null; to?: string | null };
  const eta = formatCalendarRange(to.from ?? null, to.to ?? null, locale) ?? t('order.line.etaUnknown');
  const reason = typeof d.reason === 'string' && d.reason ? t('event.eta_changed.reason', { reason: d.reason }) : undefined;
  return reason ? { text: t(key, { line, eta }), detail: reason } : { text: t(key, { line, eta }) };
}
