// Waiting for a provider slot: reserves one in `rate_slots`, sleeps until it, and takes another if the timer ran late.
import type { NotifierContext } from './context.ts';
import { reserveSlot, slotToleranceMs } from './rate-slots.ts';

async function waitUntil(clock: () => Date, at: Date) {
  const ms = at.getTime() - clock().getTime();
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

/**
 * Waits for a provider slot on `key` and returns when the call may start. A timer that fires later than the slot's
 * margin (a busy thread) would squeeze this call into the next caller's second, so the late call takes a new slot:
 * the rate is never exceeded, at the cost of the missed slot. A new slot starts no sooner than the last attempt's
 * lateness from now: on an idle key a slot starts when asked, and a slow reservation alone would make it late again.
 * `reserved` runs once a slot is known, before waiting.
 */
export async function takeSlot(
  ctx: NotifierContext,
  key: string,
  perSecond: number,
  units: number,
  reserved?: (start: Date) => Promise<void>,
) {
  const { db, clock } = ctx;
  let leadMs = 0;
  for (;;) {
    const start = await reserveSlot(db, key, perSecond, units, new Date(clock().getTime() + leadMs));
    await reserved?.(start);
    await waitUntil(clock, start);
    const lateMs = clock().getTime() - start.getTime();
    if (perSecond <= 0 || lateMs <= slotToleranceMs(perSecond, units)) return;
    leadMs = Math.min(lateMs, 1000);
  }
}
