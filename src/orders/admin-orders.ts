// Read models of the console's Orders section: the filtered, searched, sorted list with counts, and one order in full.
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db, Queryable } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { openStatus } from '#db/line-status-sql.ts';
import { type DeliveryStep, type LineCompliance, type NotificationStatus, orders, refunds, staffUsers } from '#db/schema/index.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { normaliseOrderNumber, parseContact } from '#src/domain/contact.ts';
import type { DelayNotice } from '#src/domain/ftc-rule.ts';
import { allowedNext, isOpen, type LineKind, type LineStatus } from '#src/domain/line-status.ts';
import { type RefundStanding, refundStanding } from '#src/domain/refund-standing.ts';
import type { Actor } from '../commands/actor.ts';
import { markRefundSent, type RefundSentResult } from '../refunds/mark-refund-sent.ts';
import { loadStoreSettings } from '../store/store-settings.ts';

export const ORDER_FILTERS = [
  'all',
  'waiting',
  'at_risk',
  'late',
  'awaiting_consent',
  'refund_due',
  'refund_overdue',
  'cancelled',
] as const;
export type OrderFilter = (typeof ORDER_FILTERS)[number];

export const ORDER_SORTS = ['placed', 'number', 'ship_by'] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

export const PAGE_SIZE = 25;

/** The store-zone dates every flag is measured against. */
type Today = { today: string; horizon: string; timeZone: string };

async function todayOf(db: Queryable, now: Date): Promise<Today> {
  const settings = await loadStoreSettings(db);
  const today = toCalendarDate(now, settings.timeZone);
  return { today, horizon: addDays(today, settings.atRiskDays), timeZone: settings.timeZone };
}

const OPEN = openStatus();

/**
 * The order ids of one filter, as a set-based subquery. Line predicates match the partial indexes on open lines
 * (`check_by`, `sku`); refund predicates the `(status, due_on)` index.
 */
function filterSubquery(filter: Exclude<OrderFilter, 'all'>, d: Pick<Today, 'today' | 'horizon'>): SQL {
  switch (filter) {
    case 'waiting':
      return sql`select order_id from order_lines where ${OPEN}`;
    case 'at_risk':
      // The sweep's rule (435.2(b)(1)): the ship-by date is near (or already passed) and no notice asks the customer yet.
      // `check_by` (never after `ship_by`) finds the candidates by index; `ship_by` decides (decision 020).
      return sql`select order_id from order_lines where ${OPEN} and not awaiting_consent and check_by <= ${d.horizon}::date and ship_by <= ${d.horizon}::date`;
    case 'late':
      return sql`select order_id from order_lines where ${OPEN} and applicable_time < ${d.today}::date`;
    case 'awaiting_consent':
      return sql`select order_id from order_lines where ${OPEN} and awaiting_consent`;
    // A failed refund is still owed, by the same date, until it is sent.
    case 'refund_due':
      return sql`select order_id from refunds where status in ('requested', 'failed') and due_on >= ${d.today}::date`;
    case 'refund_overdue':
      return sql`select order_id from refunds where status in ('requested', 'failed') and due_on < ${d.today}::date`;
    case 'cancelled':
      return sql`select order_id from order_lines where status = 'cancelled'`;
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** What a search box entry may mean: an order number (exact or prefix), an e-mail, a phone number or a SKU. */
function searchCondition(q: string): SQL | null {
  const text = q.trim();
  if (!text) return null;
  // Nothing stored holds control characters (and PostgreSQL refuses NUL in text): such a search matches nothing.
  if (/\p{Cc}/u.test(text)) return sql`false`;
  const parts: SQL[] = [];
  const number = normaliseOrderNumber(text);
  if (number) parts.push(sql`o.number like ${`${escapeLike(number)}%`}`);
  const contact = parseContact(text);
  if (contact?.kind === 'email') parts.push(sql`o.customer_id in (select id from customers where email = ${contact.value})`);
  else if (text.includes('@')) {
    parts.push(sql`o.customer_id in (select id from customers where email like ${`${escapeLike(text.toLowerCase())}%`})`);
  }
  if (contact?.kind === 'phone') parts.push(sql`o.customer_id in (select id from customers where phone = ${contact.value})`);
  if (!text.includes('@') && text.length <= 64) {
    parts.push(sql`o.id in (select order_id from order_lines where sku in (${text}, ${text.toUpperCase()}))`);
  }
  return parts.length === 0 ? sql`false` : sql`(${sql.join(parts, sql` or `)})`;
}

export type OrderFlags = {
  atRisk: boolean;
  late: boolean;
  awaitingConsent: boolean;
  refundDue: boolean;
  refundOverdue: boolean;
  cancelled: boolean;
};

type FlagLine = { status: LineStatus; applicableTime: string; shipBy: string | null; awaitingConsent: boolean };

/** The flags of one line, by the same rules as the filters. */
export function lineFlags(l: FlagLine, d: Pick<Today, 'today' | 'horizon'>): { atRisk: boolean; late: boolean; awaitingConsent: boolean } {
  const open = isOpen(l.status);
  return {
    atRisk: open && !l.awaitingConsent && l.shipBy !== null && l.shipBy <= d.horizon,
    late: open && l.applicableTime < d.today,
    awaitingConsent: open && l.awaitingConsent,
  };
}

function orderFlags(lines: FlagLine[], owed: Array<{ status: string; dueOn: string }>, d: Pick<Today, 'today' | 'horizon'>): OrderFlags {
  const per = lines.map((l) => lineFlags(l, d));
  const requested = owed.filter((r) => r.status !== 'sent');
  return {
    atRisk: per.some((f) => f.atRisk),
    late: per.some((f) => f.late),
    awaitingConsent: per.some((f) => f.awaitingConsent),
    refundDue: requested.some((r) => r.dueOn >= d.today),
    refundOverdue: requested.some((r) => r.dueOn < d.today),
    cancelled: lines.some((l) => l.status === 'cancelled'),
  };
}

export type OrderListInput = { filter: OrderFilter; q: string; sort: OrderSort; page: number; pageSize?: number };

export type OrderListRow = {
  number: string;
  placedAt: Date;
  currency: string;
  customer: { name: string; email: string; phone: string | null };
  lines: Array<{ lineNo: number; name: string; sku: string; quantity: number; status: LineStatus }>;
  /** Line count per status, e.g. { waiting: 1, shipped: 1 }. */
  statusCounts: Partial<Record<LineStatus, number>>;
  /** The soonest ship-by date among open lines. */
  nextShipBy: string | null;
  flags: OrderFlags;
};

export type OrderList = {
  rows: OrderListRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  today: string;
  /** The store's zone, in which placed times are shown. */
  timeZone: string;
};

/** One page of orders matching a filter and a search, in the chosen order. */
export async function listOrders(db: Db, input: OrderListInput, now: Date = new Date()): Promise<OrderList> {
  const d = await todayOf(db, now);
  const pageSize = Math.max(1, Math.min(100, Math.trunc(input.pageSize ?? PAGE_SIZE)));
  const conditions: SQL[] = [];
  if (input.filter !== 'all') conditions.push(sql`o.id in (${filterSubquery(input.filter, d)})`);
  const search = searchCondition(input.q);
  if (search) conditions.push(search);
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;

  const [counted] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from orders o ${where}`));
  const total = Number(counted?.n ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.max(1, Math.min(pageCount, Math.trunc(input.page) || 1));

  const nextJoin =
    input.sort === 'ship_by'
      ? sql`left join (select order_id, min(ship_by) as next_ship_by from order_lines where ${OPEN} group by order_id) n on n.order_id = o.id`
      : sql``;
  const orderBy =
    input.sort === 'number'
      ? sql`length(o.number), o.number`
      : input.sort === 'ship_by'
        ? sql`n.next_ship_by asc nulls last, o.placed_at desc, o.id desc`
        : sql`o.placed_at desc, o.id desc`;
  const ids = rowsOf<{ id: number }>(
    await db.execute(
      sql`select o.id from orders o ${nextJoin} ${where} order by ${orderBy} limit ${pageSize} offset ${(page - 1) * pageSize}`,
    ),
  ).map((r) => Number(r.id));
  if (ids.length === 0) return { rows: [], total, page, pageSize, pageCount, today: d.today, timeZone: d.timeZone };

  const found = await db.query.orders.findMany({
    where: inArray(orders.id, ids),
    columns: { id: true, number: true, placedAt: true, currency: true },
    with: {
      customer: { columns: { name: true, email: true, phone: true } },
      lines: {
        columns: {
          lineNo: true,
          name: true,
          sku: true,
          quantity: true,
          status: true,
          applicableTime: true,
          shipBy: true,
          awaitingConsent: true,
        },
        orderBy: (l, { asc }) => [asc(l.lineNo)],
      },
      refunds: { columns: { status: true, dueOn: true }, where: inArray(refunds.status, ['requested', 'failed']) },
    },
  });
  const byId = new Map(found.map((o) => [o.id, o]));
  const rows = ids.flatMap((id): OrderListRow[] => {
    const o = byId.get(id);
    if (!o) return [];
    const statusCounts: Partial<Record<LineStatus, number>> = {};
    for (const l of o.lines) statusCounts[l.status] = (statusCounts[l.status] ?? 0) + 1;
    const open = o.lines
      .filter((l) => isOpen(l.status) && l.shipBy !== null)
      .map((l) => l.shipBy as string)
      .sort();
    return [
      {
        number: o.number,
        placedAt: o.placedAt,
        currency: o.currency,
        customer: o.customer,
        lines: o.lines.map((l) => ({ lineNo: l.lineNo, name: l.name, sku: l.sku, quantity: l.quantity, status: l.status })),
        statusCounts,
        nextShipBy: open[0] ?? null,
        flags: orderFlags(o.lines, o.refunds, d),
      },
    ];
  });
  return { rows, total, page, pageSize, pageCount, today: d.today, timeZone: d.timeZone };
}

export type FilterCounts = Record<OrderFilter, number>;

/** How many orders each filter holds, in one statement. */
export async function countByFilter(db: Db, now: Date = new Date()): Promise<FilterCounts> {
  const d = await todayOf(db, now);
  const count = (f: Exclude<OrderFilter, 'all'>) => sql`(select count(distinct order_id)::int from (${filterSubquery(f, d)}) s)`;
  const [row] = rowsOf<Record<OrderFilter, number>>(
    await db.execute(sql`
      select (select count(*)::int from orders) as "all",
             ${count('waiting')} as "waiting",
             ${count('at_risk')} as "at_risk",
             ${count('late')} as "late",
             ${count('awaiting_consent')} as "awaiting_consent",
             ${count('refund_due')} as "refund_due",
             ${count('refund_overdue')} as "refund_overdue",
             ${count('cancelled')} as "cancelled"`),
  );
  const out = {} as FilterCounts;
  for (const f of ORDER_FILTERS) out[f] = Number(row?.[f] ?? 0);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// One order, everything staff need

export type AdminLine = {
  id: number;
  lineNo: number;
  sku: string;
  name: string;
  kind: LineKind;
  status: LineStatus;
  quantity: number;
  unitPrice: number;
  amountPaid: number;
  amountRefunded: number;
  isDeposit: boolean;
  /** The ship-by date stated at checkout, if one was. */
  promisedBy: string | null;
  /** The applicable time T (435.2(a)(1)). */
  applicableTime: string;
  /** The date the line may ship by under the rule now; null after consent to an indefinite delay or when closed. */
  shipBy: string | null;
  etaFrom: string | null;
  etaTo: string | null;
  trackingUrl: string | null;
  awaitingConsent: boolean;
  open: boolean;
  atRisk: boolean;
  late: boolean;
  /** Statuses staff may move it to here (cancelling has its own confirmation step). */
  nextStatuses: LineStatus[];
  /** The latest delay option notice and whether the customer consented to it. */
  latestNotice: (DelayNotice & { index: number; consented: boolean }) | null;
};

export type AdminEvent = {
  id: number;
  at: Date;
  type: string;
  lineNo: number | null;
  actor: string;
  ruleSection: string | null;
  data: Record<string, unknown>;
};

export type AdminNotification = {
  id: number;
  channel: 'email' | 'sms';
  recipient: string;
  template: string;
  required: boolean;
  status: NotificationStatus;
  subject: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  history: DeliveryStep[];
};

export type AdminRefund = {
  id: number;
  lineNo: number | null;
  amount: number;
  currency: string;
  status: 'requested' | 'sent' | 'failed';
  reason: string;
  ruleSection: string | null;
  vestedOn: string;
  dueOn: string;
  reference: string | null;
  sentOn: string | null;
  failureReason: string | null;
  overdue: boolean;
  /** Where it stands: requested and due by, sent with its reference, or failed with the reason. */
  standing: RefundStanding;
  /** The lines it refunds (one line, or those of its breakdown). */
  lineNos: number[];
};

export type AdminOrder = {
  id: number;
  number: string;
  placedAt: Date;
  completedAt: Date;
  currency: string;
  paymentState: string;
  shippingPaid: number;
  shippingRefunded: number;
  store: { timeZone: string; atRiskDays: number };
  today: string;
  customer: {
    name: string;
    email: string;
    phone: string | null;
    locale: string;
    timeZone: string;
    smsConsent: boolean;
    smsOptedOut: boolean;
    updatesOptedOut: boolean;
  };
  lines: AdminLine[];
  /** Every event, staff-only ones included, newest first. */
  events: AdminEvent[];
  /** Every message, newest first, with its delivery history. */
  notifications: AdminNotification[];
  refunds: AdminRefund[];
  flags: OrderFlags;
};

function latestNoticeOf(c: LineCompliance): AdminLine['latestNotice'] {
  const index = c.notices.length - 1;
  const n = c.notices[index];
  if (!n) return null;
  return { ...n, index, consented: c.answers.some((a) => a.kind === 'consent' && a.noticeIndex === index) };
}

function actorLabel(type: string, id: string | null, staffNames: Map<string, string>): string {
  if (type === 'staff') return id && staffNames.has(id) ? `${staffNames.get(id)} (staff)` : `staff${id ? ` ${id}` : ''}`;
  if (type === 'api') return `API${id ? ` (${id})` : ''}`;
  if (type === 'system') return id ? `system (${id})` : 'system';
  return 'customer';
}

/** The order with its customer, lines, full event log, messages and refunds; null when there is no such order. */
export async function loadAdminOrder(db: Db, number: string, now: Date = new Date()): Promise<AdminOrder | null> {
  const settings = await loadStoreSettings(db);
  const today = toCalendarDate(now, settings.timeZone);
  const d = { today, horizon: addDays(today, settings.atRiskDays) };
  const order = await db.query.orders.findFirst({
    where: eq(orders.number, normaliseOrderNumber(number)),
    with: {
      customer: true,
      lines: { orderBy: (l, { asc }) => [asc(l.lineNo)] },
      events: { orderBy: (e, { desc }) => [desc(e.occurredAt), desc(e.id)] },
      notifications: { orderBy: (n, { desc }) => [desc(n.id)] },
      refunds: { orderBy: (r, { asc }) => [asc(r.id)] },
    },
  });
  if (!order) return null;
  const staffIds = [
    ...new Set(order.events.filter((e) => e.actorType === 'staff' && /^\d{1,9}$/.test(e.actorId ?? '')).map((e) => Number(e.actorId))),
  ];
  const staff = staffIds.length
    ? await db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(inArray(staffUsers.id, staffIds))
    : [];
  const staffNames = new Map(staff.map((s) => [String(s.id), s.name]));
  const lineNoById = new Map(order.lines.map((l) => [l.id, l.lineNo]));
  const lines = order.lines.map((l): AdminLine => {
    const f = lineFlags(l, d);
    return {
      id: l.id,
      lineNo: l.lineNo,
      sku: l.sku,
      name: l.name,
      kind: l.kind,
      status: l.status,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amountPaid: l.amountPaid,
      amountRefunded: l.amountRefunded,
      isDeposit: l.isDeposit,
      promisedBy: l.promisedBy,
      applicableTime: l.applicableTime,
      shipBy: l.shipBy,
      etaFrom: l.etaFrom,
      etaTo: l.etaTo,
      trackingUrl: l.trackingUrl,
      awaitingConsent: l.awaitingConsent,
      open: isOpen(l.status),
      atRisk: f.atRisk,
      late: f.late,
      nextStatuses: allowedNext(l.status).filter((s) => s !== 'cancelled'),
      latestNotice: latestNoticeOf(l.compliance),
    };
  });
  return {
    id: order.id,
    number: order.number,
    placedAt: order.placedAt,
    completedAt: order.completedAt,
    currency: order.currency,
    paymentState: order.paymentState,
    shippingPaid: order.shippingPaid,
    shippingRefunded: order.shippingRefunded,
    store: { timeZone: settings.timeZone, atRiskDays: settings.atRiskDays },
    today,
    customer: {
      name: order.customer.name,
      email: order.customer.email,
      phone: order.customer.phone,
      locale: order.customer.locale,
      timeZone: order.customer.timeZone,
      smsConsent: order.customer.smsConsentAt !== null && order.customer.smsOptedOutAt === null,
      smsOptedOut: order.customer.smsOptedOutAt !== null,
      updatesOptedOut: order.customer.updatesOptedOutAt !== null,
    },
    lines,
    events: order.events.map((e) => ({
      id: e.id,
      at: e.occurredAt,
      type: e.type,
      lineNo: e.lineId === null ? null : (lineNoById.get(e.lineId) ?? null),
      actor: actorLabel(e.actorType, e.actorId, staffNames),
      ruleSection: e.ruleSection,
      data: e.data,
    })),
    notifications: order.notifications.map((n) => ({
      id: n.id,
      channel: n.channel,
      recipient: n.recipient,
      template: n.template,
      required: n.required,
      status: n.status,
      subject: n.rendered?.subject ?? null,
      attempts: n.attempts,
      lastError: n.lastError,
      createdAt: n.createdAt,
      history: n.history,
    })),
    refunds: order.refunds.map((r) => ({
      id: r.id,
      lineNo: r.lineId === null ? null : (lineNoById.get(r.lineId) ?? null),
      amount: r.amount,
      currency: r.currency,
      status: r.status,
      reason: r.reason,
      ruleSection: r.ruleSection,
      vestedOn: r.vestedOn,
      dueOn: r.dueOn,
      reference: r.reference,
      sentOn: r.sentOn,
      failureReason: r.failureReason,
      overdue: r.status !== 'sent' && r.dueOn < today,
      standing: refundStanding(r, today),
      lineNos: (r.lineId !== null ? [r.lineId] : (r.breakdown?.lines.map((b) => b.id) ?? []))
        .map((id) => lineNoById.get(id))
        .filter((n) => n !== undefined),
    })),
    flags: orderFlags(order.lines, order.refunds, d),
  };
}

/**
 * Marks a refund of this order sent: the refund must belong to the order (so a form can never touch another order's);
 * `markRefundSent` checks the date.
 */
export async function markOrderRefundSent(
  db: Db,
  input: { orderNumber: string; refundId: number; reference: string; sentOn: string; actor: Actor },
  now: Date = new Date(),
): Promise<RefundSentResult> {
  const [owned] = await db
    .select({ id: refunds.id })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(sql`${refunds.id} = ${input.refundId} and ${orders.number} = ${normaliseOrderNumber(input.orderNumber)}`);
  if (!owned) return { ok: false, reason: 'not_found' };
  return markRefundSent(db, { refundId: owned.id, reference: input.reference, sentOn: input.sentOn, actor: input.actor }, now);
}
