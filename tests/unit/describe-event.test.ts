// How a timeline event reads to the customer (in their language) and to staff.
import { describe, expect, it } from 'vitest';
import { describeEvent } from '#src/i18n/describe-event.ts';
import { describeStaffEvent } from '#src/i18n/describe-staff-event.ts';
import { formatCalendarRange } from '#src/i18n/format.ts';
import { translator } from '#src/i18n/translate.ts';

const move = {
  from: { from: '2026-12-01', to: '2026-12-05' },
  to: { from: '2027-01-10', to: '2027-01-15' },
  reason: 'Glass shades failed inspection',
};
const notice = { kind: 'first', revisedDate: '2027-01-15', silenceMeans: 'refusal', deadline: '2027-01-14', reason: move.reason };
// Intl puts thin spaces around the range's dash.
const jan = formatCalendarRange('2027-01-10', '2027-01-15', 'en') as string;
const entry = (type: string, data: Record<string, unknown>) => ({ id: 1, at: new Date('2026-11-23T12:00:00Z'), type, lineNo: 2, data });
const customer = (type: string, data: Record<string, unknown>, locale = 'en') =>
  describeEvent(entry(type, data), translator(locale), locale, 'USD');

describe('a customer reads', () => {
  it('an ETA move as the new window, with the reason as its detail', () => {
    expect(customer('eta_changed', { ...move, classification: 'no_notice' })).toEqual({
      text: `Item 2: expected ship date moved to ${jan}`,
      detail: 'Reason: Glass shades failed inspection',
    });
  });

  it('a notice sent with a move as one entry that says both, in their language', () => {
    const data = { ...notice, changed: { ...move, classification: 'first_notice_silence_consents' } };
    expect(customer('delay_notice_sent', data)).toEqual({
      text: `Item 2: expected ship date moved to ${jan}; we sent you a delay notice`,
      detail: 'Reason: Glass shades failed inspection',
    });
    expect(customer('delay_notice_sent', data, 'de').text).toMatch(
      /^Artikel 2: Versand jetzt voraussichtlich .*2027; Verzögerungsmitteilung an Sie gesendet$/,
    );
  });

  it('a notice sent for the ETA the line already had (the sweep) as the notice alone', () => {
    expect(customer('delay_notice_sent', notice)).toEqual({ text: 'Item 2: we sent you a delay notice' });
  });
});

describe('staff read', () => {
  it('a notice sent with a move with the new ETA and the reason among its details', () => {
    const out = describeStaffEvent({ type: 'delay_notice_sent', lineNo: 2, data: { ...notice, changed: move } }, 'USD');
    expect(out.text).toBe('Line 2: Delay option notice sent');
    expect(out.detail).toContain(`ETA to ${jan}`);
    expect(out.detail).toContain('reason: Glass shades failed inspection');
    expect(out.detail).toContain('silence means refusal');
  });

  it('a notice without a move without them', () => {
    const out = describeStaffEvent({ type: 'delay_notice_sent', lineNo: 2, data: notice }, 'USD');
    expect(out.detail).not.toContain('ETA to');
    expect(out.detail).not.toContain('reason:');
  });
});

describe('a refund says where it stands', () => {
  const requested = { refundId: 7, amount: 10490, currency: 'USD', dueOn: '2026-12-14', vestedOn: '2026-12-03' };

  it('to the customer: requested and due by a date, sent with its reference, failed with the reason', () => {
    expect(customer('refund_requested', requested).text).toBe('Refund of $104.90 requested, due by Dec 14, 2026');
    expect(customer('refund_sent', { amount: 10490, currency: 'USD', reference: 'RF-7', sentOn: '2026-12-05' }).text).toBe(
      'Refund of $104.90 sent, reference RF-7',
    );
    expect(customer('refund_failed', { amount: 10490, currency: 'USD', reason: 'card expired', dueOn: '2026-12-14' }).text).toBe(
      'Refund of $104.90 failed (card expired); we are on it',
    );
  });

  it('in German too', () => {
    expect(customer('refund_requested', requested, 'de').text).toMatch(/^Erstattung von 104,90\s\$ beantragt, fällig bis 14\.12\.2026$/);
    expect(customer('refund_sent', { amount: 10490, currency: 'USD', reference: 'RF-7' }, 'de').text).toMatch(
      /^Erstattung von 104,90\s\$ veranlasst, Referenz RF-7$/,
    );
    expect(customer('refund_failed', { amount: 10490, currency: 'USD', reason: 'Karte abgelaufen' }, 'de').text).toMatch(
      /^Erstattung von 104,90\s\$ fehlgeschlagen \(Karte abgelaufen\), wir kümmern uns darum$/,
    );
  });

  it('to staff: a requested refund is "requested", not "owed" or "refunded"; a failure keeps its reason and due date', () => {
    const asked = describeStaffEvent({ type: 'refund_requested', lineNo: null, data: requested }, 'USD');
    expect(asked).toEqual({ text: 'Refund requested', detail: '$104.90; due by Dec 14, 2026' });
    const failed = describeStaffEvent(
      { type: 'refund_failed', lineNo: null, data: { amount: 10490, currency: 'USD', reason: 'card expired', dueOn: '2026-12-14' } },
      'USD',
    );
    expect(failed.detail).toBe('$104.90; reason: card expired; still due by Dec 14, 2026');
  });
});
