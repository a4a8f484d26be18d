// Customer access to one order: a hashed, expiring, purpose-scoped token, from a lookup (verified) or a message link.
import { eq } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { type AccessPurpose, accessTokens, orders } from '#db/schema/index.ts';
import { issueToken, parseToken, secretMatches } from './secret-token.ts';

export const ORDER_ACCESS_COOKIE = '__Host-porchlight-order';

export type OrderAccess = {
  orderId: number;
  orderNumber: string;
  verified: boolean;
  purpose: AccessPurpose;
  lineId: number | null;
  expiresAt: Date;
};

export async function createOrderAccess(
  db: Queryable,
  args: { orderId: number; purpose: AccessPurpose; verified: boolean; expiresAt: Date; lineId?: number | null },
): Promise<string> {
  const issued = issueToken();
  await db.insert(accessTokens).values({
    id: issued.id,
    secretHash: issued.secretHash,
    purpose: args.purpose,
    orderId: args.orderId,
    lineId: args.lineId ?? null,
    verified: args.verified,
    expiresAt: args.expiresAt,
  });
  return issued.token;
}

/** The access a token grants, or null when it is malformed, unknown, expired or of another purpose. */
export async function validateOrderAccess(
  db: Queryable,
  token: string | undefined,
  purpose: AccessPurpose,
  now: Date,
): Promise<OrderAccess | null> {
  if (!token) return null;
  const parsed = parseToken(token);
  if (!parsed) return null;
  const [row] = await db
    .select({
      secretHash: accessTokens.secretHash,
      purpose: accessTokens.purpose,
      orderId: accessTokens.orderId,
      lineId: accessTokens.lineId,
      verified: accessTokens.verified,
      expiresAt: accessTokens.expiresAt,
      orderNumber: orders.number,
    })
    .from(accessTokens)
    .innerJoin(orders, eq(orders.id, accessTokens.orderId))
    .where(eq(accessTokens.id, parsed.id))
    .limit(1);
  if (!row || !tokenGrants(parsed.secret, row, purpose, now)) return null;
  return {
    orderId: row.orderId,
    orderNumber: row.orderNumber,
    verified: row.verified,
    purpose: row.purpose,
    lineId: row.lineId,
    expiresAt: row.expiresAt,
  };
}

/** Whether a stored token, presented with `secret`, grants `purpose` at `now`: its secret, purpose and expiry. */
export function tokenGrants(
  secret: string,
  row: { secretHash: Uint8Array; purpose: AccessPurpose; expiresAt: Date },
  purpose: AccessPurpose,
  now: Date,
): boolean {
  return secretMatches(secret, row.secretHash) && row.purpose === purpose && row.expiresAt.getTime() > now.getTime();
}
