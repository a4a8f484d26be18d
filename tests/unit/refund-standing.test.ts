// Where a refund stands, and how staff and customers read it: requested and due by D, sent with reference R, failed
// with the reason (and still owed) — never "refunded" before the money has gone (decision 026).
import { describe, expect, it } from 'vitest';
import { isOwed, type RefundRecord, refundStanding } from '#src/domain/refund-standing.ts';
import { describeRefundForCustomer, describeRefundForStaff } from '#src/i18n/refund-standing.ts';
import { translator } from '#src/i18n/translate.ts';

const base: RefundRecord = {
  amount: 10490,
  currency: 'USD',
  status: 'requested',
  dueOn: '2026-12-14',
  reference: null,
  sentOn: null,
  failureReason: null,
};
const today = '2026-12-03';
const requested = refundStanding(base, today);
const overdue = refundStanding(base, '2026-12-15');
const sent = refundStanding({ ...base, status: 'sent', reference: 'RF-7', sentOn: '2026-12-05' }, today);
const failed = refundStanding({ ...base, status: 'failed', failureReason: 'card expired' }, today);

describe('refundStanding', () => {
  it('is requested and due until the due date, overdue after it', () => {
    expect(requested).toEqual({ state: 'requested', amount: 10490, currency: 'USD', dueOn: '2026-12-14', overdue: false });
    expect(refundStanding(base, '2026-12-14')).toMatchObject({ overdue: false });
    expect(overdue).toMatchObject({ state: 'requested', overdue: true });
  });

  it('a failed refund keeps its reason and is still owed by the same date; a sent one is owed no more', () => {
    expect(failed).toMatchObject({ state: 'failed', reason: 'card expired', dueOn: '2026-12-14', overdue: false });
    expect([requested, failed, sent].map(isOwed)).toEqual([true, true, false]);
  });
});

describe('staff read', () => {
  it.each([
    [requested, 'Refund of $104.90 requested, due by Dec 14, 2026'],
    [overdue, 'Refund of $104.90 requested, overdue: it was due by Dec 14, 2026'],
    [sent, 'Refund of $104.90 sent Dec 5, 2026, reference RF-7'],
    [failed, 'Refund of $104.90 failed: card expired; still owed, due by Dec 14, 2026'],
  ])('%o as "%s"', (standing, text) => {
    expect(describeRefundForStaff(standing)).toBe(text);
  });
});

describe('customers read, in their language', () => {
  const en = (s: typeof requested) => describeRefundForCustomer(s, translator('en'), 'en');
  const de = (s: typeof requested) => describeRefundForCustomer(s, translator('de'), 'de');

  it('in English', () => {
    expect(en(requested)).toBe('Refund requested, due by Dec 14, 2026');
    expect(en(sent)).toBe('Refund sent Dec 5, 2026, reference RF-7');
    expect(en(failed)).toBe('Refund failed (card expired); we are on it and still owe it by Dec 14, 2026');
  });

  it('in German', () => {
    expect(de(requested)).toBe('Erstattung beantragt, fällig bis 14.12.2026');
    expect(de(sent)).toBe('Erstattung am 05.12.2026 veranlasst, Referenz RF-7');
    expect(de(failed)).toBe('Erstattung fehlgeschlagen (card expired); wir kümmern uns darum und erstatten bis 14.12.2026');
  });

  it('never as refunded while the money has not gone', () => {
    for (const s of [requested, overdue, failed]) {
      expect(en(s)).not.toMatch(/refunded/i);
      expect(describeRefundForStaff(s)).not.toMatch(/refunded/i);
    }
  });
});
