// Specification of calendar-date arithmetic and time-zone conversion (src/domain/calendar-date.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  assertCalendarDate,
  compareDates,
  dayOfWeek,
  diffDays,
  isValidCalendarDate,
  maxDate,
  minDate,
  startOfDayInstant,
  toCalendarDate,
  zonedParts,
  zonedWallTimeToInstant,
} from '../../src/domain/calendar-date.ts';

describe('isValidCalendarDate', () => {
  it.each([
    ['2026-01-01', true],
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2026-04-30', true],
    ['2026-04-31', false],
    ['2026-12-31', true],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-1-01', false],
    ['26-01-01', false],
    [' 2026-01-01', false],
    ['2026-01-01T00:00:00Z', false],
    ['', false],
    [20260101, false],
    [null, false],
    [undefined, false],
  ])('%j → %s', (value, ok) => {
    expect(isValidCalendarDate(value)).toBe(ok);
  });

  it('assertCalendarDate throws a RangeError on a bad date', () => {
    expect(() => assertCalendarDate('2026-02-30')).toThrow(RangeError);
    expect(assertCalendarDate('2026-02-28')).toBe('2026-02-28');
  });
});

describe('addDays', () => {
  it.each([
    ['2026-01-01', 0, '2026-01-01'],
    ['2026-01-01', 1, '2026-01-02'],
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-03-07', 1, '2026-03-08'], // US DST starts: day math is unaffected
    ['2026-10-31', 1, '2026-11-01'], // US DST ends
    ['2026-06-01', 30, '2026-07-01'],
    ['2026-06-01', 50, '2026-07-21'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['0001-01-01', 0, '0001-01-01'],
    ['0050-03-01', -1, '0050-02-28'],
  ])('%s + %i = %s', (d, n, expected) => {
    expect(addDays(d, n)).toBe(expected);
  });

  it('rejects invalid input', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
  });
});

describe('diffDays (b − a)', () => {
  it.each([
    ['2026-01-01', '2026-01-01', 0],
    ['2026-01-01', '2026-01-02', 1],
    ['2026-01-02', '2026-01-01', -1],
    ['2026-03-01', '2026-03-31', 30], // across the US DST change
    ['2026-10-25', '2026-11-02', 8], // across both EU and US DST ends
    ['2026-06-01', '2026-07-01', 30],
    ['2026-12-31', '2027-01-01', 1],
    ['2024-01-01', '2025-01-01', 366],
  ])('%s → %s = %i', (a, b, n) => {
    expect(diffDays(a, b)).toBe(n);
  });

  it('is the inverse of addDays', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20_000, max: 2_000_000 }), fc.integer({ min: -20_000, max: 20_000 }), (offset, n) => {
        const d = addDays('1900-01-01', offset);
        expect(diffDays(d, addDays(d, n))).toBe(n);
      }),
    );
  });
});

describe('compareDates, maxDate, minDate, dayOfWeek', () => {
  it.each([
    ['2026-01-01', '2026-01-02', -1],
    ['2026-01-02', '2026-01-01', 1],
    ['2026-01-01', '2026-01-01', 0],
    ['2025-12-31', '2026-01-01', -1],
  ])('compareDates(%s, %s) = %i', (a, b, c) => {
    expect(compareDates(a, b)).toBe(c);
  });

  it('maxDate / minDate pick the latest / earliest', () => {
    expect(maxDate('2026-05-01', '2026-06-01', '2026-01-01')).toBe('2026-06-01');
    expect(minDate('2026-05-01', '2026-06-01', '2026-01-01')).toBe('2026-01-01');
    expect(maxDate('2026-05-01')).toBe('2026-05-01');
    expect(() => maxDate('nope')).toThrow(RangeError);
  });

  it.each([
    ['2026-06-01', 1], // Monday
    ['2026-06-06', 6], // Saturday
    ['2026-06-07', 0], // Sunday
    ['2027-01-01', 5], // Friday
  ])('dayOfWeek(%s) = %i', (d, dow) => {
    expect(dayOfWeek(d)).toBe(dow);
  });
});

describe('toCalendarDate', () => {
  it.each([
    ['2026-03-02T03:30:00Z', 'America/New_York', '2026-03-01'],
    ['2026-03-02T05:00:00Z', 'America/New_York', '2026-03-02'],
    ['2026-07-02T03:59:59Z', 'America/New_York', '2026-07-01'], // EDT: midnight is 04:00Z
    ['2026-07-02T04:00:00Z', 'America/New_York', '2026-07-02'],
    ['2026-07-02T06:59:00Z', 'America/Los_Angeles', '2026-07-01'],
    ['2026-04-30T15:00:00Z', 'Asia/Tokyo', '2026-05-01'],
    ['2026-12-31T23:30:00Z', 'Europe/Berlin', '2027-01-01'],
    ['2026-12-31T23:30:00Z', 'UTC', '2026-12-31'],
    ['2026-12-31T18:29:59Z', 'Asia/Kolkata', '2026-12-31'],
    ['2026-12-31T18:30:00Z', 'Asia/Kolkata', '2027-01-01'],
    ['2026-06-01T10:00:00Z', 'Pacific/Kiritimati', '2026-06-02'], // UTC+14
    ['2026-06-01T10:59:00Z', 'Pacific/Pago_Pago', '2026-05-31'], // UTC−11
  ])('%s in %s is %s', (iso, tz, expected) => {
    expect(toCalendarDate(new Date(iso), tz)).toBe(expected);
  });

  it('throws on an unknown zone or invalid instant', () => {
    expect(() => toCalendarDate(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => toCalendarDate(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });

  it('zonedParts gives 24-hour wall-clock parts', () => {
    expect(zonedParts(new Date('2026-03-08T04:30:15Z'), 'America/New_York')).toEqual({
      date: '2026-03-07',
      hour: 23,
      minute: 30,
      second: 15,
    });
    expect(zonedParts(new Date('2026-03-08T05:00:00Z'), 'America/New_York')).toMatchObject({ hour: 0, minute: 0 });
  });
});

describe('startOfDayInstant', () => {
  it.each([
    ['2026-03-07', 'America/New_York', '2026-03-07T05:00:00.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'], // DST starts at 02:00 that day
    ['2026-03-09', 'America/New_York', '2026-03-09T04:00:00.000Z'],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z'], // DST ends at 02:00 that day
    ['2026-11-02', 'America/New_York', '2026-11-02T05:00:00.000Z'],
    ['2026-03-29', 'Europe/Berlin', '2026-03-28T23:00:00.000Z'],
    ['2026-03-30', 'Europe/Berlin', '2026-03-29T22:00:00.000Z'],
    ['2026-01-01', 'UTC', '2026-01-01T00:00:00.000Z'],
    ['2027-01-01', 'Asia/Kolkata', '2026-12-31T18:30:00.000Z'],
    ['2026-06-02', 'Pacific/Kiritimati', '2026-06-01T10:00:00.000Z'],
    // Chile springs forward at midnight: 00:00 does not exist, the day begins when the clocks jump to 01:00.
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
  ])('%s in %s begins at %s', (d, tz, iso) => {
    expect(startOfDayInstant(d, tz).toISOString()).toBe(iso);
  });

  it('is the first instant of that local date, for any date and zone', () => {
    const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kathmandu', 'Pacific/Apia', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 6 }), fc.constantFrom(...zones), (offset, tz) => {
        const d = addDays('2024-01-01', offset);
        const start = startOfDayInstant(d, tz);
        expect(toCalendarDate(start, tz)).toBe(d);
        expect(toCalendarDate(new Date(start.getTime() - 1000), tz)).toBe(addDays(d, -1));
      }),
      { numRuns: 300 },
    );
  });
});

describe('zonedWallTimeToInstant', () => {
  it.each([
    // a wall time in the spring-forward gap resolves to the moment of the jump
    ['2026-03-08', 150, 'America/New_York', undefined, '2026-03-08T07:00:00.000Z'],
    // a repeated wall time resolves to its first occurrence…
    ['2026-11-01', 90, 'America/New_York', undefined, '2026-11-01T05:30:00.000Z'],
    // …or the first one not before `notBefore`
    ['2026-11-01', 90, 'America/New_York', '2026-11-01T06:00:00Z', '2026-11-01T06:30:00.000Z'],
    ['2026-03-29', 150, 'Europe/Berlin', undefined, '2026-03-29T01:00:00.000Z'],
    ['2026-10-25', 150, 'Europe/Berlin', undefined, '2026-10-25T00:30:00.000Z'],
    ['2026-06-15', 8 * 60, 'Europe/Berlin', undefined, '2026-06-15T06:00:00.000Z'],
  ])('%s minute %i in %s (not before %s) → %s', (d, minute, tz, notBefore, iso) => {
    expect(zonedWallTimeToInstant(d, minute, tz, notBefore === undefined ? undefined : new Date(notBefore)).toISOString()).toBe(iso);
  });

  it('rejects minutes outside a day', () => {
    expect(() => zonedWallTimeToInstant('2026-01-01', 1440, 'UTC')).toThrow(RangeError);
    expect(() => zonedWallTimeToInstant('2026-01-01', -1, 'UTC')).toThrow(RangeError);
  });
});
