// A SKU move walks its lines chunk by chunk, writing lines in a rule state it has classified before without reading
// them first (decision 019). These tests pin that the walk ends where one big read and write would.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { STORE_TIME_ZONE } from '#db/factories.ts';
import { events, notifications, orderLines } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { moveSkuEta } from '#src/eta/move-sku-eta.ts';
import { holdChange, untilWaitingOnALock } from '#tests/support/racing-writer.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-23T16:00:00Z');
const today = toCalendarDate(now, STORE_TIME_ZONE);
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, now);
});
afterAll(() => database.close());

/**
 * Adds a SKU whose open lines come in three rule states, interleaved so that most chunks of a small chunk size meet
 * a state the walk has not classified yet: far from T (the move needs no notice), near T (it needs a delay option
 * notice), and past T with no notice (lapsed: cancelled now, 435.2(c)). All expect to ship in the same days, so only
 * the rule state tells them apart. One line per order, over the demo's orders.
 */
async function addSku(sku: string, lineNo: number): Promise<void> {
  const { db } = database;
  await db.execute(sql`insert into products (sku, name, kind) values (${sku}, ${sku}, 'preorder')`);
  const far = addDays(today, 60);
  const near = addDays(today, 10);
  const past = addDays(today, -3);
  // Line k of the SKU goes to the k-th order; its state repeats far, far, near, far, near, lapsed, …
  const states = ['far', 'far', 'near', 'far', 'near', 'lapsed'];
  await db.execute(sql`
    insert into order_lines (order_id, line_no, product_id, sku, name, kind, status, quantity, unit_price, amount_paid,
                             promised_by, applicable_time, eta_from, eta_to, compliance, ship_by, awaiting_consent, version)
    select o.id, ${lineNo}, p.id, ${sku}, ${sku}, 'preorder', 'waiting', 1, 2500, 2500, t.at, t.at, ${addDays(today, 1)}::date, ${addDays(today, 4)}::date,
           '{"notices":[],"answers":[]}'::jsonb, t.at, false, 1
    from (select id, row_number() over (order by id) as k from orders order by id limit 18) o
    cross join products p
    cross join lateral (
      select case (${`{${states.join(',')}}`}::text[])[((o.k - 1) % 6) + 1]
               when 'far' then ${far}::date when 'near' then ${near}::date else ${past}::date end as at
    ) t
    where p.sku = ${sku}
    order by o.id`);
}

/** A SKU with two open lines (`lineNo`, `lineNo + 1`) in each of six orders, one after the other, all far from T or near it. */
async function addSkuTwicePerOrder(sku: string, state: 'far' | 'near', lineNo: number): Promise<void> {
  const { db } = database;
  await db.execute(sql`insert into products (sku, name, kind) values (${sku}, ${sku}, 'preorder')`);
  const at = addDays(today, state === 'far' ? 60 : 10);
  await db.execute(sql`
    insert into order_lines (order_id, line_no, product_id, sku, name, kind, status, quantity, unit_price, amount_paid,
                             promised_by, applicable_time, eta_from, eta_to, compliance, ship_by, awaiting_consent, version)
    select o.id, n, p.id, ${sku}, ${sku}, 'preorder', 'waiting', 1, 2500, 2500, ${at}::date, ${at}::date,
           ${addDays(today, 1)}::date, ${addDays(today, 4)}::date, '{"notices":[],"answers":[]}'::jsonb, ${at}::date, false, 1
    from (select id from orders order by id limit 6) o cross join generate_series(${lineNo}::int, ${lineNo + 1}::int) n
    cross join products p
    where p.sku = ${sku}
    order by o.id, n`);
}

/** Every line of the SKU, its events and its messages, in a form that does not depend on ids or chunking. */
async function outcome(sku: string) {
  const { db } = database;
  const lines = await db.select().from(orderLines).where(eq(orderLines.sku, sku)).orderBy(asc(orderLines.orderId));
  const ids = lines.map((l) => l.id);
  const lineEvents = await db.select().from(events).where(inArray(events.lineId, ids)).orderBy(asc(events.id));
  const eventIds = lineEvents.map((e) => e.id);
  const messages = (
    await db
      .select()
      .from(notifications)
      .where(inArray(notifications.orderId, [...new Set(lines.map((l) => l.orderId))]))
  )
    .filter((n) => n.payload.events.some((id) => eventIds.includes(Number(id))))
    .map((n) => `${n.orderId}:${n.channel}:${n.template}:${n.status}:${n.required}`)
    .sort();
  return {
    lines: lines.map((l) => ({
      orderId: l.orderId,
      status: l.status,
      eta: [l.etaFrom, l.etaTo],
      shipBy: l.shipBy,
      awaiting: l.awaitingConsent,
      notices: l.compliance.notices.length,
      events: lineEvents.filter((e) => e.lineId === l.id).map((e) => e.type),
    })),
    messages,
  };
}

const input = (sku: string) => ({
  sku,
  from: addDays(today, 25),
  to: addDays(today, 30),
  reason: 'Tooling repair',
  actor: { type: 'staff' as const, id: 'walk' },
});

describe('a SKU move that meets several rule states, a few lines at a time', () => {
  it('ends as one read and write of every line would: updates, notices and cancellations alike', async () => {
    await addSku('WALK-SMALL', 70);
    await addSku('WALK-WHOLE', 71);
    // Two lines per chunk: almost every chunk meets a state the walk has not classified (or a lapsed line).
    const small = await moveSkuEta(database.db, input('WALK-SMALL'), { now, chunkSize: 2 });
    const whole = await moveSkuEta(database.db, input('WALK-WHOLE'), { now, chunkSize: 1000 });
    expect(small).toEqual(whole);
    expect(small).toMatchObject({ ok: true, linesMoved: 18, notices: 6, cancelled: 3 });

    const a = await outcome('WALK-SMALL');
    const b = await outcome('WALK-WHOLE');
    expect(a).toEqual(b);
    // And what that is, line by line.
    const byState = (i: number) => ['far', 'far', 'near', 'far', 'near', 'lapsed'][i % 6];
    for (const [i, line] of a.lines.entries()) {
      if (byState(i) === 'lapsed') {
        expect(line).toMatchObject({ status: 'cancelled', events: expect.arrayContaining(['cancelled']) });
        continue;
      }
      expect(line.eta).toEqual([addDays(today, 25), addDays(today, 30)]);
      expect(line.events).toEqual(byState(i) === 'near' ? ['delay_notice_sent'] : ['eta_changed']);
      expect(line.notices).toBe(byState(i) === 'near' ? 1 : 0);
    }
  });

  it('re-running the walk changes and sends nothing', async () => {
    const before = await outcome('WALK-SMALL');
    const again = await moveSkuEta(database.db, input('WALK-SMALL'), { now, chunkSize: 2 });
    expect(again).toEqual({ ok: true, linesMoved: 0, customersTold: 0, notices: 0, cancelled: 0 });
    expect(await outcome('WALK-SMALL')).toEqual(before);
  });

  it('takes a SKU whose name needs quoting', async () => {
    const sku = "O'REILLY-LAMP";
    await addSku(sku, 72);
    const moved = await moveSkuEta(database.db, input(sku), { now, chunkSize: 2 });
    expect(moved).toMatchObject({ ok: true, linesMoved: 18 });
    const open = await database.db
      .select({ etaTo: orderLines.etaTo })
      .from(orderLines)
      .where(and(eq(orderLines.sku, sku), eq(orderLines.status, 'waiting')));
    expect(open.map((l) => l.etaTo)).toEqual(Array(open.length).fill(addDays(today, 30)));
  });
});

/** Two such SKUs (`<prefix>-SMALL`, `<prefix>-WHOLE`, line numbers from `lineNo`), moved three lines and 1,000 at a time. */
async function moveInSmallAndWholeChunks(prefix: string, state: 'far' | 'near', lineNo: number) {
  await addSkuTwicePerOrder(`${prefix}-SMALL`, state, lineNo);
  await addSkuTwicePerOrder(`${prefix}-WHOLE`, state, lineNo + 2);
  const small = await moveSkuEta(database.db, input(`${prefix}-SMALL`), { now, chunkSize: 3 });
  const whole = await moveSkuEta(database.db, input(`${prefix}-WHOLE`), { now, chunkSize: 1000 });
  return { small, whole };
}

describe('a SKU with two lines in one order', () => {
  it('queues one update per order, however the lines fall into chunks', async () => {
    const { small, whole } = await moveInSmallAndWholeChunks('TWICE-FAR', 'far', 80);
    expect(small).toEqual(whole);
    expect(small).toMatchObject({ ok: true, linesMoved: 12, customersTold: 6, notices: 0 });
    const a = await outcome('TWICE-FAR-SMALL');
    expect(a).toEqual(await outcome('TWICE-FAR-WHOLE'));
    // Optional updates coalesce across chunks: one e-mail per order, carrying both lines' events.
    expect(a.messages.filter((m) => m.includes(':email:'))).toHaveLength(6);
  });

  it('sends every line its delay notice, in one message per order, however the lines fall into chunks', async () => {
    const { small, whole } = await moveInSmallAndWholeChunks('TWICE-NEAR', 'near', 84);
    expect(small).toEqual(whole);
    expect(small).toMatchObject({ ok: true, linesMoved: 12, customersTold: 6, notices: 12 });
    const a = await outcome('TWICE-NEAR-SMALL');
    // A required notice is not coalesced across transactions, so a chunk of three lines does not end between an
    // order's two: it takes the rest of the order's lines.
    expect(a).toEqual(await outcome('TWICE-NEAR-WHOLE'));
    expect(a.messages.filter((m) => m.includes(':email:'))).toHaveLength(6);
  });

  it('sends one notice message per order when the move runs in lanes whose ranges would cut orders in two', async () => {
    await addSkuTwicePerOrder('TWICE-LANES', 'near', 88);
    // Five lanes over twelve lines: ranges of three, so every other range would end after an order's first line.
    const result = await moveSkuEta(database.db, input('TWICE-LANES'), { now, chunkSize: 1, lanes: 5 });
    expect(result).toMatchObject({ ok: true, linesMoved: 12, customersTold: 6, notices: 12 });
    const { messages } = await outcome('TWICE-LANES');
    expect(messages.filter((m) => m.includes(':email:'))).toHaveLength(6);
  });
});

/**
 * A SKU whose lines come in segments, one after the other in id order: `lines` lines of the SKU in each of `orders`
 * orders (line numbers from `lineNo`), all near T, so the move sends each line a delay option notice. Each segment takes
 * the next demo orders after those the earlier segments used (`skip`).
 */
async function addSegments(sku: string, segments: Array<{ orders: number; lines: number }>, lineNo: number): Promise<void> {
  const { db } = database;
  await db.execute(sql`insert into products (sku, name, kind) values (${sku}, ${sku}, 'preorder')`);
  const at = addDays(today, 10);
  let skip = 0;
  for (const segment of segments) {
    await db.execute(sql`
      insert into order_lines (order_id, line_no, product_id, sku, name, kind, status, quantity, unit_price, amount_paid,
                               promised_by, applicable_time, eta_from, eta_to, compliance, ship_by, awaiting_consent, version)
      select o.id, n, p.id, ${sku}, ${sku}, 'preorder', 'waiting', 1, 2500, 2500, ${at}::date, ${at}::date,
             ${addDays(today, 1)}::date, ${addDays(today, 4)}::date, '{"notices":[],"answers":[]}'::jsonb, ${at}::date, false, 1
      from (select id from orders order by id offset ${skip} limit ${segment.orders}) o
      cross join generate_series(${lineNo}::int, ${lineNo + segment.lines - 1}::int) n
      cross join products p
      where p.sku = ${sku}
      order by o.id, n`);
    skip += segment.orders;
  }
}

describe('an order with hundreds of lines of one SKU', () => {
  // Three single-line orders, an order of 250 lines, five single-line orders, another of 250, three more: in chunks
  // of seven, the first chunk (the one that reads and classifies) ends four lines into the first big order and the
  // second (written without a read) two lines into the second. On PostgreSQL three lanes split the SKU's ids inside
  // each big order too.
  const segments = [
    { orders: 3, lines: 1 },
    { orders: 1, lines: 250 },
    { orders: 5, lines: 1 },
    { orders: 1, lines: 250 },
    { orders: 3, lines: 1 },
  ];

  it('gets one delay notice per channel, carrying every line, however its lines fall into chunks and lanes', async () => {
    await addSegments('HUGE-SMALL', segments, 200);
    await addSegments('HUGE-WHOLE', segments, 500);
    const small = await moveSkuEta(database.db, input('HUGE-SMALL'), { now, chunkSize: 7, lanes: 3 });
    const whole = await moveSkuEta(database.db, input('HUGE-WHOLE'), { now, chunkSize: 1000, lanes: 1 });
    expect(small).toEqual(whole);
    expect(small).toMatchObject({ ok: true, linesMoved: 511, customersTold: 13, notices: 511 });

    const a = await outcome('HUGE-SMALL');
    expect(a).toEqual(await outcome('HUGE-WHOLE'));
    // One event per line: its notice.
    expect(a.lines.every((l) => l.events.length === 1 && l.events[0] === 'delay_notice_sent')).toBe(true);
    // One required notice per order and channel.
    const perOrderAndChannel = new Map<string, number>();
    for (const m of a.messages) {
      const [orderId, channel, template] = m.split(':');
      expect(template).toBe('delay_notice');
      const key = `${orderId}:${channel}`;
      perOrderAndChannel.set(key, (perOrderAndChannel.get(key) ?? 0) + 1);
    }
    expect([...perOrderAndChannel.values()].every((n) => n === 1)).toBe(true);
    expect(a.messages.filter((m) => m.includes(':email:'))).toHaveLength(13);
    // The big orders' notices each carry all 250 lines' events.
    const bigOrders = [...new Set(a.lines.map((l) => l.orderId))].filter((o) => a.lines.filter((l) => l.orderId === o).length === 250);
    expect(bigOrders).toHaveLength(2);
    // (The other SKU went to the same orders: its messages are told apart by their events' lines.)
    const bigNotices = await database.db
      .select({ payload: notifications.payload })
      .from(notifications)
      .innerJoin(events, eq(events.id, notifications.eventId))
      .innerJoin(orderLines, eq(orderLines.id, events.lineId))
      .where(and(inArray(notifications.orderId, bigOrders), eq(notifications.channel, 'email'), eq(orderLines.sku, 'HUGE-SMALL')));
    expect(bigNotices.map((n) => n.payload.events.length)).toEqual([250, 250]);
  });
});

describe('a line that changes while a chunk that skips the read waits for it (PostgreSQL, where writers run concurrently)', () => {
  it.runIf(process.env.DATABASE_URL)('is left as the other writer made it, and nothing is written for it', async () => {
    const { db } = database;
    await addSku('WALK-RACE', 73);
    const lines = await db.select().from(orderLines).where(eq(orderLines.sku, 'WALK-RACE')).orderBy(asc(orderLines.id));
    // The SKU's second line is in the state of its first, so the walk writes it without reading it, after the first
    // chunk (one line) has classified that state.
    const racing = lines[1] as (typeof lines)[number];
    const shipping = await holdChange(db, (tx) => tx.update(orderLines).set({ status: 'shipped' }).where(eq(orderLines.id, racing.id)));
    const moving = moveSkuEta(db, { ...input('WALK-RACE'), actor: { type: 'staff', id: 'race' } }, { now, chunkSize: 1 });
    await untilWaitingOnALock(db);
    await shipping.commit();
    const result = await moving;
    expect(result).toMatchObject({ ok: true, linesMoved: lines.length - 1 });
    const [after] = await db.select().from(orderLines).where(eq(orderLines.id, racing.id));
    expect(after).toMatchObject({ status: 'shipped', etaTo: racing.etaTo, version: racing.version });
    expect(
      await db
        .select()
        .from(events)
        .where(and(eq(events.lineId, racing.id), eq(events.actorId, 'race'))),
    ).toEqual([]);
  });
});
