// Read model for the customer order page: the order, its lines with ETA standing, its timeline and money, in one round trip.
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { accessTokens, type LineCompliance, orders } from '#db/schema/index.ts';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import { type EtaStanding, etaStanding } from '#src/domain/eta-window.ts';
import { CUSTOMER_VISIBLE, isEventType } from '#src/domain/events.ts';
import { isOpen, type LineKind, type LineStatus } from '#src/domain/line-status.ts';
import { type RefundStanding, refundStanding } from '#src/domain/refund-standing.ts';
import { cachedRead } from './order-page-cache.ts';

export type OrderLineView = {
  id: number;
  lineNo: number;
  sku: string;
  name: string;
  kind: LineKind;
  status: LineStatus;
  quantity: number;
  amountPaid: number;
  amountRefunded: number;
  isDeposit: boolean;
  promisedBy: string;
  etaFrom: string | null;
  etaTo: string | null;
  standing: EtaStanding;
  trackingUrl: string | null;
  /** The latest delay option notice, if one was sent (what it said and by when an answer counts). */
  notice: { revisedDate: string | null; deadline: string; silenceMeans: 'consent' | 'refusal'; consented: boolean } | null;
  /** A notice asks for express consent: without it the line is cancelled and refunded after the deadline. */
  awaitingConsent: boolean;
  /** The customer may cancel it now (open, and allowed by the store policy or granted by the rule). */
  canCancel: boolean;
};

function noticeOf(c: LineCompliance): OrderLineView['notice'] {
  const latest = c.notices.length - 1;
  const n = c.notices[latest];
  if (!n) return null;
  const consented = c.answers.some((a) => a.kind === 'consent' && a.noticeIndex === latest);
  return { revisedDate: n.revisedDate, deadline: n.deadline, silenceMeans: n.silenceMeans, consented };
}

export type TimelineEntry = { id: number; at: Date; type: string; lineNo: number | null; data: Record<string, unknown> };

export type OrderView = {
  number: string;
  placedAt: Date;
  currency: string;
  paymentState: string;
  store: { name: string; supportEmail: string; timeZone: string };
  customer: { name: string; email: string; phone: string | null; locale: string; timeZone: string };
  lines: OrderLineView[];
  timeline: TimelineEntry[];
  /** `refunded`: refunds sent. `refunds`: each refund and where it stands (requested and due by, sent, failed). */
  payment: { paid: number; deposits: number; refunded: number; shippingPaid: number; refunds: RefundStanding[] };
  today: string;
};

type StoreColumns = [name: string, supportEmail: string, timeZone: string, cancellationPolicy: string];

/** What the order page reads of an order: its customer, lines, events and refunds, and the store's columns. */
const ORDER_PAGE_READ = {
  extras: {
    store:
      sql<StoreColumns | null>`(select json_build_array(name, support_email, time_zone, cancellation_policy) from store_settings limit 1)`
        // postgres.js and PGlite hand json back parsed; stay correct if a driver ever returns the text.
        .mapWith((v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as StoreColumns | null)
        .as('store'),
  },
  with: {
    customer: true,
    lines: { orderBy: (l, { asc }) => [asc(l.lineNo)] },
    events: { orderBy: (e, { desc }) => [desc(e.occurredAt), desc(e.id)] },
    refunds: true,
  },
} as const satisfies Parameters<Queryable['query']['orders']['findFirst']>[0];

/**
 * The order with everything the page shows, as one statement. Prepared once per database handle: building a
 * relational query costs about as much as running it (docs/benchmarks.md, the order page).
 */
function prepareOrderQuery(db: Queryable) {
  return db.query.orders.findFirst({ where: eq(orders.id, sql.placeholder('orderId')), ...ORDER_PAGE_READ }).prepare('order_view');
}

/** An access token with the order it opens, read as the page reads it: the order page's one round trip. */
function prepareTokenQuery(db: Queryable) {
  return db.query.accessTokens
    .findFirst({
      where: eq(accessTokens.id, sql.placeholder('tokenId')),
      // The snapshot it was read under, in the same statement: how the cache on PostgreSQL knows when it is stale.
      extras: { snapshot: sql<string>`pg_current_snapshot()::text`.as('snapshot') },
      with: { order: ORDER_PAGE_READ },
    })
    .prepare('order_view_by_token');
}

function preparedPerHandle<T>(prepare: (db: Queryable) => T) {
  const prepared = new WeakMap<Queryable, T>();
  return (db: Queryable): T => {
    let query = prepared.get(db);
    if (!query) {
      query = prepare(db);
      prepared.set(db, query);
    }
    return query;
  };
}

const orderQuery = preparedPerHandle(prepareOrderQuery);
const tokenQuery = preparedPerHandle(prepareTokenQuery);

type OrderRow = NonNullable<Awaited<ReturnType<ReturnType<typeof prepareOrderQuery>['execute']>>>;
export type AccessTokenRow = Omit<NonNullable<Awaited<ReturnType<ReturnType<typeof prepareTokenQuery>['execute']>>>, 'order' | 'snapshot'>;

export async function loadOrderView(db: Queryable, orderId: number, now: Date = new Date()): Promise<OrderView | null> {
  const order = await orderQuery(db).execute({ orderId });
  return order ? toOrderView(order, now) : null;
}

/**
 * The access token `tokenId` and the view of the order it opens, in one round trip; the caller checks the token
 * (secret, purpose, expiry) before showing anything. Null when there is no such token.
 */
export async function loadOrderViewByToken(
  db: Queryable,
  tokenId: string,
  now: Date = new Date(),
): Promise<{ token: AccessTokenRow; view: OrderView | null } | null> {
  const row = await cachedRead(
    db,
    `token:${tokenId}`,
    () => tokenQuery(db).execute({ tokenId }),
    (r) => r?.snapshot ?? null,
  );
  if (!row) return null;
  const { order, snapshot: _, ...token } = row;
  return { token, view: toOrderView(order as OrderRow, now) };
}

function toOrderView(order: OrderRow, now: Date): OrderView | null {
  if (!order.store) return null;
  const [storeName, supportEmail, storeTimeZone, cancellationPolicy] = order.store;
  const store = { name: storeName, supportEmail, timeZone: storeTimeZone };
  const today = toCalendarDate(now, store.timeZone);
  const lineNoById = new Map(order.lines.map((l) => [l.id, l.lineNo]));
  const lines = order.lines.map(
    (l): OrderLineView => ({
      id: l.id,
      lineNo: l.lineNo,
      sku: l.sku,
      name: l.name,
      kind: l.kind,
      status: l.status,
      quantity: l.quantity,
      amountPaid: l.amountPaid,
      amountRefunded: l.amountRefunded,
      isDeposit: l.isDeposit,
      promisedBy: l.applicableTime,
      etaFrom: l.etaFrom,
      etaTo: l.etaTo,
      standing: etaStanding({
        status: l.status,
        applicableTime: l.applicableTime,
        eta: { from: l.etaFrom, to: l.etaTo },
        today,
      }),
      trackingUrl: l.trackingUrl,
      notice: noticeOf(l.compliance),
      awaitingConsent: l.awaitingConsent,
      canCancel: isOpen(l.status) && (cancellationPolicy !== 'rule_only' || l.compliance.notices.length > 0),
    }),
  );
  const sum = (f: (l: OrderLineView) => number) => lines.reduce((acc, l) => acc + f(l), 0);
  return {
    number: order.number,
    placedAt: order.placedAt,
    currency: order.currency,
    paymentState: order.paymentState,
    store: { name: store.name, supportEmail: store.supportEmail, timeZone: store.timeZone },
    customer: {
      name: order.customer.name,
      email: order.customer.email,
      phone: order.customer.phone,
      locale: order.customer.locale,
      timeZone: order.customer.timeZone,
    },
    lines,
    timeline: order.events
      .filter((e) => isEventType(e.type) && CUSTOMER_VISIBLE[e.type])
      .map((e) => ({
        id: e.id,
        at: e.occurredAt,
        type: e.type,
        lineNo: e.lineId === null ? null : (lineNoById.get(e.lineId) ?? null),
        data: e.data,
      })),
    payment: {
      paid: sum((l) => l.amountPaid) + order.shippingPaid,
      deposits: sum((l) => (l.isDeposit ? l.amountPaid : 0)),
      refunded: order.refunds.filter((r) => r.status === 'sent').reduce((acc, r) => acc + r.amount, 0),
      shippingPaid: order.shippingPaid,
      refunds: [...order.refunds].sort((a, b) => a.id - b.id).map((r) => refundStanding(r, today)),
    },
    today,
  };
}
