import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { customers, events, notifications, orderLines, orders } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { moveLineEta } from '#src/eta/move-line-eta.ts';
import { moveSkuEta } from '#src/eta/move-sku-eta.ts';
import { addCustomerNote } from '#src/orders/add-customer-note.ts';
import { changeLineStatus } from '#src/orders/change-line-status.ts';
import { holdChange, untilWaitingOnALock } from '#tests/support/racing-writer.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-22T15:00:00Z');
const staff = { type: 'staff' as const, id: 'test' };
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, now);
  // One customer has recorded SMS consent for their number; the others have none.
  await database.db.execute(
    sql`update customers set sms_consent_at = ${now.toISOString()}::timestamptz, sms_consent_method = 'checkout checkbox', sms_consent_phone = phone where email = 'maya.chen@example.com'`,
  );
});
afterAll(() => database.close());

const openLinesOf = (sku: string) =>
  database.db
    .select({ id: orderLines.id, etaFrom: orderLines.etaFrom, etaTo: orderLines.etaTo, orderId: orderLines.orderId })
    .from(orderLines)
    .where(and(eq(orderLines.sku, sku), sql`${orderLines.status} in ('waiting', 'ready')`));

describe("moving a SKU's ETA", () => {
  it('moves every open line, writes one event per line and one queued message per customer and channel', async () => {
    // Earlier than every line's promised date: no delay notice is needed, so these are optional updates.
    const lines = await openLinesOf('AUR-LAMP');
    expect(lines.length).toBeGreaterThan(0);
    const result = await moveSkuEta(
      database.db,
      { sku: 'AUR-LAMP', from: '2026-11-27', to: '2026-11-30', reason: 'Factory closed for holidays', actor: staff },
      { now, chunkSize: 3 },
    );
    expect(result).toEqual({
      ok: true,
      linesMoved: lines.length,
      customersTold: new Set(lines.map((l) => l.orderId)).size,
      notices: 0,
      cancelled: 0,
    });
    for (const line of await openLinesOf('AUR-LAMP')) expect([line.etaFrom, line.etaTo]).toEqual(['2026-11-27', '2026-11-30']);
    const moved = await database.db
      .select()
      .from(events)
      .where(and(eq(events.type, 'eta_changed'), eq(events.actorId, 'test')));
    expect(moved).toHaveLength(lines.length);
    expect(moved[0]?.data).toMatchObject({ to: { from: '2026-11-27', to: '2026-11-30' }, reason: 'Factory closed for holidays' });
    const queued = await database.db.select().from(notifications).where(eq(notifications.status, 'queued'));
    const email = queued.filter((n) => n.channel === 'email');
    expect(email).toHaveLength(lines.length);
    // SMS only where consent was recorded.
    const sms = queued.filter((n) => n.channel === 'sms');
    const [maya] = await database.db.select().from(customers).where(eq(customers.email, 'maya.chen@example.com'));
    expect(sms.map((n) => n.recipient)).toEqual([maya?.phone]);
  });

  it('re-running the same move inserts nothing', async () => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(notifications);
    const again = await moveSkuEta(
      database.db,
      { sku: 'AUR-LAMP', from: '2026-11-27', to: '2026-11-30', reason: 'Factory closed for holidays', actor: staff },
      { now },
    );
    expect(again).toEqual({ ok: true, linesMoved: 0, customersTold: 0, notices: 0, cancelled: 0 });
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(notifications);
    expect(after).toEqual(before);
  });

  it('coalesces a second change to the same order into the message still waiting', async () => {
    const [line] = await openLinesOf('AUR-LAMP');
    const [order] = await database.db
      .select({ number: orders.number })
      .from(orders)
      .where(eq(orders.id, line?.orderId as number));
    const note = await addCustomerNote(
      database.db,
      { orderNumber: order?.number as string, text: 'We packed a spare filter for you.', actor: staff },
      now,
    );
    expect(note.ok).toBe(true);
    const rows = await database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.orderId, line?.orderId as number), eq(notifications.channel, 'email')));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload.events).toHaveLength(2);
  });

  it('refuses bad input and changes nothing', async () => {
    const count = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(events))[0]?.n;
    const before = await count();
    expect(await moveSkuEta(database.db, { sku: 'NOPE', from: '2027-01-01', to: null, reason: 'x', actor: staff }, { now })).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect(await moveSkuEta(database.db, { sku: 'KES-KETTLE', from: '2027-02-30', to: null, reason: 'x', actor: staff }, { now })).toEqual({
      ok: false,
      reason: 'invalid_date',
    });
    expect(
      await moveSkuEta(database.db, { sku: 'KES-KETTLE', from: '2027-03-01', to: '2027-02-01', reason: 'x', actor: staff }, { now }),
    ).toEqual({ ok: false, reason: 'from_after_to' });
    expect(await moveSkuEta(database.db, { sku: 'KES-KETTLE', from: '2027-03-01', to: null, reason: '  ', actor: staff }, { now })).toEqual(
      { ok: false, reason: 'reason_required' },
    );
    expect(await count()).toBe(before);
  });
});

describe('a SKU move in two lanes (PostgreSQL runs them at once)', () => {
  it('moves every line once and coalesces each order into one message, even when an order has lines in both lanes', async () => {
    const { db } = database;
    // Twenty orders, each with two lines of one new SKU, inserted in two passes: every order's first line falls in
    // the lower id half and its second in the upper, so both lanes write events and the same message for every order.
    await db.execute(sql`insert into products (sku, name, kind) values ('RACE-LAMP', 'Race lamp', 'preorder') on conflict do nothing`);
    for (const lineNo of [90, 91]) {
      await db.execute(sql`
        insert into order_lines (order_id, line_no, product_id, sku, name, kind, status, quantity, unit_price, amount_paid,
                                 promised_by, applicable_time, eta_from, eta_to, compliance, ship_by, awaiting_consent, version)
        select o.id, ${lineNo}, p.id, 'RACE-LAMP', 'Race lamp', 'preorder', 'waiting', 1, 1000, 1000,
               '2027-03-01', '2027-03-01', '2027-01-10', '2027-01-20', '{"notices":[],"answers":[]}'::jsonb, '2027-03-01', false, 1
        from (select id from orders order by id limit 20) o, products p where p.sku = 'RACE-LAMP'`);
    }
    const result = await moveSkuEta(
      db,
      { sku: 'RACE-LAMP', from: '2027-02-01', to: '2027-02-10', reason: 'Glass arrives later', actor: { type: 'staff', id: 'lanes' } },
      { now, chunkSize: 4, lanes: 2 },
    );
    expect(result).toMatchObject({ ok: true, linesMoved: 40, notices: 0 });
    const moved = await db.select().from(events).where(eq(events.actorId, 'lanes'));
    expect(moved).toHaveLength(40);
    expect(new Set(moved.map((e) => e.lineId)).size).toBe(40);
    const movedIds = new Set(moved.map((e) => e.id));
    const emails = (await db.select().from(notifications).where(eq(notifications.channel, 'email'))).filter((n) =>
      n.payload.events.some((id) => movedIds.has(Number(id))),
    );
    // One message per order, carrying both of its lines' events.
    expect(emails).toHaveLength(20);
    expect(new Set(emails.map((n) => n.orderId)).size).toBe(20);
    for (const n of emails) expect(n.payload.events.filter((id) => movedIds.has(Number(id)))).toHaveLength(2);
  });
});

describe('a SKU move racing another change (PostgreSQL, where writers run concurrently)', () => {
  it.runIf(process.env.DATABASE_URL)(
    'does not move a line that shipped while the move waited for it, on the facts it read before',
    async () => {
      const { db } = database;
      const lines = await openLinesOf('NIM-MUGS');
      expect(lines.length).toBeGreaterThan(1);
      // The SKU's last line: earlier ones are used by the tests below.
      const racing = lines.toSorted((a, b) => b.id - a.id)[0] as (typeof lines)[number];
      // Another writer ships one line and holds its row lock until the move is waiting on it.
      const shipping = await holdChange(db, (tx) => tx.update(orderLines).set({ status: 'shipped' }).where(eq(orderLines.id, racing.id)));
      const moving = moveSkuEta(
        db,
        { sku: 'NIM-MUGS', from: '2026-12-01', to: '2026-12-03', reason: 'Kiln repair', actor: { type: 'staff', id: 'race' } },
        { now },
      );
      await untilWaitingOnALock(db);
      await shipping.commit();
      const result = await moving;
      expect(result).toMatchObject({ ok: true, linesMoved: lines.length - 1 });
      const [after] = await db.select().from(orderLines).where(eq(orderLines.id, racing.id));
      expect(after).toMatchObject({ status: 'shipped', etaTo: racing.etaTo });
      const raced = await db
        .select()
        .from(events)
        .where(and(eq(events.lineId, racing.id), eq(events.actorId, 'race')));
      expect(raced).toEqual([]);
    },
  );
});

describe("changing one line's status", () => {
  it('ships a waiting line with its tracking link and queues the customer message', async () => {
    const result = await changeLineStatus(
      database.db,
      { orderNumber: '1001', lineNo: 1, to: 'shipped', trackingUrl: 'https://track.example/1', actor: staff },
      now,
    );
    expect(result).toMatchObject({ ok: true, from: 'waiting', to: 'shipped', customersTold: 1 });
  });

  it('refuses a transition the status machine does not allow, and changes nothing', async () => {
    expect(await changeLineStatus(database.db, { orderNumber: '1001', lineNo: 1, to: 'ready', actor: staff }, now)).toEqual({
      ok: false,
      reason: 'not_allowed',
      from: 'shipped',
      to: 'ready',
    });
    expect(await changeLineStatus(database.db, { orderNumber: '999999', lineNo: 1, to: 'ready', actor: staff }, now)).toEqual({
      ok: false,
      reason: 'not_found',
    });
  });

  it('moves one line ETA with a reason', async () => {
    const result = await moveLineEta(
      database.db,
      { orderNumber: '1003', lineNo: 1, from: '2027-02-01', to: null, reason: 'Recount', actor: staff },
      now,
    );
    expect(result).toMatchObject({ ok: true, linesMoved: 1 });
    expect(
      await moveLineEta(database.db, { orderNumber: '1001', lineNo: 1, from: '2027-02-01', to: null, reason: 'x', actor: staff }, now),
    ).toEqual({
      ok: false,
      reason: 'not_open',
    });
  });
});
