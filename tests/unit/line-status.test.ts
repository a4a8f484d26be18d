import { describe, expect, it } from 'vitest';
import { allowedNext, isOpen, LINE_STATUSES, type LineStatus, transition } from '#src/domain/line-status.ts';

describe('line status machine (SPEC 2)', () => {
  const allowed: Array<[LineStatus, LineStatus]> = [
    ['waiting', 'ready'],
    ['waiting', 'shipped'],
    ['waiting', 'cancelled'],
    ['ready', 'shipped'],
    ['ready', 'cancelled'],
    ['shipped', 'delivered'],
  ];

  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(transition(from, to)).toEqual({ ok: true, from, to });
  });

  const every = LINE_STATUSES.flatMap((from) => LINE_STATUSES.map((to) => [from, to] as [LineStatus, LineStatus]));
  const forbidden = every.filter(([f, t]) => f !== t && !allowed.some(([a, b]) => a === f && b === t));

  it.each(forbidden)('refuses %s → %s', (from, to) => {
    expect(transition(from, to)).toEqual({ ok: false, reason: 'not_allowed', from, to });
  });

  it('treats a move to the same status as no transition', () => {
    expect(transition('ready', 'ready')).toMatchObject({ ok: false, reason: 'same_status' });
  });

  it('never moves a shipped line back to cancelled: cancellation is only before shipment (435.2(c))', () => {
    expect(allowedNext('shipped')).not.toContain('cancelled');
  });

  it('finished lines go nowhere', () => {
    expect(allowedNext('delivered')).toEqual([]);
    expect(allowedNext('cancelled')).toEqual([]);
  });

  it('counts only waiting and ready lines as open', () => {
    expect(LINE_STATUSES.filter(isOpen)).toEqual(['waiting', 'ready']);
  });
});
