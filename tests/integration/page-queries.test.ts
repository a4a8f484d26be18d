// The queries behind the SKU move page and the customer's consent step: what the pages show, read outside the pages.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#db/client.ts';
import { orderLines, products } from '#db/schema/index.ts';
import { seedDemo } from '#db/seed.ts';
import { previewConsent } from '#src/consent/respond-to-delay.ts';
import { getSkuSummary } from '#src/eta/sku-list.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await seedDemo(database.db, new Date('2026-11-23T16:00:00Z'));
});
afterAll(() => database?.close());

describe('a SKU for its move page', () => {
  it('is the product with its ETA and the count of its waiting and ready lines', async () => {
    const { db } = database;
    const all = await db.select().from(products);
    for (const product of all) {
      const [open] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(orderLines)
        .where(and(eq(orderLines.sku, product.sku), inArray(orderLines.status, ['waiting', 'ready'])));
      expect(await getSkuSummary(db, product.sku)).toEqual({
        sku: product.sku,
        name: product.name,
        etaFrom: product.etaFrom,
        etaTo: product.etaTo,
        openLines: open?.n ?? 0,
      });
    }
    expect(all.some((p) => p.etaFrom !== null)).toBe(true);
  });

  it('is none for an unknown SKU, or an address that cannot be one', async () => {
    const { db } = database;
    const [known] = await db.select().from(products);
    expect(await getSkuSummary(db, 'NO-SUCH-SKU')).toBeNull();
    expect(await getSkuSummary(db, `${known?.sku}\u0000`)).toBeNull();
    expect(await getSkuSummary(db, 'X'.repeat(201))).toBeNull();
  });
});

describe('the consent step', () => {
  it('names the item and the date of its latest delay notice', async () => {
    const { db } = database;
    const lines = await db.select().from(orderLines);
    const noticed = lines.filter((l) => l.compliance.notices.length > 0);
    expect(noticed.length).toBeGreaterThan(0);
    for (const line of noticed) {
      expect(await previewConsent(db, { orderId: line.orderId, lineId: line.id })).toEqual({
        ok: true,
        item: line.name,
        until: line.compliance.notices.at(-1)?.revisedDate,
      });
    }
  });

  it('finds no line of another order, and nothing to answer on a line never told of a delay', async () => {
    const { db } = database;
    const lines = await db.select().from(orderLines);
    const noticed = lines.find((l) => l.compliance.notices.length > 0);
    const quiet = lines.find((l) => l.compliance.notices.length === 0);
    if (!noticed || !quiet) throw new Error('the demo store has lines with and without delay notices');
    expect(await previewConsent(db, { orderId: noticed.orderId + 1, lineId: noticed.id })).toEqual({ ok: false, reason: 'not_found' });
    expect(await previewConsent(db, { orderId: quiet.orderId, lineId: quiet.id })).toEqual({ ok: false, reason: 'nothing_to_answer' });
  });
});
