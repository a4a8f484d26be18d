// Fixed-window counters of failed attempts, kept in the database so every process shares them.
import { inArray, sql } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { rateLimits } from '#db/schema/index.ts';

export type Limit = { key: string; max: number };

/** True when any of the keys has reached its maximum within the current window. */
export async function isOverLimit(db: Queryable, limits: Limit[], now: Date, windowMs: number): Promise<boolean> {
  if (limits.length === 0) return false;
  const rows = await db
    .select()
    .from(rateLimits)
    .where(
      inArray(
        rateLimits.key,
        limits.map((l) => l.key),
      ),
    );
  return rows.some((row) => {
    const limit = limits.find((l) => l.key === row.key);
    return limit !== undefined && row.windowStart.getTime() + windowMs > now.getTime() && row.count >= limit.max;
  });
}

/** Counts one failure against each key, starting a new window where the old one has ended. */
export async function recordFailure(db: Queryable, keys: string[], now: Date, windowMs: number): Promise<void> {
  const windowEdge = new Date(now.getTime() - windowMs);
  for (const key of keys) {
    await db
      .insert(rateLimits)
      .values({ key, windowStart: now, count: 1 })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          count: sql`case when ${rateLimits.windowStart} <= ${windowEdge.toISOString()}::timestamptz then 1 else ${rateLimits.count} + 1 end`,
          windowStart: sql`case when ${rateLimits.windowStart} <= ${windowEdge.toISOString()}::timestamptz then ${now.toISOString()}::timestamptz else ${rateLimits.windowStart} end`,
        },
      });
  }
}

/** Forgets the failures counted against keys (after a proof of identity, e.g. a successful sign-in to that account). */
export async function clearFailures(db: Queryable, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.delete(rateLimits).where(inArray(rateLimits.key, keys));
}
