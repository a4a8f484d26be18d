// Cancels open lines of one order and owes the customer everything they tendered for them, inside the caller's
// transaction: line status, events with the rule section, the refund with its 7-working-day due date, the message.
import { eq } from 'drizzle-orm';
import type { Tx } from '#db/client.ts';
import { events, orderLines, orders, refunds } from '#db/schema/index.ts';
import { config } from '#src/config/config.ts';
import { refundDueDate } from '#src/domain/business-days.ts';
import { eventRow } from '#src/domain/events.ts';
import { isOpen } from '#src/domain/line-status.ts';
import { refundOwed } from '#src/domain/refund-math.ts';
import { enqueueRefundRequested, type RefundWebhookConfig } from '#src/refunds/refund-requested-hook.ts';
import type { Actor } from '../commands/actor.ts';
import { enqueueForEvents } from '../messages/enqueue-notifications.ts';
import { loadStoreSettings } from '../store/store-settings.ts';

export type CancelInput = {
  orderId: number;
  /** Line ids to cancel; null = every open line of the order. */
  lineIds: number[] | null;
  actor: Actor;
  reason: string;
  /** The rule section that makes this cancellation (and its prompt refund) mandatory, if any. */
  section: string | null;
  /** When the customer's right to the refund vested (starts the 435.1(b) clock). */
  vestedOn: string;
  now: Date;
  /** Where refund.requested goes (the shop platform refunds automatically); default: the configured endpoint, if any. */
  refundWebhook?: RefundWebhookConfig | null;
};

function configuredRefundWebhook(): RefundWebhookConfig | null {
  const cfg = config();
  return cfg.REFUND_WEBHOOK_URL && cfg.REFUND_WEBHOOK_SECRET ? { url: cfg.REFUND_WEBHOOK_URL, secret: cfg.REFUND_WEBHOOK_SECRET } : null;
}

export type CancelOutcome =
  | {
      ok: true;
      cancelledLineIds: number[];
      refundId: number | null;
      refundAmount: number;
      currency: string;
      refundDueOn: string;
      customersTold: number;
    }
  | { ok: false; reason: 'nothing_to_cancel' };

export async function cancelLinesInTx(tx: Tx, input: CancelInput): Promise<CancelOutcome> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, input.orderId)).for('update');
  if (!order) return { ok: false, reason: 'nothing_to_cancel' };
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, input.orderId)).orderBy(orderLines.lineNo).for('update');
  const targets = lines.filter((l) => isOpen(l.status) && (input.lineIds === null || input.lineIds.includes(l.id)));
  if (targets.length === 0) return { ok: false, reason: 'nothing_to_cancel' };
  const targetIds = new Set(targets.map((l) => l.id));

  const refund = refundOwed(order, lines, targetIds);
  const owed = new Map(refund.lines.map((s) => [Number(s.id), s.amount]));
  const settings = await loadStoreSettings(tx);
  const dueOn = refundDueDate(input.vestedOn, settings.holidays);

  const eventIds: number[] = [];
  for (const line of targets) {
    const version = line.version + 1;
    await tx
      .update(orderLines)
      .set({
        status: 'cancelled',
        version,
        shipBy: null,
        awaitingConsent: false,
        amountRefunded: line.amountRefunded + (owed.get(line.id) ?? 0),
        updatedAt: input.now,
      })
      .where(eq(orderLines.id, line.id));
    const [event] = await tx
      .insert(events)
      .values({
        orderId: order.id,
        lineId: line.id,
        ...eventRow({ type: 'cancelled', data: { reason: input.reason, from: line.status } }),
        actorType: input.actor.type,
        actorId: input.actor.id,
        ruleSection: input.section,
        dedupeKey: `line:${line.id}:v${version}`,
        occurredAt: input.now,
      })
      .returning({ id: events.id });
    eventIds.push(event?.id as number);
  }
  // The payment state changes when money moves (`markRefundSent`), not when a refund is only requested.
  await tx
    .update(orders)
    .set({ shippingRefunded: order.shippingRefunded + refund.shipping })
    .where(eq(orders.id, order.id));

  let refundId: number | null = null;
  if (refund.total > 0) {
    const [row] = await tx
      .insert(refunds)
      .values({
        orderId: order.id,
        lineId: targets.length === 1 ? (targets[0]?.id ?? null) : null,
        amount: refund.total,
        currency: order.currency,
        status: 'requested',
        reason: input.reason,
        ruleSection: '435.1(b)',
        vestedOn: input.vestedOn,
        dueOn,
        breakdown: { lines: refund.lines.map((s) => ({ id: Number(s.id), amount: s.amount })), shipping: refund.shipping },
      })
      .returning({ id: refunds.id });
    refundId = row?.id ?? null;
    const [event] = await tx
      .insert(events)
      .values({
        orderId: order.id,
        ...eventRow({
          type: 'refund_requested',
          data: { refundId, amount: refund.total, currency: order.currency, dueOn, vestedOn: input.vestedOn, lineIds: [...targetIds] },
        }),
        actorType: 'system',
        actorId: null,
        ruleSection: '435.1(b)',
        occurredAt: input.now,
      })
      .returning({ id: events.id });
    eventIds.push(event?.id as number);
    const hook = input.refundWebhook === undefined ? configuredRefundWebhook() : input.refundWebhook;
    if (hook && refundId !== null) {
      await enqueueRefundRequested(
        tx,
        hook,
        {
          id: refundId,
          orderNumber: order.number,
          amount: refund.total,
          currency: order.currency,
          dueOn,
          vestedOn: input.vestedOn,
          reason: input.reason,
          lines: refund.lines.map((s) => ({ id: Number(s.id), amount: s.amount })),
          shipping: refund.shipping,
        },
        input.now,
      );
    }
  }
  // The confirmation is transactional: it is sent at once and no "updates" opt-out applies.
  const customersTold = await enqueueForEvents(tx, eventIds, {
    now: input.now,
    coalesceSeconds: 0,
    required: true,
    template: 'cancellation',
  });
  return {
    ok: true,
    cancelledLineIds: [...targetIds],
    refundId,
    refundAmount: refund.total,
    currency: order.currency,
    refundDueOn: dueOn,
    customersTold,
  };
}
