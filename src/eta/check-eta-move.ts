// What both ETA moves (one line, a SKU) check first, and what they answer.
import { type EtaWindow, makeEtaWindow } from '#src/domain/eta-window.ts';
import { optionalDateText } from '#src/input/calendar-date.ts';

/** A window end in a move's command: empty or absent (an empty form field, an omitted flag, a JSON null) is no date. */
export const etaDate = optionalDateText.nullish().transform((date) => date ?? null);

export type MoveEtaResult =
  /** `notices`: delay option notices sent (435.2(b)); `cancelled`: lines that had already lapsed and were cancelled. */
  | { ok: true; linesMoved: number; customersTold: number; notices: number; cancelled: number }
  | { ok: false; reason: 'not_found' | 'invalid_date' | 'from_after_to' | 'reason_required' | 'not_open' | 'date_in_past' };

/** A move's new window and the reason customers read, checked. */
export type EtaMove = { eta: EtaWindow; reason: string };

/** The reason is required (customers are told why); the dates must be real and in order. */
export function checkEtaMove(input: {
  from: string | null;
  to: string | null;
  reason: string;
}): { ok: true; move: EtaMove } | { ok: false; reason: 'reason_required' | 'invalid_date' | 'from_after_to' } {
  const reason = input.reason.trim();
  if (!reason) return { ok: false, reason: 'reason_required' };
  const parsed = makeEtaWindow(input.from, input.to);
  return parsed.ok ? { ok: true, move: { eta: parsed.window, reason } } : parsed;
}
