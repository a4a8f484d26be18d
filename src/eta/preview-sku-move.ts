// Query: what moving a SKU's ETA would do, before anything is sent — how many lines fall in each group of the
// FTC rule, the answer deadlines, and the exact message each group would get. Reads only. It takes the move as its
// command checked it (`move-sku-eta-command.ts`): the window real and in order, the reason given.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { openStatus } from '#db/line-status-sql.ts';
import { type LineCompliance, orderLines, orders, products } from '#db/schema/index.ts';
import { refundDueDate } from '#src/domain/business-days.ts';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import type { EtaWindow } from '#src/domain/eta-window.ts';
import type { EventData, EventType } from '#src/domain/events.ts';
import { classifyDelay, type DelayClassification, noticeRecord } from '#src/domain/ftc-rule.ts';
import type { LineStatus } from '#src/domain/line-status.ts';
import { refundOwed } from '#src/domain/refund-math.ts';
import { type EventRow, MESSAGE_LINE_COLUMNS, type MessageLineRow, messageItems, refundForLine } from '#src/messages/compose.ts';
import { renderMessage } from '#src/messages/templates/render-message.ts';
import { ruleStateOf } from '../compliance/line-compliance.ts';
import { loadStoreSettings, type StoreSettings } from '../store/store-settings.ts';
import type { EtaMove } from './check-eta-move.ts';

export const PREVIEW_GROUPS = [
  'no_notice',
  'first_notice_silence_consents',
  'first_notice_express_consent',
  'renewed_notice',
  'cancel_now',
] as const;
export type PreviewGroup = (typeof PREVIEW_GROUPS)[number];

export type GroupPreview = {
  count: number;
  /** Earliest and latest answer deadline in the group (notices that need an answer). */
  deadlines: { first: string; last: string } | null;
  sample: Sample | null;
};

/**
 * The message one line of the group would get, rendered by the notifier's own code from the events the move would
 * write (`messageItems`), with the refund worked out by the same rule (`refundOwed`): shipping share included, and
 * for a cancellation the due date the refund will carry. `refund`: what a notice offers on cancelling, or what the
 * cancellation refunds; null for an update.
 */
export type Sample = {
  orderNumber: string;
  currency: string;
  subject: string;
  text: string;
  sms: string;
  refund: { amount: number; dueOn: string | null } | null;
};

/** Who gets what: `unchanged` lines are at the new ETA already. */
export type SkuMovePlan = { sku: string; name: string; unchanged: number; groups: Record<PreviewGroup, GroupPreview> };

export type SkuMovePreview = ({ ok: true } & SkuMovePlan) | { ok: false; reason: 'not_found' | 'date_in_past' };

/** A SKU move as its command checked it. */
export type SkuMove = EtaMove & { sku: string };

type Row = {
  id: number;
  order_id: number;
  order_number: string;
  name: string;
  quantity: number;
  status: LineStatus;
  applicable_time: string;
  compliance: LineCompliance;
  eta_from: string | null;
  eta_to: string | null;
  currency: string;
  customer_name: string;
  locale: string;
  time_zone: string;
  amount_paid: number;
};

const PAGE = 5000;

export async function previewSkuMove(db: Db, input: SkuMove, now: Date = new Date()): Promise<SkuMovePreview> {
  const { eta, reason } = input;
  const [product] = await db.select({ name: products.name }).from(products).where(eq(products.sku, input.sku));
  if (!product) return { ok: false, reason: 'not_found' };
  const store = await loadStoreSettings(db);
  const today = toCalendarDate(now, store.timeZone);
  if (eta.to !== null && eta.to < today) return { ok: false, reason: 'date_in_past' };

  const groups = Object.fromEntries(PREVIEW_GROUPS.map((g) => [g, { count: 0, deadlines: null, sample: null }])) as Record<
    PreviewGroup,
    GroupPreview
  >;
  const firstOf = new Map<PreviewGroup, { row: Row; c: DelayClassification }>();
  let unchanged = 0;
  let cursor = 0;
  // Paged by id so a large SKU never holds the (single-threaded, on PGlite) database for long.
  for (;;) {
    const rows = rowsOf<Row>(
      await db.execute(sql`
        select l.id, l.order_id, o.number as order_number, l.name, l.quantity, l.status, l.applicable_time::text as applicable_time, l.compliance,
               l.eta_from::text as eta_from, l.eta_to::text as eta_to, o.currency, c.name as customer_name, c.locale, c.time_zone,
               l.amount_paid
        from order_lines l join orders o on o.id = l.order_id join customers c on c.id = o.customer_id
        where l.sku = ${input.sku} and ${openStatus('l.status')} and l.id > ${cursor}
        order by l.id limit ${PAGE}`),
    );
    for (const row of rows) {
      if (row.eta_from === eta.from && row.eta_to === eta.to) {
        unchanged++;
        continue;
      }
      const c = classifyDelay(
        ruleStateOf({ applicableTime: row.applicable_time, status: row.status, compliance: row.compliance }),
        { revisedDate: eta.to, reason },
        today,
      );
      if (c.action === 'invalid_eta') continue;
      const group = c.action as PreviewGroup;
      const g = groups[group];
      g.count++;
      if ('deadline' in c && c.action !== 'first_notice_silence_consents') {
        // Calendar dates (YYYY-MM-DD) compare as strings; Math.min/max would turn them into NaN.
        g.deadlines = g.deadlines
          ? {
              // biome-ignore lint/complexity/useMathMinMax: strings, not numbers
              first: c.deadline < g.deadlines.first ? c.deadline : g.deadlines.first,
              // biome-ignore lint/complexity/useMathMinMax: strings, not numbers
              last: c.deadline > g.deadlines.last ? c.deadline : g.deadlines.last,
            }
          : { first: c.deadline, last: c.deadline };
      }
      if (!firstOf.has(group)) firstOf.set(group, { row, c });
    }
    if (rows.length < PAGE) break;
    cursor = rows.at(-1)?.id ?? cursor;
    await new Promise((r) => setImmediate(r));
  }

  for (const [group, { row, c }] of firstOf) {
    groups[group].sample = await sampleMessage(db, row, c, { sku: input.sku, eta, reason, today, store });
  }
  return { ok: true, sku: input.sku, name: product.name, unchanged, groups };
}

const PREVIEW_BASE = 'https://your-store.example';

async function sampleMessage(
  db: Db,
  row: Row,
  c: DelayClassification,
  move: { sku: string; eta: EtaWindow; reason: string; today: string; store: StoreSettings },
): Promise<Sample | null> {
  const { eta, reason, today, store } = move;
  const [order] = await db
    .select({ shippingPaid: orders.shippingPaid, shippingRefunded: orders.shippingRefunded })
    .from(orders)
    .where(eq(orders.id, row.order_id));
  if (!order) return null;
  const lines: MessageLineRow[] = await db.select(MESSAGE_LINE_COLUMNS).from(orderLines).where(eq(orderLines.orderId, row.order_id));
  const refundFor = refundForLine(order, lines);
  // The events the move writes for this line (classify-and-write-chunk.ts: `groupWrite`, and `cancelLinesInTx` for a lapsed line).
  // Typed by the event log's union, so the preview's events have the data the move's have.
  const event = <T extends EventType>(type: T, data: EventData<T>, actorType = 'staff', lineId: number | null = row.id): EventRow =>
    ({ id: 0, type, actorType, lineId, data }) as EventRow;
  let evs: EventRow[];
  let refund: Sample['refund'] = null;
  if (c.action === 'invalid_eta') return null;
  if (c.action === 'no_notice') {
    evs = [event('eta_changed', { from: { from: row.eta_from, to: row.eta_to }, to: eta, reason, classification: c.action })];
  } else if (c.action === 'cancel_now') {
    const amount = refundOwed(order, lines, new Set([row.id])).total;
    const dueOn = refundDueDate(c.vestedOn, store.holidays);
    // Cancelled by the system (the rule lapsed), which the customer reads in their own language.
    evs = [event('cancelled', { reason }, 'system')];
    if (amount > 0) {
      evs.push(event('refund_requested', { amount, dueOn, vestedOn: c.vestedOn }, 'system', null));
      refund = { amount, dueOn };
    } else refund = { amount: 0, dueOn: null };
  } else {
    const notice = noticeRecord(c, today);
    if (!notice) return null;
    // The index the move gives the notice: the next in the line's record.
    evs = [event('delay_notice_sent', { ...notice, action: c.action, noticeIndex: row.compliance.notices.length })];
    refund = { amount: refundFor(row.id), dueOn: null };
  }
  const respond = `${PREVIEW_BASE}/orders/${row.order_number}/respond`;
  const items = messageItems(evs, new Map(lines.map((l) => [l.id, l])), refundFor, () => ({
    consentUrl: `${respond}?t=agree`,
    cancelUrl: `${respond}?t=cancel`,
  }));
  if (items.length === 0) return null;
  try {
    const m = renderMessage({
      store: { name: store.name, supportEmail: store.supportEmail, supportPhone: store.supportPhone, logoUrl: store.logoUrl },
      customer: { name: row.customer_name, locale: row.locale, timeZone: row.time_zone },
      order: { number: row.order_number, currency: row.currency },
      link: `${PREVIEW_BASE}/orders/${row.order_number}?t=…`,
      unsubscribeUrl: c.action === 'no_notice' ? `${PREVIEW_BASE}/unsubscribe?t=…` : null,
      items,
      required: c.action !== 'no_notice',
    });
    return { orderNumber: row.order_number, currency: row.currency, subject: m.subject, text: m.text, sms: m.sms, refund };
  } catch {
    // A message the templates refuse is refused by the notifier too; the preview shows the count without a sample.
    return null;
  }
}
