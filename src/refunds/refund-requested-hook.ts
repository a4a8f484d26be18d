// The payment port's automatic adapter: refund.requested goes to the shop platform as a signed webhook, retried with
// backoff, each attempt in the delivery log. (The ledger adapter is the refunds table itself plus "refund sent".)
import { sql } from 'drizzle-orm';
import type { Db, Queryable } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { nextRetry, type RetryPolicy } from '#src/messages/notifier/retry-policy.ts';
import { signWebhook } from '../auth/webhook-signature.ts';

export type RefundWebhookConfig = { url: string; secret: string };

/**
 * Queues refund.requested in the caller's transaction, so the refund and its hand-off commit together. It is due at
 * the use case's `now`, the clock its refund was recorded by, not the database's.
 */
export async function enqueueRefundRequested(
  tx: Queryable,
  target: RefundWebhookConfig,
  refund: Record<string, unknown> & { id: number },
  now: Date,
): Promise<void> {
  await tx.execute(sql`
    insert into webhook_deliveries (event_type, subject, dedupe_key, url, payload, next_attempt_at, created_at)
    values ('refund.requested', ${`refund:${refund.id}`}, ${`refund.requested:${refund.id}`}, ${target.url},
            ${JSON.stringify({ type: 'refund.requested', data: refund })}::jsonb, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
    on conflict (dedupe_key) do nothing`);
}

type Due = { id: number | string; url: string; payload: Record<string, unknown>; attempts: number; created_at: string | Date };

/** Delivers due webhooks (claimed with SKIP LOCKED, so several workers share them); returns how many were tried. */
export async function deliverDueWebhooks(db: Db, secret: string, now: Date, policy?: RetryPolicy, timeoutMs = 10_000): Promise<number> {
  const due = rowsOf<Due>(
    await db.execute(sql`
      update webhook_deliveries set attempts = attempts + 1, next_attempt_at = ${new Date(now.getTime() + 60_000).toISOString()}::timestamptz
      where id in (select id from webhook_deliveries where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
                   order by next_attempt_at limit 20 for update skip locked)
      returning id, url, payload, attempts, created_at`),
  );
  for (const d of due) {
    const body = JSON.stringify({ id: `whd_${d.id}`, ...d.payload });
    let detail: string;
    let ok = false;
    try {
      const response = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'porchlight-signature': signWebhook(secret, body, Math.floor(now.getTime() / 1000)),
          'porchlight-delivery': `whd_${d.id}`,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      ok = response.ok;
      detail = `HTTP ${response.status}`;
    } catch (error) {
      detail = `network: ${(error as Error).message}`;
    }
    const at = now.toISOString();
    if (ok) {
      await db.execute(sql`update webhook_deliveries set status = 'delivered',
        history = history || ${JSON.stringify([{ at, status: 'delivered', detail }])}::jsonb where id = ${d.id}`);
      continue;
    }
    const decision = nextRetry({
      attempts: d.attempts,
      firstAttemptAt: new Date(d.created_at),
      now,
      retryAfterMs: null,
      ...(policy ? { policy } : {}),
    });
    if (decision.retry) {
      await db.execute(sql`update webhook_deliveries set next_attempt_at = ${decision.at.toISOString()}::timestamptz,
        history = history || ${JSON.stringify([{ at, status: 'retry', detail }])}::jsonb where id = ${d.id}`);
    } else {
      await db.execute(sql`update webhook_deliveries set status = 'failed',
        history = history || ${JSON.stringify([{ at, status: 'failed', detail: `${decision.reason}; last: ${detail}` }])}::jsonb where id = ${d.id}`);
    }
  }
  return due.length;
}
