// executePrepared: a repeated statement runs on a saved plan on PGlite and as usual on PostgreSQL, with the same rows.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Database, rowsOf } from '#db/client.ts';
import { executePrepared } from '#db/prepared-statement.ts';
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
    const queries = Array.from({ length: 20 }, (_, k) => sql`${sql.raw(`select ${100 + k}::int as k,`)} ${k}::int as x`);
    const rows = await Promise.all([...queries, ...queries].map((query) => executePrepared<{ k: number; x: number }>(db, query)));
    expect(rows).toEqual([...queries, ...queries].map((_, i) => [{ k: 100 + (i % 20), x: i % 20 }]));
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
