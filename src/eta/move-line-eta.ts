// Use case and command: move the ETA window of one line of an order (the FTC rule decides what the customer is sent).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '#db/client.ts';
import { orderLines, orders } from '#db/schema/index.ts';
import { defineCommand } from '#src/commands/command.ts';
import { anyOf, apiKey, staff } from '#src/commands/rules.ts';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import type { EtaWindow } from '#src/domain/eta-window.ts';
import { isOpen } from '#src/domain/line-status.ts';
import { id } from '#src/input/ids.ts';
import { orderNumber } from '#src/input/order-number.ts';
import { text } from '#src/input/text.ts';
import type { Actor } from '../commands/actor.ts';
import { loadStoreSettings, type StoreSettings } from '../store/store-settings.ts';
import { checkEtaMove, etaDate, type MoveEtaResult } from './check-eta-move.ts';
import { moveLineInTx } from './classify-and-write-chunk.ts';

export type MoveLineEtaInput = {
  orderNumber: string;
  lineNo: number;
  from: string | null;
  to: string | null;
  reason: string;
  actor: Actor;
};

export async function moveLineEta(db: Db, input: MoveLineEtaInput, now: Date = new Date()): Promise<MoveEtaResult> {
  const checked = checkEtaMove(input);
  if (!checked.ok) return checked;
  const { eta, reason } = checked.move;
  return db.transaction(async (tx): Promise<MoveEtaResult> => {
    const [line] = await tx
      .select({ id: orderLines.id, status: orderLines.status })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(and(eq(orders.number, input.orderNumber), eq(orderLines.lineNo, input.lineNo)));
    if (!line) return { ok: false, reason: 'not_found' };
    if (!isOpen(line.status)) return { ok: false, reason: 'not_open' };
    const settings = await loadStoreSettings(tx);
    if (eta.to !== null && eta.to < toCalendarDate(now, settings.timeZone)) return { ok: false, reason: 'date_in_past' };
    const chunk = await moveLineInTx(tx, { kind: 'line', lineId: line.id }, eta, reason, input.actor, now, settings);
    return {
      ok: true,
      linesMoved: chunk.moved,
      customersTold: new Set(chunk.toldOrders).size,
      notices: chunk.notices,
      cancelled: chunk.cancelled,
    };
  });
}

export const moveLineEtaCommand = defineCommand({
  name: 'move-line-eta',
  input: z.object({
    orderNumber,
    lineNo: id.pipe(z.number().max(100_000)),
    from: etaDate,
    to: etaDate,
    // An empty reason is refused with its own reason (`reason_required`), not as bad input.
    reason: text({ max: 500, multiline: true, trim: false }),
  }),
  allow: anyOf(staff(), apiKey('write')),
  run: (db, input, { actor, now }) => moveLineEta(db, { ...input, actor }, now),
});

/**
 * An order upsert's use: move one open line to `eta` in the caller's transaction, classified like any move (no
 * notice, an optional update, a delay option notice, or cancellation of a lapsed line). `sameEta` classifies a line
 * already at `eta` (a new line whose ETA is after its T needs its first notice now, 435.2(b)(1)).
 */
export async function moveLineEtaInTx(
  tx: Tx,
  lineId: number,
  eta: EtaWindow,
  input: { reason: string; actor: Actor; sameEta?: boolean },
  now: Date,
  settings: StoreSettings,
): Promise<{ moved: number; notices: number; cancelled: number; toldOrders: number[] }> {
  const chunk = await moveLineInTx(
    tx,
    { kind: 'line', lineId, sameEta: input.sameEta === true },
    eta,
    input.reason,
    input.actor,
    now,
    settings,
  );
  return { moved: chunk.moved, notices: chunk.notices, cancelled: chunk.cancelled, toldOrders: chunk.toldOrders };
}
