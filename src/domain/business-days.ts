// Working-day arithmetic (Mon–Fri minus holidays) and the 435.1(b) prompt-refund due date.

import type { CalendarDate } from './calendar-date.ts';
import { addDays, assertCalendarDate, dayOfWeek } from './calendar-date.ts';

/** 435.1(b): a refund must be sent within seven working days of the date the buyer's right to it vests. */
export const REFUND_WORKING_DAYS = 7;

/** True for Monday–Friday dates that are not in `holidays`. */
export function isWorkingDay(d: CalendarDate, holidays: ReadonlySet<CalendarDate> | readonly CalendarDate[] = []): boolean {
  const set = holidays instanceof Set ? holidays : new Set(holidays);
  const dow = dayOfWeek(d);
  return dow !== 0 && dow !== 6 && !set.has(d);
}

/**
 * The date `n` working days after `from` (`from` itself is not counted; n = 0 returns `from`). Saturdays, Sundays
 * and the given holidays are skipped.
 */
export function addWorkingDays(from: CalendarDate, n: number, holidays: readonly CalendarDate[] = []): CalendarDate {
  assertCalendarDate(from);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working day count must be a non-negative integer: ${n}`);
  const set = new Set(holidays.map((h) => assertCalendarDate(h)));
  let d = from;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d, set)) left -= 1;
  }
  return d;
}

/** 435.1(b): the last day a refund may be sent — seven working days after the right vested. */
export function refundDueDate(vestedOn: CalendarDate, holidays: readonly CalendarDate[] = []): CalendarDate {
  return addWorkingDays(vestedOn, REFUND_WORKING_DAYS, holidays);
}
