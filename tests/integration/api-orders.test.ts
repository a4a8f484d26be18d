// Specification of PUT /api/v1/orders/{number}: an integration creates or updates an order with a write key through
// the same upsert-order command as the CLI; the same body twice writes nothing; bad bodies change nothing.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { events, orders } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { createApiKeyCommand } from '#src/api-keys/manage-api-keys.ts';
import { execute } from '#src/commands/command.ts';
import type { Principal } from '#src/commands/principal.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { GET as getOrder, PUT as putOrder } from '#src/pages/api/v1/orders/[number].ts';
import { seedDemoStaff } from '#src/staff/demo-staff.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

const OWNER: Principal = { kind: 'staff', staffId: 1, role: 'owner' };
let database: Database;
let writeKey: string;
let readKey: string;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db);
  await seedDemoStaff(database.db);
  for (const scope of ['write', 'read'] as const) {
    const r = await execute(createApiKeyCommand, database.db, { name: `${scope} key`, scope }, OWNER);
    if (!r.ok) throw new Error(r.reason);
    if (scope === 'write') writeKey = r.key;
    else readKey = r.key;
  }
});
afterAll(() => database.close());

// The endpoint runs on the real clock, so the body's dates are relative to today.
const today = toCalendarDate(new Date(), 'UTC');
const orderBody = {
  placed_at: new Date(Date.now() - 3_600_000).toISOString(),
  currency: 'USD',
  customer: { email: 'ines.moreau@example.com', name: 'Inès Moreau' },
  lines: [
    {
      id: 'li-1',
      sku: 'AUR-LAMP',
      name: 'Aurora desk lamp',
      quantity: 1,
      unit_price: 8900,
      kind: 'preorder',
      promised_by: addDays(today, 40),
      eta: { from: addDays(today, 20), to: addDays(today, 25) },
    },
  ],
  payment: { paid: 8900 },
};

const put = (number: string, body: unknown, key = writeKey) =>
  putOrder({
    request: new Request(`http://porchlight.test/api/v1/orders/${number}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    params: { number },
    locals: { db: database.db },
  });
const eventCount = async () => (await database.db.select({ n: count() }).from(events))[0]?.n ?? 0;

describe('PUT /api/v1/orders/{number}', () => {
  it('creates the order (201), then answers 200 to the same body with nothing new written', async () => {
    const created = await put('9001', orderBody);
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ number: '9001', changed: true, left_alone: [] });
    const written = await eventCount();
    expect(written).toBeGreaterThan(0);

    const again = await put('9001', orderBody);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ number: '9001', changed: false, left_alone: [] });
    expect(await eventCount()).toBe(written);

    const read = await getOrder({
      request: new Request('http://porchlight.test/api/v1/orders/9001', { headers: { authorization: `Bearer ${readKey}` } }),
      params: { number: '9001' },
      locals: { db: database.db },
    });
    expect(read.status).toBe(200);
  });

  it('refuses a read key (403), and bodies that do not fit (422 with the paths at fault), storing nothing', async () => {
    const before = [await eventCount(), (await database.db.select({ n: count() }).from(orders))[0]?.n];
    expect((await put('9002', orderBody, readKey)).status).toBe(403);
    const bad = await put('9002', { ...orderBody, currency: 12, lines: [] });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const paths = ((await bad.json()).errors as { path: unknown[] }[]).map((e) => e.path[0]);
    expect(paths).toEqual(expect.arrayContaining(['currency']));
    expect((await put('9002', '{"placed_at":')).status).toBe(400);
    expect([await eventCount(), (await database.db.select({ n: count() }).from(orders))[0]?.n]).toEqual(before);
    expect(await database.db.select().from(orders).where(eq(orders.number, '9002'))).toEqual([]);
  });
});
