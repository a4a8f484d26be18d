// Order page benchmark (SPEC 6, Speed): the real order page on the database against the same page rendered from
// in-memory data and against a bare node:http server sending the same bytes, side by side in one run.
//
//   (a) server.mjs (the production entry) on a seeded PGlite folder, and on PostgreSQL when DATABASE_URL is set;
//   (b) the same built Astro server with the order page source replaced by fixed in-memory views (no database);
//   (c) a bare node:http server answering with the bytes (a) rendered: the ceiling.
//
// Each server runs in its own process; the load comes from this one. Closed loop (autocannon, 20 connections) gives
// the request rate; an open loop at 250 req/s (our fixed-rate generator, latency from each request's due time) gives
// p50/p99; autocannon's bursty `overallRate` at the same rate is shown beside it for comparison.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openDatabase } from '#db/client.ts';
import type { OrderPageResult } from '#src/orders/order-page-source.ts';
import { loadOrderView } from '#src/orders/order-view.ts';
import { autocannonRate, type ClosedLoopResult, closedLoop, type OpenLoopResult, openLoop, type Target } from './lib/load.ts';
import {
  ENTRY,
  ensureBuild,
  fetchPage,
  lookUp,
  type Sample,
  type Server,
  seedBenchStore,
  startProductionServer,
  withDatabase,
} from './lib/portal.ts';
import { ask, forkScript, stopAll, tempDir } from './lib/processes.ts';
import type { Bench, BenchOptions, ResultRow } from './lib/types.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SEED_ORDERS = 2_000;
/** How many different orders (and access cookies) the load cycles through. */
const PAGES = 16;
const OPEN_LOOP_RATE = 250;
const CONNECTIONS = 20;
const BENCH_DATABASE = 'porchlight_bench';

/** Lookups for every sample, then the page bytes each cookie opens: the requests of the load and the reference bytes. */
async function prepareRequests(server: Server, samples: Sample[]): Promise<{ target: Target; bodies: Map<string, string> }> {
  const requests: Target['requests'] = [];
  const bodies = new Map<string, string>();
  for (const sample of samples) {
    const cookie = await lookUp(server.origin, sample);
    const path = `/orders/${sample.number}`;
    const headers = { cookie };
    requests.push({ path, headers });
    bodies.set(path, await fetchPage(server.origin, path, headers));
  }
  return { target: { origin: server.origin, requests }, bodies };
}

async function sameBodies(origin: string, target: Target, reference: Map<string, string>): Promise<boolean> {
  for (const r of target.requests) if ((await fetchPage(origin, r.path, r.headers)) !== reference.get(r.path)) return false;
  return true;
}

type Contender = { label: string; target: Target; bytes: number; sameBytes: boolean };
type Phases = { warm: number; rounds: number; round: number; open: number; burst: number };

/**
 * Closed-loop throughput in interleaved rounds (a, b, c, a, b, c, … with the order rotated each round), so a slow
 * drift in the machine's background load hits every server alike; ratios are taken per round and the median kept.
 */
async function closedRounds(contenders: Contender[], phases: Phases, log: (m: string) => void): Promise<Map<string, ClosedLoopResult[]>> {
  const results = new Map<string, ClosedLoopResult[]>(contenders.map((c) => [c.label, []]));
  for (const c of contenders) {
    log(`${c.label}: warm-up ${phases.warm} s`);
    await closedLoop(c.target, phases.warm, CONNECTIONS);
  }
  for (let round = 0; round < phases.rounds; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
    log(`closed loop, round ${round + 1}/${phases.rounds}: ${phases.round} s each, ${CONNECTIONS} connections`);
    for (const c of order) results.get(c.label)?.push(await closedLoop(c.target, phases.round, CONNECTIONS));
  }
  return results;
}

function total(runs: ClosedLoopResult[]): ClosedLoopResult {
  const ok = runs.reduce((n, r) => n + r.ok, 0);
  const seconds = runs.reduce((n, r) => n + r.ok / (r.reqPerSec || 1), 0);
  return {
    reqPerSec: ok / seconds,
    ok,
    bad: runs.reduce((n, r) => n + r.bad, 0),
    // Latencies of a closed loop only say how deep the queue was; the worst round is shown.
    p50: Math.max(...runs.map((r) => r.p50)),
    p99: Math.max(...runs.map((r) => r.p99)),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const ms = (v: number) => Number(v.toFixed(1));
const pct = (v: number) => `${Math.round(100 * v)} %`;

function serverRow(c: Contender, closed: ClosedLoopResult, open: OpenLoopResult, burst: ClosedLoopResult): ResultRow {
  return {
    table: 'order page: servers',
    server: c.label,
    'req/s (closed)': Math.round(closed.reqPerSec),
    'p50 ms (open 250/s)': ms(open.p50),
    'p99 ms (open 250/s)': ms(open.p99),
    'max ms (open)': ms(open.max),
    'p99 ms (autocannon -R 250)': ms(burst.p99),
    'page bytes': c.bytes,
    'same bytes as (a)': c.sameBytes,
    errors: closed.bad + open.bad + burst.bad,
  };
}

function ratioRow(name: string, a: ClosedLoopResult[], b: ClosedLoopResult[], goal: number | null): ResultRow {
  const perRound = a.map((r, i) => r.reqPerSec / (b[i]?.reqPerSec ?? Number.NaN));
  const value = median(perRound);
  return {
    table: 'order page: ratios',
    ratio: name,
    value: pct(value),
    'per round': perRound.map((r) => Math.round(100 * r)).join(' / '),
    goal: goal === null ? '—' : `≥ ${goal} %`,
    met: goal === null ? '—' : value * 100 >= goal ? 'yes' : 'NO',
  };
}

function latencyRow(label: string, open: OpenLoopResult): ResultRow {
  return {
    table: 'order page: ratios',
    ratio: `${label}: p99 at ${OPEN_LOOP_RATE} req/s, open loop`,
    value: `${ms(open.p99)} ms`,
    'per round': '',
    goal: '≤ 50 ms',
    met: open.p99 <= 50 && open.bad === 0 ? 'yes' : 'NO',
  };
}

async function run({ quick, databaseUrl, cpuProfDir, log }: BenchOptions): Promise<ResultRow[]> {
  const profile = (name: string) =>
    cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const phases: Phases = quick ? { warm: 1, rounds: 2, round: 1, open: 2, burst: 2 } : { warm: 3, rounds: 4, round: 3, open: 10, burst: 5 };
  ensureBuild(log);
  let admin: postgres.Sql | undefined;
  try {
    // (a) on PGlite: seed a temp folder, close it, and let server.mjs open it as in production.
    const dataDir = join(tempDir('porchlight-bench-'), 'data');
    const pglite = await openDatabase({ dataDir });
    let samples: Sample[];
    const pages = new Map<string, OrderPageResult>();
    const seededAt = new Date();
    try {
      samples = await seedBenchStore(pglite, SEED_ORDERS, seededAt, log, PAGES);
      // The in-memory server's data: each order's view, captured from the database once.
      const now = new Date();
      for (const sample of samples) {
        const view = await loadOrderView(pglite.db, sample.id, now);
        if (!view) throw new Error(`order ${sample.number} has no view`);
        pages.set(sample.number, { kind: 'page', view, verified: true });
      }
    } finally {
      await pglite.close();
    }
    // (a) on PostgreSQL: a fresh database on the given server, seeded with the same data.
    let pgUrl: string | undefined;
    let pgSamples: Sample[] = [];
    if (databaseUrl) {
      admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${BENCH_DATABASE} with (force)`);
      await admin.unsafe(`create database ${BENCH_DATABASE}`);
      pgUrl = withDatabase(databaseUrl, BENCH_DATABASE);
      const pg = await openDatabase({ url: pgUrl, max: 1 });
      try {
        pgSamples = await seedBenchStore(pg, SEED_ORDERS, seededAt, log, PAGES);
      } finally {
        await pg.close();
      }
    }

    const real = await startProductionServer('(a) PGlite', { DATA_DIR: dataDir, DATABASE_URL: '' }, profile('a-pglite'));
    log(`(a) order page on PGlite: server ready in ${real.readyMs} ms`);
    const { target, bodies } = await prepareRequests(real, samples);
    const bytes = Math.round([...bodies.values()].reduce((n, b) => n + Buffer.byteLength(b), 0) / bodies.size);
    const contenders: Contender[] = [{ label: '(a) order page, PGlite', target, bytes, sameBytes: true }];

    // (b) the same build, order page fed from memory.
    const memoryChild = forkScript(
      '(b) in-memory',
      join(ROOT, 'bench/lib/in-memory-server.ts'),
      { ...process.env, NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1' },
      profile('b-in-memory'),
    );
    const memory = await ask<{ port: number }>(memoryChild, { entry: new URL(`file://${ENTRY}`).href, pages });
    const memoryTarget: Target = { ...target, origin: `http://127.0.0.1:${memory.port}` };
    contenders.push({
      label: '(b) in-memory page',
      target: memoryTarget,
      bytes,
      sameBytes: await sameBodies(memoryTarget.origin, memoryTarget, bodies),
    });

    // (c) the ceiling: the same bytes from bare node:http.
    const bareChild = forkScript('(c) bare', join(ROOT, 'bench/lib/bare-server.ts'), process.env, profile('c-bare'));
    const bare = await ask<{ port: number }>(bareChild, {
      pages: new Map([...bodies].map(([path, body]) => [path, new TextEncoder().encode(body)])),
    });
    const bareTarget: Target = { ...target, origin: `http://127.0.0.1:${bare.port}` };
    contenders.push({
      label: '(c) bare node:http',
      target: bareTarget,
      bytes,
      sameBytes: await sameBodies(bareTarget.origin, bareTarget, bodies),
    });

    if (pgUrl) {
      const pgServer = await startProductionServer('(a) PostgreSQL', { DATABASE_URL: pgUrl }, profile('a-postgres'));
      log(`(a) order page on PostgreSQL: server ready in ${pgServer.readyMs} ms`);
      const pgPrepared = await prepareRequests(pgServer, pgSamples);
      contenders.push({
        label: '(a) order page, PostgreSQL',
        target: pgPrepared.target,
        bytes: Math.round([...pgPrepared.bodies.values()].reduce((n, b) => n + Buffer.byteLength(b), 0) / pgPrepared.bodies.size),
        sameBytes: [...pgPrepared.bodies].every(([path, body]) => bodies.get(path) === body),
      });
    }

    const closed = await closedRounds(contenders, phases, log);
    const rows: ResultRow[] = [];
    for (const c of contenders) {
      log(`${c.label}: open loop at ${OPEN_LOOP_RATE} req/s for ${phases.open} s, then autocannon overallRate for ${phases.burst} s`);
      const open = await openLoop(c.target, phases.open, OPEN_LOOP_RATE);
      const burst = await autocannonRate(c.target, phases.burst, OPEN_LOOP_RATE, CONNECTIONS);
      rows.push(serverRow(c, total(closed.get(c.label) ?? []), open, burst));
      if (c.label.startsWith('(a)')) rows.push(latencyRow(c.label, open));
    }
    const runs = (label: string) => closed.get(label) ?? [];
    const ratios: ResultRow[] = [
      ratioRow('(a) PGlite / (b) in-memory', runs('(a) order page, PGlite'), runs('(b) in-memory page'), 50),
      ratioRow('(a) PGlite / (c) bare', runs('(a) order page, PGlite'), runs('(c) bare node:http'), null),
    ];
    if (pgUrl) {
      ratios.push(
        ratioRow('(a) PostgreSQL / (b) in-memory', runs('(a) order page, PostgreSQL'), runs('(b) in-memory page'), 80),
        ratioRow('(a) PostgreSQL / (c) bare', runs('(a) order page, PostgreSQL'), runs('(c) bare node:http'), null),
      );
    }
    // Servers first, then the ratios and the latency goals.
    return [...rows.filter((r) => r.table === 'order page: servers'), ...ratios, ...rows.filter((r) => r.table !== 'order page: servers')];
  } finally {
    await stopAll();
    if (admin) {
      await admin.unsafe(`drop database if exists ${BENCH_DATABASE} with (force)`).catch(() => {});
      await admin.end();
    }
  }
}

export const orderPage: Bench = {
  name: 'order-page',
  description: `the order page on the database vs in memory vs bare node:http (${SEED_ORDERS} seeded orders, ${PAGES} pages round-robin)`,
  run,
};
