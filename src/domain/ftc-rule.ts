// FTC Mail, Internet, or Telephone Order Merchandise Rule (16 CFR 435): applicable time, delay classification, sweep decisions.
//
// Reading of the rule used here (the rule's text is 16 CFR 435; docs/architecture.md, "The FTC rule", maps it onto the
// code; this is engineering, not legal advice):
//
// - Every line has an applicable time T (435.2(a)(1)) that never changes. At any moment a waiting line is "covered"
//   up to a ship-by date: T at first; the revised date R after a first notice whose silence is consent
//   (435.2(b)(1)(ii)); T+30 while a (b)(1)(iii) notice awaits express consent (it may still ship within 30 days of T,
//   (b)(1)(iii)(A)); the date the buyer expressly consented to ((b)(1)(iii)(B), (b)(1)(iv)); or "indefinitely" after
//   consent to an indefinite delay.
// - A notice that needs express consent (a (b)(1)(iii) notice or a (b)(2) renewed notice) must be answered by its
//   deadline, which is the current ship-by date when it is sent (T+30 for a first notice, the old revised or consented
//   date for a renewed one). Consent on the deadline counts; the right to a refund vests the day after.
// - When the ship-by date passes and the line has not shipped, the line must be cancelled and refunded (435.2(c)):
//   either the needed notice was never sent in time (no notice by T; no renewed notice by R) or the needed consent
//   did not arrive. Passing R after a silence-is-consent notice is NOT covered by that silence: silence consents only
//   "on or before the definite revised shipping date", so without a renewed notice before R the line must be cancelled.
// - A notice sent after the line's ship-by date has lapsed does not cure the lapse (435.2(b)(1): "in no event later
//   than said applicable time"; (b)(2): "no later than the expiration of the definite revised shipping date").
// - Only one first notice exists; any later notice is treated as renewed: silence means refusal (435.2(b)(2)).
//   What a notice record says about silence is honoured only when the rule allows it (a stricter reading never hurts).
// - The buyer may cancel before shipment under any option (435.2(c)); after consenting to an indefinite delay the
//   buyer keeps a continuing right to cancel and no renewed notice is needed (435.2(b)(1)(iii)).
// - Shipment means handing goods to the carrier (435.1(e)); a shipped line never needs notice or cancellation here.
// - Dates are calendar dates in the store's time zone; events dated after `today` are ignored.

import type { CalendarDate } from './calendar-date.ts';
import { addDays, assertCalendarDate, compareDates, diffDays, maxDate, toCalendarDate } from './calendar-date.ts';

/** Sections of 16 CFR 435 cited by results. */
export const RuleSection = {
  ApplicableTime: '435.2(a)(1)',
  IndefiniteDelayReason: '435.2(a)(3)',
  FirstNotice: '435.2(b)(1)',
  SilenceConsents: '435.2(b)(1)(ii)',
  ExpressConsent: '435.2(b)(1)(iii)',
  AdvanceConsent: '435.2(b)(1)(iv)',
  RenewedNotice: '435.2(b)(2)',
  MandatoryCancellation: '435.2(c)',
  PromptRefund: '435.1(b)',
} as const;
export type RuleSection = (typeof RuleSection)[keyof typeof RuleSection];

/** 435.2(a)(1)(ii): days after a properly completed order when no time was stated. */
export const DEFAULT_SHIP_DAYS = 30;
/** 435.2(a)(1)(ii): days when the buyer applied to the seller for credit. */
export const CREDIT_SHIP_DAYS = 50;
/** 435.2(b)(1)(ii)/(iii): the 30-day line between silence-is-consent and express consent. */
export const CONSENT_WINDOW_DAYS = 30;

export const NoticeKind = { First: 'first', Renewed: 'renewed' } as const;
export type NoticeKind = (typeof NoticeKind)[keyof typeof NoticeKind];

export const SilenceMeans = { Consent: 'consent', Refusal: 'refusal' } as const;
export type SilenceMeans = (typeof SilenceMeans)[keyof typeof SilenceMeans];

/** A delay option notice as sent (the record of what the customer was told). */
export type DelayNotice = {
  kind: NoticeKind;
  sentOn: CalendarDate;
  /** The definite revised shipping date; null = "we cannot say when" (435.2(b)(1)(i)). */
  revisedDate: CalendarDate | null;
  /** What the notice told the customer silence means. Honoured only where the rule allows it. */
  silenceMeans: SilenceMeans;
  /** Informational: the answer-by date printed in the notice. The rule's own deadline is recomputed. */
  deadline: CalendarDate;
  /** Reason for the delay (required when revisedDate is null, 435.2(a)(3)). */
  reason?: string | null;
};

export const AnswerKind = { Consent: 'consent', Cancel: 'cancel' } as const;
export type AnswerKind = (typeof AnswerKind)[keyof typeof AnswerKind];

export type ConsentAnswer = {
  kind: 'consent';
  on: CalendarDate;
  /** Index into `notices` of the notice answered; default: the latest notice sent on or before `on`. */
  noticeIndex?: number;
  /** The date the buyer agreed to wait until (435.2(b)(1)(iv)); null = indefinite delay. */
  consentedUntil: CalendarDate | null;
};
export type CancelAnswer = { kind: 'cancel'; on: CalendarDate; noticeIndex?: number };
export type CustomerAnswer = ConsentAnswer | CancelAnswer;

/** Everything the rule needs to know about one line. */
export type LineRuleState = {
  /** The applicable time (435.2(a)(1)); never changes. */
  T: CalendarDate;
  /** Placed in the possession of the carrier (435.1(e)). */
  shipped: boolean;
  cancelled: boolean;
  notices: readonly DelayNotice[];
  answers: readonly CustomerAnswer[];
};

// ---------------------------------------------------------------------------------------------------------------
// 435.2(a)(1): the applicable time

export type ApplicableTimeInput = {
  /** The ship-by date clearly and conspicuously stated at checkout, if any. */
  promisedBy: CalendarDate | null;
  /**
   * When the order became properly completed (435.1(c)): payment or authorisation to charge, plus everything needed
   * to ship. For charge-later preorders this is the authorisation, not the later charge.
   */
  orderCompletedAt: Date;
  storeTimeZone: string;
  /** The buyer applied to the seller for credit to pay for the goods. */
  creditApplication?: boolean;
};

/** T: the stated date, else 30 (or 50 with a credit application) days after the properly completed order. */
export function applicableTime(input: ApplicableTimeInput): CalendarDate {
  // 435.2(a)(1)(i): the time stated in the solicitation wins.
  if (input.promisedBy !== null) return assertCalendarDate(input.promisedBy);
  // 435.2(a)(1)(ii): 30 days (50 on a credit application) after receipt of a properly completed order, counted in
  // the store's calendar.
  const completedOn = toCalendarDate(input.orderCompletedAt, input.storeTimeZone);
  return addDays(completedOn, input.creditApplication === true ? CREDIT_SHIP_DAYS : DEFAULT_SHIP_DAYS);
}

// ---------------------------------------------------------------------------------------------------------------
// Replaying a line's history

export const CancelReason = {
  /** 435.2(c): the buyer asked to cancel before shipment. */
  CustomerCancelled: 'customer_cancelled',
  /** 435.2(c): no option notice by T and not shipped by T. */
  NoNoticeByApplicableTime: 'no_notice_by_applicable_time',
  /** 435.2(b)(1)(iii), (c): neither shipped nor expressly consented within 30 days of T. */
  ExpressConsentMissing: 'express_consent_missing',
  /** 435.2(b)(2), (c): renewed option unanswered by the old revised date. */
  RenewedConsentMissing: 'renewed_consent_missing',
  /** 435.2(b)(2), (c): the revised (or consented) date passed with no renewed notice and no shipment. */
  RevisedDatePassedWithoutRenewedNotice: 'revised_date_passed_without_renewed_notice',
} as const;
export type CancelReason = (typeof CancelReason)[keyof typeof CancelReason];

/** Why the line may currently ship as late as its ship-by date. */
export const CoverBasis = {
  ApplicableTime: 'applicable_time',
  SilenceConsent: 'silence_consent',
  ExpressWindow: 'express_window',
  ExpressConsent: 'express_consent',
} as const;
export type CoverBasis = (typeof CoverBasis)[keyof typeof CoverBasis];

export type PendingConsent = {
  noticeIndex: number;
  kind: NoticeKind;
  revisedDate: CalendarDate | null;
  /** Express consent must arrive on or before this date. */
  deadline: CalendarDate;
};

export const AssessmentStatus = {
  Shipped: 'shipped',
  Cancelled: 'cancelled',
  CancelDue: 'cancel_due',
  Open: 'open',
} as const;
export type AssessmentStatus = (typeof AssessmentStatus)[keyof typeof AssessmentStatus];

export type LineAssessment =
  | { status: 'shipped' }
  | { status: 'cancelled' }
  | {
      status: 'cancel_due';
      section: RuleSection;
      why: CancelReason;
      /** The date the buyer's right to a refund vested (starts the 435.1(b) refund clock). */
      vestedOn: CalendarDate;
    }
  | {
      status: 'open';
      /** The last date the line may ship without a further notice or consent; null = indefinite consent. */
      shipBy: CalendarDate | null;
      basis: CoverBasis;
      firstNoticeSent: boolean;
      /** A sent notice that needs express consent and has none yet. */
      awaitingConsent: PendingConsent | null;
    };

type Event =
  | { date: CalendarDate; rank: 0; seq: number; notice: DelayNotice }
  | { date: CalendarDate; rank: 1; seq: number; answer: CustomerAnswer };

/** Where a line stands under the rule on `today` (a store-local calendar date). */
export function assessLine(state: LineRuleState, today: CalendarDate): LineAssessment {
  assertCalendarDate(today);
  const T = assertCalendarDate(state.T);
  if (state.shipped) return { status: 'shipped' };
  if (state.cancelled) return { status: 'cancelled' };

  const events: Event[] = [];
  state.notices.forEach((notice, seq) => {
    assertCalendarDate(notice.sentOn);
    if (notice.revisedDate !== null) assertCalendarDate(notice.revisedDate);
    if (compareDates(notice.sentOn, today) <= 0) events.push({ date: notice.sentOn, rank: 0, seq, notice });
  });
  state.answers.forEach((answer, seq) => {
    assertCalendarDate(answer.on);
    if (answer.kind === 'consent' && answer.consentedUntil !== null) assertCalendarDate(answer.consentedUntil);
    if (compareDates(answer.on, today) <= 0) events.push({ date: answer.on, rank: 1, seq, answer });
  });
  // Same day: notices before answers (a customer can answer a notice the day it is sent).
  events.sort((a, b) => compareDates(a.date, b.date) || a.rank - b.rank || a.seq - b.seq);

  let shipBy: CalendarDate | null = T;
  let basis: CoverBasis = CoverBasis.ApplicableTime;
  let firstNoticeSent = false;
  let latestNotice = -1;
  let pending: PendingConsent | null = null;

  // The line's cover has lapsed on `date` if that is after the ship-by date (it did not ship: checked above).
  const lapse = (date: CalendarDate): LineAssessment | null => {
    if (shipBy === null || compareDates(date, shipBy) <= 0) return null;
    const vestedOn = addDays(shipBy, 1);
    if (pending !== null) {
      return pending.kind === NoticeKind.First
        ? { status: 'cancel_due', section: RuleSection.ExpressConsent, why: CancelReason.ExpressConsentMissing, vestedOn } // 435.2(b)(1)(iii)
        : { status: 'cancel_due', section: RuleSection.RenewedNotice, why: CancelReason.RenewedConsentMissing, vestedOn }; // 435.2(b)(2)
    }
    if (!firstNoticeSent) {
      // 435.2(c): no option notice and not shipped within the applicable time.
      return { status: 'cancel_due', section: RuleSection.MandatoryCancellation, why: CancelReason.NoNoticeByApplicableTime, vestedOn };
    }
    // 435.2(b)(2), (c): the revised date expired with no renewed option offered.
    return {
      status: 'cancel_due',
      section: RuleSection.MandatoryCancellation,
      why: CancelReason.RevisedDatePassedWithoutRenewedNotice,
      vestedOn,
    };
  };

  for (const ev of events) {
    const lapsed = lapse(ev.date);
    if (lapsed !== null) return lapsed;

    if (ev.rank === 0) {
      const n = ev.notice;
      if (!firstNoticeSent) {
        firstNoticeSent = true;
        const R = n.revisedDate;
        // 435.2(b)(1)(ii): silence is consent only for a definite R within 30 days of T.
        if (n.silenceMeans === SilenceMeans.Consent && R !== null && diffDays(T, R) <= CONSENT_WINDOW_DAYS) {
          shipBy = maxDate(T, R);
          basis = CoverBasis.SilenceConsent;
          pending = null;
        } else {
          // 435.2(b)(1)(iii): cancelled unless shipped or expressly consented within 30 days of T.
          pending = { noticeIndex: ev.seq, kind: NoticeKind.First, revisedDate: R, deadline: addDays(T, CONSENT_WINDOW_DAYS) };
          shipBy = pending.deadline;
          basis = CoverBasis.ExpressWindow;
        }
      } else if (shipBy !== null) {
        // 435.2(b)(2): renewed option; silence is refusal; consent needed before the current date expires.
        pending = { noticeIndex: ev.seq, kind: NoticeKind.Renewed, revisedDate: n.revisedDate, deadline: shipBy };
      }
      // else: the buyer consented to an indefinite delay; a further notice changes nothing (435.2(b)(1)(iii)).
      latestNotice = ev.seq;
      continue;
    }

    const a = ev.answer;
    if (a.kind === AnswerKind.Cancel) {
      // 435.2(c): the buyer cancels before shipment, under any option.
      return { status: 'cancel_due', section: RuleSection.MandatoryCancellation, why: CancelReason.CustomerCancelled, vestedOn: a.on };
    }
    const target = a.noticeIndex ?? latestNotice;
    if (target < 0 || target !== latestNotice) continue; // no notice yet, a future notice, or a superseded notice
    if (pending !== null && pending.noticeIndex === target) {
      // 435.2(b)(1)(iii)(B) / (b)(2): express consent received by the deadline (lapse() rejected later ones).
      // 435.2(b)(1)(iv): the date the buyer agreed to replaces the revised date.
      shipBy = a.consentedUntil === null ? null : maxDate(shipBy ?? a.consentedUntil, a.consentedUntil);
      basis = CoverBasis.ExpressConsent;
      pending = null;
    } else if (pending === null && shipBy !== null) {
      // Express consent to a silence-is-consent notice, possibly to a later date (435.2(b)(1)(iv)).
      if (a.consentedUntil === null || compareDates(a.consentedUntil, shipBy) > 0) {
        shipBy = a.consentedUntil;
        basis = CoverBasis.ExpressConsent;
      }
    }
  }

  const lapsed = lapse(today);
  if (lapsed !== null) return lapsed;
  return { status: 'open', shipBy, basis, firstNoticeSent, awaitingConsent: pending };
}

// ---------------------------------------------------------------------------------------------------------------
// Classifying a moved ETA

export const DelayAction = {
  NoNotice: 'no_notice',
  FirstNoticeSilenceConsents: 'first_notice_silence_consents',
  FirstNoticeExpressConsent: 'first_notice_express_consent',
  RenewedNotice: 'renewed_notice',
  CancelNow: 'cancel_now',
  InvalidEta: 'invalid_eta',
} as const;
export type DelayAction = (typeof DelayAction)[keyof typeof DelayAction];

export const NoNoticeReason = {
  Shipped: 'shipped',
  Cancelled: 'cancelled',
  /** R ≤ T and no notice was needed before. */
  WithinApplicableTime: 'within_applicable_time',
  /** R ≤ the revised date the buyer is deemed to have consented to by silence. */
  WithinRevisedDate: 'within_revised_date',
  /** A (b)(1)(iii) notice is pending and R ≤ T+30: shipping by then needs no consent ((b)(1)(iii)(A)). */
  WithinThirtyDaysOfApplicableTime: 'within_30_days_of_applicable_time',
  /** R ≤ the date the buyer expressly consented to. */
  WithinConsentedDate: 'within_consented_date',
  /** The notice awaiting an answer already asks consent to a date at or after R (or to an indefinite delay). */
  WithinPendingNotice: 'within_pending_notice',
  /** The buyer consented to an indefinite delay; they keep a continuing right to cancel. */
  IndefiniteConsent: 'indefinite_consent',
} as const;
export type NoNoticeReason = (typeof NoNoticeReason)[keyof typeof NoNoticeReason];

export const InvalidEtaReason = {
  /** 435.2(a)(3): "no date" needs the reason for the delay. */
  ReasonRequired: 'reason_required_for_indefinite_delay',
  RevisedDateInPast: 'revised_date_in_past',
} as const;
export type InvalidEtaReason = (typeof InvalidEtaReason)[keyof typeof InvalidEtaReason];

export type NewEta = {
  /** The new date the line is expected to ship by; null = cannot be estimated. */
  revisedDate: CalendarDate | null;
  /** Why it is late; required when revisedDate is null (435.2(a)(3)). */
  reason?: string | null;
};

export type DelayClassification =
  | { action: 'no_notice'; why: NoNoticeReason }
  | {
      action: 'first_notice_silence_consents';
      section: '435.2(b)(1)(ii)';
      kind: 'first';
      silenceMeans: 'consent';
      revisedDate: CalendarDate;
      /** The buyer may cancel until R; silence is consent up to R only. */
      deadline: CalendarDate;
      reason: string | null;
    }
  | {
      action: 'first_notice_express_consent';
      section: '435.2(b)(1)(iii)';
      kind: 'first';
      silenceMeans: 'refusal';
      revisedDate: CalendarDate | null;
      /** T+30: ship or obtain express consent by then, or cancel. */
      deadline: CalendarDate;
      reason: string | null;
    }
  | {
      action: 'renewed_notice';
      section: '435.2(b)(2)';
      kind: 'renewed';
      silenceMeans: 'refusal';
      revisedDate: CalendarDate | null;
      /** The current revised / consented date: express consent must arrive by then. */
      deadline: CalendarDate;
      reason: string | null;
    }
  | { action: 'cancel_now'; section: RuleSection; why: CancelReason; vestedOn: CalendarDate }
  | { action: 'invalid_eta'; section?: RuleSection; why: InvalidEtaReason };

function cleanReason(reason: string | null | undefined): string | null {
  const r = reason?.trim() ?? '';
  return r === '' ? null : r;
}

/**
 * What must happen, as of `today`, when a line's expected ship date moves to `newEta`: no notice, which notice
 * (with its deadline), cancellation now, or a rejected ETA. Staff see this split before anything is sent.
 */
export function classifyDelay(state: LineRuleState, newEta: NewEta, today: CalendarDate): DelayClassification {
  const a = assessLine(state, today);
  if (a.status === 'shipped') return { action: 'no_notice', why: NoNoticeReason.Shipped };
  if (a.status === 'cancelled') return { action: 'no_notice', why: NoNoticeReason.Cancelled };
  if (a.status === 'cancel_due') return { action: 'cancel_now', section: a.section, why: a.why, vestedOn: a.vestedOn };

  const T = state.T;
  const R = newEta.revisedDate === null ? null : assertCalendarDate(newEta.revisedDate);
  const reason = cleanReason(newEta.reason);
  if (R !== null && compareDates(R, today) < 0) return { action: 'invalid_eta', why: InvalidEtaReason.RevisedDateInPast };

  // 435.2(b)(1)(iii): after consent to an indefinite delay no renewed notice is needed; the buyer may cancel any time.
  if (a.shipBy === null) return { action: 'no_notice', why: NoNoticeReason.IndefiniteConsent };

  if (R !== null && compareDates(R, a.shipBy) <= 0) {
    const why = {
      applicable_time: NoNoticeReason.WithinApplicableTime,
      silence_consent: NoNoticeReason.WithinRevisedDate,
      express_window: NoNoticeReason.WithinThirtyDaysOfApplicableTime,
      express_consent: NoNoticeReason.WithinConsentedDate,
    }[a.basis];
    return { action: 'no_notice', why };
  }
  const p = a.awaitingConsent;
  if (p !== null && (p.revisedDate === null || (R !== null && compareDates(R, p.revisedDate) <= 0))) {
    return { action: 'no_notice', why: NoNoticeReason.WithinPendingNotice };
  }

  // A notice is needed from here on.
  if (R === null && reason === null) {
    return { action: 'invalid_eta', section: RuleSection.IndefiniteDelayReason, why: InvalidEtaReason.ReasonRequired }; // 435.2(a)(3)
  }
  if (!a.firstNoticeSent) {
    // 435.2(b)(1): first notice, no later than T (today ≤ T here, else cancel_due above).
    if (R !== null && diffDays(T, R) <= CONSENT_WINDOW_DAYS) {
      // 435.2(b)(1)(ii): silence is consent to a delay up to R.
      return {
        action: 'first_notice_silence_consents',
        section: '435.2(b)(1)(ii)',
        kind: 'first',
        silenceMeans: 'consent',
        revisedDate: R,
        deadline: R,
        reason,
      };
    }
    // 435.2(b)(1)(iii): R > T+30 or no date: express consent (or shipment) needed within 30 days of T.
    return {
      action: 'first_notice_express_consent',
      section: '435.2(b)(1)(iii)',
      kind: 'first',
      silenceMeans: 'refusal',
      revisedDate: R,
      deadline: addDays(T, CONSENT_WINDOW_DAYS),
      reason,
    };
  }
  // 435.2(b)(2): renewed option before the current date expires; silence now means refusal.
  return {
    action: 'renewed_notice',
    section: '435.2(b)(2)',
    kind: 'renewed',
    silenceMeans: 'refusal',
    revisedDate: R,
    deadline: a.shipBy,
    reason,
  };
}

/** The notice record to append to a line's history when a notice classification is sent on `sentOn`. */
export function noticeRecord(c: DelayClassification, sentOn: CalendarDate): DelayNotice | null {
  if (c.action !== 'first_notice_silence_consents' && c.action !== 'first_notice_express_consent' && c.action !== 'renewed_notice') {
    return null;
  }
  return {
    kind: c.kind,
    sentOn: assertCalendarDate(sentOn),
    revisedDate: c.revisedDate,
    silenceMeans: c.silenceMeans,
    deadline: c.deadline,
    reason: c.reason,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The scheduled sweep, at-risk flags, the buyer's right to cancel

export type DueAction =
  | { action: 'none' }
  | { action: 'cancel_and_refund'; section: RuleSection; why: CancelReason; vestedOn: CalendarDate };

/**
 * What the scheduled sweep must do for this line on `today`: cancel and refund where the rule deems the order
 * cancelled (435.2(c), (b)(1)(iii), (b)(2)), nothing otherwise. `vestedOn` starts the 435.1(b) refund clock.
 */
export function dueActions(state: LineRuleState, today: CalendarDate): DueAction {
  const a = assessLine(state, today);
  if (a.status !== 'cancel_due') return { action: 'none' };
  return { action: 'cancel_and_refund', section: a.section, why: a.why, vestedOn: a.vestedOn };
}

/**
 * True when the merchant must act soon: the line's ship-by date (T with no notice sent, or a revised/consented
 * date with no renewed notice) is within `warningDays` of today, or already passed (the sweep will cancel).
 * A line whose notice awaits the buyer's express consent, or with an indefinite consent, is not "at risk".
 */
export function isAtRisk(state: LineRuleState, today: CalendarDate, warningDays: number): boolean {
  if (!Number.isInteger(warningDays) || warningDays < 0) throw new RangeError(`warningDays must be a non-negative integer: ${warningDays}`);
  const a = assessLine(state, today);
  if (a.status === 'cancel_due') return a.why !== CancelReason.CustomerCancelled;
  if (a.status !== 'open' || a.shipBy === null || a.awaitingConsent !== null) return false;
  return diffDays(today, a.shipBy) <= warningDays;
}

/**
 * 435.2(c): the buyer may cancel before shipment under any option; after consenting to an indefinite delay they keep
 * a continuing right to cancel (435.2(b)(1)(iii)).
 */
export function canCustomerCancel(state: Pick<LineRuleState, 'shipped' | 'cancelled'>): boolean {
  return !state.shipped && !state.cancelled;
}
