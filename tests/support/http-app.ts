// The built portal (dist/, what `npm start` serves) running inside this test process on a fresh database with the
// demo store, so a test can speak HTTP to it and read the database it writes. Needs `npm run build` first.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '#db/client.ts';
import { rowsOf } from '#db/client.ts';
import { setRuntimeDatabase } from '#db/runtime.ts';
import { seedDemo } from '#db/seed.ts';
import { seedDemoStaff } from '#src/staff/demo-staff.ts';
import { freshDatabase } from './test-database.ts';

export type App = {
  /** The portal's own origin, also its PUBLIC_URL. */
  url: string;
  database: Database;
  /** A fetch against the portal that never follows redirects; form posts carry the portal's Origin, as a browser's do. */
  request(path: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
  /** Posts a form (application/x-www-form-urlencoded). */
  post(path: string, fields: Record<string, string>, cookie?: string): Promise<Response>;
  /** Signs the demo owner in through the sign-in form; returns the session cookie to send. */
  ownerCookie(): Promise<string>;
  close(): Promise<void>;
};

const entry = new URL('../../dist/server/entry.mjs', import.meta.url);

/** Starts the built server with `env` on top of a test configuration. One per test file: the configuration is read once. */
export async function startApp(env: Record<string, string> = {}): Promise<App> {
  if (!existsSync(entry)) throw new Error('No build in dist/: run `npm run build` first (`npm test` does).');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  Object.assign(process.env, {
    PUBLIC_URL: url,
    HOST: '127.0.0.1',
    PORT: String(port),
    ASTRO_NODE_AUTOSTART: 'disabled',
    NOTIFIER: 'off',
    ASTRO_TELEMETRY_DISABLED: '1',
    ...env,
  });
  const database = await freshDatabase();
  await seedDemo(database.db);
  await seedDemoStaff(database.db);
  setRuntimeDatabase(database);
  const { startServer } = (await import(entry.href)) as { startServer: () => { server: RunningServer } };
  const { server } = startServer();
  await new Promise<void>((resolve) => (server.server.listening ? resolve() : server.server.once('listening', () => resolve())));

  const request: App['request'] = (path, init = {}) => {
    const { cookie, headers, ...rest } = init;
    const h = new Headers(headers);
    if (cookie) h.set('cookie', cookie);
    if (rest.method && rest.method !== 'GET' && !h.has('origin')) h.set('origin', url);
    return fetch(`${url}${path}`, { redirect: 'manual', ...rest, headers: h });
  };
  const post: App['post'] = (path, fields, cookie) =>
    request(path, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      ...(cookie ? { cookie } : {}),
    });
  let owner: string | undefined;
  return {
    url,
    database,
    request,
    post,
    async ownerCookie() {
      if (owner) return owner;
      const response = await post('/admin/login', { email: 'owner@northwind.example', password: 'porchlight-demo-owner' });
      const set = response.headers.getSetCookie().find((c) => c.startsWith('__Host-'));
      if (response.status !== 303 || !set) throw new Error(`demo owner sign-in failed: ${response.status}`);
      owner = set.split(';')[0] as string;
      return owner;
    },
    async close() {
      await server.stop();
      await database.close();
    },
  };
}

type RunningServer = { server: import('node:http').Server; stop(): Promise<void> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Counters of failed attempts, session refreshes and an API key's last use change on any visit; they are not what a
 * request stores.
 */
const NOT_STORED_DATA = new Set(['rate_limits', 'staff_sessions', 'api_keys', '__drizzle_migrations']);

/**
 * A digest of every stored row, table by table (rate-limit counters and session refreshes aside): equal digests before
 * and after a request mean it stored nothing.
 */
export async function storedData(database: Database): Promise<Record<string, string>> {
  const tables = rowsOf<{ name: string }>(
    await database.db.execute(sql`select tablename as name from pg_tables where schemaname = 'public' order by tablename`),
  ).filter((t) => !NOT_STORED_DATA.has(t.name));
  const digest: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = rowsOf<{ n: number; h: string | null }>(
      await database.db.execute(sql.raw(`select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h from "${name}" t`)),
    );
    digest[name] = `${row?.n}:${row?.h ?? ''}`;
  }
  return digest;
}

/**
 * Sends, reads the whole answer, and expects what every boundary owes bad input: a 4xx (its text in the failure
 * message) and not one stored row changed. Returns the response, its body read.
 */
export async function expectRefusedWithoutChange(app: App, send: () => Promise<Response>): Promise<Response> {
  const before = await storedData(app.database);
  const response = await send();
  const body = await response.text();
  const answer = `answered ${response.status}: ${body
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 300)}`;
  expect(response.status, answer).toBeGreaterThanOrEqual(400);
  expect(response.status, answer).toBeLessThan(500);
  expect(await storedData(app.database)).toEqual(before);
  return response;
}
