// The production portal as benchmarks drive it: a fresh build, `server.mjs` as a child process, real lookups.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, eq, gte, sql } from 'drizzle-orm';
import type { Database } from '#db/client.ts';
import { customers, orders } from '#db/schema/index.ts';
import { seedDemo, seedLarge } from '#db/seed.ts';
import { ORDER_ACCESS_COOKIE } from '#src/auth/order-access.ts';
import { type Child, freePort, startScript, waitForOutput } from './processes.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ENTRY = join(ROOT, 'dist/server/entry.mjs');

/**
 * The Node flags `npm start` runs server.mjs with (package.json is the one place they are written), so a benchmark
 * measures the server as it is deployed.
 */
export const PRODUCTION_NODE_FLAGS: string[] = (() => {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';
  const flags = /\bnode\s+(.*?)\s*server\.mjs/.exec(start)?.[1] ?? '';
  return flags.split(/\s+/).filter(Boolean);
})();

export type Sample = { id: number; number: string; email: string };
export type Server = { origin: string; child: Child; readyMs: number };

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds with `npm run build` when dist/ is missing or older than the sources it is built from. */
export function ensureBuild(log: (m: string) => void): void {
  const sources = ['src', 'db', 'astro.config.mjs'].map((p) => join(ROOT, p));
  const reason = !existsSync(ENTRY)
    ? 'no build in dist/'
    : sources.some((p) => newestMtime(p) > statSync(ENTRY).mtimeMs)
      ? 'dist/ is older than the sources'
      : null;
  if (!reason) return;
  log(`${reason}: npm run build`);
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('npm run build failed');
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A real lookup (the form post, origin header and all) that returns the access cookie. */
export async function lookUp(origin: string, sample: Sample): Promise<string> {
  const res = await fetch(`${origin}/`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ number: sample.number, contact: sample.email }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${ORDER_ACCESS_COOKIE}=`));
  if (res.status !== 303 || !cookie) throw new Error(`lookup of order ${sample.number} answered ${res.status} without the access cookie`);
  return cookie.split(';')[0] as string;
}

export async function fetchPage(origin: string, path: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${origin}${path}`, { headers, redirect: 'manual' });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} on ${origin} answered ${res.status}`);
  return body;
}

export async function startProductionServer(label: string, env: NodeJS.ProcessEnv, extraFlags: string[] = []): Promise<Server> {
  const port = await freePort();
  const nodeFlags = [...PRODUCTION_NODE_FLAGS, ...(process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? []), ...extraFlags];
  const child = startScript(
    label,
    join(ROOT, 'server.mjs'),
    {
      ...process.env,
      ...env,
      NODE_ENV: 'production',
      // Production will not start without an e-mail provider (decision 031). Nothing here is sent: a key and an
      // address where nothing listens stand in, unless the caller gives real ones.
      ...(env.RESEND_API_KEY || process.env.RESEND_API_KEY
        ? {}
        : { RESEND_API_KEY: 're_bench_sends_nothing', RESEND_BASE_URL: 'http://127.0.0.1:9' }),
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DEMO_SEED: 'off',
      ASTRO_TELEMETRY_DISABLED: '1',
    },
    nodeFlags,
  );
  const ready = await waitForOutput(child, /ready in (\d+) ms/);
  return { origin: `http://127.0.0.1:${port}`, child, readyMs: Number(ready[1]) };
}

/**
 * Migrates and seeds the demo store plus `count` more orders, then samples `pages` orders spread over the large set
 * (the pages a benchmark reads). Seeded with the same `now`, two databases hold the same store and render the same bytes.
 */
export async function seedBenchStore(
  database: Database,
  count: number,
  now: Date,
  log: (m: string) => void,
  pages = 16,
): Promise<Sample[]> {
  await database.migrate();
  const started = performance.now();
  await seedDemo(database.db, now);
  await seedLarge(database.db, count, now, (done) => {
    if (done % 20_000 === 0) log(`  seeded ${done.toLocaleString('en-US')} orders`);
  });
  log(`seeded the demo + ${count.toLocaleString('en-US')} orders in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const large = await database.db
    .select({ id: orders.id, number: orders.number, email: customers.email })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .where(gte(sql`${orders.number}::int`, 100_001))
    .orderBy(asc(orders.id));
  const step = Math.floor(large.length / pages);
  return Array.from({ length: pages }, (_, i) => large[i * step] as Sample);
}
