// Records what became of claimed rows: sent, failed (with suppression), suppressed, or rescheduled for a retry.
import { sql } from 'drizzle-orm';
import type { SendOutcome } from '../channels/types.ts';
import { type Claimed, iso, step } from './claimed.ts';
import type { NotifierContext } from './context.ts';
import { nextRetry } from './retry-policy.ts';

export type Sent = { row: Claimed; providerId: string | null };

export async function recordSent(ctx: NotifierContext, rows: Sent[], now: Date, detail?: string) {
  if (rows.length === 0) return;
  const values = JSON.stringify(rows.map((r) => ({ id: r.row.id, pid: r.providerId })));
  await ctx.db.execute(sql`
    update notifications n set status = 'sent', provider_message_id = v.pid, lease_until = null, last_error = null,
      updated_at = ${iso(now)}::timestamptz, history = n.history || ${step(now, 'sent', detail)}::jsonb
    from jsonb_to_recordset(${values}::jsonb) as v(id bigint, pid text)
    where n.id = v.id and n.status = 'sending'`);
}

export async function recordFailed(ctx: NotifierContext, rows: Claimed[], reason: string, now: Date, suppress = false) {
  if (rows.length === 0) return;
  const { db } = ctx;
  const ids = `{${rows.map((r) => r.id).join(',')}}`;
  await db.execute(sql`
    update notifications set status = 'failed', lease_until = null, last_error = ${reason.slice(0, 1000)}, updated_at = ${iso(now)}::timestamptz,
      history = history || ${step(now, 'failed', reason)}::jsonb
    where id = any(${ids}::bigint[]) and status = 'sending'`);
  if (suppress) {
    for (const r of rows) {
      await db.execute(sql`insert into suppressions (channel, address, reason) values (${r.channel}, ${r.recipient}, ${reason.slice(0, 200)})
        on conflict (address) do nothing`);
    }
  }
}

/** Not sent, on purpose and visibly: the reason is in the log and on the order, like an opt-out. */
export async function recordSuppressed(ctx: NotifierContext, rows: Claimed[], reason: string, now: Date) {
  const ids = `{${rows.map((r) => r.id).join(',')}}`;
  await ctx.db.execute(sql`
    update notifications set status = 'suppressed', lease_until = null, last_error = ${`suppressed: ${reason}`}, updated_at = ${iso(now)}::timestamptz,
      history = history || ${step(now, 'suppressed', reason)}::jsonb
    where id = any(${ids}::bigint[]) and status = 'sending'`);
}

/** One outcome for all of `rows` (a batch answers as one); a retry keeps the rows' lease until it is due. */
export async function recordOutcome(ctx: NotifierContext, rows: Claimed[], outcome: SendOutcome, now: Date) {
  if (outcome.kind === 'sent')
    return recordSent(
      ctx,
      rows.map((row) => ({ row, providerId: outcome.providerId })),
      now,
    );
  if (outcome.kind === 'failed') return recordFailed(ctx, rows, outcome.reason, now, outcome.suppress ?? false);
  const first = rows[0] as Claimed;
  const decision = nextRetry({
    attempts: Math.max(...rows.map((r) => r.attempts)),
    firstAttemptAt: new Date(first.first_attempt_at),
    now,
    retryAfterMs: outcome.retryAfterMs,
    policy: ctx.retry,
  });
  if (!decision.retry) return recordFailed(ctx, rows, `${decision.reason}; last error: ${outcome.reason}`, now);
  const ids = `{${rows.map((r) => r.id).join(',')}}`;
  await ctx.db.execute(sql`
    update notifications set lease_until = ${iso(decision.at)}::timestamptz, retry_safe = ${!outcome.outcomeUnknown},
      last_error = ${outcome.reason.slice(0, 1000)}, updated_at = ${iso(now)}::timestamptz,
      history = history || ${step(now, 'retry', `${outcome.reason}; next attempt ${iso(decision.at)}`)}::jsonb
    where id = any(${ids}::bigint[]) and status = 'sending'`);
}
