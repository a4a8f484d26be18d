// Where a refund stands (435.1(b)): requested and due by a date (overdue after it), sent with its reference, or failed
// with the reason and still owed. The one reading every page, the timeline and the CLI put into words.
import type { CalendarDate } from './calendar-date.ts';

export const RefundState = { Requested: 'requested', Sent: 'sent', Failed: 'failed' } as const;
export type RefundState = (typeof RefundState)[keyof typeof RefundState];

export type RefundRecord = {
  amount: number;
  currency: string;
  status: RefundState;
  dueOn: CalendarDate;
  reference: string | null;
  sentOn: CalendarDate | null;
  failureReason: string | null;
};

export type RefundStanding =
  /** Recorded and handed on (to the shop platform, or to staff to make by hand); not sent yet. */
  | { state: 'requested'; amount: number; currency: string; dueOn: CalendarDate; overdue: boolean }
  | { state: 'sent'; amount: number; currency: string; sentOn: CalendarDate | null; reference: string | null }
  /** The platform could not make it: still owed by the same date. */
  | { state: 'failed'; amount: number; currency: string; dueOn: CalendarDate; overdue: boolean; reason: string };

/** `today` in the store's zone, where the 7 working days are counted. */
export function refundStanding(r: RefundRecord, today: CalendarDate): RefundStanding {
  const { amount, currency } = r;
  switch (r.status) {
    case 'sent':
      return { state: 'sent', amount, currency, sentOn: r.sentOn, reference: r.reference };
    case 'failed':
      return { state: 'failed', amount, currency, dueOn: r.dueOn, overdue: r.dueOn < today, reason: r.failureReason ?? '' };
    case 'requested':
      return { state: 'requested', amount, currency, dueOn: r.dueOn, overdue: r.dueOn < today };
  }
}

/** Still owed to the customer: requested or failed, not sent. */
export function isOwed(s: RefundStanding): s is Extract<RefundStanding, { state: 'requested' | 'failed' }> {
  return s.state !== 'sent';
}
