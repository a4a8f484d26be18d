// Where the customer order page gets its data: the database by default; a benchmark (or a test) may swap in another
// source. The override lives on globalThis because Astro's build bundles its own copy of this module (db/runtime.ts).
import type { Queryable } from '#db/client.ts';
import { runtimeDb } from '#db/runtime.ts';
import { tokenGrants, validateOrderAccess } from '#src/auth/order-access.ts';
import { parseToken } from '#src/auth/secret-token.ts';
import { loadOrderViewByToken, type OrderView } from '#src/orders/order-view.ts';

export type OrderPageRequest = {
  /** The normalised order number from the address. */
  number: string;
  /** The access token from the cookie, if any. */
  token: string | undefined;
  /** The `?t=` token of a message link, when the address carries one. */
  linkToken?: string | null | undefined;
  now: Date;
};

export type OrderPageResult =
  /** A message link: `valid` says whether its token opens this order (the page then moves it into the cookie). */
  | { kind: 'link'; valid: true; expiresAt: Date }
  | { kind: 'link'; valid: false }
  | { kind: 'page'; view: OrderView; verified: boolean }
  /** Unknown order, missing, expired or foreign access: all the same 404. */
  | { kind: 'not_found' };

export type OrderPageSource = (request: OrderPageRequest) => Promise<OrderPageResult>;

const KEY = Symbol.for('porchlight.orderPageSource');
type Holder = { [KEY]?: OrderPageSource };
const holder = globalThis as Holder;

/** The default source: the access token and the order view it opens, from the process database. */
export async function readOrderPageFromDatabase(request: OrderPageRequest): Promise<OrderPageResult> {
  return readOrderPageFrom(await runtimeDb(), request);
}

export async function readOrderPageFrom(db: Queryable, { number, token, linkToken, now }: OrderPageRequest): Promise<OrderPageResult> {
  if (linkToken !== null && linkToken !== undefined) {
    const access = await validateOrderAccess(db, linkToken, 'order_view', now);
    return access !== null && access.orderNumber === number
      ? { kind: 'link', valid: true, expiresAt: access.expiresAt }
      : { kind: 'link', valid: false };
  }
  // The token and the order it opens come in one round trip; nothing is shown unless the token checks out.
  const parsed = token ? parseToken(token) : null;
  const found = parsed ? await loadOrderViewByToken(db, parsed.id, now) : null;
  if (!parsed || !found?.view || !tokenGrants(parsed.secret, found.token, 'order_view', now) || found.view.number !== number) {
    return { kind: 'not_found' };
  }
  return { kind: 'page', view: found.view, verified: found.token.verified };
}

/** Replaces the source for this process (`null` restores the database). */
export function setOrderPageSource(source: OrderPageSource | null): void {
  if (source) holder[KEY] = source;
  else delete holder[KEY];
}

export function readOrderPage(request: OrderPageRequest): Promise<OrderPageResult> {
  return (holder[KEY] ?? readOrderPageFromDatabase)(request);
}
