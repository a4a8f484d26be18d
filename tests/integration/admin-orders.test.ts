// The console's order list and detail read models against the demo store: filters, counts, search, sorting, pages.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { events, orderLines, orders, refunds } from '#db/schema/index.ts';
import { type DemoLogin, seedDemo } from '#db/seed.ts';
import { runCommand } from '#src/cli/commands.ts';
import { runSweep } from '#src/compliance/sweep.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { orderEventSchema } from '#src/domain/events.ts';
import { moveSkuEta } from '#src/eta/move-sku-eta.ts';
import { loadAdminOrder } from '#src/orders/admin-order.ts';
import { countByFilter, listOrders, type OrderFilter } from '#src/orders/order-list.ts';
import { loadOrderView } from '#src/orders/order-view.ts';
import { previewStaffCancel, staffCancel } from '#src/orders/staff-cancel.ts';
import { markOrderRefundSent } from '#src/refunds/mark-order-refund-sent.ts';
import { markRefundFailed } from '#src/refunds/mark-refund-sent.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-23T16:00:00Z');
const today = toCalendarDate(now, 'America/New_York');
const staff = { type: 'staff' as const, id: 'test' };
let database: Database;
let logins: DemoLogin[];

const numbersOf = async (filter: OrderFilter, q = '', page = 1) =>
  (await listOrders(database.db, { filter, q, sort: 'number', page }, now)).rows.map((r) => r.number);
const byScenario = (scenario: DemoLogin['scenario']) =>
  logins
    .filter((l) => l.scenario === scenario)
    .map((l) => l.number)
    .sort();

beforeAll(async () => {
  database = await freshDatabase();
  logins = await seedDemo(database.db, now);
});
afterAll(() => database.close());

describe('filters and counts on the demo store', () => {
  it('counts every filter in one go, matching the demo scenarios', async () => {
    const counts = await countByFilter(database.db, now);
    // The at-risk lines worked out here independently: open, no express consent pending, ship-by within 5 days.
    const lines = await database.db.select().from(orderLines);
    const atRisk = new Set(
      lines
        .filter((l) => ['waiting', 'ready'].includes(l.status) && !l.awaitingConsent && l.shipBy !== null && l.shipBy <= addDays(today, 5))
        .map((l) => l.orderId),
    );
    expect(atRisk.size).toBeGreaterThan(0);
    expect(counts).toEqual({
      all: 49,
      waiting: 28,
      at_risk: atRisk.size,
      late: 7,
      awaiting_consent: 0,
      refund_due: 0,
      refund_overdue: 0,
      cancelled: 7,
    });
  });

  it('lists the orders of each filter, with flags that say why', async () => {
    expect(await numbersOf('late')).toEqual(byScenario('late'));
    expect(await numbersOf('cancelled')).toEqual(byScenario('cancelled_refunded'));
    const waiting = await numbersOf('waiting', '', 1);
    expect(waiting).toHaveLength(25);
    expect([...waiting, ...(await numbersOf('waiting', '', 2))].sort()).toEqual(
      [...byScenario('on_time'), ...byScenario('delayed'), ...byScenario('late'), ...byScenario('ready')].sort(),
    );
    const risky = await listOrders(database.db, { filter: 'at_risk', q: '', sort: 'ship_by', page: 1 }, now);
    expect(risky.rows.every((r) => r.flags.atRisk && r.nextShipBy !== null && r.nextShipBy <= addDays(today, 5))).toBe(true);
    const late = await listOrders(database.db, { filter: 'late', q: '', sort: 'placed', page: 1 }, now);
    expect(late.rows.every((r) => r.flags.late && r.statusCounts.waiting === 1)).toBe(true);
  });

  it('an order awaiting express consent leaves "at risk" and shows under "awaiting consent"', async () => {
    // AUR-LAMP moves 45 days past every promised date: each open lamp line needs express consent (435.2(b)(1)(iii)).
    const lamps = await database.db
      .select()
      .from(orderLines)
      .where(sql`${orderLines.sku} = 'AUR-LAMP' and ${orderLines.status} in ('waiting', 'ready')`);
    const latest = lamps.map((l) => l.applicableTime).sort()[lamps.length - 1] as string;
    const moved = await moveSkuEta(
      database.db,
      { sku: 'AUR-LAMP', from: addDays(latest, 40), to: addDays(latest, 45), reason: 'Glass shades failed inspection', actor: staff },
      { now },
    );
    expect(moved).toMatchObject({ ok: true, linesMoved: lamps.length });
    const counts = await countByFilter(database.db, now);
    expect(counts.awaiting_consent).toBe(new Set(lamps.map((l) => l.orderId)).size);
    const list = await listOrders(database.db, { filter: 'awaiting_consent', q: '', sort: 'placed', page: 1 }, now);
    expect(list.rows.every((r) => r.flags.awaitingConsent && !r.flags.atRisk)).toBe(true);
  });

  it('refunds owed show as due, or overdue once their 7 working days have passed', async () => {
    const [delayedA, delayedB] = byScenario('delayed') as [string, string];
    const preview = await previewStaffCancel(database.db, { orderNumber: delayedA, lineNo: 1 }, now);
    const cancelled = await staffCancel(
      database.db,
      { orderNumber: delayedA, lineNo: 1, reason: 'Supplier discontinued it', actor: staff },
      now,
    );
    expect(cancelled.ok).toBe(true);
    expect(preview).toMatchObject({ ok: true, refundAmount: cancelled.ok ? cancelled.refundAmount : -1 });
    expect(await previewStaffCancel(database.db, { orderNumber: delayedA, lineNo: 1 }, now)).toEqual({
      ok: false,
      reason: 'nothing_to_cancel',
    });
    // A cancellation three weeks ago whose refund was never sent.
    const earlier = new Date(now.getTime() - 21 * 86_400_000);
    expect(
      (await staffCancel(database.db, { orderNumber: delayedB, lineNo: null, reason: 'Out of stock', actor: staff }, earlier)).ok,
    ).toBe(true);

    const counts = await countByFilter(database.db, now);
    expect(counts).toMatchObject({ refund_due: 1, refund_overdue: 1, cancelled: 9 });
    expect(await numbersOf('refund_due')).toEqual([delayedA]);
    expect(await numbersOf('refund_overdue')).toEqual([delayedB]);
    const [row] = (await listOrders(database.db, { filter: 'refund_overdue', q: '', sort: 'placed', page: 1 }, now)).rows;
    expect(row?.flags).toMatchObject({ refundOverdue: true, refundDue: false, cancelled: true });
  });
});

describe('search', () => {
  it('finds an order by its number, exactly or by prefix, with or without "#"', async () => {
    expect(await numbersOf('all', '1003')).toEqual(['1003']);
    expect(await numbersOf('all', ' #1003 ')).toEqual(['1003']);
    expect(await numbersOf('all', '100')).toEqual(['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1009']);
    expect(await numbersOf('all', '9999')).toEqual([]);
  });

  it('finds an order by the customer e-mail in any case, or by its start', async () => {
    expect(await numbersOf('all', 'Priya.Patel@Example.com')).toEqual(['1003']);
    expect(await numbersOf('all', 'priya.patel@')).toEqual(['1003']);
    expect(await numbersOf('all', 'nobody@example.com')).toEqual([]);
  });

  it('finds an order by phone number however it is typed', async () => {
    const login = logins.find((l) => l.number === '1003');
    expect(login?.phone).toBe('+15552000002');
    expect(await numbersOf('all', '(555) 200-0002')).toEqual(['1003']);
    expect(await numbersOf('all', '+1 555 200 0002')).toEqual(['1003']);
  });

  it('finds every order with a SKU, in any case', async () => {
    const kettles = await database.db
      .select({ number: orders.number })
      .from(orders)
      .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
      .where(eq(orderLines.sku, 'KES-KETTLE'));
    expect(await numbersOf('all', 'kes-kettle')).toEqual(kettles.map((k) => k.number).sort());
    expect(await numbersOf('all', 'KES-KETTLE')).toHaveLength(kettles.length);
  });

  it('combines a search with a filter, and treats wildcards literally', async () => {
    expect(await numbersOf('late', 'priya.patel@example.com')).toEqual(['1003']);
    expect(await numbersOf('cancelled', 'priya.patel@example.com')).toEqual([]);
    expect(await numbersOf('all', '%')).toEqual([]);
    expect(await numbersOf('all', '10_1')).toEqual([]);
    expect(await numbersOf('all', '1003\u0000')).toEqual([]);
  });
});

describe('sorting and pages', () => {
  it('pages 25 at a time, and a page past the end shows the last one', async () => {
    const first = await listOrders(database.db, { filter: 'all', q: '', sort: 'placed', page: 1 }, now);
    expect(first).toMatchObject({ total: 49, page: 1, pageSize: 25, pageCount: 2 });
    expect(first.rows).toHaveLength(25);
    const second = await listOrders(database.db, { filter: 'all', q: '', sort: 'placed', page: 2 }, now);
    expect(second.rows).toHaveLength(24);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.number)).size).toBe(49);
    expect((await listOrders(database.db, { filter: 'all', q: '', sort: 'placed', page: 99 }, now)).page).toBe(2);
    expect((await listOrders(database.db, { filter: 'all', q: '', sort: 'placed', page: 1, pageSize: 10 }, now)).pageCount).toBe(5);
  });

  it('sorts newest first by default, by number, or by the soonest ship-by date', async () => {
    const placed = (await listOrders(database.db, { filter: 'all', q: '', sort: 'placed', page: 1 }, now)).rows.map((r) =>
      r.placedAt.getTime(),
    );
    expect(placed).toEqual([...placed].sort((a, b) => b - a));
    expect((await numbersOf('all')).slice(0, 3)).toEqual(['1001', '1002', '1003']);
    const all = [
      ...(await listOrders(database.db, { filter: 'all', q: '', sort: 'ship_by', page: 1 }, now)).rows,
      ...(await listOrders(database.db, { filter: 'all', q: '', sort: 'ship_by', page: 2 }, now)).rows,
    ].map((r) => r.nextShipBy);
    const dated = all.filter((d): d is string => d !== null);
    expect(dated).toEqual([...dated].sort());
    // Orders with nothing left to ship come last.
    expect(all.slice(dated.length).every((d) => d === null)).toBe(true);
  });
});

describe('one order in full', () => {
  it('has the customer, lines with T and flags, every event newest first, messages with history, and refunds', async () => {
    await runSweep(database.db, now);
    const late = byScenario('late');
    const risky = (await listOrders(database.db, { filter: 'at_risk', q: '', sort: 'ship_by', page: 1 }, now)).rows[0];
    expect(risky).toBeDefined();
    const order = await loadAdminOrder(database.db, risky?.number as string, now);
    expect(order?.customer.email).toBe(risky?.customer.email);
    const [line] = order?.lines ?? [];
    expect(line).toMatchObject({ lineNo: 1, open: true, atRisk: true, nextStatuses: expect.arrayContaining(['shipped']) });
    expect(line?.nextStatuses).not.toContain('cancelled');
    expect(late.includes(order?.number as string) ? line?.late : true).toBe(true);
    expect(line?.latestNotice).toMatchObject({ kind: 'first', silenceMeans: 'consent', index: 0 });
    // Staff-only events (the sweep's at-risk flag) are in the timeline, newest first.
    expect(order?.events[0]?.type).toBe('at_risk');
    const times = order?.events.map((e) => e.at.getTime()) ?? [];
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(order?.events.at(-1)).toMatchObject({ type: 'order_created', actor: 'API (shop)' });

    const [overdue] = await numbersOf('refund_overdue');
    const withRefund = await loadAdminOrder(database.db, overdue as string, now);
    expect(withRefund?.refunds).toEqual([expect.objectContaining({ status: 'requested', overdue: true, lineNo: 1 })]);
    expect(withRefund?.notifications.length).toBeGreaterThan(0);
    expect(withRefund?.notifications[0]?.history[0]).toMatchObject({ status: 'queued' });
    expect(withRefund?.events.some((e) => e.type === 'refund_overdue')).toBe(true);
    expect(await loadAdminOrder(database.db, '424242', now)).toBeNull();
  });

  it('marks a refund of this order sent, and refuses another order’s refund, a future date or a second time', async () => {
    const [overdue] = await numbersOf('refund_overdue');
    const [refund] = await database.db
      .select({ id: refunds.id })
      .from(refunds)
      .innerJoin(orders, eq(orders.id, refunds.orderId))
      .where(eq(orders.number, overdue as string));
    const input = { orderNumber: overdue as string, refundId: refund?.id as number, reference: 'RF-9', sentOn: today, actor: staff };
    expect(await markOrderRefundSent(database.db, { ...input, orderNumber: '1001' }, now)).toEqual({ ok: false, reason: 'not_found' });
    expect(await markOrderRefundSent(database.db, { ...input, sentOn: addDays(today, 1) }, now)).toEqual({
      ok: false,
      reason: 'date_in_future',
    });
    expect(await markOrderRefundSent(database.db, { ...input, sentOn: '2026-02-30' }, now)).toEqual({ ok: false, reason: 'invalid_date' });
    expect(await markOrderRefundSent(database.db, { ...input, reference: '  ' }, now)).toEqual({ ok: false, reason: 'reference_required' });
    expect(await markOrderRefundSent(database.db, input, now)).toMatchObject({ ok: true });
    expect(await markOrderRefundSent(database.db, input, now)).toEqual({ ok: false, reason: 'already_sent' });
    expect((await countByFilter(database.db, now)).refund_overdue).toBe(0);
  });
});

describe('where a refund stands after a staff cancel (decision 026)', () => {
  it('requested and due by its date, not "refunded"; then failed with the reason, still owed; then sent with its reference', async () => {
    const [number] = byScenario('on_time') as [string];
    const cancelled = await staffCancel(
      database.db,
      { orderNumber: number, lineNo: null, reason: 'We cannot supply it', actor: staff },
      now,
    );
    if (!cancelled.ok || cancelled.refundId === null) throw new Error('expected a refund');
    const owed = { amount: cancelled.refundAmount, currency: 'USD', dueOn: cancelled.refundDueOn };

    // The money has not moved: the payment is still "paid", and the refund says it is requested, due by its date.
    let order = await loadAdminOrder(database.db, number, now);
    expect(order?.paymentState).toBe('paid');
    expect(order?.refunds.map((r) => r.standing)).toEqual([{ state: 'requested', ...owed, overdue: false }]);
    const [row] = await database.db.select({ id: orders.id }).from(orders).where(eq(orders.number, number));
    let view = await loadOrderView(database.db, row?.id as number, now);
    expect(view?.payment).toMatchObject({ refunded: 0, refunds: [{ state: 'requested', ...owed, overdue: false }] });

    // The platform could not make it: still owed by the same date, with the reason.
    const refundId = cancelled.refundId;
    expect(await markRefundFailed(database.db, { refundId, reason: 'card expired', actor: staff }, now)).toEqual({ ok: true });
    order = await loadAdminOrder(database.db, number, now);
    expect(order?.paymentState).toBe('paid');
    expect(order?.refunds.map((r) => r.standing)).toEqual([{ state: 'failed', ...owed, overdue: false, reason: 'card expired' }]);
    expect(order?.flags.refundDue).toBe(true);
    expect(await numbersOf('refund_due')).toContain(number);
    // Past its due date, a failed refund is overdue like any other unsent one.
    const later = new Date(`${addDays(owed.dueOn, 1)}T16:00:00Z`);
    expect((await listOrders(database.db, { filter: 'refund_overdue', q: number, sort: 'number', page: 1 }, later)).rows).toHaveLength(1);

    // Made by hand and recorded: sent, with its reference; now the payment is refunded.
    const sent = await markOrderRefundSent(
      database.db,
      { orderNumber: number, refundId, reference: 'RF-77', sentOn: today, actor: staff },
      now,
    );
    expect(sent).toMatchObject({ ok: true });
    order = await loadAdminOrder(database.db, number, now);
    expect(order?.paymentState).toBe('refunded');
    expect(order?.refunds.map((r) => r.standing)).toEqual([
      { state: 'sent', amount: owed.amount, currency: 'USD', sentOn: today, reference: 'RF-77' },
    ]);
    view = await loadOrderView(database.db, row?.id as number, now);
    expect(view?.payment.refunded).toBe(owed.amount);
  });

  it("the CLI says the same: a cancellation's refund is requested, due by its date, with the id to record it sent", async () => {
    const [, number] = byScenario('on_time') as [string, string];
    const out = await runCommand(database.db, ['cancel', '--order', number, '--reason', 'We cannot supply it']);
    expect(out.code).toBe(0);
    expect(out.output).toMatch(
      new RegExp(
        `^Order ${number}: 1 line cancelled; refund \\d+ of \\$[\\d,.]+ requested, due by [A-Z][a-z]{2} \\d{1,2}, \\d{4} \\(record it with refund:sent once made\\);`,
      ),
    );
    expect(out.output).not.toMatch(/refunded/);
  });
});

describe('the event log after all of the above', () => {
  it('holds only events of the union, each with the data its type has, whichever writer wrote it (the sweep’s SQL too)', async () => {
    const stored = await database.db.select({ type: events.type, data: events.data }).from(events);
    const refused = stored.filter((e) => !orderEventSchema.safeParse(e).success);
    expect(refused).toEqual([]);
    expect([...new Set(stored.map((e) => e.type))]).toEqual(
      expect.arrayContaining([
        'order_created',
        'status_changed',
        'delay_notice_sent',
        'cancel_requested',
        'cancelled',
        'refund_requested',
        'refund_sent',
        'refund_failed',
        'at_risk',
        'refund_overdue',
      ]),
    );
  });
});
