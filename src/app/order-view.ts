// Read model for the customer order page: the order, its lines with ETA standing, its timeline and money, in one round trip.
import { eq } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { orders, storeSettings } from '#db/schema/index.ts';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import { type EtaStanding, etaStanding } from '#src/domain/eta-window.ts';
import type { LineKind, LineStatus } from '#src/domain/line-status.ts';

/** Event types a customer sees on their timeline; staff notes and internal bookkeeping stay in the audit trail. */
const CUSTOMER_VISIBLE = new Set([
  'order_created',
  'status_changed',
  'eta_changed',
  'delay_notice_sent',
  'consent_given',
  'cancel_requested',
  'cancelled',
  'refund_requested',
  'refund_sent',
  'refund_failed',
  'customer_note',
]);

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
};

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
  payment: { paid: number; deposits: number; refunded: number; shippingPaid: number };
  today: string;
};

export async function loadOrderView(db: Queryable, orderId: number, now: Date = new Date()): Promise<OrderView | null> {
  const [store] = await db.select().from(storeSettings).limit(1);
  const order = await db.query.orders.findFirst({
    where: eq(orders.id, orderId),
    with: {
      customer: true,
      lines: { orderBy: (l, { asc }) => [asc(l.lineNo)] },
      events: { orderBy: (e, { desc }) => [desc(e.occurredAt), desc(e.id)] },
    },
  });
  if (!order || !store) return null;
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
      .filter((e) => CUSTOMER_VISIBLE.has(e.type))
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
      refunded: sum((l) => l.amountRefunded) + order.shippingRefunded,
      shippingPaid: order.shippingPaid,
    },
    today,
  };
}
