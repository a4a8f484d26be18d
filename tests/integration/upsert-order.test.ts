// The order upsert (issue 18 items 2 and 4): create, the same body again, updates of open lines, stale updates of
// settled ones, every refusal, the order confirmation once, and any JSON refused or taken without a throw.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { customers, events, notifications, orderLines, orders, storeSettings } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { runCommand } from '#src/cli/commands.ts';
import { execute } from '#src/commands/command.ts';
import { CLI, type Principal } from '#src/commands/principal.ts';
import { refusalStatus } from '#src/commands/refusal-status.ts';
import { describeRefusal } from '#src/i18n/refusals/describe-refusal.ts';
import { composeMessages } from '#src/messages/compose.ts';
import { changeLineStatus } from '#src/orders/change-line-status.ts';
import { staffCancel } from '#src/orders/staff-cancel.ts';
import { upsertOrderCommand } from '#src/orders/upsert-order.ts';
import { loadStoreSettings } from '#src/store/store-settings.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const now = new Date('2026-11-22T15:00:00Z');
const writeKey: Principal = { kind: 'api_key', keyId: 'k1', scope: 'write' };
const readKey: Principal = { kind: 'api_key', keyId: 'k2', scope: 'read' };
let database: Database;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, now);
});
afterAll(() => database.close());

/** The issue's example body: a preorder lamp (promised and with an ETA) and an in-stock chair, shipping paid. */
function body(over: Record<string, unknown> = {}) {
  return {
    placed_at: '2026-11-22T14:03:00Z',
    currency: 'USD',
    customer: { email: 'Rosa.Parks@Example.com', phone: '+1 555 201 0001', name: 'Rosa Parks', locale: 'en', time_zone: 'America/Chicago' },
    lines: [
      {
        id: 'li-1',
        sku: 'AUR-LAMP',
        name: 'Aurora desk lamp',
        quantity: 2,
        unit_price: 8900,
        kind: 'preorder',
        promised_by: '2026-12-20',
        eta: { from: '2026-12-10', to: '2026-12-15' },
      },
      { id: 'li-2', sku: 'FLD-CHAIR', name: 'Field camp chair', quantity: 1, unit_price: 5900, kind: 'in_stock' },
    ],
    payment: { paid: 2 * 8900 + 5900 + 795, shipping: 795 },
    ...over,
  };
}

const upsert = (number: string, raw: Record<string, unknown>, principal: Principal = writeKey, at: Date = now) =>
  execute(upsertOrderCommand, database.db, { ...raw, orderNumber: number }, principal, at);

const count = async (table: typeof events | typeof notifications | typeof orders | typeof customers | typeof orderLines) => {
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return row?.n ?? 0;
};
const stored = () => Promise.all([count(orders), count(orderLines), count(events), count(notifications), count(customers)]);

async function linesOf(number: string) {
  return database.db
    .select({
      id: orderLines.id,
      externalId: orderLines.externalId,
      lineNo: orderLines.lineNo,
      productId: orderLines.productId,
      status: orderLines.status,
      quantity: orderLines.quantity,
      amountPaid: orderLines.amountPaid,
      isDeposit: orderLines.isDeposit,
      applicableTime: orderLines.applicableTime,
      shipBy: orderLines.shipBy,
      checkBy: orderLines.checkBy,
      etaFrom: orderLines.etaFrom,
      etaTo: orderLines.etaTo,
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(eq(orders.number, number))
    .orderBy(asc(orderLines.lineNo));
}

async function eventsOf(number: string) {
  return (
    database.db
      .select({ type: events.type, data: events.data, actorType: events.actorType, actorId: events.actorId, lineId: events.lineId })
      .from(events)
      .innerJoin(orders, eq(orders.id, events.orderId))
      .where(eq(orders.number, number))
      // As the timelines read them: events ids come from a cached sequence (migration 0009), so only within one
      // transaction do they follow the order of writing.
      .orderBy(asc(events.occurredAt), asc(events.id))
  );
}

async function messagesOf(number: string) {
  return database.db
    .select()
    .from(notifications)
    .innerJoin(orders, eq(orders.id, notifications.orderId))
    .where(eq(orders.number, number))
    .then((rows) => rows.map((r) => r.notifications));
}

describe('creating an order', () => {
  it('creates the order, its customer, lines with T and their projections, the payment split and one event', async () => {
    const r = await upsert('#9001', body());
    expect(r).toEqual({ ok: true, created: true, changed: true, orderNumber: '9001', leftAlone: [], customersTold: 1 });
    const [order] = await database.db.select().from(orders).where(eq(orders.number, '9001'));
    expect(order).toMatchObject({ currency: 'USD', paymentState: 'paid', shippingPaid: 795, placedAt: new Date('2026-11-22T14:03:00Z') });
    const [customer] = await database.db
      .select()
      .from(customers)
      .where(eq(customers.id, order?.customerId as number));
    expect(customer).toMatchObject({
      email: 'rosa.parks@example.com',
      phone: '+15552010001',
      name: 'Rosa Parks',
      timeZone: 'America/Chicago',
    });
    const lines = await linesOf('9001');
    expect(lines).toMatchObject([
      {
        externalId: 'li-1',
        lineNo: 1,
        status: 'waiting',
        applicableTime: '2026-12-20',
        shipBy: '2026-12-20',
        checkBy: '2026-12-20',
        amountPaid: 17800,
        etaTo: '2026-12-15',
      },
      // No promised date: T is 30 days after the order was placed, in the store's calendar (435.2(a)(1)(ii)).
      { externalId: 'li-2', lineNo: 2, applicableTime: '2026-12-22', shipBy: '2026-12-22', amountPaid: 5900 },
    ]);
    expect(lines.every((l) => l.productId !== null)).toBe(true);
    expect(await eventsOf('9001')).toEqual([
      { type: 'order_created', data: { lines: 2 }, actorType: 'api', actorId: 'key:k1', lineId: null },
    ]);
  });

  it('the same body again changes nothing and writes no event or message', async () => {
    const before = await stored();
    const r = await upsert('9001', body());
    expect(r).toEqual({ ok: true, created: false, changed: false, orderNumber: '9001', leftAlone: [], customersTold: 0 });
    expect(await stored()).toEqual(before);
  });

  it('takes an ETA from the known product when the body gives none, and gives an unknown SKU no product', async () => {
    const r = await upsert(
      '9002',
      body({
        customer: { email: 'noor@example.com' },
        lines: [
          { id: 1, sku: 'KES-KETTLE', name: 'Kettle', quantity: 1, unit_price: 6400, kind: 'backorder' },
          { id: 2, sku: 'NEW-THING', name: 'Something new', quantity: 1, unit_price: 1000, kind: 'preorder', promised_by: '2027-01-31' },
        ],
        payment: { paid: 0, charge: 'on_ship' },
      }),
    );
    expect(r).toMatchObject({ ok: true, created: true });
    const lines = await linesOf('9002');
    expect(lines[0]?.etaTo).toEqual('2027-01-01'); // the demo kettle's window: today + 30 to 40 days
    expect(lines[0]?.etaFrom).not.toBeNull();
    expect(lines[1]).toMatchObject({ productId: null, etaFrom: null, etaTo: null, amountPaid: 0 });
    const [order] = await database.db.select().from(orders).where(eq(orders.number, '9002'));
    expect(order?.paymentState).toBe('authorized');
    const [customer] = await database.db.select().from(customers).where(eq(customers.email, 'noor@example.com'));
    // Not given: the store's language and zone.
    expect(customer).toMatchObject({ name: '', phone: null, locale: 'en', timeZone: 'America/New_York' });
  });

  it('splits a deposit over the waiting lines and the rest over the in-stock ones', async () => {
    const r = await upsert(
      '9003',
      body({ customer: { email: 'dep@example.com' }, payment: { paid: 2000 + 5900 + 795, shipping: 795, deposit: 2000 } }),
    );
    expect(r).toMatchObject({ ok: true, created: true });
    expect((await linesOf('9003')).map((l) => [l.amountPaid, l.isDeposit])).toEqual([
      [2000, true],
      [5900, false],
    ]);
    const [order] = await database.db.select().from(orders).where(eq(orders.number, '9003'));
    expect(order?.paymentState).toBe('authorized');
  });

  it('sends the first delay notice at once for a line whose ETA already ends after its promised date', async () => {
    const late = body({
      customer: { email: 'late@example.com' },
      lines: [{ ...body().lines[0], eta: { from: '2026-12-21', to: '2026-12-28' } }],
      payment: { paid: 17800 },
    });
    expect(await upsert('9004', late)).toMatchObject({ ok: true, created: true, customersTold: 1 });
    const types = (await eventsOf('9004')).map((e) => e.type);
    expect(types).toEqual(['order_created', 'delay_notice_sent']);
    const templates = (await messagesOf('9004')).map((n) => n.template).sort();
    expect(templates).toEqual(['delay_notice', 'order_confirmation']);
  });
});

describe('updating an order', () => {
  it('changes an open line: quantity, name and ETA, each with its event; the payment is split again', async () => {
    const b = body();
    const update = body({
      lines: [{ ...b.lines[0], quantity: 1, name: 'Aurora lamp', eta: { from: '2026-12-12', to: '2026-12-18' } }, b.lines[1]],
    });
    const r = await upsert('9001', update);
    expect(r).toEqual({ ok: true, created: false, changed: true, orderNumber: '9001', leftAlone: [], customersTold: 1 });
    const lines = await linesOf('9001');
    expect(lines[0]).toMatchObject({ quantity: 1, etaFrom: '2026-12-12', etaTo: '2026-12-18', applicableTime: '2026-12-20' });
    // The same 23,700 for goods, now over totals 8,900 and 5,900.
    expect((lines[0]?.amountPaid ?? 0) + (lines[1]?.amountPaid ?? 0)).toBe(23700);
    expect(lines[0]?.amountPaid).toBe(14252);
    const evs = await eventsOf('9001');
    expect(evs.slice(1).map((e) => [e.type, e.data])).toEqual([
      ['line_changed', { quantity: { from: 2, to: 1 }, name: { from: 'Aurora desk lamp', to: 'Aurora lamp' } }],
      ['eta_changed', expect.objectContaining({ to: { from: '2026-12-12', to: '2026-12-18' }, classification: 'no_notice' })],
    ]);
    // And again: nothing.
    expect(await upsert('9001', update)).toMatchObject({ ok: true, changed: false });
  });

  it('adds a line the order did not have, and leaves lines the body does not name as they are', async () => {
    const b = body();
    const added = { id: 'li-3', sku: 'NIM-MUGS', name: 'Nimbus mug set (4)', quantity: 1, unit_price: 3800, kind: 'backorder' };
    const r = await upsert(
      '9003',
      body({ customer: { email: 'dep@example.com' }, lines: [b.lines[1], added], payment: { paid: 8695, shipping: 795, deposit: 2000 } }),
      writeKey,
      new Date(now.getTime() + 60_000),
    );
    expect(r).toMatchObject({ ok: true, changed: true, leftAlone: [] });
    const lines = await linesOf('9003');
    expect(lines.map((l) => [l.externalId, l.lineNo, l.status])).toEqual([
      ['li-1', 1, 'waiting'],
      ['li-2', 2, 'waiting'],
      ['li-3', 3, 'waiting'],
    ]);
    expect((await eventsOf('9003')).map((e) => e.type)).toEqual(['order_created', 'line_added']);
  });

  it('a stale update never reopens or changes a shipped or cancelled line, and names them', async () => {
    const actor = { type: 'staff' as const, id: 'test' };
    expect(await upsert('9005', body({ customer: { email: 'stale@example.com' } }))).toMatchObject({ ok: true, created: true });
    expect(await changeLineStatus(database.db, { orderNumber: '9005', lineNo: 2, to: 'shipped', actor }, now)).toMatchObject({ ok: true });
    expect(await staffCancel(database.db, { orderNumber: '9005', lineNo: 1, reason: 'Discontinued', actor }, now)).toMatchObject({
      ok: true,
    });
    const before = await linesOf('9005');
    const eventsBefore = (await eventsOf('9005')).length;
    const b = body({ customer: { email: 'stale@example.com' } });
    const stale = {
      ...b,
      lines: [
        { ...b.lines[0], quantity: 3 },
        { ...b.lines[1], eta: { from: '2026-12-01', to: '2026-12-02' } },
      ],
    };
    const r = await upsert('9005', stale);
    expect(r).toEqual({ ok: true, created: false, changed: false, orderNumber: '9005', leftAlone: ['li-1', 'li-2'], customersTold: 0 });
    expect(await linesOf('9005')).toEqual(before);
    expect((await eventsOf('9005')).length).toBe(eventsBefore);
    // The body as first sent says nothing new about them: nothing is left alone, nothing changes.
    expect(await upsert('9005', b)).toMatchObject({ ok: true, changed: false, leftAlone: [] });
  });

  it('another e-mail moves the order to that customer; an update does not touch the customer record', async () => {
    await upsert('9006', body({ customer: { email: 'first@example.com', name: 'First' } }));
    const renamed = await upsert('9006', body({ customer: { email: 'first@example.com', name: 'Renamed' } }));
    expect(renamed).toMatchObject({ ok: true, changed: false });
    const [first] = await database.db.select().from(customers).where(eq(customers.email, 'first@example.com'));
    expect(first?.name).toBe('First');
    expect(await upsert('9006', body({ customer: { email: 'second@example.com', name: 'Second' } }))).toMatchObject({ changed: true });
    const [order] = await database.db.select().from(orders).where(eq(orders.number, '9006'));
    const [second] = await database.db.select().from(customers).where(eq(customers.email, 'second@example.com'));
    expect(order?.customerId).toBe(second?.id);
  });
});

describe('refusals', () => {
  const b = body();
  const cases: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
    ['placed_in_future', '9101', body({ placed_at: '2026-11-23T15:00:00Z' }), {}],
    ['duplicate_line_ids', '9102', body({ lines: [b.lines[0], { ...b.lines[1], id: 'li-1' }] }), { lineIds: ['li-1'] }],
    ['invalid_date', '9103', body({ lines: [{ ...b.lines[0], promised_by: '2026-02-30' }] }), { lineIds: ['li-1'] }],
    ['eta_reversed', '9104', body({ lines: [{ ...b.lines[0], eta: { from: '2026-12-15', to: '2026-12-10' } }] }), { lineIds: ['li-1'] }],
    ['eta_in_past', '9105', body({ lines: [{ ...b.lines[0], eta: { from: '2026-11-01', to: '2026-11-10' } }] }), { lineIds: ['li-1'] }],
    ['ship_by_passed', '9106', body({ placed_at: '2026-10-01T12:00:00Z', lines: [b.lines[1]] }), { lineIds: ['li-2'] }],
    ['payment_invalid', '9107', body({ payment: { paid: 100, charge: 'deposit' } }), { problem: 'deposit_missing' }],
    ['payment_invalid', '9107', body({ payment: { paid: 100, deposit: 500 } }), { problem: 'deposit_exceeds_paid' }],
    [
      'payment_invalid',
      '9107',
      body({ lines: [b.lines[1]], payment: { paid: 100, deposit: 50 } }),
      { problem: 'deposit_without_waiting_line' },
    ],
    ['currency_changed', '9001', body({ currency: 'EUR' }), { currency: 'USD' }],
    ['placed_at_changed', '9001', body({ placed_at: '2026-11-22T14:04:00Z' }), {}],
    ['sku_changed', '9001', body({ lines: [{ ...b.lines[0], sku: 'KES-KETTLE' }] }), { lineIds: ['li-1'] }],
    ['promised_by_changed', '9001', body({ lines: [{ ...b.lines[0], promised_by: '2026-12-31' }] }), { lineIds: ['li-1'] }],
    [
      'invalid_input',
      '9108',
      body({ lines: [{ ...b.lines[0], promisedBy: '2026-12-31' }] }),
      { fields: ['lines'], issues: [{ path: ['lines', 0], message: expect.any(String) }] },
    ],
    [
      'invalid_input',
      '9108',
      body({ customer: { email: 'not an address' } }),
      { fields: ['customer'], issues: [{ path: ['customer', 'email'], message: expect.any(String) }] },
    ],
  ];
  it.each(cases)('%s (order %s) stores nothing and has words and a status', async (reason, number, raw, detail) => {
    const before = await stored();
    const r = await upsert(number, raw);
    expect(r).toEqual({ ok: false, reason, ...detail });
    expect(await stored()).toEqual(before);
    if (r.ok) return;
    expect(describeRefusal('upsert-order', r, raw)).toMatch(/\w/);
    expect([400, 409]).toContain(refusalStatus(r.reason));
  });

  it('forbidden: a read key, a customer or the system may not upsert orders; staff and the CLI may', async () => {
    for (const principal of [readKey, { kind: 'system', name: 'sweep' } as Principal]) {
      expect(await upsert('9109', body(), principal)).toEqual({ ok: false, reason: 'forbidden' });
    }
    expect(await upsert('9109', body({ customer: { email: 'cli@example.com' } }), CLI)).toMatchObject({ ok: true, created: true });
  });
});

describe('the order confirmation', () => {
  it('is queued once for a new order with a waiting line: e-mail, and SMS only with consent', async () => {
    // (The ETA update above queued an update of its own.)
    const rows = (await messagesOf('9001')).filter((n) => n.template === 'order_confirmation');
    expect(rows.map((n) => [n.channel, n.template, n.required, n.status])).toEqual([['email', 'order_confirmation', true, 'queued']]);
    // The customer agrees to SMS; a new order of theirs is confirmed by SMS too.
    await database.db
      .update(customers)
      .set({ smsConsentAt: now, smsConsentMethod: 'checkout checkbox', smsConsentPhone: '+15552010001' })
      .where(eq(customers.email, 'rosa.parks@example.com'));
    await upsert('9201', body());
    await upsert('9201', body());
    expect((await messagesOf('9201')).map((n) => [n.channel, n.recipient]).sort()).toEqual([
      ['email', 'rosa.parks@example.com'],
      ['sms', '+15552010001'],
    ]);
  });

  it('lists each waiting line with its window and promised date, the order page and the cancellation policy', async () => {
    const settings = await loadStoreSettings(database.db);
    const rows = await messagesOf('9201');
    const composed = await composeMessages(database.db, rows, settings, 'https://shop.example', now);
    const email = composed.get(rows.find((n) => n.channel === 'email')?.id as number);
    const sms = composed.get(rows.find((n) => n.channel === 'sms')?.id as number);
    if (!email || 'error' in email || !sms || 'error' in sms) throw new Error('not rendered');
    expect(email.rendered.subject).toBe('Order 9201 confirmed: when your items will ship');
    // (Intl puts thin spaces around the range's dash.)
    expect(email.rendered.text).toMatch(
      /Aurora desk lamp \(SKU AUR-LAMP, qty 2\): expected to ship Dec 10\s–\s15, 2026; we promise to ship it by Dec 20, 2026/u,
    );
    expect(email.rendered.text).toContain('Thank you for your order 9201.');
    expect(email.rendered.text).not.toContain('Field camp chair');
    expect(email.rendered.text).toContain('You can cancel any item that has not shipped yet and get a full refund.');
    expect(email.rendered.text).toContain('https://shop.example/orders/9201?t=');
    expect(sms.rendered.sms).toMatch(
      /^Northwind.*: order 9201 confirmed\. Aurora desk lamp ships by Dec 20, 2026\. https:\/\/shop\.example\/orders\/9201\?t=/,
    );
  });

  it('is not sent for an order whose lines are all in stock, nor when the store turned it off', async () => {
    await upsert('9202', body({ customer: { email: 'stock@example.com' }, lines: [body().lines[1]], payment: { paid: 5900 } }));
    expect(await messagesOf('9202')).toEqual([]);
    await database.db.update(storeSettings).set({ orderConfirmation: false });
    await upsert('9203', body({ customer: { email: 'off@example.com' } }));
    expect(await messagesOf('9203')).toEqual([]);
    expect((await eventsOf('9203')).map((e) => e.type)).toEqual(['order_created']);
    await database.db.update(storeSettings).set({ orderConfirmation: true });
  });
});

describe('the CLI', () => {
  it('order:upsert --file --number creates, then finds nothing new', async () => {
    const file = join(tmpdir(), `order-${process.pid}.json`);
    await writeFile(file, JSON.stringify(body({ customer: { email: 'cli-file@example.com' } })));
    expect(await runCommand(database.db, ['order:upsert', '--file', file, '--number', '9301'])).toEqual({
      code: 0,
      output: 'Order 9301: created; 1 customer will be told.',
    });
    expect(await runCommand(database.db, ['order:upsert', '--file', file, '--number', '9301'])).toEqual({
      code: 0,
      output: 'Order 9301: unchanged (nothing new in the file); 0 customers will be told.',
    });
    await writeFile(file, JSON.stringify(body({ currency: 'EUR' })));
    expect(await runCommand(database.db, ['order:upsert', '--file', file, '--number', '9301'])).toEqual({
      code: 1,
      output: 'Refused: This order is in USD: its currency cannot change.',
    });
    await writeFile(file, '{ not json');
    expect((await runCommand(database.db, ['order:upsert', '--file', file, '--number', '9301'])).code).toBe(2);
  });
});

describe('any body', () => {
  it('is refused (nothing stored) or taken; never a throw', async () => {
    const b = body();
    // Near-valid bodies: each field of the example replaced by anything JSON can hold.
    const mutated = fc
      .record({
        path: fc.constantFrom(
          'placed_at',
          'currency',
          'customer',
          'lines',
          'payment',
          'customer.email',
          'customer.phone',
          'customer.locale',
          'customer.time_zone',
          'lines.0.id',
          'lines.0.quantity',
          'lines.0.unit_price',
          'lines.0.kind',
          'lines.0.promised_by',
          'lines.0.eta',
          'payment.paid',
          'payment.deposit',
          'payment.charge',
        ),
        value: fc.jsonValue(),
      })
      .map(({ path, value }) => {
        const copy = structuredClone(b) as Record<string, unknown>;
        const keys = path.split('.');
        let at: Record<string, unknown> = copy;
        for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
        at[keys[keys.length - 1] as string] = value;
        return copy;
      });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), mutated), async (raw) => {
        n += 1;
        const number = `99${String(n).padStart(4, '0')}`;
        const before = await stored();
        const input = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : { body: raw };
        const r = await upsert(number, input as Record<string, unknown>);
        if (!r.ok) {
          expect(await stored()).toEqual(before);
          expect(describeRefusal('upsert-order', r, input as Record<string, unknown>)).toMatch(/\w/);
        }
      }),
      { numRuns: 150 },
    );
  });
});
