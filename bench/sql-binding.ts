// How PGlite gets a repeated statement's values (decision 027), side by side in one run on the same data:
//
//   (a) engine binding: a named prepared statement (Parse once), values sent as Bind parameters (db/prepared-statement.ts);
//   (b) literal EXECUTE: `PREPARE` by text, then `EXECUTE name('v1', …)` with values quoted by hand (decision 019, the
//       code before 027, kept in bench/lib/literal-rewriter.ts);
//   (c) no preparation: PGlite's query API, which parses and plans every statement.
//
// Measured: the order page's read (`loadOrderView`, per call, over 16 orders of a 2,000-order store) and a SKU move
// that sends delay notices (the fan-out, in fixed chunks of 200 lines: the time of one chunk's statements).
// Each round loads every variant from one snapshot of the store into a fresh in-memory PGlite, in a rotated order, so
// a drift in the machine's load hits each alike; the spread over rounds is printed beside the median.
//
//   npx node bench/sql-binding.ts [--rounds 5] [--lines 20000] [--chunk 200] [--calls 3000]
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { type Db, openDatabase } from '#db/client.ts';
import { STORE_TIME_ZONE } from '#db/factories.ts';
import { preparingClient } from '#db/prepared-statement.ts';
import * as schema from '#db/schema/index.ts';
import { addDays, toCalendarDate } from '#src/domain/calendar-date.ts';
import { moveSkuEta } from '#src/eta/move-sku-eta.ts';
import { loadOrderView } from '#src/orders/order-view.ts';
import { literalRewritingClient } from './lib/literal-rewriter.ts';
import { percentile, prepareStore, seedSkuLines } from './lib/notifier-store.ts';
import { seedBenchStore } from './lib/portal.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    lines: { type: 'string', default: '20000' },
    calls: { type: 'string', default: '3000' },
    orders: { type: 'string', default: '2000' },
    chunk: { type: 'string', default: '200' },
  },
});
const ROUNDS = Number(values.rounds);
const LINES = Number(values.lines);
const CALLS = Number(values.calls);
const CHUNK = Number(values.chunk);
const SKU = 'BIND-A';
const staff = { type: 'staff' as const, id: 'bench' };
const log = (m: string) => console.log(`[sql-binding] ${m}`);

type Variant = { label: string; wrap: (client: PGlite) => PGlite };
const VARIANTS: Variant[] = [
  { label: 'engine binding (027)', wrap: preparingClient },
  { label: 'literal EXECUTE (019)', wrap: literalRewritingClient },
  { label: 'no preparation', wrap: (client) => client },
];

type Round = { pageMedianUs: number; pageP90Us: number; moveS: number; chunks: number; chunkMedianMs: number };

const now = new Date();
const today = toCalendarDate(now, STORE_TIME_ZONE);

log(`seeding: ${values.orders} orders for the order page, ${LINES} open lines of ${SKU} for the fan-out`);
const base = await openDatabase({ memory: true });
const samples = await seedBenchStore(base, Number(values.orders), now, log);
await prepareStore(base.db, now, { coalesceSeconds: 120, skus: [SKU] });
await seedSkuLines(base.db, { sku: SKU, lines: LINES, now, smsEvery: 5 });
await base.db.execute(sql`analyze`);
await base.db.execute(sql`checkpoint`);
const snapshot = await (base as unknown as { pglite: PGlite }).pglite.dumpDataDir('none');
await base.close();

/** A fresh PGlite from the snapshot, set up as `openDatabase` sets one up, on the variant's client. */
async function open(variant: Variant): Promise<{ db: Db; close: () => Promise<void> }> {
  const client = await PGlite.create({ loadDataDir: snapshot });
  await client.exec('set random_page_cost = 1.1');
  await client.exec('set wal_init_zero = off');
  const db = drizzle(variant.wrap(client), { schema }) as unknown as Db;
  return { db, close: () => client.close() };
}

async function orderPage(db: Db): Promise<{ median: number; p90: number }> {
  for (let i = 0; i < 300; i++) await loadOrderView(db, samples[i % samples.length]?.id ?? 0, now);
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    const view = await loadOrderView(db, samples[i % samples.length]?.id ?? 0, now);
    times.push(performance.now() - t);
    if (!view) throw new Error('order not found');
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50) * 1000, p90: percentile(times, 90) * 1000 };
}

async function fanOut(db: Db): Promise<{ seconds: number; chunkMs: number[] }> {
  const chunkMs: number[] = [];
  const t = performance.now();
  const result = await moveSkuEta(
    db,
    { sku: SKU, from: addDays(today, 26), to: addDays(today, 30), reason: 'Factory retooling', actor: staff },
    // Fixed chunks, so every variant runs the same statements on the same lines: time-sized chunks would turn a
    // cheaper statement into bigger chunks, and the machine's load into chunk sizes.
    { now, chunkSize: CHUNK, onProgress: (_, ms) => chunkMs.push(ms) },
  );
  const seconds = (performance.now() - t) / 1000;
  if (!result.ok || result.linesMoved !== LINES) throw new Error(`move: ${JSON.stringify(result)}`);
  return { seconds, chunkMs };
}

const rounds = new Map<string, Round[]>(VARIANTS.map((v) => [v.label, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant);
  for (const variant of order) {
    const { db, close } = await open(variant);
    try {
      const page = await orderPage(db);
      const move = await fanOut(db);
      const chunks = [...move.chunkMs].sort((a, b) => a - b);
      const r: Round = {
        pageMedianUs: page.median,
        pageP90Us: page.p90,
        moveS: move.seconds,
        chunks: chunks.length,
        chunkMedianMs: percentile(chunks, 50),
      };
      rounds.get(variant.label)?.push(r);
      log(
        `round ${round + 1}/${ROUNDS} ${variant.label}: order page ${r.pageMedianUs.toFixed(0)} µs median, ${r.pageP90Us.toFixed(0)} µs p90; ` +
          `move ${LINES} lines ${r.moveS.toFixed(2)} s in ${r.chunks} chunks of ${CHUNK}, ${r.chunkMedianMs.toFixed(2)} ms median`,
      );
    } finally {
      await close();
    }
  }
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const spread = (xs: number[], digits: number) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
console.log(`\nPGlite, in memory; ${ROUNDS} rounds; median (min–max over rounds)`);
console.log(`| binding | order page read, µs median | µs p90 | fan-out, s per 100k notice lines | ms per ${CHUNK}-line chunk, median |`);
console.log('|---|---|---|---|---|');
for (const [label, rs] of rounds) {
  const per100k = rs.map((r) => (r.moveS * 100_000) / LINES);
  console.log(
    `| ${label} | ${spread(
      rs.map((r) => r.pageMedianUs),
      0,
    )} | ${spread(
      rs.map((r) => r.pageP90Us),
      0,
    )} | ${spread(per100k, 2)} | ${spread(
      rs.map((r) => r.chunkMedianMs),
      2,
    )} |`,
  );
}
