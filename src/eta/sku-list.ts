// Read models for the console's SKU pages: each product with its current ETA and how many open lines it has.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { openStatus } from '#db/line-status-sql.ts';
import { orderLines, products } from '#db/schema/index.ts';
import { OPEN_LINE_STATUSES } from '#src/domain/line-status.ts';
import { isCleanText } from '#src/input/text.ts';

export type SkuRow = {
  sku: string;
  name: string;
  kind: string;
  etaFrom: string | null;
  etaTo: string | null;
  openLines: number;
  awaitingConsent: number;
};

export async function listSkus(db: Queryable): Promise<SkuRow[]> {
  const rows = rowsOf<{
    sku: string;
    name: string;
    kind: string;
    eta_from: string | null;
    eta_to: string | null;
    open_lines: number;
    awaiting: number;
  }>(
    await db.execute(sql`
      select p.sku, p.name, p.kind, p.eta_from::text as eta_from, p.eta_to::text as eta_to,
             count(l.id)::int as open_lines, count(l.id) filter (where l.awaiting_consent)::int as awaiting
      from products p left join order_lines l on l.sku = p.sku and ${openStatus('l.status')}
      group by p.id order by p.sku`),
  );
  return rows.map((r) => ({
    sku: r.sku,
    name: r.name,
    kind: r.kind,
    etaFrom: r.eta_from,
    etaTo: r.eta_to,
    openLines: r.open_lines,
    awaitingConsent: r.awaiting,
  }));
}

export type SkuSummary = { sku: string; name: string; etaFrom: string | null; etaTo: string | null; openLines: number };

/** One product for its "move the ETA" page; null when there is none, or the address could not name one. */
export async function getSkuSummary(db: Queryable, sku: string): Promise<SkuSummary | null> {
  // An address that could not be a SKU never reaches the database.
  if (!isCleanText(sku) || sku.length > 200) return null;
  const [product] = await db
    .select({ sku: products.sku, name: products.name, etaFrom: products.etaFrom, etaTo: products.etaTo })
    .from(products)
    .where(eq(products.sku, sku));
  if (!product) return null;
  const [open] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orderLines)
    .where(and(eq(orderLines.sku, sku), inArray(orderLines.status, OPEN_LINE_STATUSES)));
  return { ...product, openLines: open?.n ?? 0 };
}
