import { describe, expect, it } from 'vitest';
import { etaStanding, makeEtaWindow } from '#src/domain/eta-window.ts';

describe('ETA window', () => {
  it('accepts a window and a single day', () => {
    expect(makeEtaWindow('2026-12-01', '2026-12-20')).toEqual({ ok: true, window: { from: '2026-12-01', to: '2026-12-20' } });
    expect(makeEtaWindow('2026-12-05', null)).toEqual({ ok: true, window: { from: '2026-12-05', to: '2026-12-05' } });
    expect(makeEtaWindow(null, null)).toEqual({ ok: true, window: { from: null, to: null } });
  });

  it('refuses impossible dates and reversed windows', () => {
    expect(makeEtaWindow('2026-02-30', null)).toEqual({ ok: false, reason: 'invalid_date' });
    expect(makeEtaWindow('20261201', null)).toEqual({ ok: false, reason: 'invalid_date' });
    expect(makeEtaWindow('2026-12-20', '2026-12-01')).toEqual({ ok: false, reason: 'from_after_to' });
  });
});

describe('how an open line stands against its promised date T', () => {
  const base = { status: 'waiting' as const, applicableTime: '2026-12-10' };
  it.each([
    ['on time when the window ends by T', { from: '2026-12-01', to: '2026-12-10' }, '2026-11-22', 'on_time'],
    ['delayed when the window ends after T', { from: '2026-12-05', to: '2026-12-11' }, '2026-11-22', 'delayed'],
    ['late once T has passed, whatever the window says', { from: '2026-12-01', to: '2026-12-05' }, '2026-12-11', 'late'],
    ['not yet late on T itself', { from: '2026-12-01', to: '2026-12-05' }, '2026-12-10', 'on_time'],
    ['unknown with no date', { from: null, to: null }, '2026-11-22', 'unknown'],
  ] as const)('%s', (_name, eta, today, expected) => {
    expect(etaStanding({ ...base, eta, today })).toBe(expected);
  });

  it('calls shipped, delivered and cancelled lines done', () => {
    for (const status of ['shipped', 'delivered', 'cancelled'] as const) {
      expect(etaStanding({ status, applicableTime: '2026-01-01', eta: { from: null, to: null }, today: '2026-12-01' })).toBe('done');
    }
  });
});
