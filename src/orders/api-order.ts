// One order as the JSON API returns it (GET /api/v1/orders/{number}): snake_case fields, dates as ISO 8601, money in
// minor units of the order's currency. Only what an integration needs to mirror the order's state.
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { customers, orderLines, orders } from '#db/schema/index.ts';
import { normaliseOrderNumber } from '#src/domain/contact.ts';
import type { LineKind, LineStatus } from '#src/domain/line-status.ts';
import { isOrderNumber } from '#src/input/order-number.ts';

export type ApiOrderLine = {
  line_no: number;
  sku: string;
  name: string;
  kind: LineKind;
  status: LineStatus;
  quantity: number;
  unit_price: number;
  amount_paid: number;
  amount_refunded: number;
  /** The ship-by date stated at checkout (YYYY-MM-DD), if one was. */
  promised_by: string | null;
  /** The current estimate, a window of calendar dates; null when no date can be given. */
  eta: { from: string; to: string } | null;
  tracking_url: string | null;
};

export type ApiOrder = {
  number: string;
  placed_at: string;
  currency: string;
  payment_state: string;
  shipping_paid: number;
  customer: { email: string; name: string; phone: string | null; locale: string; time_zone: string };
  lines: ApiOrderLine[];
};

/** The order with this number ("#1001" and "1001" are one), or null when there is none or the number cannot be one. */
export async function loadApiOrder(db: Queryable, rawNumber: string): Promise<ApiOrder | null> {
  const number = normaliseOrderNumber(rawNumber);
  if (!isOrderNumber(number)) return null;
  const [order] = await db
    .select({
      id: orders.id,
      number: orders.number,
      placedAt: orders.placedAt,
      currency: orders.currency,
      paymentState: orders.paymentState,
      shippingPaid: orders.shippingPaid,
      email: customers.email,
      name: customers.name,
      phone: customers.phone,
      locale: customers.locale,
      timeZone: customers.timeZone,
    })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .where(eq(orders.number, number));
  if (!order) return null;
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.lineNo));
  return {
    number: order.number,
    placed_at: order.placedAt.toISOString(),
    currency: order.currency,
    payment_state: order.paymentState,
    shipping_paid: order.shippingPaid,
    customer: { email: order.email, name: order.name, phone: order.phone, locale: order.locale, time_zone: order.timeZone },
    lines: lines.map((l) => ({
      line_no: l.lineNo,
      sku: l.sku,
      name: l.name,
      kind: l.kind,
      status: l.status,
      quantity: l.quantity,
      unit_price: l.unitPrice,
      amount_paid: l.amountPaid,
      amount_refunded: l.amountRefunded,
      promised_by: l.promisedBy,
      eta: l.etaFrom !== null ? { from: l.etaFrom, to: l.etaTo ?? l.etaFrom } : null,
      tracking_url: l.trackingUrl,
    })),
  };
}
