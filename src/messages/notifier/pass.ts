// One pass: claim due and expired rows, hold quiet-hours SMS, render and persist, send within the lanes' concurrency.
import { sql } from 'drizzle-orm';
import { rowsOf } from '#db/client.ts';
import { describeError } from '#src/observability/error-summary.ts';
import { loadStoreSettings } from '#src/store/store-settings.ts';
import { NO_SMS_PROVIDER } from '../channels/delivery-plan.ts';
import { claimFresh, reclaimExpired } from './claim.ts';
import type { NotifierContext } from './context.ts';
import { holdQuietSms } from './hold-quiet-sms.ts';
import { keepLeases } from './leases.ts';
import { prepare } from './prepare.ts';
import { recordSuppressed } from './record-outcome.ts';
import { sendEmailGroup } from './send-email.ts';
import { sendSms } from './send-sms.ts';
import type { SentSmsBatch } from './sent-sms-batch.ts';

/** What one pass did: counts only, nothing about whom the messages were for. */
export type PassReport = {
  lane: number | null;
  claimed: number;
  reclaimed: number;
  /** Where the claimed rows stand after the pass, by status ('sending': waiting for a retry or quiet hours). */
  outcomes: Record<string, number>;
  durationMs: number;
};

export type PassHooks = {
  sentSms: SentSmsBatch;
  /** Runs at the start of a housekeeping pass (the FTC sweep joins here). */
  onTick: ((now: Date) => Promise<void>) | undefined;
  onPass: ((report: PassReport) => void) | undefined;
};

/** Runs one pass; returns how many rows it claimed. `beat` is called after every send, so a long pass shows alive. */
export type Pass = (lane: number | null, housekeeping: boolean, beat?: () => void) => Promise<number>;

export function createPass(ctx: NotifierContext, { sentSms, onTick, onPass }: PassHooks): Pass {
  const { db, clock, leaseMs } = ctx;
  return async (lane, housekeeping, beat = () => {}) => {
    const started = performance.now();
    const now = clock();
    if (housekeeping && onTick) await onTick(now);
    const reclaimed = await reclaimExpired(ctx, now);
    const claimed = [...reclaimed, ...(await claimFresh(ctx, now))];
    const report = async () => {
      if (!onPass) return;
      const outcomes = claimed.length
        ? await outcomesOf(
            ctx,
            claimed.map((r) => r.id),
          )
        : {};
      const durationMs = performance.now() - started;
      onPass({ lane, claimed: claimed.length, reclaimed: reclaimed.length, outcomes, durationMs });
    };
    if (claimed.length === 0) {
      await report();
      return 0;
    }
    const lease = keepLeases(
      ctx,
      claimed.map((r) => r.id),
      new Date(now.getTime() + leaseMs),
    );
    try {
      // Read once per pass: the senders, quiet hours and names every message of the pass uses.
      const store = await loadStoreSettings(db);
      const sendable = await holdQuietSms(ctx, claimed, now, store);
      const noSms = ctx.sms ? [] : sendable.filter((r) => r.channel === 'sms');
      if (noSms.length) await recordSuppressed(ctx, noSms, NO_SMS_PROVIDER, now);
      const { emailGroups, sms } = await prepare(
        ctx,
        sendable.filter((r) => r.channel === 'email' || ctx.sms),
        now,
        store,
      );
      const channel = ctx.sms;
      await pool<() => Promise<void>>(
        ctx,
        [
          ...emailGroups.map((g) => () => sendEmailGroup(ctx, g, store, lease)),
          ...(channel ? sms.map((r) => () => sendSms(ctx, sentSms, r, channel, store, lease)) : []),
        ],
        (job) => job(),
        beat,
      );
      await sentSms.flush();
    } finally {
      await lease.stop();
    }
    await report();
    return claimed.length;
  };
}

/** Runs `fn` over the items, `concurrency` at once; one failing item is logged and does not stop the others. */
async function pool<T>(ctx: NotifierContext, items: T[], fn: (item: T) => Promise<void>, beat: () => void) {
  let next = 0;
  const workers = Array.from({ length: Math.min(ctx.concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        ctx.log(`notifier: send failed unexpectedly: ${describeError(error)}`);
      }
      beat();
    }
  });
  await Promise.all(workers);
}

async function outcomesOf(ctx: NotifierContext, ids: number[]): Promise<Record<string, number>> {
  const rows = rowsOf<{ status: string; n: number | string }>(
    await ctx.db.execute(
      sql`select status, count(*)::int as n from notifications where id = any(${`{${ids.join(',')}}`}::bigint[]) group by status`,
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
