// Use case: a shopper proves order number + e-mail/phone and receives a short-lived verified access to that order.
import { eq } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { customers, orders } from '#db/schema/index.ts';
import { guardGuess, type Wait } from '#src/auth/guess-guard.ts';
import { createOrderAccess } from '#src/auth/order-access.ts';
import { normaliseOrderNumber, parseContact } from '#src/domain/contact.ts';

/**
 * perOrder: failures per (order, address) in the window before that address gets 429 for that order; perIp: failures
 * per address across orders. An order under attack is slowed down, never locked (docs/decisions/028).
 */
export type LookupSettings = {
  perIp: number;
  perOrder: number;
  windowMs: number;
  accessMs: number;
  /** Failures at one order from all addresses in the window before its lookups take turns (default 10). */
  slowAfter?: number;
  /** Time between turns at an order under attack (default 2 s). */
  spacingMs?: number;
};
export const LOOKUP_SLOW_AFTER = 10;
export const LOOKUP_SPACING_MS = 2000;

export type LookupResult =
  | { ok: true; orderNumber: string; token: string; expiresAt: Date }
  /** One answer for an unknown order and a wrong contact alike, so orders cannot be enumerated. */
  | { ok: false; reason: 'no_match' | 'rate_limited' };

export async function lookupOrder(
  db: Db,
  input: { orderNumber: string; contact: string; ip: string },
  settings: LookupSettings,
  now: Date = new Date(),
  wait?: Wait,
): Promise<LookupResult> {
  const number = normaliseOrderNumber(input.orderNumber);
  const contact = parseContact(input.contact);
  const policy = {
    perSubjectClient: settings.perOrder,
    perClient: settings.perIp,
    windowMs: settings.windowMs,
    slowAfter: settings.slowAfter ?? LOOKUP_SLOW_AFTER,
    spacingMs: settings.spacingMs ?? LOOKUP_SPACING_MS,
  };
  // The subject is the number asked for, whether or not such an order exists, so the limits do not reveal orders.
  const outcome = await guardGuess(
    db,
    { scope: 'lookup', subject: number, client: input.ip },
    policy,
    now,
    async () => {
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
      return matches ? row : null;
    },
    wait,
  );
  if (outcome.kind === 'limited') return { ok: false, reason: 'rate_limited' };
  if (outcome.kind === 'wrong') return { ok: false, reason: 'no_match' };
  const expiresAt = new Date(now.getTime() + settings.accessMs);
  const token = await createOrderAccess(db, { orderId: outcome.value.id, purpose: 'order_view', verified: true, expiresAt });
  return { ok: true, orderNumber: number, token, expiresAt };
}
