// Quiet hours for SMS: whether a local time falls in the window, and the next instant sending is allowed (DST-safe).

import { addDays, zonedParts, zonedWallTimeToInstant } from './calendar-date.ts';

/** A daily window of local wall-clock times, 'HH:MM' (24 h). start == end means no quiet hours. */
export type QuietWindow = { start: string; end: string };

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight for 'HH:MM'; throws RangeError otherwise. */
export function parseHhMm(value: string): number {
  const m = HHMM.exec(value);
  if (m === null) throw new RangeError(`Expected HH:MM (00:00–23:59): ${JSON.stringify(value)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function inWindow(minuteOfDay: number, start: number, end: number): boolean {
  if (start === end) return false;
  if (start < end) return minuteOfDay >= start && minuteOfDay < end;
  return minuteOfDay >= start || minuteOfDay < end; // crosses midnight
}

/** True when the window holds no time at all (start == end): nothing is ever held. */
export function hasNoQuietHours(window: QuietWindow): boolean {
  return parseHhMm(window.start) === parseHhMm(window.end);
}

/** True if `now` falls inside the quiet window [start, end) of the local clock in `timeZone`. */
export function isQuietHour(now: Date, timeZone: string, window: QuietWindow): boolean {
  const start = parseHhMm(window.start);
  const end = parseHhMm(window.end);
  const p = zonedParts(now, timeZone);
  return inWindow(p.hour * 60 + p.minute + p.second / 60, start, end);
}

/**
 * `now` if it is outside quiet hours, else the instant the quiet period ends: the first instant after `now` at which
 * the local clock shows `end` (or, if `end` falls in a spring-forward gap that day, the moment the clocks jump).
 */
export function nextAllowedSendTime(now: Date, timeZone: string, window: QuietWindow): Date {
  const start = parseHhMm(window.start);
  const end = parseHhMm(window.end);
  const p = zonedParts(now, timeZone);
  const minute = p.hour * 60 + p.minute + p.second / 60;
  if (!inWindow(minute, start, end)) return now;
  // Before `end` today, unless the window crosses midnight and we are in its evening part (then `end` is tomorrow).
  const endDate = start > end && minute >= start ? addDays(p.date, 1) : p.date;
  return zonedWallTimeToInstant(endDate, end, timeZone, now);
}

/**
 * Until when an SMS due `now` waits for quiet hours to end, or null to send it now. A message with a deadline (a
 * notice the law requires by a date) is not held when waiting would carry it past that deadline: it goes now.
 */
export function quietHoldUntil(now: Date, timeZone: string, window: QuietWindow, deadline: Date | null): Date | null {
  const until = nextAllowedSendTime(now, timeZone, window);
  if (until.getTime() <= now.getTime()) return null;
  if (deadline !== null && until.getTime() > deadline.getTime()) return null;
  return until;
}
