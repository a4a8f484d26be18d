// Fills a database: the demo store (about 50 orders across every state) or a large store for benchmarks.
import { sql } from 'drizzle-orm';
import { toCalendarDate } from '#src/domain/calendar-date.ts';
import type { Db } from './client.ts';
import {
  customerFactory,
  DEMO_PRODUCTS,
  type OrderDraft,
  orderFactory,
  placedDaysAgoFor,
  productFactory,
  SCENARIOS,
  type Scenario,
  STORE_TIME_ZONE,
  storeFactory,
} from './factories.ts';
import { customers, events, orderLines, orders, products, refunds, storeSettings } from './schema/index.ts';

/** Which product each scenario uses, so a SKU's lines tell one coherent story. */
const SKU_FOR: Record<Scenario, number> = {
  on_time: 0,
  delayed: 1,
  late: 2,
  ready: 3,
  shipped: 4,
  delivered: 4,
  cancelled_refunded: 0,
};

export type DemoLogin = { number: string; email: string; phone: string | null; scenario: Scenario; locale: string };

/** One demo customer (order 1030, a delayed order, in Berlin) reads German: the customer pages and messages show it. */
const GERMAN_DEMO_CUSTOMER = 29;

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(orders);
  return (row?.n ?? 0) === 0;
}

async function ensureStoreAndProducts(db: Db, now: Date): Promise<void> {
  const today = toCalendarDate(now, STORE_TIME_ZONE);
  await db.insert(storeSettings).values(storeFactory()).onConflictDoNothing();
  await db
    .insert(products)
    .values(DEMO_PRODUCTS.map((p) => productFactory(p, today)))
    .onConflictDoNothing();
}

/** Inserts drafts for customers already inserted, chunk by chunk (PGlite stalls on huge statements). */
export async function insertDrafts(db: Db, drafts: OrderDraft[], customerIds: number[]): Promise<void> {
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(orders)
      .values(drafts.map((d, i) => ({ ...d.order, customerId: customerIds[i] as number })))
      .returning({ id: orders.id });
    const lineRows = drafts.flatMap((d, i) => d.lines.map((l) => ({ ...l, orderId: inserted[i]?.id as number })));
    const lines = await tx
      .insert(orderLines)
      .values(lineRows)
      .returning({ id: orderLines.id, orderId: orderLines.orderId, lineNo: orderLines.lineNo });
    const lineId = new Map(lines.map((l) => [`${l.orderId}:${l.lineNo}`, l.id]));
    const lineFor = (orderId: number, index: number | null) => (index === null ? null : (lineId.get(`${orderId}:${index + 1}`) ?? null));
    const eventRows = drafts.flatMap((d, i) => {
      const orderId = inserted[i]?.id as number;
      return d.events.map(({ lineIndex, ...e }) => ({ ...e, orderId, lineId: lineFor(orderId, lineIndex) }));
    });
    if (eventRows.length) await tx.insert(events).values(eventRows);
    const refundRows = drafts.flatMap((d, i) => {
      const orderId = inserted[i]?.id as number;
      return d.refunds.map(({ lineIndex, ...r }) => ({ ...r, orderId, lineId: lineFor(orderId, lineIndex) }));
    });
    if (refundRows.length) await tx.insert(refunds).values(refundRows);
  });
}

/** The demo store: 49 orders, seven of each scenario, numbered from 1001. */
export async function seedDemo(db: Db, now: Date = new Date()): Promise<DemoLogin[]> {
  await ensureStoreAndProducts(db, now);
  const drafts: OrderDraft[] = [];
  const newCustomers = [];
  const logins: DemoLogin[] = [];
  for (let i = 0; i < SCENARIOS.length * 7; i++) {
    const scenario = SCENARIOS[i % SCENARIOS.length] as Scenario;
    const number = String(1001 + i);
    const customer = customerFactory(i, i === GERMAN_DEMO_CUSTOMER ? { locale: 'de' } : {});
    newCustomers.push(customer);
    drafts.push(orderFactory({ number, scenario, now, placedDaysAgo: placedDaysAgoFor(scenario, i), skuIndex: SKU_FOR[scenario] }));
    logins.push({ number, email: customer.email, phone: customer.phone ?? null, scenario, locale: customer.locale ?? 'en' });
  }
  const ids = await db.insert(customers).values(newCustomers).returning({ id: customers.id });
  await insertDrafts(
    db,
    drafts,
    ids.map((r) => r.id),
  );
  return logins;
}

/** A large store for benchmarks: `count` orders numbered from 100001, mostly waiting lines. */
export async function seedLarge(db: Db, count: number, now: Date = new Date(), onProgress?: (done: number) => void): Promise<void> {
  await ensureStoreAndProducts(db, now);
  const [existing] = await db.select({ n: sql<number>`count(*)::int` }).from(orders);
  const offset = existing?.n ?? 0;
  const chunk = 1000;
  const weights: Scenario[] = ['on_time', 'on_time', 'on_time', 'delayed', 'late', 'ready', 'shipped', 'delivered', 'cancelled_refunded'];
  for (let start = 0; start < count; start += chunk) {
    const size = Math.min(chunk, count - start);
    const drafts: OrderDraft[] = [];
    const newCustomers = [];
    for (let j = 0; j < size; j++) {
      const i = offset + start + j;
      const scenario = weights[i % weights.length] as Scenario;
      newCustomers.push(customerFactory(100_000 + i, { email: `shopper${100001 + i}@example.com` }));
      drafts.push(
        orderFactory({
          number: String(100001 + i),
          scenario,
          now,
          placedDaysAgo: placedDaysAgoFor(scenario, i),
          skuIndex: i % 5 === 4 ? SKU_FOR[scenario] : 0,
        }),
      );
    }
    const ids = await db.insert(customers).values(newCustomers).returning({ id: customers.id });
    await insertDrafts(
      db,
      drafts,
      ids.map((r) => r.id),
    );
    onProgress?.(start + size);
    // Let other work (requests, on PGlite's single thread) in between chunks.
    await new Promise((r) => setImmediate(r));
  }
}
