// Server footprint (SPEC 6, Speed and Weight): start-up time on an existing data folder, steady memory with 100,000
// orders, and the weight of the customer order page.
//
//   (a) a PGlite data folder is seeded with the demo store and 100,000 more orders (`seedLarge`), closed, and
//       `server.mjs` (production entry, notifier on) is started on it: the time it reports until ready;
//   (b) then 16 lookups and a minute's worth of order-page reads (closed loop, 8 connections, 20 s; quick: 3 s), after
//       which the server's resident memory (VmRSS of the child, read from /proc) is sampled for 5 s: the highest is the
//       steady RSS;
//   (c) the same on a fresh PostgreSQL database seeded alike, when DATABASE_URL is set;
//   (d) the order page of the most involved demo order (most lines and events), with every stylesheet and script it
//       links, gzipped as a server would send them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { asc, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, openDatabase } from '#db/client.ts';
import { customers, orders } from '#db/schema/index.ts';
import { closedLoop } from './lib/load.ts';
import {
  ensureBuild,
  fetchPage,
  lookUp,
  type Sample,
  type Server,
  seedBenchStore,
  startProductionServer,
  withDatabase,
} from './lib/portal.ts';
import { tempDir } from './lib/processes.ts';
import type { Bench, BenchOptions, ResultRow } from './lib/types.ts';

const TABLE = 'server footprint (SPEC 6: ready time, steady RSS, page weight)';
const BENCH_DATABASE = 'porchlight_bench_footprint';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Reads the order pages for a while, then samples the server's RSS: the highest sample is its steady memory. */
async function steadyRss(server: Server, samples: Sample[], seconds: number): Promise<{ rss: number; reqPerSec: number }> {
  const requests = [];
  for (const sample of samples)
    requests.push({ path: `/orders/${sample.number}`, headers: { cookie: await lookUp(server.origin, sample) } });
  const load = await closedLoop({ origin: server.origin, requests }, seconds, 8);
  const pid = server.child.process.pid as number;
  let rss = 0;
  for (let i = 0; i < 10; i++) {
    rss = Math.max(rss, rssMb(pid));
    await new Promise((r) => setTimeout(r, 500));
  }
  return { rss, reqPerSec: load.reqPerSec };
}

/** The demo order with the most lines and events: the heaviest customer page. */
async function heaviestDemoOrder(database: Database): Promise<Sample> {
  const [row] = await database.db
    .select({ id: orders.id, number: orders.number, email: customers.email })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .where(sql`${orders.number}::int < 100001`)
    .orderBy(
      sql`(select count(*) from order_lines l where l.order_id = ${orders.id}) + (select count(*) from events e where e.order_id = ${orders.id}) desc`,
      asc(orders.id),
    )
    .limit(1);
  if (!row) throw new Error('no demo order');
  return row;
}

/** That order's page and everything it links, gzipped as a server would send them. */
async function pageWeight(server: Server, order: Sample): Promise<{ html: number; css: number; js: number }> {
  const cookie = await lookUp(server.origin, order);
  const html = await fetchPage(server.origin, `/orders/${order.number}`, { cookie });
  const gz = (s: string | Buffer) => gzipSync(s).length;
  const linked = async (pattern: RegExp) => {
    let total = 0;
    for (const m of html.matchAll(pattern)) total += gz(Buffer.from(await (await fetch(`${server.origin}${m[1]}`)).arrayBuffer()));
    return total;
  };
  const inline = (tag: 'style' | 'script') =>
    [...html.matchAll(new RegExp(`<${tag}(?![^>]*\\bsrc=)[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1] ?? '').join('');
  const inlineJs = inline('script');
  return {
    // Inline styles travel inside the HTML already.
    html: gz(html),
    css: await linked(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g),
    js: (await linked(/<script[^>]+src="([^"]+)"/g)) + (inlineJs ? gz(inlineJs) : 0),
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export const footprint: Bench = {
  name: 'footprint',
  description: 'server ready time on an existing data folder, steady RSS with 100k orders, order page weight (gzip)',
  async run({ quick, databaseUrl, log }: BenchOptions): Promise<ResultRow[]> {
    ensureBuild(log);
    const count = quick ? 5_000 : 100_000;
    const seconds = quick ? 3 : 20;
    const now = new Date();
    const rows: ResultRow[] = [];
    const row = (measure: string, database: string, value: string, goal: string, met: boolean | null) =>
      rows.push({ table: TABLE, measure, database, value, goal, met });
    const orderCount = count.toLocaleString('en-US');

    const measure = async (label: string, server: Server, samples: Sample[], rssGoalMb: number) => {
      log(`${label}: server ready in ${server.readyMs} ms`);
      row(`server ready on an existing database (${orderCount} orders)`, label, `${server.readyMs} ms`, '≤ 2 s', server.readyMs <= 2000);
      const steady = await steadyRss(server, samples, seconds);
      log(`${label}: RSS ${steady.rss.toFixed(0)} MB after ${seconds} s of page reads at ${steady.reqPerSec.toFixed(0)} req/s`);
      row(
        `steady RSS with ${orderCount} orders, after ${seconds} s of order-page reads (${steady.reqPerSec.toFixed(0)} req/s)`,
        label,
        `${steady.rss.toFixed(0)} MB`,
        `≤ ${rssGoalMb} MB`,
        steady.rss <= rssGoalMb,
      );
    };

    // PGlite: seed a folder, close it, start the server on it.
    const dataDir = join(tempDir('porchlight-footprint-'), 'data');
    const seeded = await openDatabase({ dataDir });
    const samples = await seedBenchStore(seeded, count, now, log);
    const heaviest = await heaviestDemoOrder(seeded);
    await seeded.close();
    const pglite = await startProductionServer('footprint PGlite', { DATA_DIR: dataDir, DATABASE_URL: '' });
    try {
      await measure('PGlite', pglite, samples, 512);
      const weight = await pageWeight(pglite, heaviest);
      log(`order ${heaviest.number}: HTML ${kb(weight.html)}, CSS ${kb(weight.css)}, JS ${kb(weight.js)} (gzip)`);
      row(
        `order page weight, HTML + CSS, gzip (order ${heaviest.number}: the most lines and events)`,
        '-',
        `${kb(weight.html + weight.css)} (HTML ${kb(weight.html)}, CSS ${kb(weight.css)})`,
        '< 30 KB',
        weight.html + weight.css < 30 * 1024,
      );
      row('order page weight, JavaScript, gzip', '-', kb(weight.js), '< 15 KB', weight.js < 15 * 1024);
    } finally {
      await pglite.child.stop();
    }

    if (databaseUrl) {
      const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${BENCH_DATABASE} with (force)`);
      await admin.unsafe(`create database ${BENCH_DATABASE}`);
      const pgUrl = withDatabase(databaseUrl, BENCH_DATABASE);
      try {
        const pg = await openDatabase({ url: pgUrl });
        const pgSamples = await seedBenchStore(pg, count, now, log);
        await pg.close();
        const server = await startProductionServer('footprint PostgreSQL', { DATABASE_URL: pgUrl });
        try {
          await measure('PostgreSQL', server, pgSamples, 200);
        } finally {
          await server.child.stop();
        }
      } finally {
        await admin.unsafe(`drop database if exists ${BENCH_DATABASE} with (force)`);
        await admin.end();
      }
    }
    return rows;
  },
};
