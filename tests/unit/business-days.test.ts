// Specification of working-day arithmetic and the 435.1(b) refund due date (src/domain/business-days.ts).
import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, refundDueDate } from '../../src/domain/business-days.ts';

const US_2026_27 = ['2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25', '2027-01-01', '2027-01-18'];

describe('isWorkingDay', () => {
  it.each([
    ['2026-06-01', [], true], // Monday
    ['2026-06-05', [], true], // Friday
    ['2026-06-06', [], false], // Saturday
    ['2026-06-07', [], false], // Sunday
    ['2026-07-03', US_2026_27, false], // observed Independence Day (Friday)
    ['2026-07-03', [], true],
  ])('%s (holidays %j) → %s', (d, holidays, expected) => {
    expect(isWorkingDay(d, holidays)).toBe(expected);
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['Monday + 0 is Monday', '2026-06-01', 0, [], '2026-06-01'],
    ['Saturday + 0 is that Saturday', '2026-06-06', 0, [], '2026-06-06'],
    ['Monday + 1', '2026-06-01', 1, [], '2026-06-02'],
    ['Friday + 1 skips the weekend', '2026-06-05', 1, [], '2026-06-08'],
    ['Saturday + 1 is Monday', '2026-06-06', 1, [], '2026-06-08'],
    ['Sunday + 1 is Monday', '2026-06-07', 1, [], '2026-06-08'],
    ['Monday + 5 is next Monday', '2026-06-01', 5, [], '2026-06-08'],
    ['Thursday + 1 skips a Friday holiday and the weekend', '2026-07-02', 1, US_2026_27, '2026-07-06'],
    ['a holiday on a weekend changes nothing', '2026-06-05', 1, ['2026-06-06'], '2026-06-08'],
    ['Wednesday + 3 across Thanksgiving', '2026-11-25', 3, US_2026_27, '2026-12-01'],
    ['crossing the year end with Christmas and New Year', '2026-12-23', 7, US_2026_27, '2027-01-05'],
    ['crossing the year end without holidays', '2026-12-30', 3, [], '2027-01-04'],
    ['leap day is an ordinary working day', '2028-02-28', 1, [], '2028-02-29'],
  ])('%s', (_name, from, n, holidays, expected) => {
    expect(addWorkingDays(from, n, holidays)).toBe(expected);
  });

  it('rejects bad input', () => {
    expect(() => addWorkingDays('2026-06-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-06-01', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-06-31', 1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-06-01', 1, ['not-a-date'])).toThrow(RangeError);
  });
});

describe('refundDueDate — seven working days after the right vests, 435.1(b)', () => {
  it.each([
    ['vested Monday', '2026-06-01', [], '2026-06-10'],
    ['vested Friday', '2026-06-05', [], '2026-06-16'],
    ['vested Saturday', '2026-06-06', [], '2026-06-16'],
    ['vested before Independence Day', '2026-07-01', US_2026_27, '2026-07-13'],
    ['vested just before Christmas, due in the new year', '2026-12-23', US_2026_27, '2027-01-05'],
    ['vested on New Year’s Eve', '2026-12-31', US_2026_27, '2027-01-12'],
  ])('%s (%s) → %s', (_name, vestedOn, holidays, expected) => {
    expect(refundDueDate(vestedOn, holidays)).toBe(expected);
  });
});
