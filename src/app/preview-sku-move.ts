// Use case: what moving a SKU's ETA would do, before anything is sent — how many lines fall in each group of the
// FTC rule, the answer deadlines, and the exact message each group would get. Reads only.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { type LineCompliance, products } from '#db/schema/index.ts';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import { makeEtaWindow } from '#src/domain/eta-window.ts';
import { classifyDelay, type DelayClassification } from '#src/domain/ftc-rule.ts';
import type { LineStatus } from '#src/domain/line-status.ts';
import { renderMessage } from '#src/notify/templates/render-message.ts';
import type { MessageItem } from '#src/notify/templates/types.ts';
import { ruleStateOf } from './line-compliance.ts';
import { loadStoreSettings } from './store-settings.ts';

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
  sample: { orderNumber: string; subject: string; text: string; sms: string } | null;
};

export type SkuMovePreview =
  | { ok: true; sku: string; name: string; unchanged: number; groups: Record<PreviewGroup, GroupPreview> }
  | { ok: false; reason: 'not_found' | 'invalid_date' | 'from_after_to' | 'reason_required' | 'date_in_past' };

type Row = {
  id: number;
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

export async function previewSkuMove(
  db: Db,
  input: { sku: string; from: string | null; to: string | null; reason: string },
  now: Date = new Date(),
): Promise<SkuMovePreview> {
  const reason = input.reason.trim();
  if (!reason) return { ok: false, reason: 'reason_required' };
  const parsed = makeEtaWindow(input.from, input.to);
  if (!parsed.ok) return parsed;
  const eta = parsed.window;
  const [product] = await db.select().from(products).where(eq(products.sku, input.sku));
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
        select l.id, o.number as order_number, l.name, l.quantity, l.status, l.applicable_time::text as applicable_time, l.compliance,
               l.eta_from::text as eta_from, l.eta_to::text as eta_to, o.currency, c.name as customer_name, c.locale, c.time_zone,
               l.amount_paid
        from order_lines l join orders o on o.id = l.order_id join customers c on c.id = o.customer_id
        where l.sku = ${input.sku} and l.status in ('waiting', 'ready') and l.id > ${cursor}
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

  const base = 'https://your-store.example';
  for (const [group, { row, c }] of firstOf) {
    const line = { name: row.name, sku: input.sku, quantity: row.quantity };
    const link = `${base}/orders/${row.order_number}?t=…`;
    let item: MessageItem;
    if (c.action === 'no_notice') {
      item = { type: 'eta_changed', line, from: { from: row.eta_from, to: row.eta_to }, to: eta, reason, promisedBy: row.applicable_time };
    } else if (c.action === 'cancel_now') {
      item = {
        type: 'cancellation_confirmed',
        lines: [line],
        refundAmount: row.amount_paid,
        refundDueBy: today,
        reason: 'The promised date passed without the notice or consent the law requires',
      };
    } else if (c.action === 'invalid_eta') {
      continue;
    } else {
      const notice =
        c.action === 'first_notice_silence_consents'
          ? 'first_silence_consents'
          : c.action === 'first_notice_express_consent'
            ? 'first_express_consent'
            : 'renewed';
      item = {
        type: 'delay_notice',
        notice,
        line,
        promisedBy: row.applicable_time,
        revisedDate: c.revisedDate,
        reason: c.reason ?? reason,
        deadline: c.deadline,
        consentUrl: `${base}/orders/${row.order_number}/respond?t=agree`,
        cancelUrl: `${base}/orders/${row.order_number}/respond?t=cancel`,
        refundAmount: row.amount_paid,
      };
    }
    try {
      const m = renderMessage({
        store: { name: store.name, supportEmail: store.supportEmail, supportPhone: store.supportPhone, logoUrl: store.logoUrl },
        customer: { name: row.customer_name, locale: row.locale, timeZone: row.time_zone },
        order: { number: row.order_number, currency: row.currency },
        link,
        unsubscribeUrl: c.action === 'no_notice' ? `${base}/unsubscribe?t=…` : null,
        items: [item],
        required: c.action !== 'no_notice',
      });
      groups[group].sample = { orderNumber: row.order_number, subject: m.subject, text: m.text, sms: m.sms };
    } catch {
      groups[group].sample = null;
    }
  }
  return { ok: true, sku: input.sku, name: product.name, unchanged, groups };
}
