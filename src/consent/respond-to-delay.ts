// Use cases for a waiting customer: consent to a delay, or cancel a line or the whole order for a prompt refund.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '#db/client.ts';
import { events, type LineCompliance, orderLines, orders } from '#db/schema/index.ts';
import { refundDueDate } from '#src/domain/business-days.ts';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import { eventRow } from '#src/domain/events.ts';
import { assessLine, canCustomerCancel } from '#src/domain/ftc-rule.ts';
import { isOpen } from '#src/domain/line-status.ts';
import { refundOwed } from '#src/domain/refund-math.ts';
import { id } from '#src/input/ids.ts';
import type { Actor } from '../commands/actor.ts';
import { defineCommand, type InputOf } from '../commands/command.ts';
import type { Principal } from '../commands/principal.ts';
import { anyOf, customerOf, staff } from '../commands/rules.ts';
import { projectCompliance, ruleStateOf } from '../compliance/line-compliance.ts';
import { cancelLinesInTx } from '../refunds/cancel-lines.ts';
import { loadStoreSettings } from '../store/store-settings.ts';

export type AnswerVia = 'link' | 'order_page' | 'staff';

export type ConsentResult =
  | { ok: true; consentedUntil: string | null; alreadyRecorded: boolean }
  | { ok: false; reason: 'not_found' | 'not_open' | 'nothing_to_answer' | 'deadline_passed' };

/** Records express consent to the latest delay notice of a line (435.2(b)(1)(iii)(B), (b)(2)). */
export async function consentToDelay(
  db: Db,
  input: { orderId: number; lineId: number; via: AnswerVia; actor: Actor },
  now: Date = new Date(),
): Promise<ConsentResult> {
  return db.transaction(async (tx): Promise<ConsentResult> => {
    const settings = await loadStoreSettings(tx);
    const today = toCalendarDate(now, settings.timeZone);
    const [line] = await tx
      .select()
      .from(orderLines)
      .where(and(eq(orderLines.id, input.lineId), eq(orderLines.orderId, input.orderId)))
      .for('update');
    if (!line) return { ok: false, reason: 'not_found' };
    if (!isOpen(line.status)) return { ok: false, reason: 'not_open' };
    const notices = line.compliance.notices;
    const latest = notices.length - 1;
    const notice = notices[latest];
    if (!notice) return { ok: false, reason: 'nothing_to_answer' };
    const assessment = assessLine(ruleStateOf(line), today);
    if (assessment.status === 'cancel_due') return { ok: false, reason: 'deadline_passed' };
    if (line.compliance.answers.some((a) => a.kind === 'consent' && a.noticeIndex === latest)) {
      return { ok: true, consentedUntil: notice.revisedDate, alreadyRecorded: true };
    }
    const compliance: LineCompliance = {
      ...line.compliance,
      answers: [...line.compliance.answers, { kind: 'consent', on: today, noticeIndex: latest, consentedUntil: notice.revisedDate }],
    };
    const projected = projectCompliance({ ...line, compliance }, today);
    const version = line.version + 1;
    await tx
      .update(orderLines)
      .set({
        compliance,
        shipBy: projected.shipBy,
        // Never after the new ship-by date: the sweep finds lines by it (decision 020).
        checkBy: sql`least(${orderLines.checkBy}, ${projected.shipBy}::date)`,
        awaitingConsent: projected.awaitingConsent,
        version,
        updatedAt: now,
      })
      .where(eq(orderLines.id, line.id));
    await tx.insert(events).values({
      orderId: line.orderId,
      lineId: line.id,
      ...eventRow({ type: 'consent_given', data: { via: input.via, noticeIndex: latest, consentedUntil: notice.revisedDate } }),
      actorType: input.actor.type,
      actorId: input.actor.id,
      ruleSection: notice.kind === 'first' ? '435.2(b)(1)(iii)' : '435.2(b)(2)',
      dedupeKey: `line:${line.id}:v${version}`,
      occurredAt: now,
    });
    return { ok: true, consentedUntil: notice.revisedDate, alreadyRecorded: false };
  });
}

export type ConsentPreview = { ok: true; item: string; until: string | null } | { ok: false; reason: 'not_found' | 'nothing_to_answer' };

/** What consenting would agree to, for the confirmation step: the item and the date of its latest delay notice. */
export async function previewConsent(db: Db, input: { orderId: number; lineId: number }): Promise<ConsentPreview> {
  const [line] = await db
    .select({ name: orderLines.name, compliance: orderLines.compliance })
    .from(orderLines)
    .where(and(eq(orderLines.id, input.lineId), eq(orderLines.orderId, input.orderId)));
  if (!line) return { ok: false, reason: 'not_found' };
  const notice = line.compliance.notices.at(-1);
  return notice ? { ok: true, item: line.name, until: notice.revisedDate } : { ok: false, reason: 'nothing_to_answer' };
}

export type CancelPreview =
  | { ok: true; lines: Array<{ id: number; lineNo: number; name: string }>; refundAmount: number; refundDueOn: string; currency: string }
  | { ok: false; reason: 'not_found' | 'not_open' | 'not_allowed' };

type OrderRow = typeof orders.$inferSelect;
type LineRow = typeof orderLines.$inferSelect;

/**
 * Which lines a customer may cancel: any open line while the store's policy allows cancelling before shipment;
 * under a stricter policy, still every line with a delay notice, where the rule grants the right (435.2(c)).
 */
function cancellable(
  lines: LineRow[],
  lineIds: number[] | null,
  policy: string,
): { targets: LineRow[]; reason: 'not_open' | 'not_allowed' | null } {
  const wanted = lines.filter((l) => lineIds === null || lineIds.includes(l.id));
  const open = wanted.filter((l) => canCustomerCancel(ruleStateOf(l)));
  if (open.length === 0) return { targets: [], reason: 'not_open' };
  const allowed = open.filter((l) => policy === 'while_unshipped' || l.compliance.notices.length > 0);
  if (allowed.length === 0) return { targets: [], reason: 'not_allowed' };
  return { targets: allowed, reason: null };
}

async function loadOrder(tx: Db | Tx, orderId: number): Promise<{ order: OrderRow; lines: LineRow[] } | null> {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return null;
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(orderLines.lineNo);
  return { order, lines };
}

/** What cancelling would do, for the confirmation step: which lines, how much comes back, by when. */
export async function previewCancellation(
  db: Db,
  input: { orderId: number; lineIds: number[] | null },
  now: Date = new Date(),
): Promise<CancelPreview> {
  const loaded = await loadOrder(db, input.orderId);
  if (!loaded) return { ok: false, reason: 'not_found' };
  const settings = await loadStoreSettings(db);
  const { targets, reason } = cancellable(loaded.lines, input.lineIds, settings.cancellationPolicy);
  if (reason) return { ok: false, reason };
  const ids = new Set(targets.map((t) => t.id));
  const refund = refundOwed(loaded.order, loaded.lines, ids);
  return {
    ok: true,
    lines: targets.map((t) => ({ id: t.id, lineNo: t.lineNo, name: t.name })),
    refundAmount: refund.total,
    refundDueOn: refundDueDate(toCalendarDate(now, settings.timeZone), settings.holidays),
    currency: loaded.order.currency,
  };
}

export type CustomerCancelResult =
  | { ok: true; cancelledLineIds: number[]; refundAmount: number; refundDueOn: string; currency: string }
  | { ok: false; reason: 'not_found' | 'not_open' | 'not_allowed' };

/** The customer cancels before shipment: cancelled at once, refund due within 7 working days (435.2(c), 435.1(b)). */
export async function customerCancel(
  db: Db,
  input: { orderId: number; lineIds: number[] | null; via: AnswerVia; actor: Actor },
  now: Date = new Date(),
): Promise<CustomerCancelResult> {
  return db.transaction(async (tx): Promise<CustomerCancelResult> => {
    await tx.execute(sql`select id from orders where id = ${input.orderId} for update`);
    const loaded = await loadOrder(tx, input.orderId);
    if (!loaded) return { ok: false, reason: 'not_found' };
    const settings = await loadStoreSettings(tx);
    const { targets, reason } = cancellable(loaded.lines, input.lineIds, settings.cancellationPolicy);
    if (reason) return { ok: false, reason };
    const today = toCalendarDate(now, settings.timeZone);
    const byRule = targets.some((t) => t.compliance.notices.length > 0);
    await tx.insert(events).values({
      orderId: input.orderId,
      ...eventRow({
        type: 'cancel_requested',
        data: { via: input.via, lineIds: targets.map((t) => t.id), scope: input.lineIds === null ? 'order' : 'lines' },
      }),
      actorType: input.actor.type,
      actorId: input.actor.id,
      ruleSection: byRule ? '435.2(c)' : null,
      occurredAt: now,
    });
    const result = await cancelLinesInTx(tx, {
      orderId: input.orderId,
      lineIds: targets.map((t) => t.id),
      actor: input.actor,
      reason: 'Cancelled by the customer before shipment',
      section: byRule ? '435.2(c)' : null,
      vestedOn: today,
      now,
    });
    if (!result.ok) return { ok: false, reason: 'not_open' };
    return {
      ok: true,
      cancelledLineIds: result.cancelledLineIds,
      refundAmount: result.refundAmount,
      refundDueOn: result.refundDueOn,
      currency: loaded.order.currency,
    };
  });
}

/** How an answer came in, from who asks: a message link's token, the order page's cookie, or staff recording it. */
function answerVia(principal: Principal): AnswerVia {
  if (principal.kind !== 'customer') return 'staff';
  return principal.purpose === 'order_view' ? 'order_page' : 'link';
}

/**
 * Which lines: one id (a form field, a CLI flag or a JSON number), several, or the whole order, said as 'all': a
 * missing field never means every line.
 */
const lineChoice = z.union([z.literal('all').transform(() => null), id.transform((lineId) => [lineId]), z.array(id).min(1)]);

/** Command: the customer (from a message link or their order page) agrees to wait; staff may record it for them. */
export const consentToDelayCommand = defineCommand({
  name: 'consent-to-delay',
  input: z.object({ orderId: id, lineId: id }),
  allow: anyOf(
    customerOf(
      (input: { orderId: number; lineId: number }) => input.orderId,
      ['consent', 'order_view'],
      (input) => input.lineId,
    ),
    staff(),
  ),
  run: (db, input, { principal, actor, now }) => consentToDelay(db, { ...input, via: answerVia(principal), actor }, now),
});

/** Command: the customer cancels a line or the whole order before shipment; staff may record it for them. */
export const customerCancelCommand = defineCommand({
  name: 'customer-cancel',
  input: z.object({ orderId: id, lineIds: lineChoice }),
  allow: anyOf(
    customerOf(
      (input: { orderId: number; lineIds: number[] | null }) => input.orderId,
      ['cancel', 'order_view'],
      // A single-line link cancels that line only: not the order, not another line.
      (input) => (input.lineIds?.length === 1 ? (input.lineIds[0] as number) : null),
    ),
    staff(),
  ),
  run: (db, input, { principal, actor, now }) => customerCancel(db, { ...input, via: answerVia(principal), actor }, now),
});

export type Answer =
  | { action: 'consent'; input: InputOf<typeof consentToDelayCommand> }
  | { action: 'cancel'; input: InputOf<typeof customerCancelCommand> };

/**
 * What the respond page's fields ask for, read by the commands' own schemas (the same rules `execute` applies), or
 * null when they name no answer: an unknown action, a line that is no id, or consent to a whole order.
 */
export function readAnswer(action: unknown, raw: { orderId: number; line: unknown }): Answer | null {
  if (action === 'consent') {
    const parsed = consentToDelayCommand.input.safeParse({ orderId: raw.orderId, lineId: raw.line });
    return parsed.success ? { action, input: parsed.data } : null;
  }
  if (action === 'cancel') {
    const parsed = customerCancelCommand.input.safeParse({ orderId: raw.orderId, lineIds: raw.line });
    return parsed.success ? { action, input: parsed.data } : null;
  }
  return null;
}
