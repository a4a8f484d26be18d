// The flags the console shows on an order and its lines (late, at risk, awaiting consent, refund due or overdue), by
// the same rules as the order list's filters.
import { isOpen, type LineStatus } from '#src/domain/line-status.ts';

/** The store-zone dates every flag is measured against: today, and the at-risk horizon. */
export type FlagDates = { today: string; horizon: string };

export type OrderFlags = {
  atRisk: boolean;
  late: boolean;
  awaitingConsent: boolean;
  refundDue: boolean;
  refundOverdue: boolean;
  cancelled: boolean;
};

export type FlagLine = { status: LineStatus; applicableTime: string; shipBy: string | null; awaitingConsent: boolean };

/** The flags of one line, by the same rules as the filters. */
export function lineFlags(l: FlagLine, d: FlagDates): { atRisk: boolean; late: boolean; awaitingConsent: boolean } {
  const open = isOpen(l.status);
  return {
    atRisk: open && !l.awaitingConsent && l.shipBy !== null && l.shipBy <= d.horizon,
    late: open && l.applicableTime < d.today,
    awaitingConsent: open && l.awaitingConsent,
  };
}

/** The flags of an order: any of its lines, and its refunds not yet sent. */
export function orderFlags(lines: FlagLine[], owed: Array<{ status: string; dueOn: string }>, d: FlagDates): OrderFlags {
  const per = lines.map((l) => lineFlags(l, d));
  const requested = owed.filter((r) => r.status !== 'sent');
  return {
    atRisk: per.some((f) => f.atRisk),
    late: per.some((f) => f.late),
    awaitingConsent: per.some((f) => f.awaitingConsent),
    refundDue: requested.some((r) => r.dueOn >= d.today),
    refundOverdue: requested.some((r) => r.dueOn < d.today),
    cancelled: lines.some((l) => l.status === 'cancelled'),
  };
}
