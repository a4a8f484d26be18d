// Holds claimed SMS through the customer's quiet hours, keeping their lease, and hands back the rows to send now.
import { inArray, sql } from 'drizzle-orm';
import { customers } from '#db/schema/index.ts';
import { hasNoQuietHours, quietHoldUntil } from '#src/domain/quiet-hours.ts';
import type { StoreSettings } from '#src/store/store-settings.ts';
import { type Claimed, iso, step } from './claimed.ts';
import type { NotifierContext } from './context.ts';

/**
 * SMS is held during the customer's quiet hours (never dropped), unless that would carry a required notice past its
 * deadline; the attempt does not count. A row that came back after an unanswered attempt stays unsafe to resend, so
 * the morning's attempt still asks Twilio first. The row keeps its
 * lease until then rather than going back to `queued`, where a newer update may already wait for the same order.
 */
export async function holdQuietSms(ctx: NotifierContext, rows: Claimed[], now: Date, store: StoreSettings): Promise<Claimed[]> {
  const { db } = ctx;
  const sms = rows.filter((r) => r.channel === 'sms');
  if (sms.length === 0) return rows;
  const window = { start: store.quietHoursStart, end: store.quietHoursEnd };
  // A store without quiet hours holds nothing: no need to look up the customers' zones.
  if (hasNoQuietHours(window)) return rows;
  const zones = await db
    .select({ id: customers.id, timeZone: customers.timeZone })
    .from(customers)
    .where(
      inArray(
        customers.id,
        sms.map((r) => r.customer_id),
      ),
    );
  const zoneOf = new Map(zones.map((z) => [z.id, z.timeZone]));
  const held = new Set<number>();
  for (const row of sms) {
    const zone = zoneOf.get(row.customer_id) ?? store.timeZone;
    const until = quietHoldUntil(now, zone, window, row.deadline_at === null ? null : new Date(row.deadline_at));
    if (until === null) continue;
    held.add(row.id);
    await db.execute(sql`
      update notifications set lease_until = ${iso(until)}::timestamptz, attempts = attempts - 1,
        retry_safe = ${row.retry_safe || !row.reclaimed},
        history = history || ${step(now, 'held', `quiet hours in ${zone} until ${iso(until)}`)}::jsonb
      where id = ${row.id}`);
  }
  return rows.filter((r) => !held.has(r.id));
}
