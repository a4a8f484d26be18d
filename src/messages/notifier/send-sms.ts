// Sends one SMS, paced per sender; a row whose earlier attempt went unanswered is first looked up at Twilio.
import { sql } from 'drizzle-orm';
import type { RenderedContent } from '#db/schema/index.ts';
import type { StoreSettings } from '#src/store/store-settings.ts';
import type { OutgoingSms, SendOutcome, SmsChannel } from '../channels/types.ts';
import { type Claimed, iso } from './claimed.ts';
import type { NotifierContext } from './context.ts';
import type { Lease } from './leases.ts';
import { takeSlot } from './pacing.ts';
import { recordOutcome, recordSent } from './record-outcome.ts';
import type { SentSmsBatch } from './sent-sms-batch.ts';

/** It goes from the number or Messaging Service staff saved in the settings, else the channel's configured one. */
export async function sendSms(
  ctx: NotifierContext,
  sentSms: SentSmsBatch,
  row: Claimed,
  channel: SmsChannel,
  store: StoreSettings,
  lease: Lease,
) {
  const { db, clock, leaseMs, log } = ctx;
  const c = row.rendered as RenderedContent;
  const from = store.smsFrom ?? channel.sender;
  const sms: OutgoingSms = { notificationId: row.id, to: row.recipient, from, body: c.sms, segments: row.segments ?? 1 };
  if (row.reclaimed && !row.retry_safe) {
    // SMS has no idempotency key: ask Twilio whether the earlier, unanswered attempt went out.
    try {
      const sid = await channel.findSent(sms, new Date(row.first_attempt_at));
      if (sid) return recordSent(ctx, [{ row, providerId: sid }], clock(), 'found at the provider after an unanswered attempt');
    } catch (error) {
      return recordOutcome(
        ctx,
        [row],
        { kind: 'retry', reason: `reconcile failed: ${(error as Error).message}`, retryAfterMs: null, outcomeUnknown: true },
        clock(),
      );
    }
  }
  // This attempt may reach Twilio: a crash from here on must make the next attempt reconcile first. Written
  // before the slot, like every other write, so the call itself starts on time.
  if (row.retry_safe) await db.execute(sql`update notifications set retry_safe = false where id = ${row.id}`);
  // Pacing is per sender (Twilio's rate is per long-code number), whichever one this message goes from.
  await takeSlot(ctx, `sms:${from}`, ctx.rates.smsSegmentsPerSecond, sms.segments, async (start) => {
    if (start.getTime() <= clock().getTime() + leaseMs / 2) return;
    const until = new Date(start.getTime() + leaseMs);
    await db.execute(sql`update notifications set lease_until = ${iso(until)}::timestamptz where id = ${row.id}`);
    lease.moved(row.id, until);
  });
  // Last check before Twilio: if this thread stalled past its lease, another worker may already have sent it.
  if (!lease.holds(row.id, clock())) return log(`notifier: lease on notification ${row.id} may be lost; left to whoever holds it`);
  let outcome: SendOutcome;
  try {
    outcome = await channel.send(sms);
  } catch (error) {
    outcome = { kind: 'retry', reason: `transport error: ${(error as Error).message}`, retryAfterMs: null, outcomeUnknown: true };
  }
  const now = clock();
  if (outcome.kind === 'sent') return sentSms.add(row, outcome.providerId);
  if (outcome.kind === 'failed' && outcome.suppress) {
    await db.execute(
      sql`update customers set sms_opted_out_at = coalesce(sms_opted_out_at, ${iso(now)}::timestamptz) where phone = ${row.recipient}`,
    );
  }
  await recordOutcome(ctx, [row], outcome, now);
}
