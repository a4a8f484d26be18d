// Specification of the FTC Mail, Internet, or Telephone Order Merchandise Rule as Porchlight enforces it (16 CFR 435).
import { describe, expect, it } from 'vitest';
import type { CustomerAnswer, DelayNotice, LineRuleState, NewEta } from '../../src/domain/ftc-rule.ts';
import {
  applicableTime,
  assessLine,
  canCustomerCancel,
  classifyDelay,
  dueActions,
  isAtRisk,
  noticeRecord,
} from '../../src/domain/ftc-rule.ts';

// The applicable time used throughout: T = 1 June 2026; T+30 = 1 July; T+31 = 2 July.
const T = '2026-06-01';
const T_PLUS_30 = '2026-07-01';
const T_PLUS_31 = '2026-07-02';

function line(over: Partial<LineRuleState> = {}): LineRuleState {
  return { T, shipped: false, cancelled: false, notices: [], answers: [], ...over };
}
function firstSilence(sentOn: string, revisedDate: string): DelayNotice {
  return { kind: 'first', sentOn, revisedDate, silenceMeans: 'consent', deadline: revisedDate };
}
function firstExpress(sentOn: string, revisedDate: string | null, reason: string | null = null): DelayNotice {
  return { kind: 'first', sentOn, revisedDate, silenceMeans: 'refusal', deadline: T_PLUS_30, reason };
}
function renewed(sentOn: string, revisedDate: string | null, deadline: string): DelayNotice {
  return { kind: 'renewed', sentOn, revisedDate, silenceMeans: 'refusal', deadline };
}
function consent(on: string, consentedUntil: string | null, noticeIndex?: number): CustomerAnswer {
  return noticeIndex === undefined ? { kind: 'consent', on, consentedUntil } : { kind: 'consent', on, consentedUntil, noticeIndex };
}
function cancel(on: string): CustomerAnswer {
  return { kind: 'cancel', on };
}
const eta = (revisedDate: string | null, reason?: string): NewEta => (reason === undefined ? { revisedDate } : { revisedDate, reason });

describe('applicableTime — 435.2(a)(1)', () => {
  const tz = 'America/New_York';
  it.each([
    ['a stated ship-by date is T', { promisedBy: '2026-05-15', orderCompletedAt: new Date('2026-04-10T15:00:00Z') }, '2026-05-15'],
    [
      'no stated date: 30 days after the properly completed order',
      { promisedBy: null, orderCompletedAt: new Date('2026-04-10T15:00:00Z') },
      '2026-05-10',
    ],
    [
      'no stated date, buyer applied for credit: 50 days',
      { promisedBy: null, orderCompletedAt: new Date('2026-04-10T15:00:00Z'), creditApplication: true },
      '2026-05-30',
    ],
    [
      'a stated date wins over the credit-application 50 days',
      { promisedBy: '2026-05-15', orderCompletedAt: new Date('2026-04-10T15:00:00Z'), creditApplication: true },
      '2026-05-15',
    ],
    ['30 days crosses a month end', { promisedBy: null, orderCompletedAt: new Date('2026-01-31T17:00:00Z') }, '2026-03-02'],
  ])('%s', (_name, input, expected) => {
    expect(applicableTime({ storeTimeZone: tz, ...input })).toBe(expected);
  });

  it('charge-later preorder: the clock starts at authorisation (properly completed order), not at the later charge', () => {
    const authorisedAt = new Date('2026-04-10T15:00:00Z');
    const chargedAt = new Date('2026-05-20T15:00:00Z'); // charged on release; irrelevant to T
    const t = applicableTime({ promisedBy: null, orderCompletedAt: authorisedAt, storeTimeZone: tz });
    expect(t).toBe('2026-05-10');
    expect(t).not.toBe(applicableTime({ promisedBy: null, orderCompletedAt: chargedAt, storeTimeZone: tz }));
  });

  it.each([
    // 22:30 in New York on 10 April is already 11 April in UTC; T counts from the store's date.
    ['late evening in New York (next day UTC)', '2026-04-11T02:30:00Z', 'America/New_York', '2026-05-10'],
    ['same instant in a UTC store', '2026-04-11T02:30:00Z', 'UTC', '2026-05-11'],
    ['late evening UTC is next morning in Tokyo', '2026-04-30T23:30:00Z', 'Asia/Tokyo', '2026-05-31'],
    ['late evening UTC is still that afternoon in Los Angeles', '2026-04-30T23:30:00Z', 'America/Los_Angeles', '2026-05-30'],
  ])('time zones: %s', (_name, iso, storeTimeZone, expected) => {
    expect(applicableTime({ promisedBy: null, orderCompletedAt: new Date(iso), storeTimeZone })).toBe(expected);
  });

  it('rejects an invalid stated date', () => {
    expect(() => applicableTime({ promisedBy: '2026-02-30', orderCompletedAt: new Date(), storeTimeZone: tz })).toThrow(RangeError);
  });
});

describe('classifyDelay — first notice, 435.2(b)(1)', () => {
  const today = '2026-05-20';
  it.each([
    ['R before T needs no notice', eta('2026-05-25'), { action: 'no_notice', why: 'within_applicable_time' }],
    ['R = T needs no notice', eta(T), { action: 'no_notice', why: 'within_applicable_time' }],
    [
      'R = T+1: silence is consent up to R (b)(1)(ii)',
      eta('2026-06-02'),
      {
        action: 'first_notice_silence_consents',
        section: '435.2(b)(1)(ii)',
        revisedDate: '2026-06-02',
        deadline: '2026-06-02',
        silenceMeans: 'consent',
      },
    ],
    [
      'R = T+30 exactly: silence is consent (b)(1)(ii)',
      eta(T_PLUS_30),
      { action: 'first_notice_silence_consents', revisedDate: T_PLUS_30, deadline: T_PLUS_30 },
    ],
    [
      'R = T+31: express consent needed by T+30 (b)(1)(iii)',
      eta(T_PLUS_31),
      {
        action: 'first_notice_express_consent',
        section: '435.2(b)(1)(iii)',
        revisedDate: T_PLUS_31,
        deadline: T_PLUS_30,
        silenceMeans: 'refusal',
      },
    ],
    [
      'no date, with the reason: express consent needed by T+30 (b)(1)(iii), (a)(3)',
      eta(null, 'Factory closed by flooding'),
      { action: 'first_notice_express_consent', revisedDate: null, deadline: T_PLUS_30, reason: 'Factory closed by flooding' },
    ],
    [
      'no date without a reason is refused (a)(3)',
      eta(null),
      { action: 'invalid_eta', section: '435.2(a)(3)', why: 'reason_required_for_indefinite_delay' },
    ],
    [
      'no date with a blank reason is refused (a)(3)',
      eta(null, '   '),
      { action: 'invalid_eta', why: 'reason_required_for_indefinite_delay' },
    ],
    ['a revised date in the past is refused', eta('2026-05-19'), { action: 'invalid_eta', why: 'revised_date_in_past' }],
  ])('%s', (_name, newEta, expected) => {
    expect(classifyDelay(line(), newEta, today)).toMatchObject(expected);
  });

  it('the first notice may be sent on T itself ("in no event later than said applicable time")', () => {
    expect(classifyDelay(line(), eta('2026-06-10'), T)).toMatchObject({ action: 'first_notice_silence_consents', deadline: '2026-06-10' });
  });

  it('the day after T with no notice sent and not shipped, the line must be cancelled now — 435.2(c)', () => {
    expect(classifyDelay(line(), eta('2026-06-10'), '2026-06-02')).toEqual({
      action: 'cancel_now',
      section: '435.2(c)',
      why: 'no_notice_by_applicable_time',
      vestedOn: '2026-06-02',
    });
  });

  it.each([
    ['shipped', line({ shipped: true }), 'shipped'],
    ['cancelled', line({ cancelled: true }), 'cancelled'],
    ['shipped, even long past T', line({ shipped: true }), 'shipped'],
  ])('a %s line needs no notice', (_name, state, why) => {
    expect(classifyDelay(state, eta('2026-12-01'), '2026-09-01')).toEqual({ action: 'no_notice', why });
  });
});

describe('classifyDelay — after a silence-is-consent notice (R1 = 20 June)', () => {
  const state = line({ notices: [firstSilence('2026-05-20', '2026-06-20')] });
  const today = '2026-06-10';
  it.each([
    ['an earlier date is within the revised date', eta('2026-06-15'), { action: 'no_notice', why: 'within_revised_date' }],
    ['the same date is within the revised date', eta('2026-06-20'), { action: 'no_notice', why: 'within_revised_date' }],
    [
      'a later date needs a renewed notice before R1; silence now refuses (b)(2)',
      eta('2026-06-25'), // still within T+30, but a renewed notice never lets silence consent
      {
        action: 'renewed_notice',
        section: '435.2(b)(2)',
        kind: 'renewed',
        silenceMeans: 'refusal',
        revisedDate: '2026-06-25',
        deadline: '2026-06-20',
      },
    ],
    [
      'no date (with reason) needs a renewed notice',
      eta(null, 'Supplier insolvent'),
      { action: 'renewed_notice', revisedDate: null, deadline: '2026-06-20' },
    ],
    ['no date without reason is refused', eta(null), { action: 'invalid_eta', why: 'reason_required_for_indefinite_delay' }],
  ])('%s', (_name, newEta, expected) => {
    expect(classifyDelay(state, newEta, today)).toMatchObject(expected);
  });

  it('a renewed notice may still be sent on R1 itself', () => {
    expect(classifyDelay(state, eta('2026-07-10'), '2026-06-20')).toMatchObject({ action: 'renewed_notice', deadline: '2026-06-20' });
  });

  it('once R1 passed with no renewed notice and no shipment, silence does not cover it: cancel now — 435.2(c)', () => {
    expect(classifyDelay(state, eta('2026-07-10'), '2026-06-21')).toEqual({
      action: 'cancel_now',
      section: '435.2(c)',
      why: 'revised_date_passed_without_renewed_notice',
      vestedOn: '2026-06-21',
    });
  });

  it('an express consent to a later date (b)(1)(iv) replaces the revised date', () => {
    const s = line({ notices: [firstSilence('2026-05-20', '2026-06-20')], answers: [consent('2026-05-22', '2026-06-28')] });
    expect(classifyDelay(s, eta('2026-06-27'), today)).toEqual({ action: 'no_notice', why: 'within_consented_date' });
    expect(classifyDelay(s, eta('2026-07-05'), today)).toMatchObject({ action: 'renewed_notice', deadline: '2026-06-28' });
  });
});

describe('classifyDelay — while an express-consent notice awaits an answer (R1 = 15 Aug, deadline T+30)', () => {
  const state = line({ notices: [firstExpress('2026-05-20', '2026-08-15')] });
  const today = '2026-06-10';
  it.each([
    [
      'R ≤ T+30: shipping within 30 days of T needs no consent (b)(1)(iii)(A)',
      eta('2026-06-25'),
      { action: 'no_notice', why: 'within_30_days_of_applicable_time' },
    ],
    [
      'R ≤ R1: the pending notice already asks consent to a later date',
      eta('2026-08-01'),
      { action: 'no_notice', why: 'within_pending_notice' },
    ],
    [
      'R > R1: a new notice, silence refuses, deadline still T+30',
      eta('2026-08-20'),
      { action: 'renewed_notice', revisedDate: '2026-08-20', deadline: T_PLUS_30 },
    ],
    [
      'no date now (with reason): a new notice',
      eta(null, 'Tooling failure'),
      { action: 'renewed_notice', revisedDate: null, deadline: T_PLUS_30 },
    ],
  ])('%s', (_name, newEta, expected) => {
    expect(classifyDelay(state, newEta, today)).toMatchObject(expected);
  });

  it('a pending indefinite-delay notice already covers any date', () => {
    const s = line({ notices: [firstExpress('2026-05-20', null, 'Tooling failure')] });
    expect(classifyDelay(s, eta('2026-10-01'), today)).toEqual({ action: 'no_notice', why: 'within_pending_notice' });
  });

  it('after T+30 with neither shipment nor express consent: cancel now — 435.2(b)(1)(iii)', () => {
    expect(classifyDelay(state, eta('2026-08-20'), T_PLUS_31)).toEqual({
      action: 'cancel_now',
      section: '435.2(b)(1)(iii)',
      why: 'express_consent_missing',
      vestedOn: T_PLUS_31,
    });
  });

  it('after express consent to R1: dates up to R1 need nothing, later dates a renewed notice due by R1', () => {
    const s = line({ notices: [firstExpress('2026-05-20', '2026-08-15')], answers: [consent('2026-06-05', '2026-08-15')] });
    expect(classifyDelay(s, eta('2026-08-10'), '2026-07-10')).toEqual({ action: 'no_notice', why: 'within_consented_date' });
    expect(classifyDelay(s, eta('2026-09-01'), '2026-07-10')).toMatchObject({ action: 'renewed_notice', deadline: '2026-08-15' });
  });
});

describe('classifyDelay — indefinite consent, 435.2(b)(1)(iii)', () => {
  const state = line({
    notices: [firstExpress('2026-05-20', null, 'Factory closed by flooding')],
    answers: [consent('2026-05-25', null)],
  });
  it.each([
    ['a definite date', eta('2026-12-01')],
    ['still no date', eta(null)],
  ])('%s needs no further notice', (_name, newEta) => {
    expect(classifyDelay(state, newEta, '2026-08-01')).toEqual({ action: 'no_notice', why: 'indefinite_consent' });
  });
});

describe('dueActions — the scheduled sweep', () => {
  type Case = [name: string, state: LineRuleState, today: string, expected: unknown];
  const none = { action: 'none' };
  const silence = firstSilence('2026-05-20', '2026-06-20');
  const express = firstExpress('2026-05-20', '2026-08-15');
  const cases: Case[] = [
    // 435.2(c): no notice by T and not shipped
    ['before T, nothing', line(), '2026-05-31', none],
    ['on T, nothing yet (may still ship today)', line(), T, none],
    [
      'the day after T with no notice and no shipment: cancel (c)',
      line(),
      '2026-06-02',
      { action: 'cancel_and_refund', section: '435.2(c)', why: 'no_notice_by_applicable_time', vestedOn: '2026-06-02' },
    ],
    [
      'a sweep that runs late still reports the day the right vested',
      line(),
      '2026-06-09',
      { action: 'cancel_and_refund', why: 'no_notice_by_applicable_time', vestedOn: '2026-06-02' },
    ],
    ['shipped by T: nothing', line({ shipped: true }), '2026-06-09', none],
    ['already cancelled: nothing', line({ cancelled: true }), '2026-06-09', none],
    [
      'a first notice sent after T does not cure the missed notice (b)(1)',
      line({ notices: [firstSilence('2026-06-02', '2026-06-20')] }),
      '2026-06-05',
      { action: 'cancel_and_refund', why: 'no_notice_by_applicable_time', vestedOn: '2026-06-02' },
    ],

    // 435.2(b)(1)(ii): silence is consent up to R only
    ['silence notice: past T, before R1, nothing', line({ notices: [silence] }), '2026-06-15', none],
    ['silence notice: on R1, nothing', line({ notices: [silence] }), '2026-06-20', none],
    [
      'silence notice: R1 passed, no renewed notice, not shipped: cancel (b)(2)/(c)',
      line({ notices: [silence] }),
      '2026-06-21',
      { action: 'cancel_and_refund', section: '435.2(c)', why: 'revised_date_passed_without_renewed_notice', vestedOn: '2026-06-21' },
    ],
    ['silence notice: shipped after T but by R1: nothing', line({ notices: [silence], shipped: true }), '2026-06-25', none],
    [
      'a record claiming "silence is consent" for R > T+30 is read as needing express consent',
      line({ notices: [firstSilence('2026-05-20', T_PLUS_31)] }),
      T_PLUS_31,
      { action: 'cancel_and_refund', section: '435.2(b)(1)(iii)', why: 'express_consent_missing', vestedOn: T_PLUS_31 },
    ],

    // 435.2(b)(1)(iii): express consent or shipment within 30 days of T
    ['express notice: on T+30 without consent, nothing yet', line({ notices: [express] }), T_PLUS_30, none],
    [
      'express notice: T+31 without consent or shipment: cancel (b)(1)(iii)',
      line({ notices: [express] }),
      T_PLUS_31,
      { action: 'cancel_and_refund', section: '435.2(b)(1)(iii)', why: 'express_consent_missing', vestedOn: T_PLUS_31 },
    ],
    [
      'express notice: no date, no consent: cancel at T+31 (b)(1)(iii)',
      line({ notices: [firstExpress('2026-05-20', null, 'Flood')] }),
      T_PLUS_31,
      { action: 'cancel_and_refund', why: 'express_consent_missing' },
    ],
    [
      'express notice: shipped within 30 days of T avoids cancel (b)(1)(iii)(A)',
      line({ notices: [express], shipped: true }),
      '2026-07-15',
      none,
    ],
    [
      'express notice: consent within 30 days of T avoids cancel (b)(1)(iii)(B)',
      line({ notices: [express], answers: [consent('2026-06-20', '2026-08-15')] }),
      '2026-07-15',
      none,
    ],
    [
      'express notice: consent on T+30 itself counts',
      line({ notices: [express], answers: [consent(T_PLUS_30, '2026-08-15')] }),
      '2026-07-15',
      none,
    ],
    [
      'express notice: consent on T+31 is too late',
      line({ notices: [express], answers: [consent(T_PLUS_31, '2026-08-15')] }),
      '2026-07-15',
      { action: 'cancel_and_refund', why: 'express_consent_missing', vestedOn: T_PLUS_31 },
    ],
    [
      'express consent to R1, R1 passed with no renewed notice: cancel',
      line({ notices: [express], answers: [consent('2026-06-20', '2026-08-15')] }),
      '2026-08-16',
      { action: 'cancel_and_refund', why: 'revised_date_passed_without_renewed_notice', vestedOn: '2026-08-16' },
    ],

    // 435.2(b)(2): renewed notice, silence is refusal
    [
      'renewed notice unanswered: nothing until the old revised date',
      line({ notices: [silence, renewed('2026-06-15', '2026-07-20', '2026-06-20')] }),
      '2026-06-20',
      none,
    ],
    [
      'renewed notice unanswered past the old revised date: silence refuses, cancel (b)(2)',
      line({ notices: [silence, renewed('2026-06-15', '2026-07-20', '2026-06-20')] }),
      '2026-06-21',
      { action: 'cancel_and_refund', section: '435.2(b)(2)', why: 'renewed_consent_missing', vestedOn: '2026-06-21' },
    ],
    [
      'renewed notice expressly consented: covered to the new date',
      line({ notices: [silence, renewed('2026-06-15', '2026-07-20', '2026-06-20')], answers: [consent('2026-06-18', '2026-07-20')] }),
      '2026-07-20',
      none,
    ],
    [
      'renewed notice consented, new date passed too: cancel',
      line({ notices: [silence, renewed('2026-06-15', '2026-07-20', '2026-06-20')], answers: [consent('2026-06-18', '2026-07-20')] }),
      '2026-07-21',
      { action: 'cancel_and_refund', why: 'revised_date_passed_without_renewed_notice', vestedOn: '2026-07-21' },
    ],
    [
      'a consent given to the superseded first notice does not answer the renewed one',
      line({ notices: [silence, renewed('2026-06-15', '2026-07-20', '2026-06-20')], answers: [consent('2026-06-18', '2026-06-20', 0)] }),
      '2026-06-21',
      { action: 'cancel_and_refund', why: 'renewed_consent_missing' },
    ],
    [
      'renewed notice sent and answered on the old revised date itself',
      line({ notices: [silence, renewed('2026-06-20', '2026-07-20', '2026-06-20')], answers: [consent('2026-06-20', '2026-07-20')] }),
      '2026-07-01',
      none,
    ],
    [
      'renewed notice sent after the old revised date does not cure it',
      line({ notices: [silence, renewed('2026-06-21', '2026-07-20', '2026-06-20')], answers: [consent('2026-06-22', '2026-07-20')] }),
      '2026-06-22',
      { action: 'cancel_and_refund', why: 'revised_date_passed_without_renewed_notice', vestedOn: '2026-06-21' },
    ],
    [
      'a second "first" notice is read as renewed: silence refuses',
      line({ notices: [silence, firstSilence('2026-06-15', '2026-06-28')] }),
      '2026-06-21',
      { action: 'cancel_and_refund', section: '435.2(b)(2)', why: 'renewed_consent_missing' },
    ],

    // Indefinite consent: no deadline, continuing right to cancel
    [
      'indefinite consent: nothing due, however long',
      line({ notices: [firstExpress('2026-05-20', null, 'Flood')], answers: [consent('2026-05-25', null)] }),
      '2027-03-01',
      none,
    ],
    [
      'indefinite consent, then the buyer cancels before shipment (b)(1)(iii), (c)',
      line({ notices: [firstExpress('2026-05-20', null, 'Flood')], answers: [consent('2026-05-25', null), cancel('2026-09-01')] }),
      '2026-09-01',
      { action: 'cancel_and_refund', section: '435.2(c)', why: 'customer_cancelled', vestedOn: '2026-09-01' },
    ],

    // 435.2(c): the buyer cancels before shipment under any option
    [
      'buyer cancels after a silence notice, before R1',
      line({ notices: [silence], answers: [cancel('2026-06-05')] }),
      '2026-06-06',
      { action: 'cancel_and_refund', why: 'customer_cancelled', vestedOn: '2026-06-05' },
    ],
    ['a cancel dated after today is not yet seen', line({ notices: [silence], answers: [cancel('2026-06-12')] }), '2026-06-10', none],
    [
      'a shipped line ignores a late cancel request',
      line({ notices: [silence], answers: [cancel('2026-06-12')], shipped: true }),
      '2026-06-12',
      none,
    ],
  ];
  it.each(cases)('%s', (_name, state, today, expected) => {
    expect(dueActions(state, today)).toMatchObject(expected as object);
  });
});

describe('assessLine', () => {
  it.each([
    [
      'no notice: covered to T',
      line(),
      '2026-05-20',
      { status: 'open', shipBy: T, basis: 'applicable_time', firstNoticeSent: false, awaitingConsent: null },
    ],
    [
      'silence notice: covered to R1',
      line({ notices: [firstSilence('2026-05-20', '2026-06-20')] }),
      '2026-06-01',
      { status: 'open', shipBy: '2026-06-20', basis: 'silence_consent', firstNoticeSent: true, awaitingConsent: null },
    ],
    [
      'express notice pending: covered to T+30, awaiting consent',
      line({ notices: [firstExpress('2026-05-20', '2026-08-15')] }),
      '2026-06-01',
      {
        status: 'open',
        shipBy: T_PLUS_30,
        basis: 'express_window',
        awaitingConsent: { noticeIndex: 0, kind: 'first', revisedDate: '2026-08-15', deadline: T_PLUS_30 },
      },
    ],
    [
      'indefinite consent: no ship-by date',
      line({ notices: [firstExpress('2026-05-20', null, 'Flood')], answers: [consent('2026-05-21', null)] }),
      '2026-12-01',
      { status: 'open', shipBy: null, basis: 'express_consent' },
    ],
    ['shipped', line({ shipped: true }), '2026-12-01', { status: 'shipped' }],
  ])('%s', (_name, state, today, expected) => {
    expect(assessLine(state, today)).toMatchObject(expected);
  });

  it('rejects malformed dates', () => {
    expect(() => assessLine(line({ T: '2026-6-1' }), '2026-05-01')).toThrow(RangeError);
    expect(() => assessLine(line(), '2026-02-30')).toThrow(RangeError);
  });
});

describe('isAtRisk', () => {
  type Case = [name: string, state: LineRuleState, today: string, atRisk: boolean];
  const cases: Case[] = [
    ['T 12 days away, no notice', line(), '2026-05-20', false],
    ['T 8 days away', line(), '2026-05-24', false],
    ['T exactly 7 days away', line(), '2026-05-25', true],
    ['T is today', line(), T, true],
    ['T passed with no notice', line(), '2026-06-02', true],
    ['shipped', line({ shipped: true }), '2026-05-31', false],
    ['cancelled', line({ cancelled: true }), '2026-05-31', false],
    ['silence notice sent, R1 10 days away', line({ notices: [firstSilence('2026-05-20', '2026-06-20')] }), '2026-06-10', false],
    [
      'silence notice sent, R1 6 days away, no renewed notice',
      line({ notices: [firstSilence('2026-05-20', '2026-06-20')] }),
      '2026-06-14',
      true,
    ],
    [
      'renewed notice sent and awaiting an answer',
      line({ notices: [firstSilence('2026-05-20', '2026-06-20'), renewed('2026-06-12', '2026-07-20', '2026-06-20')] }),
      '2026-06-14',
      false,
    ],
    ['express notice awaiting consent', line({ notices: [firstExpress('2026-05-20', '2026-08-15')] }), '2026-06-28', false],
    [
      'consented date approaching, no renewed notice',
      line({ notices: [firstExpress('2026-05-20', '2026-08-15')], answers: [consent('2026-05-22', '2026-08-15')] }),
      '2026-08-10',
      true,
    ],
    [
      'indefinite consent',
      line({ notices: [firstExpress('2026-05-20', null, 'Flood')], answers: [consent('2026-05-22', null)] }),
      '2026-09-10',
      false,
    ],
    ['buyer asked to cancel (the sweep handles it)', line({ answers: [cancel('2026-05-30')] }), '2026-05-31', false],
  ];
  it.each(cases)('%s → %s', (_name, state, today, atRisk) => {
    expect(isAtRisk(state, today, 7)).toBe(atRisk);
  });

  it('rejects a negative warning window', () => {
    expect(() => isAtRisk(line(), T, -1)).toThrow(RangeError);
  });
});

describe('canCustomerCancel — 435.2(c), continuing right after indefinite consent (b)(1)(iii)', () => {
  it.each([
    ['waiting, no notice', line(), true],
    [
      'after consenting to an indefinite delay',
      line({ notices: [firstExpress('2026-05-20', null, 'Flood')], answers: [consent('2026-05-22', null)] }),
      true,
    ],
    [
      'after consenting to a definite date',
      line({ notices: [firstExpress('2026-05-20', '2026-08-15')], answers: [consent('2026-05-22', '2026-08-15')] }),
      true,
    ],
    ['shipped', line({ shipped: true }), false],
    ['cancelled', line({ cancelled: true }), false],
  ])('%s → %s', (_name, state, expected) => {
    expect(canCustomerCancel(state)).toBe(expected);
  });
});

describe('a line through its whole life', () => {
  it('a SKU slips twice: first notice (silence consents), renewed notice, consent, then the sweep', () => {
    let state = line();
    // 20 May: the restock moves to 20 June (T+19).
    const c1 = classifyDelay(state, eta('2026-06-20'), '2026-05-20');
    expect(c1.action).toBe('first_notice_silence_consents');
    const n1 = noticeRecord(c1, '2026-05-20');
    expect(n1).toEqual({
      kind: 'first',
      sentOn: '2026-05-20',
      revisedDate: '2026-06-20',
      silenceMeans: 'consent',
      deadline: '2026-06-20',
      reason: null,
    });
    state = { ...state, notices: [...state.notices, n1 as DelayNotice] };
    expect(dueActions(state, '2026-06-10')).toEqual({ action: 'none' });

    // 15 June: it moves again to 20 July; a renewed notice due by 20 June.
    const c2 = classifyDelay(state, eta('2026-07-20', 'Container held at customs'), '2026-06-15');
    expect(c2).toMatchObject({ action: 'renewed_notice', deadline: '2026-06-20', silenceMeans: 'refusal' });
    state = { ...state, notices: [...state.notices, noticeRecord(c2, '2026-06-15') as DelayNotice] };
    expect(isAtRisk(state, '2026-06-16', 7)).toBe(false);

    // Without an answer the sweep cancels on 21 June …
    expect(dueActions(state, '2026-06-21')).toMatchObject({ action: 'cancel_and_refund', why: 'renewed_consent_missing' });
    // … with consent on 18 June the line is covered until 20 July.
    const consented = { ...state, answers: [consent('2026-06-18', '2026-07-20')] };
    expect(dueActions(consented, '2026-07-20')).toEqual({ action: 'none' });
    expect(classifyDelay(consented, eta('2026-07-18'), '2026-07-01')).toEqual({ action: 'no_notice', why: 'within_consented_date' });
  });

  it('noticeRecord returns null for non-notice classifications', () => {
    expect(noticeRecord({ action: 'no_notice', why: 'within_applicable_time' }, '2026-05-20')).toBeNull();
  });
});
