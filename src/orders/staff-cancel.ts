// Command and use case: the store will not ship (435.2(b)(4), (c)): staff cancel a line or the whole order, refund
// promptly; and the query its confirmation step shows first.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '#db/client.ts';
import { orderLines, orders } from '#db/schema/index.ts';
import { defineCommand } from '#src/commands/command.ts';
import { anyOf, apiKey, staff } from '#src/commands/rules.ts';
import { refundDueDate } from '#src/domain/business-days.ts';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import { isOpen } from '#src/domain/line-status.ts';
import { refundOwed } from '#src/domain/refund-math.ts';
import { lineNumber } from '#src/input/line-number.ts';
import { orderNumber } from '#src/input/order-number.ts';
import { text } from '#src/input/text.ts';
import type { Actor } from '../commands/actor.ts';
import { type CancelOutcome, cancelLinesInTx } from '../refunds/cancel-lines.ts';
import { loadStoreSettings } from '../store/store-settings.ts';

export async function staffCancel(
  db: Db,
  input: { orderNumber: string; lineNo: number | null; reason: string; actor: Actor },
  now: Date = new Date(),
): Promise<CancelOutcome | { ok: false; reason: 'not_found' }> {
  return db.transaction(async (tx) => {
    const [order] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.number, input.orderNumber));
    if (!order) return { ok: false, reason: 'not_found' as const };
    let lineIds: number[] | null = null;
    if (input.lineNo !== null) {
      const [line] = await tx
        .select({ id: orderLines.id })
        .from(orderLines)
        .where(and(eq(orderLines.orderId, order.id), eq(orderLines.lineNo, input.lineNo)));
      if (!line) return { ok: false, reason: 'not_found' as const };
      lineIds = [line.id];
    }
    const settings = await loadStoreSettings(tx);
    return cancelLinesInTx(tx, {
      orderId: order.id,
      lineIds,
      actor: input.actor,
      reason: input.reason,
      section: '435.2(b)(4)',
      vestedOn: toCalendarDate(now, settings.timeZone),
      now,
    });
  });
}

/** What a cancellation is about: one line by its number, or the whole order ('all' in a form, null in a JSON body). */
const cancelTarget = z.union([z.literal('all'), z.null(), lineNumber]).transform((target) => (target === 'all' ? null : target));

export type StaffCancelCommandResult =
  | (Extract<CancelOutcome, { ok: true }> & { orderNumber: string })
  | Extract<CancelOutcome, { ok: false }>
  | { ok: false; reason: 'not_found' };

export const cancelAndRefund = defineCommand({
  name: 'staff-cancel',
  input: z.object({ orderNumber, lineNo: cancelTarget, reason: text({ min: 1, max: 500, multiline: true }) }),
  allow: anyOf(staff(), apiKey('write')),
  run: async (db, input, { actor, now }): Promise<StaffCancelCommandResult> => {
    const r = await staffCancel(db, { ...input, actor }, now);
    return r.ok ? { ...r, orderNumber: input.orderNumber } : r;
  },
});

/** The lines a cancel confirmation is about, from a form field or an address: a line number, 'all', or null for none. */
export function cancelTargetOf(raw: unknown): number | 'all' | null {
  if (raw === 'all') return 'all';
  const line = lineNumber.safeParse(raw);
  return line.success ? line.data : null;
}

export type StaffCancelPreview =
  | { ok: true; lines: Array<{ lineNo: number; name: string; sku: string }>; refundAmount: number; refundDueOn: string; currency: string }
  | { ok: false; reason: 'not_found' | 'nothing_to_cancel' };

/**
 * What a staff cancellation would do, for its confirmation step: which open lines, how much comes back (shipping share
 * included, 435.1(b)) and by when. The store's cancellation policy binds customers, not the store itself.
 */
export async function previewStaffCancel(
  db: Db,
  input: { orderNumber: string; lineNo: number | null },
  now: Date = new Date(),
): Promise<StaffCancelPreview> {
  const [order] = await db.select().from(orders).where(eq(orders.number, input.orderNumber));
  if (!order) return { ok: false, reason: 'not_found' };
  const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(orderLines.lineNo);
  if (input.lineNo !== null && !lines.some((l) => l.lineNo === input.lineNo)) return { ok: false, reason: 'not_found' };
  const targets = lines.filter((l) => isOpen(l.status) && (input.lineNo === null || l.lineNo === input.lineNo));
  if (targets.length === 0) return { ok: false, reason: 'nothing_to_cancel' };
  const ids = new Set(targets.map((l) => l.id));
  const refund = refundOwed(order, lines, ids);
  const settings = await loadStoreSettings(db);
  return {
    ok: true,
    lines: targets.map((l) => ({ lineNo: l.lineNo, name: l.name, sku: l.sku })),
    refundAmount: refund.total,
    refundDueOn: refundDueDate(toCalendarDate(now, settings.timeZone), settings.holidays),
    currency: order.currency,
  };
}
