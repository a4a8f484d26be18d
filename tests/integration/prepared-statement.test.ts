// Prepared statements on PGlite (decision 019): the fan-out's write on its generic plan (executePrepared), and every
// repeated statement drizzle sends (the client it runs on). PostgreSQL takes its usual path; the rows are the same.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Database, rowsOf } from '#db/client.ts';
import { executePrepared } from '#db/prepared-statement.ts';
import { products } from '#db/schema/index.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

describe('executePrepared', () => {
  it('returns what execute returns, run after run, for values that need quoting', async () => {
    const { db } = database;
    const values = ["O'Reilly", "''; drop table orders; --", 'Grüße ✓', 'back\\slash', '', '{"a":[1,"x\'y"]}'];
    for (const v of values) {
      const query = sql`select ${v}::text as v, ${v.length}::int as n, ${null}::text as nothing, ${true}::boolean as yes`;
      const expected = rowsOf(await db.execute(query));
      expect(await executePrepared(db, query)).toEqual(expected);
      expect(await executePrepared(db, query)).toEqual([{ v, n: v.length, nothing: null, yes: true }]);
    }
    const [orders] = await executePrepared<{ n: number }>(db, sql`select count(*)::int as n from orders`);
    expect(orders?.n).toBe(0);
  });

  it('keeps answering when more statements are run than it keeps prepared', async () => {
    const { db } = database;
    for (let round = 0; round < 2; round++)
      for (let k = 0; k < 12; k++) {
        const query = sql`${sql.raw(`select ${k}::int as k,`)} ${k * 2}::int as x`;
        expect(await executePrepared(db, query)).toEqual([{ k, x: k * 2 }]);
      }
  });

  it('answers many new statements at once, more than it keeps prepared', async () => {
    const { db } = database;
    // 150 texts, each twice, all at once: past the 64 kept, so statements are evicted while others wait to run them.
    const queries = Array.from({ length: 150 }, (_, k) => sql`${sql.raw(`select ${100 + k}::int as k,`)} ${k}::int as x`);
    const rows = await Promise.all([...queries, ...queries].map((query) => executePrepared<{ k: number; x: number }>(db, query)));
    expect(rows).toEqual([...queries, ...queries].map((_, i) => [{ k: 100 + (i % 150), x: i % 150 }]));
  });

  it('shares what is prepared with another copy of this module on the same database (Astro bundles one)', async () => {
    const { db } = database;
    vi.resetModules();
    const copy = (await import('#db/prepared-statement.ts')) as typeof import('#db/prepared-statement.ts');
    expect(copy.executePrepared).not.toBe(executePrepared);
    // Enough statements through each copy that, were names counted per copy, one would reuse a name the other holds.
    for (let k = 0; k < 120; k++) {
      const query = sql`${sql.raw(`select ${1000 + k}::int as k,`)} ${k}::int as x`;
      expect(await copy.executePrepared(db, query)).toEqual([{ k: 1000 + k, x: k }]);
      const other = sql`${sql.raw(`select ${2000 + (k % 5)}::int as k,`)} ${k}::int as x`;
      expect(await executePrepared(db, other)).toEqual([{ k: 2000 + (k % 5), x: k }]);
    }
    // Both copies ran them prepared, not by falling back to the ordinary path.
    if (!process.env.DATABASE_URL) {
      const statements = rowsOf<{ statement: string }>(await db.execute(sql`select statement from pg_prepared_statements`));
      expect(statements.some((r) => r.statement.includes('select 1119::int as k'))).toBe(true);
      expect(statements.some((r) => r.statement.includes('select 2004::int as k'))).toBe(true);
    }
  });

  it.skipIf(process.env.DATABASE_URL)('binds values to a statement PGlite holds with placeholders, run on its generic plan', async () => {
    const { db } = database;
    const marker = "generic_marker_'quoted'";
    for (let i = 0; i < 3; i++)
      expect(await executePrepared(db, sql`select ${marker}::text as m, ${i}::int as i`)).toEqual([{ m: marker, i }]);
    const [row] = rowsOf<{ statement: string; generic_plans: number; custom_plans: number }>(
      await db.execute(
        sql`select statement, generic_plans::int, custom_plans::int from pg_prepared_statements where statement like '%as m, $2::int as i'`,
      ),
    );
    // The values are parameters of the statement, never part of its text.
    expect(row?.statement).toBe('select $1::text as m, $2::int as i');
    expect(row).toMatchObject({ generic_plans: 3, custom_plans: 0 });
    // The generic plan was the statement's own: the session keeps choosing plans as before.
    const [mode] = rowsOf<{ plan_cache_mode: string }>(await db.execute(sql`show plan_cache_mode`));
    expect(mode?.plan_cache_mode).toBe('auto');
  });

  it('rolls back a statement that fails, like a statement on its own', async () => {
    const { db } = database;
    const attempt = executePrepared(
      db,
      sql`with added as (insert into products (sku, name, kind) values (${'PREP-1'}, ${'x'}, ${'preorder'}) returning id)
          select 1 / (count(*) - 1) as boom from added`,
    );
    await expect(attempt).rejects.toThrow();
    expect(rowsOf(await db.execute(sql`select 1 from products where sku = 'PREP-1'`))).toEqual([]);
  });
});

describe('the PGlite client drizzle runs on', () => {
  const prepared = async () =>
    rowsOf<{ statement: string }>(await database.db.execute(sql`select statement from pg_prepared_statements`)).map((r) => r.statement);

  it.skipIf(process.env.DATABASE_URL)('prepares a statement with values the second time it runs, and answers the same', async () => {
    const { db } = database;
    const marker = `marker_${Date.now()}`;
    const query = sql`select ${marker}::text as m, count(*)::int as n from products where sku <> ${"it's"}`;
    const first = rowsOf(await db.execute(query));
    expect((await prepared()).some((s) => s.includes('marker') || s.includes('from products where sku <>'))).toBe(false);
    const second = rowsOf(await db.execute(query));
    const third = rowsOf(await db.execute(query));
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect((await prepared()).some((s) => s.includes('from products where sku <>'))).toBe(true);
  });

  it('keeps drizzle reads, writes and their errors as they are', async () => {
    const { db } = database;
    for (let i = 0; i < 3; i++) {
      await db.insert(products).values({ sku: `CLIENT-${i}`, name: `Lamp "${i}" O'Brien`, kind: 'preorder' });
      const [row] = await db
        .select()
        .from(products)
        .where(eq(products.sku, `CLIENT-${i}`));
      expect(row).toMatchObject({ sku: `CLIENT-${i}`, name: `Lamp "${i}" O'Brien` });
      // The same insert again breaks the SKU's uniqueness: the error keeps its code.
      const again = db.insert(products).values({ sku: `CLIENT-${i}`, name: 'x', kind: 'preorder' });
      await expect(again).rejects.toMatchObject({ cause: { code: '23505' } });
    }
  });

  it('runs statements with bytes, and statements without values', async () => {
    const { db } = database;
    for (let i = 0; i < 3; i++) {
      // Bytes are serialized by PGlite's own serializer for bytea, as its query API does.
      const [bytes] = rowsOf<{ n: number }>(await db.execute(sql`select length(${Buffer.from([0, 1, 2, 39])}::bytea) as n`));
      expect(Number(bytes?.n)).toBe(4);
      const [n] = rowsOf<{ n: number }>(await db.execute(sql`select 41 + 1 as n`));
      expect(Number(n?.n)).toBe(42);
    }
  });
});
