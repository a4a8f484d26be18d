// Turns claimed outbox rows into finished messages: gathers their events, order and store, signs links, renders.
import { inArray, sql } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { type AccessPurpose, customers, events, orderLines, orders, type RenderedContent } from '#db/schema/index.ts';
import { issueToken } from '#src/auth/secret-token.ts';
import { addDays } from '#src/domain/calendar-date.ts';
import { type EventType, type OrderEvent, storedEvent } from '#src/domain/events.ts';
import { type OrderMoneyLine, type OrderShipping, refundOwed } from '#src/domain/refund-math.ts';
import type { StoreSettings } from '#src/store/store-settings.ts';
import { renderMessage, renderSmsMessage } from './templates/render-message.ts';
import type { CancellationPolicy, ConfirmedLine, LineStatusChange, MessageItem, MessageLine } from './templates/types.ts';

export type ComposeRow = {
  id: number;
  orderId: number;
  customerId: number;
  channel: 'email' | 'sms';
  required: boolean;
  payload: { events: number[] };
};

export type Composed = { rendered: RenderedContent; segments: number } | { error: string };

const LINK_DAYS = 30;

/** A single-purpose link token the messages carry; written unverified (a link alone shows no personal data). */
type TokenRow = { id: string; secretHash: Uint8Array; purpose: AccessPurpose; orderId: number; lineId: number | null; expiresAt: Date };

/** What a message says of a line. */
export type MessageLineRow = {
  id: number;
  orderId: number;
  name: string;
  sku: string;
  quantity: number;
  applicableTime: string;
  trackingUrl: string | null;
  amountPaid: number;
  amountRefunded: number;
  status: string;
  kind: string;
  etaFrom: string | null;
  etaTo: string | null;
};

/** The columns of a MessageLineRow, for every reader that renders messages (the notifier and the SKU-move preview). */
export const MESSAGE_LINE_COLUMNS = {
  id: orderLines.id,
  orderId: orderLines.orderId,
  name: orderLines.name,
  sku: orderLines.sku,
  quantity: orderLines.quantity,
  applicableTime: orderLines.applicableTime,
  trackingUrl: orderLines.trackingUrl,
  amountPaid: orderLines.amountPaid,
  amountRefunded: orderLines.amountRefunded,
  status: orderLines.status,
  kind: orderLines.kind,
  etaFrom: orderLines.etaFrom,
  etaTo: orderLines.etaTo,
};

/** An event as a message reads it (the SKU-move preview builds them the way the move will write them). */
export type EventRow = { id: number; actorType: string; lineId: number | null } & OrderEvent;

/** A stored event as a message reads it, or null for a type this code does not know (it tells nothing). */
function eventRowOf(row: {
  id: number;
  type: string;
  actorType: string;
  lineId: number | null;
  data: Record<string, unknown>;
}): EventRow | null {
  const event = storedEvent(row);
  return event ? { id: row.id, actorType: row.actorType, lineId: row.lineId, ...event } : null;
}

/**
 * Why the order was cancelled, as the customer reads it: their own request needs no reason, the rule's is said in
 * their language (the stored text is English, for staff), and staff's own words are shown as written.
 */
function cancellationReason(e: EventRow | undefined): { reason: string | null; reasonCode: 'rule_lapsed' | null } {
  if (!e || e.actorType === 'customer') return { reason: null, reasonCode: null };
  if (e.actorType === 'system') return { reason: null, reasonCode: 'rule_lapsed' };
  return { reason: e.type === 'cancelled' && typeof e.data.reason === 'string' ? e.data.reason : null, reasonCode: null };
}

/** Links a delay notice carries: one-click consent and cancel pages, each its own single-purpose token. */
export type NoticeLinks = (lineId: number, deadline: string) => { consentUrl: string; cancelUrl: string };

/** What a message's mapping of one event may look at besides the event. */
type MessageContext = {
  /** The event's line, when it names one this order has. */
  line: MessageLineRow | undefined;
  messageLine: (id: number | null) => MessageLine | null;
  /** The message's cancellations and refund request: a cancellation is told with its refund. */
  cancelled: EventRow[];
  refundRequested: EventRow | undefined;
  refundFor: (lineId: number) => number;
  links: NoticeLinks;
  /** The order's lines, for the order confirmation (a message tells one order). */
  orderLines: readonly MessageLineRow[];
  policy: CancellationPolicy;
};

/** Lines that wait for stock, still open: what the order confirmation lists. */
function confirmedLines(lines: readonly MessageLineRow[]): ConfirmedLine[] {
  return lines
    .filter((l) => (l.kind === 'preorder' || l.kind === 'backorder') && (l.status === 'waiting' || l.status === 'ready'))
    .sort((a, b) => a.id - b.id)
    .map((l) => ({
      line: { name: l.name, sku: l.sku, quantity: l.quantity },
      eta: { from: l.etaFrom, to: l.etaTo },
      promisedBy: l.applicableTime,
    }));
}

const NO_WINDOW = { from: null, to: null };

/**
 * What each event type puts in a message: an item, or null when the type tells the customer nothing by message. A
 * type without its entry does not compile.
 */
const MESSAGE_ITEM = {
  // Queued only for a new order with a waiting line (`upsert-order`), when the store sends confirmations.
  order_created: (_, { orderLines, policy }) => {
    const lines = confirmedLines(orderLines);
    return lines.length === 0 ? null : { type: 'order_confirmation', lines, policy };
  },
  eta_changed: (e, { line, messageLine }) => {
    const ml = messageLine(e.lineId);
    if (!ml || !line) return null;
    const d = e.data;
    return {
      type: 'eta_changed',
      line: ml,
      from: d.from ?? NO_WINDOW,
      to: d.to ?? NO_WINDOW,
      reason: typeof d.reason === 'string' ? d.reason : null,
      promisedBy: line.applicableTime,
    };
  },
  status_changed: (e, { line, messageLine }) => {
    const ml = messageLine(e.lineId);
    if (!ml || !line) return null;
    const d = e.data;
    return {
      type: 'status_changed',
      line: ml,
      to: d.to as LineStatusChange,
      trackingUrl: typeof d.trackingUrl === 'string' ? d.trackingUrl : line.trackingUrl,
    };
  },
  customer_note: (e) => ({ type: 'customer_note', text: String(e.data.text ?? '') }),
  delay_notice_sent: (e, { line, messageLine, refundFor, links }) => {
    const ml = messageLine(e.lineId);
    if (!ml || !line) return null;
    const d = e.data;
    return {
      type: 'delay_notice',
      // The notice kind under the rule's own name, as the event stores it.
      notice: d.action,
      line: ml,
      promisedBy: line.applicableTime,
      revisedDate: typeof d.revisedDate === 'string' ? d.revisedDate : null,
      reason: typeof d.reason === 'string' ? d.reason : null,
      deadline: d.deadline,
      ...links(line.id, d.deadline),
      refundAmount: refundFor(line.id),
    };
  },
  consent_given: () => null,
  cancel_requested: () => null,
  refund_requested: (e, { cancelled, messageLine }) => ({
    type: 'cancellation_confirmed',
    lines: cancelled.map((c) => messageLine(c.lineId)).filter((l) => l !== null),
    refundAmount: Number(e.data.amount ?? 0),
    refundDueBy: String(e.data.dueOn),
    ...cancellationReason(cancelled[0]),
  }),
  // Told together with its refund; a cancellation with nothing to refund is confirmed on its own.
  cancelled: (e, { cancelled, refundRequested, messageLine }) =>
    !refundRequested && e === cancelled[0]
      ? {
          type: 'cancellation_confirmed',
          lines: cancelled.map((c) => messageLine(c.lineId)).filter((l) => l !== null),
          refundAmount: 0,
          refundDueBy: '',
          ...cancellationReason(e),
        }
      : null,
  refund_sent: (e) => ({
    type: 'refund_sent',
    amount: Number(e.data.amount ?? 0),
    reference: typeof e.data.reference === 'string' ? e.data.reference : null,
  }),
  refund_failed: () => null,
  at_risk: () => null,
  refund_overdue: () => null,
  updates_unsubscribed: () => null,
  // Shown on the order page's timeline; the shop platform's own messages tell of an edited order.
  line_added: () => null,
  line_changed: () => null,
  payment_changed: () => null,
} satisfies { [T in EventType]: (e: Extract<EventRow, { type: T }>, c: MessageContext) => MessageItem | null };

/**
 * The items of one message from the events it tells. `refundFor(lineId)`: what cancelling that line would refund now
 * (`refundForLine`). Shared with the SKU-move preview, so the preview says what the message will.
 */
export function messageItems(
  evs: EventRow[],
  lineById: Map<number, MessageLineRow>,
  refundFor: (lineId: number) => number,
  links: NoticeLinks,
  order: { lines: readonly MessageLineRow[]; policy: CancellationPolicy } = { lines: [], policy: 'while_unshipped' },
): MessageItem[] {
  const items: MessageItem[] = [];
  const messageLine = (id: number | null) => {
    const l = id === null ? undefined : lineById.get(id);
    return l ? { name: l.name, sku: l.sku, quantity: l.quantity } : null;
  };
  const cancelled = evs.filter((e) => e.type === 'cancelled');
  const refundRequested = evs.find((e) => e.type === 'refund_requested');
  for (const e of evs) {
    const line = e.lineId === null ? undefined : lineById.get(e.lineId);
    const map = MESSAGE_ITEM[e.type] as (e: EventRow, c: MessageContext) => MessageItem | null;
    const item = map(e, {
      line,
      messageLine,
      cancelled,
      refundRequested,
      refundFor,
      links,
      orderLines: order.lines,
      policy: order.policy,
    });
    if (item) items.push(item);
  }
  return items;
}

/** 435.1(b): what cancelling one line would refund now: everything tendered for it, its shipping share included. */
export function refundForLine(order: OrderShipping, lines: readonly OrderMoneyLine[]): (lineId: number) => number {
  return (lineId) => refundOwed(order, lines, new Set([lineId])).total;
}

/**
 * Renders each row. Every message gets its own signed, expiring order-page link (and, for optional updates, an
 * unsubscribe link); the tokens are written in the same statement batch, before anything is sent. `store` is the
 * settings row the worker's pass already read.
 */
export async function composeMessages(
  db: Queryable,
  rows: ComposeRow[],
  store: StoreSettings,
  publicUrl: string,
  now: Date,
): Promise<Map<number, Composed>> {
  const out = new Map<number, Composed>();
  if (rows.length === 0) return out;
  const eventIds = [...new Set(rows.flatMap((r) => r.payload.events))];
  const orderIds = [...new Set(rows.map((r) => r.orderId))];
  const eventRows = eventIds.length ? await db.select().from(events).where(inArray(events.id, eventIds)) : [];
  // Every line of these orders: names for the message, and amounts for each line's refund share.
  const lineRows: MessageLineRow[] = await db.select(MESSAGE_LINE_COLUMNS).from(orderLines).where(inArray(orderLines.orderId, orderIds));
  const orderRows = await db
    .select({
      id: orders.id,
      number: orders.number,
      currency: orders.currency,
      customerId: orders.customerId,
      shippingPaid: orders.shippingPaid,
      shippingRefunded: orders.shippingRefunded,
    })
    .from(orders)
    .where(inArray(orders.id, orderIds));
  const customerRows = await db
    .select({ id: customers.id, name: customers.name, locale: customers.locale, timeZone: customers.timeZone })
    .from(customers)
    .where(inArray(customers.id, [...new Set(orderRows.map((o) => o.customerId))]));
  const eventById = new Map(eventRows.map((e) => [e.id, e]));
  const lineById = new Map(lineRows.map((l) => [l.id, l]));
  const orderById = new Map(orderRows.map((o) => [o.id, o]));
  const customerById = new Map(customerRows.map((c) => [c.id, c]));
  const base = publicUrl.replace(/\/+$/, '');
  const expiresAt = new Date(now.getTime() + LINK_DAYS * 86_400_000);
  const tokens: TokenRow[] = [];

  for (const row of rows) {
    const order = orderById.get(row.orderId);
    const customer = order ? customerById.get(order.customerId) : undefined;
    if (!order || !customer) continue;
    const orderLinesOf = lineRows.filter((l) => l.orderId === order.id);
    const links: NoticeLinks = (lineId, deadline) => {
      const consent = issueToken();
      const cancel = issueToken();
      // The consent link works through the answer deadline; the right to cancel lasts until shipment.
      const consentUntil = new Date(`${addDays(deadline, 2)}T00:00:00Z`);
      tokens.push({
        id: consent.id,
        secretHash: consent.secretHash,
        purpose: 'consent',
        orderId: order.id,
        lineId,
        expiresAt: consentUntil,
      });
      tokens.push({
        id: cancel.id,
        secretHash: cancel.secretHash,
        purpose: 'cancel',
        orderId: order.id,
        lineId,
        expiresAt: expiresAt,
      });
      const respond = `${base}/orders/${encodeURIComponent(order.number)}/respond`;
      return { consentUrl: `${respond}?t=${consent.token}`, cancelUrl: `${respond}?t=${cancel.token}` };
    };
    const evs = row.payload.events.flatMap((id) => {
      const stored = eventById.get(id);
      const e = stored && eventRowOf(stored);
      return e ? [e] : [];
    });
    const items = messageItems(evs, lineById, refundForLine(order, orderLinesOf), links, {
      lines: orderLinesOf,
      policy: store.cancellationPolicy,
    });
    if (items.length === 0) continue;
    const view = issueToken();
    tokens.push({ id: view.id, secretHash: view.secretHash, purpose: 'order_view', orderId: order.id, lineId: null, expiresAt });
    const link = `${base}/orders/${encodeURIComponent(order.number)}?t=${view.token}`;
    let unsubscribeUrl: string | null = null;
    const headers: Record<string, string> = {};
    // An SMS carries no unsubscribe link (STOP is its opt-out), so it gets no token for one.
    if (!row.required && row.channel === 'email') {
      const unsub = issueToken();
      tokens.push({ id: unsub.id, secretHash: unsub.secretHash, purpose: 'unsubscribe', orderId: order.id, lineId: null, expiresAt });
      unsubscribeUrl = `${base}/unsubscribe?t=${unsub.token}`;
      // RFC 8058 one-click unsubscribe, for optional updates only; legally required notices carry none.
      headers['List-Unsubscribe'] = `<${unsubscribeUrl}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    const ctx = {
      store: { name: store.name, supportEmail: store.supportEmail, supportPhone: store.supportPhone, logoUrl: store.logoUrl },
      customer: { name: customer.name, locale: customer.locale, timeZone: customer.timeZone },
      order: { number: order.number, currency: order.currency },
      link,
      unsubscribeUrl,
      items,
      required: row.required,
    };
    try {
      if (row.channel === 'sms') {
        const message = renderSmsMessage(ctx);
        out.set(row.id, {
          rendered: { subject: message.subject, sms: message.sms, accessTokenId: view.id, headers },
          segments: message.smsSegments,
        });
      } else {
        const message = renderMessage(ctx);
        out.set(row.id, {
          rendered: { subject: message.subject, text: message.text, html: message.html, sms: message.sms, accessTokenId: view.id, headers },
          segments: message.smsSegments,
        });
      }
    } catch (error) {
      // A message the templates refuse (e.g. a delay notice without a reason) fails visibly instead of going out wrong.
      out.set(row.id, { error: `could not render: ${(error as Error).message}` });
    }
  }
  if (tokens.length > 0) {
    // One parameter for every token: a batch of messages issues hundreds, and binding seven parameters per row cost
    // more than the insert itself (the dispatch bench, SMS on PGlite).
    const values = tokens.map((t) => ({
      id: t.id,
      hash: Buffer.from(t.secretHash).toString('hex'),
      purpose: t.purpose,
      order_id: t.orderId,
      line_id: t.lineId,
      expires_at: t.expiresAt.toISOString(),
    }));
    await db.execute(sql`
      insert into access_tokens (id, secret_hash, purpose, order_id, line_id, verified, expires_at)
      select t.id, decode(t.hash, 'hex'), t.purpose, t.order_id, t.line_id, false, t.expires_at
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as t(id text, hash text, purpose text, order_id int, line_id int, expires_at timestamptz)`);
  }
  return out;
}
