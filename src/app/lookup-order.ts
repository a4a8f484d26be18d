// Use case: a shopper proves order number + e-mail/phone and receives a short-lived verified access to that order.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { customers, orders } from '#db/schema/index.ts';
import { createOrderAccess } from '#src/auth/order-access.ts';
import { isOverLimit, recordFailure } from '#src/auth/rate-limit.ts';
import { normaliseOrderNumber, parseContact } from '#src/domain/contact.ts';

export type LookupSettings = { perIp: number; perOrder: number; windowMs: number; accessMs: number };

export type LookupResult =
  | { ok: true; orderNumber: string; token: string; expiresAt: Date }
  /** One answer for an unknown order and a wrong contact alike, so orders cannot be enumerated. */
  | { ok: false; reason: 'no_match' | 'rate_limited' };

/** IPs are hashed before they are stored: the limiter needs identity, not the address. */
function ipKey(ip: string): string {
  return `lookup:ip:${createHash('sha256').update(ip).digest('hex').slice(0, 32)}`;
}

export async function lookupOrder(
  db: Db,
  input: { orderNumber: string; contact: string; ip: string },
  settings: LookupSettings,
  now: Date = new Date(),
): Promise<LookupResult> {
  const number = normaliseOrderNumber(input.orderNumber);
  const keys = [ipKey(input.ip), `lookup:order:${number}`];
  const limits = [
    { key: keys[0] as string, max: settings.perIp },
    { key: keys[1] as string, max: settings.perOrder },
  ];
  if (await isOverLimit(db, limits, now, settings.windowMs)) return { ok: false, reason: 'rate_limited' };

  const contact = parseContact(input.contact);
  // The same query runs whether or not the contact parses, so both failures cost the same.
  const [row] = await db
    .select({ id: orders.id, email: customers.email, phone: customers.phone })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .where(eq(orders.number, number))
    .limit(1);
  const matches =
    row !== undefined &&
    contact !== null &&
    (contact.kind === 'email' ? row.email === contact.value : row.phone !== null && row.phone === contact.value);

  if (!row || !matches) {
    await recordFailure(db, keys, now, settings.windowMs);
    return { ok: false, reason: 'no_match' };
  }
  const expiresAt = new Date(now.getTime() + settings.accessMs);
  const token = await createOrderAccess(db, { orderId: row.id, purpose: 'order_view', verified: true, expiresAt });
  return { ok: true, orderNumber: number, token, expiresAt };
}
