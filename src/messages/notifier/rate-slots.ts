// Provider pacing shared by every worker through the database: each call reserves the next free start time.
import { sql } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';

/** Added to a slot (up to a tenth of it) for timers that fire late: see `slotSpanMs` and `slotToleranceMs`. */
export const SLOT_MARGIN_MS = 30;

/**
 * Reserves `units` of a rate of `perSecond` on `key` and returns when the caller may start. Reservations are
 * spaced so that no window of one second ever holds more than the rate, whatever number of workers share the key.
 * A rate of 0 means unlimited.
 */
export async function reserveSlot(db: Queryable, key: string, perSecond: number, units: number, now: Date): Promise<Date> {
  if (perSecond <= 0) return now;
  const spanMs = slotSpanMs(perSecond, units);
  const result = await db.execute(sql`
    insert into rate_slots (key, next_at) values (${key}, ${new Date(now.getTime() + spanMs).toISOString()}::timestamptz)
    on conflict (key) do update
      set next_at = greatest(rate_slots.next_at, ${now.toISOString()}::timestamptz) + make_interval(secs => ${spanMs / 1000})
    returning next_at`);
  const nextAt = new Date(rowsOf<{ next_at: string | Date }>(result)[0]?.next_at ?? now);
  return new Date(nextAt.getTime() - spanMs);
}

/**
 * How long a reservation holds its key: 2 % more than the exact spacing, plus up to 30 ms (at most a tenth of the
 * spacing, so high rates keep their throughput). Calls exactly one interval apart can land in the same provider second
 * when the provider counts its window inclusively, and a timer fires late when the thread is busy (on PGlite a query
 * holds it for milliseconds), which squeezes the gap to the next, punctual call.
 */
export function slotSpanMs(perSecond: number, units: number): number {
  const exactMs = (units * 1000) / perSecond;
  return Math.ceil(exactMs * 1.02 + Math.min(SLOT_MARGIN_MS, exactMs * 0.1));
}

/**
 * How late a call may start after its slot and still keep every second within the rate: the slot's margin over the
 * spacing plus 2 %, so that even then the next, punctual call starts more than one exact interval later (a provider
 * may count its window inclusively). A call later than that would crowd it, so its caller takes a new slot instead.
 */
export function slotToleranceMs(perSecond: number, units: number): number {
  return slotSpanMs(perSecond, units) - ((units * 1000) / perSecond) * 1.02;
}
