// Claiming due rows for a pass: fresh ones from `queued`, and `sending` ones whose lease ran out.
import { sql } from 'drizzle-orm';
import { rowsOf } from '#db/client.ts';
import { type Claimed, iso, normalise, RETURNING, step } from './claimed.ts';
import type { NotifierContext } from './context.ts';

export async function claimFresh(ctx: NotifierContext, now: Date): Promise<Claimed[]> {
  const { db, leaseMs, batchSize } = ctx;
  const result = await db.execute(sql`
    update notifications set status = 'sending', lease_until = ${iso(new Date(now.getTime() + leaseMs))}::timestamptz,
      attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ${iso(now)}::timestamptz), updated_at = ${iso(now)}::timestamptz,
      history = history || ${step(now, 'sending')}::jsonb
    where id in (select id from notifications where status = 'queued' and due_at <= ${iso(now)}::timestamptz
                 order by due_at, id limit ${batchSize} for update skip locked)
    ${RETURNING}`);
  return rowsOf<Claimed>(result).map(normalise);
}

const WINDOW_PASSED = 'gave up: the retry window has passed before the message could be sent';

/**
 * Rows whose lease ran out: a retry that is due, or a send whose worker died. E-mail batches come back whole.
 * Only a due retry (or a send held for quiet hours) counts as a new attempt: a worker killed mid-send says
 * nothing about the provider, so crashes must not use up the retry budget (they did: the chaos run ended 127
 * delivered messages as failed). The retry window still bounds them: past it, the row fails with its reason.
 */
export async function reclaimExpired(ctx: NotifierContext, now: Date): Promise<Claimed[]> {
  const { db, leaseMs, batchSize, retry } = ctx;
  const lease = iso(new Date(now.getTime() + leaseMs));
  const windowStart = iso(new Date(now.getTime() - retry.windowMs));
  const result = await db.execute(sql`
    update notifications set lease_until = ${lease}::timestamptz, updated_at = ${iso(now)}::timestamptz,
      attempts = attempts + case when history->-1->>'status' in ('retry', 'held') then 1 else 0 end,
      status = case when first_attempt_at < ${windowStart}::timestamptz then 'failed' else status end,
      last_error = case when first_attempt_at < ${windowStart}::timestamptz then ${WINDOW_PASSED} || coalesce('; last error: ' || last_error, '')
                        else last_error end,
      history = history || case
        when first_attempt_at < ${windowStart}::timestamptz then ${step(now, 'failed', 'gave up: the retry window has passed')}::jsonb
        when history->-1->>'status' in ('retry', 'held') then ${step(now, 'sending')}::jsonb
        else ${step(now, 'reclaimed', 'the worker sending it stopped before recording the outcome')}::jsonb end
    where status = 'sending' and lease_until <= ${iso(now)}::timestamptz and (
      id in (select id from notifications where status = 'sending' and lease_until <= ${iso(now)}::timestamptz and batch_key is null
             order by lease_until limit ${batchSize} for update skip locked)
      or batch_key in (select distinct batch_key from notifications
                       where status = 'sending' and lease_until <= ${iso(now)}::timestamptz and batch_key is not null limit 5))
    ${RETURNING}, status`);
  return rowsOf<Claimed & { status: string }>(result)
    .filter((r) => r.status === 'sending')
    .map((r) => ({ ...normalise(r), reclaimed: true }));
}
