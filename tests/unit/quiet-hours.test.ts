// Specification of SMS quiet hours (src/domain/quiet-hours.ts), across DST changes and midnight.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasNoQuietHours, isQuietHour, nextAllowedSendTime, parseHhMm, quietHoldUntil } from '../../src/domain/quiet-hours.ts';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const NIGHT = { start: '21:00', end: '08:00' }; // crosses midnight

describe('nextAllowedSendTime', () => {
  it.each([
    // America/New_York, DST starts Sunday 8 March 2026 (02:00 EST → 03:00 EDT)
    ['NY daytime before DST: unchanged', NY, NIGHT, '2026-03-06T19:00:00Z', '2026-03-06T19:00:00.000Z'],
    ['NY 20:59 EST: not yet quiet', NY, NIGHT, '2026-03-07T01:59:00Z', '2026-03-07T01:59:00.000Z'],
    ['NY 21:00 EST: quiet until 08:00 EST next day', NY, NIGHT, '2026-03-07T02:00:00Z', '2026-03-07T13:00:00.000Z'],
    [
      'NY 23:00 EST on 7 Mar: quiet until 08:00 EDT on 8 Mar (12:00Z, not 13:00Z)',
      NY,
      NIGHT,
      '2026-03-08T04:00:00Z',
      '2026-03-08T12:00:00.000Z',
    ],
    ['NY 01:30 EST on 8 Mar, before the jump', NY, NIGHT, '2026-03-08T06:30:00Z', '2026-03-08T12:00:00.000Z'],
    ['NY 07:59 EDT on 8 Mar', NY, NIGHT, '2026-03-08T11:59:00Z', '2026-03-08T12:00:00.000Z'],
    ['NY 08:00 EDT on 8 Mar: allowed', NY, NIGHT, '2026-03-08T12:00:00Z', '2026-03-08T12:00:00.000Z'],
    // America/New_York, DST ends Sunday 1 November 2026 (02:00 EDT → 01:00 EST)
    ['NY 23:00 EDT on 31 Oct: quiet until 08:00 EST on 1 Nov (13:00Z)', NY, NIGHT, '2026-11-01T03:00:00Z', '2026-11-01T13:00:00.000Z'],
    ['NY 01:30 EDT (first time) on 1 Nov', NY, NIGHT, '2026-11-01T05:30:00Z', '2026-11-01T13:00:00.000Z'],
    ['NY 01:30 EST (second time) on 1 Nov', NY, NIGHT, '2026-11-01T06:30:00Z', '2026-11-01T13:00:00.000Z'],
    ['NY 07:30 EST on 1 Nov (would be 08:30 EDT): still quiet', NY, NIGHT, '2026-11-01T12:30:00Z', '2026-11-01T13:00:00.000Z'],
    ['NY 09:00 EST on 1 Nov: allowed', NY, NIGHT, '2026-11-01T14:00:00Z', '2026-11-01T14:00:00.000Z'],
    // A window whose end falls in the spring-forward gap ends when the clocks jump
    [
      'NY quiet 01:00–02:30 on 8 Mar ends at 03:00 EDT',
      NY,
      { start: '01:00', end: '02:30' },
      '2026-03-08T06:30:00Z',
      '2026-03-08T07:00:00.000Z',
    ],
    // A window whose end falls in the repeated hour ends at the next time the clock shows it
    ['NY quiet 00:30–01:30, at 01:15 EDT', NY, { start: '00:30', end: '01:30' }, '2026-11-01T05:15:00Z', '2026-11-01T05:30:00.000Z'],
    [
      'NY quiet 00:30–01:30, at 01:15 EST (clocks turned back)',
      NY,
      { start: '00:30', end: '01:30' },
      '2026-11-01T06:15:00Z',
      '2026-11-01T06:30:00.000Z',
    ],
    // Europe/Berlin: DST starts 29 March (02:00 CET → 03:00 CEST), ends 25 October (03:00 CEST → 02:00 CET)
    [
      'Berlin 23:30 CET on 28 Mar: until 07:00 CEST (05:00Z)',
      BERLIN,
      { start: '22:00', end: '07:00' },
      '2026-03-28T22:30:00Z',
      '2026-03-29T05:00:00.000Z',
    ],
    [
      'Berlin 23:00 CEST on 24 Oct: until 07:00 CET (06:00Z)',
      BERLIN,
      { start: '22:00', end: '07:00' },
      '2026-10-24T21:00:00Z',
      '2026-10-25T06:00:00.000Z',
    ],
    ['Berlin 06:59 CET in winter', BERLIN, { start: '22:00', end: '07:00' }, '2026-01-15T05:59:00Z', '2026-01-15T06:00:00.000Z'],
    ['Berlin noon: allowed', BERLIN, { start: '22:00', end: '07:00' }, '2026-01-15T11:00:00Z', '2026-01-15T11:00:00.000Z'],
    // Windows that do not cross midnight, and no quiet hours at all
    ['UTC quiet 12:00–14:00, at 13:00', 'UTC', { start: '12:00', end: '14:00' }, '2026-05-01T13:00:00Z', '2026-05-01T14:00:00.000Z'],
    ['UTC quiet 12:00–14:00, at 14:00', 'UTC', { start: '12:00', end: '14:00' }, '2026-05-01T14:00:00Z', '2026-05-01T14:00:00.000Z'],
    ['UTC quiet 12:00–14:00, at 11:59', 'UTC', { start: '12:00', end: '14:00' }, '2026-05-01T11:59:00Z', '2026-05-01T11:59:00.000Z'],
    ['start == end means no quiet hours', NY, { start: '21:00', end: '21:00' }, '2026-03-08T04:00:00Z', '2026-03-08T04:00:00.000Z'],
    [
      'midnight to midnight-ish: 00:00–06:00 at 23:59',
      'UTC',
      { start: '00:00', end: '06:00' },
      '2026-05-01T23:59:00Z',
      '2026-05-01T23:59:00.000Z',
    ],
    [
      'midnight to midnight-ish: 00:00–06:00 at 00:00',
      'UTC',
      { start: '00:00', end: '06:00' },
      '2026-05-02T00:00:00Z',
      '2026-05-02T06:00:00.000Z',
    ],
  ])('%s', (_name, tz, window, nowIso, expected) => {
    expect(nextAllowedSendTime(new Date(nowIso), tz, window).toISOString()).toBe(expected);
  });
});

describe('hasNoQuietHours', () => {
  it('is true only for a window that starts where it ends', () => {
    expect(hasNoQuietHours({ start: '00:00', end: '00:00' })).toBe(true);
    expect(hasNoQuietHours({ start: '21:00', end: '21:00' })).toBe(true);
    expect(hasNoQuietHours(NIGHT)).toBe(false);
    expect(hasNoQuietHours({ start: '00:00', end: '00:01' })).toBe(false);
  });

  it('agrees with isQuietHour: such a window is never quiet', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1439 }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (m, now) => {
          const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          return hasNoQuietHours({ start: hhmm, end: hhmm }) && !isQuietHour(now, NY, { start: hhmm, end: hhmm });
        },
      ),
    );
  });
});

describe('isQuietHour', () => {
  it.each([
    [NY, NIGHT, '2026-03-07T01:59:00Z', false], // 20:59 EST
    [NY, NIGHT, '2026-03-07T02:00:00Z', true], // 21:00 EST
    [NY, NIGHT, '2026-07-01T00:59:00Z', false], // 20:59 EDT
    [NY, NIGHT, '2026-07-01T01:00:00Z', true], // 21:00 EDT
    [NY, NIGHT, '2026-07-01T11:59:59Z', true], // 07:59:59 EDT
    [NY, NIGHT, '2026-07-01T12:00:00Z', false], // 08:00 EDT
    [BERLIN, NIGHT, '2026-07-01T19:00:00Z', true], // 21:00 CEST
    [BERLIN, NIGHT, '2026-01-01T19:00:00Z', false], // 20:00 CET
    ['UTC', { start: '09:00', end: '17:00' }, '2026-01-01T08:59:00Z', false],
    ['UTC', { start: '09:00', end: '17:00' }, '2026-01-01T09:00:00Z', true],
    ['UTC', { start: '09:00', end: '17:00' }, '2026-01-01T17:00:00Z', false],
    ['UTC', { start: '00:00', end: '00:00' }, '2026-01-01T03:00:00Z', false],
  ])('%s %j at %s → %s', (tz, window, iso, quiet) => {
    expect(isQuietHour(new Date(iso), tz, window)).toBe(quiet);
  });

  it.each(['24:00', '7:00', '07:60', '0700', '', 'ab:cd'])('rejects the time %j', (bad) => {
    expect(() => parseHhMm(bad)).toThrow(RangeError);
    expect(() => isQuietHour(new Date(), 'UTC', { start: bad, end: '08:00' })).toThrow(RangeError);
  });
});

describe('properties', () => {
  const zones = [NY, BERLIN, 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'UTC'];
  const hhmm = fc
    .integer({ min: 0, max: 1439 })
    .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  it('the result is never before now, is outside quiet hours, and is at most a day away', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        hhmm,
        fc.integer({ min: 1, max: 22 * 60 }),
        (now, tz, start, length) => {
          const startMin = parseHhMm(start);
          const endMin = (startMin + length) % 1440;
          const end = `${String(Math.floor(endMin / 60)).padStart(2, '0')}:${String(endMin % 60).padStart(2, '0')}`;
          const window = { start, end };
          const next = nextAllowedSendTime(now, tz, window);
          expect(next.getTime()).toBeGreaterThanOrEqual(now.getTime());
          expect(next.getTime() - now.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
          expect(isQuietHour(next, tz, window)).toBe(false);
          if (!isQuietHour(now, tz, window)) expect(next.getTime()).toBe(now.getTime());
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('quietHoldUntil — a required notice is never held past its deadline', () => {
  const window = { start: '21:00', end: '08:00' };
  // 23:30 in New York on 2026-11-23.
  const lateEvening = new Date('2026-11-24T04:30:00Z');
  const morning = new Date('2026-11-24T13:00:00Z'); // 08:00 in New York

  it('holds an SMS sent in quiet hours until they end', () => {
    expect(quietHoldUntil(lateEvening, NY, window, null)).toEqual(morning);
  });
  it('holds a notice whose deadline is after the quiet hours end', () => {
    expect(quietHoldUntil(lateEvening, NY, window, new Date('2026-11-25T05:00:00Z'))).toEqual(morning);
  });
  it('sends a notice now when waiting for the morning would miss its deadline (the end of the day in the store zone)', () => {
    expect(quietHoldUntil(lateEvening, NY, window, new Date('2026-11-24T05:00:00Z'))).toBeNull();
  });
  it('never holds outside quiet hours', () => {
    expect(quietHoldUntil(morning, NY, window, null)).toBeNull();
  });
});
