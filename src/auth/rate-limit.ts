// Fixed-window counters of attempts and per-subject turns, kept in the database so every process shares them.
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { rateLimits } from '#db/schema/index.ts';

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Counts one attempt against each key (a new window where the old one has ended) and returns each key's count in the
 * window, this attempt included. Counting before the answer is known means requests sent at once cannot all slip in.
 */
export async function countAttempt(db: Queryable, keys: string[], now: Date, windowMs: number): Promise<number[]> {
  const windowEdge = at(new Date(now.getTime() - windowMs));
  const counts: number[] = [];
  for (const key of keys) {
    const [row] = await db
      .insert(rateLimits)
      .values({ key, windowStart: now, count: 1 })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${rateLimits.windowStart} <= ${windowEdge} then 1 else ${rateLimits.count} + 1 end`,
          windowStart: sql`case when ${rateLimits.windowStart} <= ${windowEdge} then ${at(now)} else ${rateLimits.windowStart} end`,
        },
      })
      .returning({ count: rateLimits.count });
    counts.push(row?.count ?? 1);
  }
  return counts;
}

/** Takes back one counted attempt from each key (it turned out not to be a failure). */
export async function giveBack(db: Queryable, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db
    .update(rateLimits)
    .set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
    .where(inArray(rateLimits.key, keys));
}

/** Forgets the attempts counted against keys (after a proof of identity, e.g. a successful sign-in from that client). */
export async function clearFailures(db: Queryable, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.delete(rateLimits).where(inArray(rateLimits.key, keys));
}

/**
 * Books the next turn on `key`, turns at least `spacingMs` apart whoever asks, and returns how long to wait for it.
 * The row's window_start holds the time the next turn becomes free.
 */
export async function bookTurn(db: Queryable, key: string, now: Date, spacingMs: number): Promise<number> {
  const spacing = sql`${spacingMs} * interval '1 millisecond'`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: new Date(now.getTime() + spacingMs), count: 0 })
    .onConflictDoUpdate({ target: rateLimits.key, set: { windowStart: sql`greatest(${rateLimits.windowStart}, ${at(now)}) + ${spacing}` } })
    .returning({ nextFree: rateLimits.windowStart });
  const turn = (row?.nextFree.getTime() ?? now.getTime() + spacingMs) - spacingMs;
  return Math.max(0, turn - now.getTime());
}

/** Remembers that `key` proved itself at `now` (e.g. a client that signed in to an account). */
export async function markSeen(db: Queryable, key: string, now: Date): Promise<void> {
  await db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 0 })
    .onConflictDoUpdate({ target: rateLimits.key, set: { windowStart: at(now) } });
}

/** True when `key` was marked within `withinMs` before `now`. */
export async function seenSince(db: Queryable, key: string, now: Date, withinMs: number): Promise<boolean> {
  const [row] = await db
    .select({ key: rateLimits.key })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), gt(rateLimits.windowStart, new Date(now.getTime() - withinMs))))
    .limit(1);
  return row !== undefined;
}
