// The leases a pass holds on its rows: renewed while it runs, and asked before every provider call.
import { sql } from 'drizzle-orm';
import { rowsOf } from '#db/client.ts';
import { describeError } from '#src/observability/error-summary.ts';
import { iso } from './claimed.ts';
import type { NotifierContext } from './context.ts';

export type Lease = {
  /** True while this pass surely still holds the row: its lease runs beyond `now` by the safety margin. */
  holds(id: number, now: Date): boolean;
  /** This pass moved the row's lease itself, to `until`. */
  moved(id: number, until: Date): void;
  stop(): Promise<void>;
};

/**
 * Renews the lease of a pass's rows every third of a lease while it runs, so that a long batch (slow provider,
 * paced SMS) is not reclaimed by another worker or lane while its messages are still queued here, which would send
 * them twice (the chaos run saw 58 SMS duplicates before this). Only rows still holding the lease this pass set are
 * renewed: one rescheduled for a retry, held for quiet hours or taken over by another worker carries another value.
 */
export function keepLeases(ctx: NotifierContext, ids: number[], leaseUntil: Date): Lease {
  const { db, clock, leaseMs, leaseMargin, log } = ctx;
  const list = `{${ids.join(',')}}`;
  let current = leaseUntil;
  let held = new Set(ids);
  /** Rows whose lease this pass moved itself (an SMS waiting for a far slot): each keeps its own. */
  const own = new Map<number, Date>();
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = renewing.then(async () => {
        const next = new Date(clock().getTime() + leaseMs);
        try {
          const renewed = rowsOf<{ id: number | string }>(
            await db.execute(sql`
            update notifications set lease_until = ${iso(next)}::timestamptz
            where id = any(${list}::bigint[]) and status = 'sending' and lease_until = ${iso(current)}::timestamptz
            returning id`),
          );
          held = new Set(renewed.map((r) => Number(r.id)));
          current = next;
        } catch (error) {
          log(`notifier: renewing leases: ${describeError(error)}`);
        }
      });
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  return {
    holds(id, now) {
      const until = own.get(id) ?? (held.has(id) ? current : null);
      return until !== null && now.getTime() < until.getTime() - leaseMargin;
    },
    moved(id, until) {
      own.set(id, until);
    },
    async stop() {
      clearInterval(timer);
      await renewing;
    },
  };
}
