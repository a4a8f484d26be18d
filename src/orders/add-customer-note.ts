// Command: staff (or an integration) add a note the customer sees on their order page and receives as a message.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '#db/client.ts';
import { events, orders } from '#db/schema/index.ts';
import { defineCommand } from '#src/commands/command.ts';
import { anyOf, apiKey, staff } from '#src/commands/rules.ts';
import { eventRow } from '#src/domain/events.ts';
import { orderNumber } from '#src/input/order-number.ts';
import { text } from '#src/input/text.ts';
import type { Actor } from '../commands/actor.ts';
import { enqueueForEvents } from '../messages/enqueue-notifications.ts';
import { loadStoreSettings } from '../store/store-settings.ts';

export type AddNoteResult =
  | { ok: true; eventId: number; customersTold: number }
  | { ok: false; reason: 'not_found' | 'empty' | 'too_long' };

export async function addCustomerNote(
  db: Db,
  input: { orderNumber: string; text: string; actor: Actor },
  now: Date = new Date(),
): Promise<AddNoteResult> {
  const text = input.text.trim();
  if (!text) return { ok: false, reason: 'empty' };
  if (text.length > 1000) return { ok: false, reason: 'too_long' };
  return db.transaction(async (tx) => {
    const [order] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.number, input.orderNumber));
    if (!order) return { ok: false, reason: 'not_found' };
    const [event] = await tx
      .insert(events)
      .values({
        orderId: order.id,
        ...eventRow({ type: 'customer_note', data: { text } }),
        actorType: input.actor.type,
        actorId: input.actor.id,
        occurredAt: now,
      })
      .returning({ id: events.id });
    const settings = await loadStoreSettings(tx);
    const eventId = event?.id as number;
    const customersTold = await enqueueForEvents(tx, [eventId], {
      now,
      coalesceSeconds: settings.coalesceSeconds,
      required: false,
      template: 'update',
    });
    return { ok: true, eventId, customersTold };
  });
}

export const addNote = defineCommand({
  name: 'add-note',
  // Longer than the note may be, so an overlong note is refused with its own reason (`too_long`), not as bad input.
  input: z.object({ orderNumber, text: text({ max: 4000, multiline: true, trim: false }) }),
  allow: anyOf(staff(), apiKey('write')),
  run: (db, input, { actor, now }) => addCustomerNote(db, { ...input, actor }, now),
});
