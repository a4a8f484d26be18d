// Turns claimed outbox rows into finished messages: gathers their events, order and store, signs links, renders.
import { inArray } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { accessTokens, customers, events, orderLines, orders, type RenderedContent } from '#db/schema/index.ts';
import { loadStoreSettings } from '#src/app/store-settings.ts';
import { issueToken } from '#src/auth/secret-token.ts';
import { renderMessage } from './templates/render-message.ts';
import type { MessageItem } from './templates/types.ts';

export type ComposeRow = { id: number; orderId: number; customerId: number; required: boolean; payload: { events: number[] } };

export type Composed = { rendered: RenderedContent; segments: number };

const LINK_DAYS = 30;

type LineRow = { id: number; name: string; sku: string; quantity: number; applicableTime: string; trackingUrl: string | null };

function itemFor(
  event: { type: string; lineId: number | null; data: Record<string, unknown> },
  line: LineRow | undefined,
): MessageItem | null {
  const d = event.data;
  const messageLine = line ? { name: line.name, sku: line.sku, quantity: line.quantity } : null;
  switch (event.type) {
    case 'eta_changed': {
      if (!messageLine || !line) return null;
      const from = (d.from ?? { from: null, to: null }) as { from: string | null; to: string | null };
      const to = (d.to ?? { from: null, to: null }) as { from: string | null; to: string | null };
      return {
        type: 'eta_changed',
        line: messageLine,
        from,
        to,
        reason: typeof d.reason === 'string' ? d.reason : null,
        promisedBy: line.applicableTime,
      };
    }
    case 'status_changed': {
      if (!messageLine || !line) return null;
      const to = d.to as 'ready' | 'shipped' | 'delivered' | 'cancelled';
      return {
        type: 'status_changed',
        line: messageLine,
        to,
        trackingUrl: typeof d.trackingUrl === 'string' ? d.trackingUrl : line.trackingUrl,
      };
    }
    case 'customer_note':
      return { type: 'customer_note', text: String(d.text ?? '') };
    default:
      return null;
  }
}

/**
 * Renders each row. Every message gets its own signed, expiring order-page link (and, for optional updates, an
 * unsubscribe link); the tokens are written in the same statement batch, before anything is sent.
 */
export async function composeMessages(db: Queryable, rows: ComposeRow[], publicUrl: string, now: Date): Promise<Map<number, Composed>> {
  const out = new Map<number, Composed>();
  if (rows.length === 0) return out;
  const store = await loadStoreSettings(db);
  const eventIds = [...new Set(rows.flatMap((r) => r.payload.events))];
  const orderIds = [...new Set(rows.map((r) => r.orderId))];
  const eventRows = eventIds.length ? await db.select().from(events).where(inArray(events.id, eventIds)) : [];
  const lineIds = [...new Set(eventRows.map((e) => e.lineId).filter((id): id is number => id !== null))];
  const lineRows: LineRow[] = lineIds.length
    ? await db
        .select({
          id: orderLines.id,
          name: orderLines.name,
          sku: orderLines.sku,
          quantity: orderLines.quantity,
          applicableTime: orderLines.applicableTime,
          trackingUrl: orderLines.trackingUrl,
        })
        .from(orderLines)
        .where(inArray(orderLines.id, lineIds))
    : [];
  const orderRows = await db
    .select({ id: orders.id, number: orders.number, currency: orders.currency, customerId: orders.customerId })
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
  const tokens: Array<typeof accessTokens.$inferInsert> = [];

  for (const row of rows) {
    const order = orderById.get(row.orderId);
    const customer = order ? customerById.get(order.customerId) : undefined;
    if (!order || !customer) continue;
    const items = row.payload.events
      .map((id) => eventById.get(id))
      .filter((e) => e !== undefined)
      .map((e) => itemFor(e, e.lineId === null ? undefined : lineById.get(e.lineId)))
      .filter((i): i is MessageItem => i !== null);
    if (items.length === 0) continue;
    const view = issueToken();
    tokens.push({ id: view.id, secretHash: view.secretHash, purpose: 'order_view', orderId: order.id, verified: false, expiresAt });
    const link = `${base}/orders/${encodeURIComponent(order.number)}?t=${view.token}`;
    let unsubscribeUrl: string | null = null;
    const headers: Record<string, string> = {};
    if (!row.required) {
      const unsub = issueToken();
      tokens.push({ id: unsub.id, secretHash: unsub.secretHash, purpose: 'unsubscribe', orderId: order.id, verified: false, expiresAt });
      unsubscribeUrl = `${base}/unsubscribe?t=${unsub.token}`;
      // RFC 8058 one-click unsubscribe, for optional updates only; legally required notices carry none.
      headers['List-Unsubscribe'] = `<${unsubscribeUrl}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    const message = renderMessage({
      store: { name: store.name, supportEmail: store.supportEmail, supportPhone: store.supportPhone, logoUrl: store.logoUrl },
      customer: { name: customer.name, locale: customer.locale, timeZone: customer.timeZone },
      order: { number: order.number, currency: order.currency },
      link,
      unsubscribeUrl,
      items,
      required: row.required,
    });
    out.set(row.id, {
      rendered: { subject: message.subject, text: message.text, html: message.html, sms: message.sms, accessTokenId: view.id, headers },
      segments: message.smsSegments,
    });
  }
  for (let i = 0; i < tokens.length; i += 500) await db.insert(accessTokens).values(tokens.slice(i, i + 500));
  return out;
}
