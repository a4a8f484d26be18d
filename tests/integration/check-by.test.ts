// The sweep and the console find lines by `check_by`, a date never after `ship_by` that a delay leaves behind and
// the sweep raises (decision 020). These tests pin that the lower bound holds and that nothing is found, missed or
// cancelled on a stale one.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rowsOf } from '#db/client.ts';
import { STORE_TIME_ZONE } from '#db/factories.ts';
import { events, orderLines } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { runSweep } from '#src/compliance/sweep.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { moveSkuEta } from '#src/eta/move-sku-eta.ts';
import { listOrders } from '#src/orders/order-list.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-23T16:00:00Z');
const today = toCalendarDate(now, STORE_TIME_ZONE);
const SKU = 'CHECK-BY';
/** T of the SKU's lines: inside the console's five-day at-risk horizon. */
const T = addDays(today, 3);
const staff = { type: 'staff' as const, id: 'test' };
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, now);
  const { db } = database;
  await db.execute(sql`insert into products (sku, name, kind) values (${SKU}, ${SKU}, 'preorder')`);
  // One waiting line on each of four demo orders, shipping by T, expected a day before it; `check_by` left unset.
  await db.execute(sql`
    insert into order_lines (order_id, line_no, product_id, sku, name, kind, status, quantity, unit_price, amount_paid,
                             promised_by, applicable_time, eta_from, eta_to, compliance, ship_by, awaiting_consent, version)
    select o.id, 9, p.id, ${SKU}, ${SKU}, 'preorder', 'waiting', 1, 2500, 2500, ${T}::date, ${T}::date,
           ${addDays(today, 1)}::date, ${addDays(today, 2)}::date, '{"notices":[],"answers":[]}'::jsonb, ${T}::date, false, 1
    from (select id from orders order by id limit 4) o cross join products p
    where p.sku = ${SKU}`);
});
afterAll(() => database.close());

const skuLines = () => database.db.select().from(orderLines).where(eq(orderLines.sku, SKU)).orderBy(orderLines.id);

/** The at-risk rule worked out from the lines themselves, as the sweep's SQL states it: open, no consent pending, ship-by near. */
async function atRiskOrderNumbers(horizon: string): Promise<string[]> {
  const rows = rowsOf<{ number: string }>(
    await database.db.execute(sql`
    select distinct o.number from order_lines l join orders o on o.id = l.order_id
    where l.status in ('waiting', 'ready') and not l.awaiting_consent and l.ship_by <= ${horizon}::date order by 1`),
  );
  return rows.map((r) => r.number);
}

describe('check_by, the indexed lower bound of ship_by', () => {
  it('is set to ship_by when a line is inserted without it', async () => {
    const lines = await skuLines();
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l.checkBy).toBe(T);
  });

  it('stays where it was when a delay moves ship_by later, so the update changes no indexed column', async () => {
    const moved = await moveSkuEta(
      database.db,
      { sku: SKU, from: addDays(today, 20), to: addDays(today, 24), reason: 'The supplier missed the sailing', actor: staff },
      { now },
    );
    expect(moved).toMatchObject({ ok: true, linesMoved: 4, notices: 4 });
    for (const l of await skuLines()) {
      expect(l.shipBy).toBe(addDays(today, 24));
      expect(l.checkBy).toBe(T);
    }
  });

  it('leaves the console at-risk filter exact while stale: a line delayed past the horizon is not at risk', async () => {
    const horizon = addDays(today, 5);
    const listed = (await listOrders(database.db, { filter: 'at_risk', q: '', sort: 'number', page: 1 }, now)).rows.map((r) => r.number);
    expect(listed.sort()).toEqual(await atRiskOrderNumbers(horizon));
    // The stale candidates are really there: found by check_by, excluded by ship_by.
    const stale = (await skuLines()).filter((l) => l.checkBy !== null && l.checkBy <= horizon && (l.shipBy ?? '') > horizon);
    expect(stale).toHaveLength(4);
  });

  it('refuses a writer that would leave it after ship_by, so none can hide a line from the sweep', async () => {
    const [first] = await skuLines();
    if (!first) throw new Error('no line');
    const earlier = addDays(today, 1);
    /** The SQLSTATE a write of `change` to the line fails with, or 'accepted'. */
    const sqlStateOf = (change: Partial<typeof orderLines.$inferInsert>) =>
      database.db
        .update(orderLines)
        .set(change)
        .where(eq(orderLines.id, first.id))
        .then(
          () => 'accepted',
          (error: { code?: string; cause?: { code?: string } }) => error.cause?.code ?? error.code,
        );
    // 23514: check_violation. Moving ship_by before check_by without it, or check_by after ship_by, or dropping it.
    expect(await sqlStateOf({ shipBy: earlier })).toBe('23514');
    expect(await sqlStateOf({ checkBy: addDays(today, 30) })).toBe('23514');
    expect(await sqlStateOf({ checkBy: null })).toBe('23514');
    const [unchanged] = await database.db.select().from(orderLines).where(eq(orderLines.id, first.id));
    expect(unchanged).toMatchObject({ shipBy: first.shipBy, checkBy: first.checkBy });
    // The way every writer does it.
    await database.db
      .update(orderLines)
      .set({ shipBy: earlier, checkBy: sql`least(${orderLines.checkBy}, ${earlier}::date)` })
      .where(eq(orderLines.id, first.id));
    const [lowered] = await database.db.select().from(orderLines).where(eq(orderLines.id, first.id));
    expect(lowered).toMatchObject({ shipBy: earlier, checkBy: earlier });
    await database.db.update(orderLines).set({ shipBy: first.shipBy, checkBy: first.checkBy }).where(eq(orderLines.id, first.id));
  });

  it('takes ship_by when an insert leaves it out or puts it later', async () => {
    const [first] = await skuLines();
    if (!first) throw new Error('no line');
    const { id: _id, updatedAt: _u, ...copy } = first;
    const [inserted] = await database.db
      .insert(orderLines)
      .values({ ...copy, lineNo: 10, checkBy: addDays(today, 90) })
      .returning();
    expect(inserted?.checkBy).toBe(first.shipBy);
    if (inserted) await database.db.delete(orderLines).where(eq(orderLines.id, inserted.id));
  });

  it('is raised to ship_by by the sweep, which neither cancels nor flags a delayed line on the stale date', async () => {
    // A day after T: by the stale date the lines would have lapsed; by their ship-by date they have 20 days left.
    const later = new Date(now.getTime() + 4 * 86_400_000);
    const report = await runSweep(database.db, later);
    expect(report.cancelled).toBe(0);
    for (const l of await skuLines()) {
      expect(l.status).toBe('waiting');
      expect(l.shipBy).toBe(addDays(today, 24));
      expect(l.checkBy).toBe(l.shipBy);
    }
    const atRisk = await database.db.select().from(events).where(eq(events.type, 'at_risk'));
    const skuLineIds = new Set((await skuLines()).map((l) => l.id));
    expect(atRisk.filter((e) => e.lineId !== null && skuLineIds.has(e.lineId))).toEqual([]);
  });

  it('still lets the sweep flag and then cancel the lines once their real ship-by date comes and goes', async () => {
    const ids = new Set((await skuLines()).map((l) => l.id));
    // Within five days of the revised date: at risk.
    const near = new Date(now.getTime() + 21 * 86_400_000);
    await runSweep(database.db, near);
    const flagged = (await database.db.select().from(events).where(eq(events.type, 'at_risk'))).filter(
      (e) => e.lineId !== null && ids.has(e.lineId),
    );
    expect(flagged).toHaveLength(4);
    // Two days after it, unshipped: the customer's silence consented only up to that date, so they are cancelled.
    const past = new Date(now.getTime() + 26 * 86_400_000);
    const report = await runSweep(database.db, past);
    expect(report.cancelled).toBeGreaterThanOrEqual(4);
    for (const l of await skuLines()) expect(l.status).toBe('cancelled');
  });
});
