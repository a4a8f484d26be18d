// Calendar dates ('YYYY-MM-DD' in a store's time zone) and their conversion to/from UTC instants.

/** A date in some time zone's calendar, as an ISO string 'YYYY-MM-DD'. */
export type CalendarDate = string;

const DAY_MS = 86_400_000;
/** How a calendar date is written: 'YYYY-MM-DD', ASCII digits (groups: year, month, day). */
export const CALENDAR_DATE_FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(d: CalendarDate): { y: number; m: number; day: number } | null {
  const match = CALENDAR_DATE_FORMAT.exec(d);
  if (match === null) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const day = Number(match[3]);
  if (m < 1 || m > 12 || day < 1) return null;
  if (day > monthLength(y, m)) return null;
  return { y, m, day };
}

function monthLength(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Date.UTC that also handles years 0..99 (Date.UTC maps those to 19xx). */
function utcMs(y: number, m: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, day);
  date.setUTCHours(0, 0, 0, 0);
  return date.getTime();
}

function toMs(d: CalendarDate): number {
  const p = parts(d);
  if (p === null) throw new RangeError(`Invalid calendar date: ${JSON.stringify(d)}`);
  return utcMs(p.y, p.m, p.day);
}

function fromMs(ms: number): CalendarDate {
  const date = new Date(ms);
  const y = date.getUTCFullYear();
  if (!Number.isFinite(ms) || y < 0 || y > 9999) throw new RangeError('Calendar date out of range 0000..9999');
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(y, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** True for a real date written exactly as 'YYYY-MM-DD'. */
export function isValidCalendarDate(value: unknown): value is CalendarDate {
  return typeof value === 'string' && parts(value) !== null;
}

/** Throws a RangeError unless `d` is a valid calendar date; returns it otherwise. */
export function assertCalendarDate(d: unknown): CalendarDate {
  if (!isValidCalendarDate(d)) throw new RangeError(`Invalid calendar date: ${JSON.stringify(d)}`);
  return d;
}

/** `d` plus `n` calendar days (n may be negative). Pure day arithmetic: DST never matters. */
export function addDays(d: CalendarDate, n: number): CalendarDate {
  if (!Number.isInteger(n)) throw new RangeError(`Day count must be an integer: ${n}`);
  return fromMs(toMs(d) + n * DAY_MS);
}

/** Number of days from `a` to `b` (b − a). */
export function diffDays(a: CalendarDate, b: CalendarDate): number {
  return Math.round((toMs(b) - toMs(a)) / DAY_MS);
}

/** −1, 0 or 1, for sorting ascending. */
export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  const d = toMs(a) - toMs(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** The latest of one or more dates. */
export function maxDate(first: CalendarDate, ...rest: CalendarDate[]): CalendarDate {
  return rest.reduce((acc, d) => (compareDates(d, acc) > 0 ? d : acc), assertCalendarDate(first));
}

/** The earliest of one or more dates. */
export function minDate(first: CalendarDate, ...rest: CalendarDate[]): CalendarDate {
  return rest.reduce((acc, d) => (compareDates(d, acc) < 0 ? d : acc), assertCalendarDate(first));
}

/** Day of week, 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: CalendarDate): number {
  return new Date(toMs(d)).getUTCDay();
}

// ---------------------------------------------------------------------------------------------------------------
// Time zones

export type ZonedParts = { date: CalendarDate; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    // Throws RangeError for an unknown time zone.
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      calendar: 'iso8601',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function assertInstant(instant: Date): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError('Invalid instant');
  return ms;
}

/** The wall-clock date and time of `instant` in `timeZone`. */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  assertInstant(instant);
  const out: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day' || p.type === 'hour' || p.type === 'minute' || p.type === 'second') {
      out[p.type] = Number(p.value);
    }
  }
  const y = out.year ?? Number.NaN;
  const m = out.month ?? Number.NaN;
  const day = out.day ?? Number.NaN;
  return {
    date: fromMs(utcMs(y, m, day)),
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** The calendar date that `instant` falls on in `timeZone`. */
export function toCalendarDate(instant: Date, timeZone: string): CalendarDate {
  return zonedParts(instant, timeZone).date;
}

/** Wall-clock time of an instant as if it were UTC, in ms (second resolution). */
function wallMs(ms: number, timeZone: string): number {
  const p = zonedParts(new Date(ms), timeZone);
  return toMs(p.date) + ((p.hour * 60 + p.minute) * 60 + p.second) * 1000;
}

/**
 * The first instant (preferring one not before `notBefore`, if given) at which the wall clock in `timeZone` shows `minuteOfDay`
 * minutes past midnight on date `d` — or, when that wall time does not exist (a DST gap), the instant the clocks
 * jump past it. When the wall time occurs twice (clocks turned back) the earlier occurrence wins unless it is
 * before `notBefore`.
 */
export function zonedWallTimeToInstant(d: CalendarDate, minuteOfDay: number, timeZone: string, notBefore?: Date): Date {
  if (!Number.isInteger(minuteOfDay) || minuteOfDay < 0 || minuteOfDay >= 24 * 60) {
    throw new RangeError(`minuteOfDay out of range: ${minuteOfDay}`);
  }
  const target = toMs(d) + minuteOfDay * 60_000;
  const floor = notBefore === undefined ? Number.NEGATIVE_INFINITY : assertInstant(notBefore);
  // The offset in force is one of those around the target (at most one transition within a day either side).
  const offsets = new Set<number>();
  for (const probe of [target - DAY_MS, target, target + DAY_MS]) offsets.add(wallMs(probe, timeZone) - probe);
  const candidates = [...offsets].map((off) => target - off).sort((a, b) => a - b);
  const valid = candidates.filter((t) => wallMs(t, timeZone) === target);
  const pick = valid.find((t) => t >= floor);
  if (pick !== undefined) return new Date(pick);
  if (valid.length > 0) return new Date(valid[valid.length - 1] as number);
  // DST gap: binary-search (in whole seconds) the first instant whose wall time is at or after the target.
  // Invariant: wall(lo) < target <= wall(hi); the candidates straddle the gap.
  let lo = Math.floor((candidates[0] as number) / 1000);
  let hi = Math.ceil((candidates[candidates.length - 1] as number) / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallMs(mid * 1000, timeZone) >= target) hi = mid;
    else lo = mid;
  }
  const jump = hi * 1000;
  return new Date(Math.max(jump, floor));
}

/** The UTC instant at which calendar date `d` begins in `timeZone` (DST-safe; if midnight is skipped, the jump). */
export function startOfDayInstant(d: CalendarDate, timeZone: string): Date {
  return zonedWallTimeToInstant(d, 0, timeZone);
}
