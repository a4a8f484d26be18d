// Every value a statement carries reaches the database as it is, on PGlite (values bound by the engine, decision 027)
// and on PostgreSQL (postgres.js binds them): arbitrary text, numbers, dates, JSON, arrays, null and booleans, through
// each way a statement is run (drizzle's client, a prepared statement on its generic plan, inside a transaction).
// A value PostgreSQL cannot hold (NUL in text) is refused with PostgreSQL's own error, the same on both databases.
import { eq, type SQL, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rowsOf } from '#db/client.ts';
import { executePrepared } from '#db/prepared-statement.ts';
import { products } from '#db/schema/index.ts';
import { freshDatabase } from '#tests/support/test-database.ts';

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

type Outcome = { rows: Record<string, unknown>[] } | { error: string };

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { rows: rowsOf<Record<string, unknown>>(await run()) };
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    return { error: e.cause?.code ?? e.code ?? String(error) };
  }
}

/**
 * The statement's outcome, run three ways; all three must agree. Runs repeat the same texts, so on PGlite the
 * drizzle client runs them prepared from the second value on (and ran the first one unprepared).
 */
async function run(query: SQL): Promise<Outcome> {
  const { db } = database;
  const direct = await outcome(() => db.execute(query));
  const prepared = await outcome(() => executePrepared(db, query));
  const inTransaction = await outcome(() => db.transaction((tx) => tx.execute(query)));
  expect(prepared).toEqual(direct);
  expect(inTransaction).toEqual(direct);
  return direct;
}

const NUL = '\0';
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
/** One code point of any plane, or one of the characters quoting gets wrong: quotes, backslash, NUL, lone surrogates. */
const character = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom("'", '"', '\\', '$', ';', NUL, '\n', 'é', '😀', '\u{10FFFF}'),
  loneSurrogate,
);
const text = fc.string({ unit: character, maxLength: 40 });
/** Without NUL, for values PostgreSQL can store. */
const storableText = text.map((s) => s.replaceAll(NUL, ''));

/**
 * What PostgreSQL stores for a JS string: its UTF-8 bytes. A lone surrogate has no UTF-8 form; every UTF-8 encoder
 * (TextEncoder, Buffer, so postgres.js) writes U+FFFD in its place, and so must PGlite's path.
 */
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const hasLoneSurrogate = (s: string) => !s.isWellFormed();

describe('values a statement carries, on this database', () => {
  it('text arrives byte for byte: quotes, backslashes, every Unicode plane; NUL is refused with 22021', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (s) => {
        const result = await run(sql`select ${s}::text as v, encode(convert_to(${s}::text, 'UTF8'), 'hex') as hex`);
        if (s.includes(NUL)) expect(result).toEqual({ error: '22021' });
        else expect(result).toEqual({ rows: [{ v: s.toWellFormed(), hex: utf8(s).toString('hex') }] });
      }),
      { numRuns: 300 },
    );
  });

  it('a lone surrogate arrives as U+FFFD and never shortens or shifts the text around it', async () => {
    // PGlite's message writer counted such a string one byte short per lone low surrogate after a non-ASCII
    // character: 'é\udc00xyz' was stored as 'é\ufffdxy'.
    for (const s of ['é\udc00xyz', 'ab\udc00\udc00é', '\ud800', 'x\udbff', '😀\udc00😀']) {
      expect(await run(sql`select ${s}::text as v`)).toEqual({ rows: [{ v: s.toWellFormed() }] });
    }
    await fc.assert(
      fc.asyncProperty(storableText, loneSurrogate, storableText, async (before, lone, after) => {
        const s = `${before}${lone}${after}`;
        // Next to its other half it is no longer lone.
        fc.pre(hasLoneSurrogate(s));
        expect(await run(sql`select ${s}::text as v, octet_length(${s}::text) as n`)).toEqual({
          rows: [{ v: s.toWellFormed(), n: utf8(s).length }],
        });
      }),
      { numRuns: 200 },
    );
  });

  it('text stored in a table through drizzle reads back the same', async () => {
    const { db } = database;
    let k = 0;
    await fc.assert(
      fc.asyncProperty(storableText, async (name) => {
        const sku = `VALUES-${k++}`;
        await db.insert(products).values({ sku, name, kind: 'preorder' });
        await db.update(products).set({ etaReason: name }).where(eq(products.sku, sku));
        const [row] = await db.select({ name: products.name, reason: products.etaReason }).from(products).where(eq(products.sku, sku));
        expect(row).toEqual({ name: name.toWellFormed(), reason: name.toWellFormed() });
      }),
      { numRuns: 100 },
    );
  });

  it('numbers arrive exactly: doubles (NaN, ±Infinity, -0 as 0), integers, int8 and bigint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double(), async (n) => {
        // -0 has no text form of its own in any driver: String(-0) is '0'.
        const expected = Object.is(n, -0) ? 0 : n;
        const result = await run(sql`select ${n}::float8 as v`);
        expect(result).toEqual({ rows: [{ v: expected }] });
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer(), fc.maxSafeInteger()), async (n) => {
        expect(await run(sql`select ${n}::int8::text as v, ${n}::numeric::text as w`)).toEqual({ rows: [{ v: String(n), w: String(n) }] });
      }),
      { numRuns: 200 },
    );
    const int8 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
    await fc.assert(
      fc.asyncProperty(fc.bigInt(int8), async (n) => {
        expect(await run(sql`select ${n}::int8::text as v`)).toEqual({ rows: [{ v: String(n) }] });
      }),
      { numRuns: 200 },
    );
    // Beyond the column's range: PostgreSQL's out-of-range error, never a wrapped or rounded value.
    for (const [query, code] of [
      [sql`select ${2n ** 63n}::int8 as v`, '22003'],
      [sql`select ${-(2n ** 63n) - 1n}::int8 as v`, '22003'],
      [sql`select ${2147483648}::int4 as v`, '22003'],
      [sql`select ${1e21}::int8 as v`, '22P02'],
    ] as const)
      expect(await run(query)).toEqual({ error: code });
  });

  it('dates arrive at the same millisecond; calendar dates as written', async () => {
    // As the application passes them: instants as ISO strings in statements, Dates through drizzle's columns.
    const { db } = database;
    const range = { min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true };
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fc.date(range), async (d) => {
        const iso = d.toISOString();
        const day = iso.slice(0, 10);
        const result = await run(
          sql`select (extract(epoch from ${iso}::timestamptz) * 1000)::bigint::text as ms, ${day}::date::text as day`,
        );
        expect(result).toEqual({ rows: [{ ms: String(d.getTime()), day }] });
        // drizzle reads a timestamp before the year 100 from PostgreSQL with Date's parser, which takes 0099 for 1999.
        if (d.getUTCFullYear() < 100) return;
        const sku = `DATES-${k++}`;
        await db.insert(products).values({ sku, name: 'x', kind: 'preorder', etaFrom: day, updatedAt: d });
        const [row] = await db
          .select({ etaFrom: products.etaFrom, updatedAt: products.updatedAt })
          .from(products)
          .where(eq(products.sku, sku));
        expect(row).toEqual({ etaFrom: day, updatedAt: d });
      }),
      { numRuns: 200 },
    );
  });

  it('JSON arrives as written (json) and as the same value (jsonb); jsonb refuses \\u0000 and lone surrogates with its codes', async () => {
    const json = fc.jsonValue({ stringUnit: character, maxDepth: 3 });
    await fc.assert(
      fc.asyncProperty(json, async (value) => {
        const written = JSON.stringify(value);
        // JSON.stringify escapes NUL and lone surrogates (\u0000, \udc00), which json keeps as written.
        const asJson = await run(sql`select ${written}::json::text as t`);
        const strings: string[] = [];
        JSON.stringify(value, (key, v) => {
          strings.push(key);
          if (typeof v === 'string') strings.push(v);
          return v;
        });
        expect(asJson).toEqual({ rows: [{ t: written }] });
        const asJsonb = await run(sql`select ${written}::jsonb as b`);
        const lone = strings.some(hasLoneSurrogate);
        const nul = strings.some((s) => s.includes(NUL));
        // With both, the error is the one for whichever escape jsonb's parser meets first.
        if (lone && nul) expect(['22P02', '22P05']).toContain((asJsonb as { error?: string }).error);
        else if (lone) expect(asJsonb).toEqual({ error: '22P02' });
        else if (nul) expect(asJsonb).toEqual({ error: '22P05' });
        else expect(asJsonb).toEqual({ rows: [{ b: JSON.parse(written) }] });
      }),
      { numRuns: 200 },
    );
  });

  it('arrays arrive element for element: null stays null, the text "NULL" stays text', async () => {
    const elements = fc.array(fc.oneof(fc.option(text, { nil: null }), fc.constantFrom('NULL', '{', '}', ',', '"', '', ' ')), {
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(elements, async (list) => {
        // Read back as JSON: postgres.js reads a NULL element of a text[] as the text 'NULL'.
        const result = await run(sql`select to_json(${sql.param(list)}::text[]) as a`);
        if (list.some((s) => s?.includes(NUL))) expect(result).toEqual({ error: '22021' });
        else expect(result).toEqual({ rows: [{ a: list.map((s) => s?.toWellFormed() ?? null) }] });
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer(), { maxLength: 8 }), async (list) => {
        expect(await run(sql`select ${sql.param(list)}::int4[] as a`)).toEqual({ rows: [{ a: list }] });
      }),
      { numRuns: 100 },
    );
  });

  it('null and booleans arrive as themselves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.option(fc.boolean(), { nil: null }), fc.option(text, { nil: null }), async (b, s) => {
        const result = await run(sql`select ${b}::boolean as b, ${s === null ? null : 'x'}::text as t, ${s}::text is null as missing`);
        if (s?.includes(NUL)) expect(result).toEqual({ error: '22021' });
        else expect(result).toEqual({ rows: [{ b, t: s === null ? null : 'x', missing: s === null }] });
      }),
      { numRuns: 100 },
    );
  });
});
