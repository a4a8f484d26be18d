// The ETA window of a line or SKU, and how it reads against the promised ship-by date.
import { isValidCalendarDate } from './calendar-date.ts';
import type { LineStatus } from './line-status.ts';
import { isOpen } from './line-status.ts';

/** Calendar dates (YYYY-MM-DD) in the store's time zone. `null` bounds mean "no date can be given". */
export type EtaWindow = { from: string | null; to: string | null };

export type EtaParse = { ok: true; window: EtaWindow } | { ok: false; reason: 'invalid_date' | 'from_after_to' };

/** Validates a window given as two optional dates; a single date is a window of one day. */
export function makeEtaWindow(from: string | null, to: string | null): EtaParse {
  if ((from !== null && !isValidCalendarDate(from)) || (to !== null && !isValidCalendarDate(to)))
    return { ok: false, reason: 'invalid_date' };
  const f = from ?? to;
  const t = to ?? from;
  if (f !== null && t !== null && f > t) return { ok: false, reason: 'from_after_to' };
  return { ok: true, window: { from: f, to: t } };
}

export type EtaStanding = 'on_time' | 'delayed' | 'late' | 'unknown' | 'done';

/**
 * How an open line stands: `delayed` when the window ends after the promised date T, `late` when T has
 * passed (today is after T) and the line is still open — a passed date is never hidden.
 */
export function etaStanding(args: { status: LineStatus; applicableTime: string; eta: EtaWindow; today: string }): EtaStanding {
  if (!isOpen(args.status)) return 'done';
  if (args.today > args.applicableTime) return 'late';
  if (args.eta.to === null) return args.eta.from === null ? 'unknown' : 'on_time';
  return args.eta.to > args.applicableTime ? 'delayed' : 'on_time';
}
