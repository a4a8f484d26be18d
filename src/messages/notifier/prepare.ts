// Before the first provider call: renders rows that have no content yet, groups e-mail into batches, persists both.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { StoreSettings } from '#src/store/store-settings.ts';
import { composeMessages } from '../compose.ts';
import type { Claimed } from './claimed.ts';
import type { NotifierContext } from './context.ts';
import { recordFailed } from './record-outcome.ts';

/**
 * Content and batch keys are written before any send, so every retry sends identical bytes under the same key. Rows
 * whose events no longer describe a message, or that fail to render, are recorded failed here and left out.
 */
export async function prepare(
  ctx: NotifierContext,
  rows: Claimed[],
  now: Date,
  store: StoreSettings,
): Promise<{ emailGroups: Claimed[][]; sms: Claimed[] }> {
  const { db } = ctx;
  const fresh = rows.filter((r) => r.rendered === null);
  const composed = await composeMessages(
    db,
    fresh.map((r) => ({
      id: r.id,
      orderId: r.order_id,
      customerId: r.customer_id,
      channel: r.channel,
      required: r.required,
      payload: r.payload,
    })),
    store,
    ctx.publicUrl,
    now,
  );
  const nothing = fresh.filter((r) => !composed.has(r.id));
  if (nothing.length) await recordFailed(ctx, nothing, 'nothing to tell: its events no longer describe a message', now);
  for (const r of fresh) {
    const c = composed.get(r.id);
    if (c && 'error' in c) await recordFailed(ctx, [r], c.error, now);
    else if (c) Object.assign(r, { rendered: c.rendered, segments: c.segments });
  }
  const ready = rows.filter((r) => r.rendered !== null);
  const emails = ready.filter((r) => r.channel === 'email');
  const groups = new Map<string, Claimed[]>();
  const loose: Claimed[] = [];
  for (const r of emails) {
    if (r.batch_key) groups.set(r.batch_key, [...(groups.get(r.batch_key) ?? []), r]);
    else loose.push(r);
  }
  for (let i = 0; i < loose.length; i += ctx.email.maxBatch) {
    const group = loose.slice(i, i + ctx.email.maxBatch);
    // One e-mail: its own dedupe key. Several: a key derived from exactly who is in the batch.
    const key =
      group.length === 1
        ? (group[0] as Claimed).dedupe_key
        : `batch-${createHash('sha256')
            .update(group.map((g) => g.id).join(','))
            .digest('hex')
            .slice(0, 40)}`;
    for (const g of group) g.batch_key = key;
    groups.set(key, group);
  }
  const persist = ready
    .filter((r) => (composed.has(r.id) && r.rendered !== null) || (r.channel === 'email' && loose.includes(r)))
    .map((r) => ({
      id: r.id,
      rendered: r.rendered,
      segments: r.channel === 'sms' ? r.segments : null,
      batch_key: r.channel === 'email' ? r.batch_key : null,
      content_hash: createHash('sha256').update(JSON.stringify(r.rendered)).digest('hex'),
    }));
  if (persist.length) {
    await db.execute(sql`
      update notifications n set rendered = v.rendered, segments = v.segments, batch_key = v.batch_key, content_hash = v.content_hash
      from jsonb_to_recordset(${JSON.stringify(persist)}::jsonb) as v(id bigint, rendered jsonb, segments int, batch_key text, content_hash text)
      where n.id = v.id`);
  }
  // A retried batch must be byte-identical for its idempotency key: always in id order.
  const emailGroups = [...groups.values()].map((g) => g.sort((a, b) => a.id - b.id));
  return { emailGroups, sms: ready.filter((r) => r.channel === 'sms') };
}
