// Command and use case: staff (or the shop platform) move one line along waiting → ready → shipped → delivered.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '#db/client.ts';
import { events, orderLines, orders } from '#db/schema/index.ts';
import { defineCommand } from '#src/commands/command.ts';
import { anyOf, apiKey, staff } from '#src/commands/rules.ts';
import { eventRow } from '#src/domain/events.ts';
import { LINE_STATUSES, type LineStatus, transition } from '#src/domain/line-status.ts';
import { lineNumber } from '#src/input/line-number.ts';
import { orderNumber } from '#src/input/order-number.ts';
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

/** A tracking link: a full web address (https or http), without spaces or control characters; empty is none. */
const trackingUrl = z
  .string()
  .trim()
  .pipe(
    z.union([
      z.literal(''),
      z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .regex(/^[^\p{Cc}\s]+$/u),
    ]),
  )
  .transform((url) => url || undefined);

export type ChangeStatusCommandResult =
  | (Extract<ChangeStatusResult, { ok: true }> & { orderNumber: string; lineNo: number })
  | { ok: false; reason: 'not_found' | 'use_cancel' | 'tracking_without_shipping' }
  // One variant per reason, so the refusal catalogue's words for each see its `from` and `to`.
  | { ok: false; reason: 'not_allowed'; from: LineStatus; to: LineStatus }
  | { ok: false; reason: 'same_status'; from: LineStatus; to: LineStatus };

export const changeStatus = defineCommand({
  name: 'change-line-status',
  input: z.object({ orderNumber, lineNo: lineNumber, to: z.enum(LINE_STATUSES), trackingUrl: trackingUrl.optional() }),
  allow: anyOf(staff(), apiKey('write')),
  run: async (db, input, { actor, now }): Promise<ChangeStatusCommandResult> => {
    // The customer gets the link in the message that says the line has shipped; with any other status it would be lost.
    if (input.trackingUrl && input.to !== 'shipped') return { ok: false, reason: 'tracking_without_shipping' };
    const r = await changeLineStatus(db, { ...input, actor }, now);
    return r.ok ? { ...r, orderNumber: input.orderNumber, lineNo: input.lineNo } : r;
  },
});
