// A refund's standing in words: English for staff (console, CLI), the customer's language for their order page.
import type { RefundStanding } from '#src/domain/refund-standing.ts';
import { formatCalendarDate, formatMoney } from './format.ts';
import type { Translate } from './translate.ts';

/** Where it stands, for staff: "requested, due by Dec 14, 2026", "sent Dec 3, 2026, reference RF-1", "failed: …". */
export function describeRefundStateForStaff(s: RefundStanding): string {
  const date = (d: string) => formatCalendarDate(d, 'en');
  switch (s.state) {
    case 'requested':
      return s.overdue ? `requested, overdue: it was due by ${date(s.dueOn)}` : `requested, due by ${date(s.dueOn)}`;
    case 'sent':
      return `sent${s.sentOn ? ` ${date(s.sentOn)}` : ''}${s.reference ? `, reference ${s.reference}` : ''}`;
    case 'failed':
      return `failed: ${s.reason || 'no reason given'}; still owed, ${s.overdue ? 'overdue since' : 'due by'} ${date(s.dueOn)}`;
  }
}

/** "Refund of $104.90 requested, due by Dec 14, 2026", and so on. */
export function describeRefundForStaff(s: RefundStanding): string {
  return `Refund of ${formatMoney(s.amount, s.currency, 'en')} ${describeRefundStateForStaff(s)}`;
}

/** The same for the customer, without the amount (their payment table shows it beside): "Refund requested, due by …". */
export function describeRefundForCustomer(s: RefundStanding, t: Translate, locale: string): string {
  switch (s.state) {
    case 'requested':
      return t('refund.standing.requested', { date: formatCalendarDate(s.dueOn, locale) });
    case 'sent':
      return s.reference
        ? t('refund.standing.sent', { date: s.sentOn ? formatCalendarDate(s.sentOn, locale) : '', reference: s.reference })
        : t('refund.standing.sent.noReference', { date: s.sentOn ? formatCalendarDate(s.sentOn, locale) : '' });
    case 'failed':
      return t('refund.standing.failed', { reason: s.reason, date: formatCalendarDate(s.dueOn, locale) });
  }
}
