// Provider pacing: a call that starts within its slot's tolerance never crowds the rate.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slotSpanMs, slotToleranceMs } from '#src/messages/notifier/rate-slots.ts';

/** Most units started in any window [t, t + 1000 ms] opened by a call, ends included (as a strict provider counts). */
function busiestSecond(starts: Array<{ at: number; units: number }>): number {
  return Math.max(...starts.map((s) => starts.filter((o) => o.at >= s.at && o.at <= s.at + 1000).reduce((n, o) => n + o.units, 0)));
}

describe('provider slots', () => {
  it('keep every second within the rate when each call starts up to its tolerance late', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 40 }),
        (perSecond, lateness) => {
          const starts = lateness.map((late, k) => ({ at: k * slotSpanMs(perSecond, 1) + late * slotToleranceMs(perSecond, 1), units: 1 }));
          return busiestSecond(starts) <= perSecond;
        },
      ),
    );
  });

  it('give a call of several units (SMS segments) its whole share of the rate before the next starts, even late', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 2, maxLength: 40 }),
        (perSecond, calls) => {
          let slot = 0;
          const busy = calls.map(([units, late]) => {
            const at = slot + late * slotToleranceMs(perSecond, units);
            slot += slotSpanMs(perSecond, units);
            return { from: at, to: at + (units * 1000) / perSecond };
          });
          // Each call's share ends before the next call starts, never at the same instant.
          return busy.every((b, i) => i === 0 || (busy[i - 1] as { to: number }).to < b.from);
        },
      ),
    );
  });

  it('would not if a call could start later than that', () => {
    // Four per second: slots 280 ms apart, tolerance 25 ms. The first call 150 ms late puts five calls in 970 ms.
    expect(slotSpanMs(4, 1)).toBe(280);
    expect(slotToleranceMs(4, 1)).toBe(25);
    const starts = [0, 1, 2, 3, 4].map((k) => ({ at: k * 280 + (k === 0 ? 150 : 0), units: 1 }));
    expect(busiestSecond(starts)).toBe(5);
  });
});
