// Query: the console's order list, filtered, searched, sorted and paged, with the count of every filter.
import { inArray, type SQL, sql } from 'drizzle-orm';
import type { Db, Queryable } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { openStatus } from '#db/line-status-sql.ts';
import { orders, refunds } from '#db/schema/index.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { normaliseOrderNumber, parseContact } from '#src/domain/contact.ts';
import { isOpen, type LineStatus } from '#src/domain/line-status.ts';
import { loadStoreSettings } from '../store/store-settings.ts';
import { type FlagDates, type OrderFlags, orderFlags } from './order-flags.ts';

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

/** The store-zone dates every flag is measured against, and the zone. */
type Today = FlagDates & { timeZone: string };

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
function filterSubquery(filter: Exclude<OrderFilter, 'all'>, d: FlagDates): SQL {
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
