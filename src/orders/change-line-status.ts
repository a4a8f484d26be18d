// Use case: staff (or the shop platform) move one line along waiting → ready → shipped → delivered.
import { and, eq } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { events, orderLines, orders } from '#db/schema/index.ts';
import { eventRow } from '#src/domain/events.ts';
import { type LineStatus, transition } from '#src/domain/line-status.ts';
import type { Actor } from '../commands/actor.ts';
import { enqueueForEvents } from '../messages/enqueue-notifications.ts';
import { loadStoreSettings } from '../store/store-settings.ts';

/** Statuses the customer is told about; `ready` is internal bookkeeping until it ships. Cancels go through the cancel use case. */
const NOTIFY: ReadonlySet<LineStatus> = new Set(['shipped', 'delivered']);

export type ChangeStatusInput = { orderNumber: string; lineNo: number; to: LineStatus; trackingUrl?: string | null; actor: Actor };
export type ChangeStatusResult =
  | { ok: true; eventId: number; from: LineStatus; to: LineStatus; customersTold: number }
  | { ok: false; reason: 'not_found' | 'use_cancel' }
  | { ok: false; reason: 'not_allowed' | 'same_status'; from: LineStatus; to: LineStatus };

export async function changeLineStatus(db: Db, input: ChangeStatusInput, now: Date = new Date()): Promise<ChangeStatusResult> {
  if (input.to === 'cancelled') return { ok: false, reason: 'use_cancel' };
  return db.transaction(async (tx) => {
    const [line] = await tx
      .select({ id: orderLines.id, orderId: orderLines.orderId, status: orderLines.status, version: orderLines.version })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(and(eq(orders.number, input.orderNumber), eq(orderLines.lineNo, input.lineNo)))
      .for('update');
    if (!line) return { ok: false, reason: 'not_found' };
    const move = transition(line.status, input.to);
    if (!move.ok) return move;
    const version = line.version + 1;
    await tx
      .update(orderLines)
      .set({
        status: input.to,
        version,
        updatedAt: now,
        ...(input.trackingUrl !== undefined ? { trackingUrl: input.trackingUrl } : {}),
      })
      .where(eq(orderLines.id, line.id));
    const [event] = await tx
      .insert(events)
      .values({
        orderId: line.orderId,
        lineId: line.id,
        ...eventRow({
          type: 'status_changed',
          data: { from: line.status, to: input.to, ...(input.trackingUrl ? { trackingUrl: input.trackingUrl } : {}) },
        }),
        actorType: input.actor.type,
        actorId: input.actor.id,
        dedupeKey: `line:${line.id}:v${version}`,
        occurredAt: now,
      })
      .returning({ id: events.id });
    const eventId = event?.id as number;
    let customersTold = 0;
    if (NOTIFY.has(input.to)) {
      const settings = await loadStoreSettings(tx);
      customersTold = await enqueueForEvents(tx, [eventId], {
        now,
        coalesceSeconds: settings.coalesceSeconds,
        required: false,
        template: 'update',
      });
    }
    return { ok: true, eventId, from: line.status, to: input.to, customersTold };
  });
}
