// The compliance trail of one order (435.2(d) records): every event with its rule section, every notice with its
// content hash and delivery history, every answer and how it arrived.
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { events, notifications, orderLines, orders, refunds } from '#db/schema/index.ts';

export async function orderEvidence(db: Queryable, orderNumber: string): Promise<string | null> {
  const [order] = await db.select().from(orders).where(eq(orders.number, orderNumber));
  if (!order) return null;
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(asc(orderLines.lineNo));
  const evs = await db.select().from(events).where(eq(events.orderId, order.id)).orderBy(asc(events.occurredAt), asc(events.id));
  const notes = await db.select().from(notifications).where(eq(notifications.orderId, order.id)).orderBy(asc(notifications.id));
  const owed = await db.select().from(refunds).where(eq(refunds.orderId, order.id)).orderBy(asc(refunds.id));
  const lineNo = new Map(lines.map((l) => [l.id, l.lineNo]));
  const out: string[] = [
    `Compliance trail for order ${order.number} (placed ${order.placedAt.toISOString()}, properly completed ${order.completedAt.toISOString()})`,
    '',
  ];
  out.push('Lines:');
  for (const l of lines) {
    out.push(
      `  ${l.lineNo}. ${l.name} (${l.sku}) ${l.status}; T ${l.applicableTime} (435.2(a)(1)); ship-by now ${l.shipBy ?? 'indefinite (consented)'}${l.awaitingConsent ? '; awaiting express consent' : ''}`,
    );
  }
  out.push('', 'Events:');
  for (const e of evs) {
    const where = e.lineId === null ? '' : ` line ${lineNo.get(e.lineId)}`;
    out.push(
      `  ${e.occurredAt.toISOString()} ${e.type}${where} by ${e.actorType}${e.actorId ? `:${e.actorId}` : ''}${e.ruleSection ? ` [${e.ruleSection}]` : ''} ${JSON.stringify(e.data)}`,
    );
  }
  out.push('', 'Messages:');
  for (const n of notes) {
    out.push(
      `  #${n.id} ${n.channel} to ${n.recipient} (${n.template}${n.required ? ', required notice' : ''}) ${n.status}${n.lastError ? ` — ${n.lastError}` : ''}`,
    );
    out.push(`     content sha256 ${n.contentHash ?? '(not rendered yet)'}; caused by events ${n.payload.events.join(', ')}`);
    for (const h of n.history) out.push(`     ${h.at} ${h.status}${h.detail ? ` — ${h.detail}` : ''}`);
  }
  out.push('', 'Refunds (435.1(b)):');
  if (owed.length === 0) out.push('  none');
  for (const r of owed) {
    out.push(
      `  #${r.id} ${r.amount} ${r.currency} ${r.status}; vested ${r.vestedOn}, due ${r.dueOn}${r.sentOn ? `, sent ${r.sentOn} ref ${r.reference}` : ''}${r.status === 'failed' && r.failureReason ? `; failed: ${r.failureReason}` : ''}`,
    );
  }
  return out.join('\n');
}
