// Commands that record a refund's fate: staff mark it sent (the console names the order, the CLI only the refund),
// and the shop platform's signed callback reports it sent or failed.
import { z } from 'zod';
import type { Actor } from '#src/commands/actor.ts';
import { defineCommand } from '#src/commands/command.ts';
import { anyOf, apiKey, staff, system } from '#src/commands/rules.ts';
import { dateText } from '#src/input/calendar-date.ts';
import { id, idNumber } from '#src/input/ids.ts';
import { orderNumber } from '#src/input/order-number.ts';
import { text } from '#src/input/text.ts';
import { markOrderRefundSent } from './mark-order-refund-sent.ts';
import { markRefundFailed, markRefundSent } from './mark-refund-sent.ts';

/**
 * Command: a refund was sent. With `orderNumber` (the console's order page) the refund must belong to that order, so
 * a form can never touch another order's; without one (the CLI) the refund id alone names it. No `sentOn` means today
 * in the store's zone.
 */
export const markRefundSentCommand = defineCommand({
  name: 'mark-refund-sent',
  input: z.object({
    orderNumber: orderNumber.optional(),
    refundId: id,
    // An empty reference passes here and is refused as `reference_required`, with its own words.
    reference: text({ max: 200, multiline: true, trim: false }),
    sentOn: dateText.optional(),
  }),
  allow: anyOf(staff(), apiKey('write')),
  run: (db, { orderNumber, ...input }, { actor, now }) =>
    orderNumber === undefined
      ? markRefundSent(db, { ...input, actor }, now)
      : markOrderRefundSent(db, { ...input, orderNumber, actor }, now),
});

/** The timeline names the shop platform, an integration, as the one who reported (not the system's own sweep). */
const SHOP_PLATFORM: Actor = { type: 'api', id: 'shop-platform' };

const report = {
  /** The refund in the callback's address: the signed body must name the same one. */
  refundInAddress: id,
  /** The platform's delivery id: a repeated delivery changes nothing. */
  id: text({ min: 1, max: 200 }),
  refundId: idNumber,
};

/** Command: the shop platform reports a refund sent (with its reference) or failed (with why); its signature is checked first. */
export const recordRefundCallback = defineCommand({
  name: 'record-refund-callback',
  input: z.discriminatedUnion('status', [
    z.object({ ...report, status: z.literal('sent'), reference: text({ min: 1, max: 200 }), sentOn: dateText }),
    z.object({ ...report, status: z.literal('failed'), reason: text({ min: 1, max: 500, multiline: true }) }),
  ]),
  allow: system,
  run: async (db, input, { now }) => {
    if (input.refundId !== input.refundInAddress) return { ok: false as const, reason: 'refund_mismatch' as const };
    const common = { refundId: input.refundId, actor: SHOP_PLATFORM, deliveryId: input.id };
    return input.status === 'sent'
      ? markRefundSent(db, { ...common, reference: input.reference, sentOn: input.sentOn }, now)
      : markRefundFailed(db, { ...common, reason: input.reason }, now);
  },
});
