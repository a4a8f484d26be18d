// Bridges a stored line and the pure FTC rule: its rule state, and the projection kept on the row for queries.
import type { LineCompliance } from '#db/schema/index.ts';
import { assessLine, type LineRuleState } from '#src/domain/ftc-rule.ts';
import type { LineStatus } from '#src/domain/line-status.ts';

export type RuleRow = { applicableTime: string; status: LineStatus; compliance: LineCompliance };

export function ruleStateOf(row: RuleRow): LineRuleState {
  return {
    T: row.applicableTime,
    shipped: row.status === 'shipped' || row.status === 'delivered',
    cancelled: row.status === 'cancelled',
    notices: row.compliance.notices,
    answers: row.compliance.answers,
  };
}

/**
 * What the row keeps so that the sweep and the console can find lines by SQL: the date the line may ship by (null
 * after consent to an indefinite delay) and whether a notice awaits express consent. For a lapsed line the last
 * covered date stays, so `ship_by < today` finds it.
 */
export function projectCompliance(row: RuleRow, today: string): { shipBy: string | null; awaitingConsent: boolean } {
  const a = assessLine(ruleStateOf(row), today);
  if (a.status === 'open') return { shipBy: a.shipBy, awaitingConsent: a.awaitingConsent !== null };
  if (a.status === 'cancel_due') return { shipBy: a.vestedOn < today ? a.vestedOn : today, awaitingConsent: false };
  return { shipBy: null, awaitingConsent: false };
}
