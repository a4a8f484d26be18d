// The running server's /healthz and /readyz, and its output under LOG_FORMAT=json: one JSON object per line, a line per
// request with the route's pattern, and no customer's e-mail address or phone number anywhere.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { DEMO, DEMO_STAFF } from './demo.ts';

test('/healthz and /readyz answer on the running server, GET and HEAD, uncacheable and without a cookie', async ({ request }) => {
  const health = await request.get('/healthz');
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  expect(health.headers()['cache-control']).toBe('no-store');

  const ready = await request.get('/readyz');
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toMatchObject({
    status: 'ready',
    checks: { database: { ok: true }, migrations: { ok: true }, notifier: { ok: true } },
  });
  expect(ready.headers()['cache-control']).toBe('no-store');
  expect(ready.headers()['set-cookie']).toBeUndefined();

  for (const path of ['/healthz', '/readyz']) {
    const head = await request.head(path);
    expect(head.status(), path).toBe(200);
    expect(await head.body(), path).toHaveLength(0);
  }
});

type Line = { level: string; time: string; msg: string; fields?: Record<string, unknown> };

/** A second server on its own embedded database and a free port, logging JSON; its stdout and stderr, line by line. */
async function jsonServer(): Promise<{ url: string; stop: () => Promise<string[]> }> {
  const dir = mkdtempSync(join(tmpdir(), 'porchlight-json-log-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_FORMAT: 'json',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    DEMO_SEED: 'on',
  };
  delete env.DATABASE_URL;
  delete env.PUBLIC_URL;
  const child: ChildProcess = spawn(process.execPath, ['server.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match[1] as string);
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited (${code}):\n${output}`));
    });
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
      return output.split('\n').filter((l) => l !== '');
    },
  };
}

async function lookUp(page: Page, base: string, number: string, contact: string) {
  await page.goto(`${base}/`);
  await page.getByLabel('Order number').fill(number);
  await page.getByLabel('E-mail or phone number').fill(contact);
  await page.getByRole('button', { name: 'Show my order' }).click();
}

test('with LOG_FORMAT=json every line is one JSON object, each request one line by route, and no customer shows', async ({ page }) => {
  // A second server: a fresh embedded database and the demo seed take a minute on a busy machine.
  test.setTimeout(240_000);
  const server = await jsonServer();
  let lines: string[] = [];
  try {
    await lookUp(page, server.url, DEMO.onTime.number, DEMO.onTime.email);
    await expect(page).toHaveURL(new RegExp(`/orders/${DEMO.onTime.number}$`));
    await lookUp(page, server.url, DEMO.onTime.number, DEMO.onTime.phone);
    await lookUp(page, server.url, DEMO.delayed.number, 'nobody.here@example.org');
    await lookUp(page, server.url, DEMO.delayed.number, '+44 20 7946 0018');
    expect((await page.request.get(`${server.url}/readyz`)).status()).toBe(200);
  } finally {
    lines = await server.stop();
  }
  const objects = lines.map((line) => {
    const parsed = JSON.parse(line) as Line;
    expect(Object.keys(parsed).sort(), line).toEqual(parsed.fields ? ['fields', 'level', 'msg', 'time'] : ['level', 'msg', 'time']);
    expect(Number.isNaN(Date.parse(parsed.time)), line).toBe(false);
    return parsed;
  });
  const requests = objects.filter((o) => o.msg === 'request').map((o) => o.fields as Record<string, unknown>);
  expect(requests).toContainEqual({ method: 'POST', route: '/', status: expect.any(Number), duration_ms: expect.any(Number) });
  expect(requests).toContainEqual({ method: 'GET', route: '/orders/[number]', status: 200, duration_ms: expect.any(Number) });
  expect(requests).toContainEqual({ method: 'GET', route: '/readyz', status: 200, duration_ms: expect.any(Number) });
  const all = lines.join('\n');
  for (const personal of [
    DEMO.onTime.email,
    DEMO.delayed.email,
    DEMO_STAFF.owner.email,
    'nobody.here@example.org',
    '2000000',
    '79460018',
  ]) {
    expect(all).not.toContain(personal);
  }
});
