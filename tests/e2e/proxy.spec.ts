import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIRequestContext, expect, request, test } from '@playwright/test';
import { DEMO } from './demo.ts';

// TRUST_PROXY, both ways: the suite's server runs with the default 0 and an http PUBLIC_URL; a second server here runs
// as it would behind one TLS-terminating proxy (TRUST_PROXY=1, PUBLIC_URL https), and this test plays the proxy.

const PUBLIC_URL = 'https://status.example.test';
const FORM_HEADERS = { Origin: PUBLIC_URL, 'X-Forwarded-Proto': 'https' };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function lookUp(ctx: APIRequestContext, number: string, contact: string, headers: Record<string, string>) {
  return ctx.post('/', { form: { number, contact }, headers, maxRedirects: 0 });
}

test.describe('behind one trusted proxy (TRUST_PROXY=1, PUBLIC_URL https)', () => {
  let server: ChildProcess;
  let ctx: APIRequestContext;
  const dataDir = join(tmpdir(), `porchlight-e2e-proxy-${process.pid}`, 'data');

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const port = await freePort();
    rmSync(dataDir, { recursive: true, force: true });
    server = spawn(process.execPath, ['server.mjs'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL,
        TRUST_PROXY: '1',
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        DEMO_SEED: 'on',
        NOTIFIER: 'off',
      },
      stdio: 'ignore',
    });
    ctx = await request.newContext({ baseURL: `http://127.0.0.1:${port}` });
    await expect(async () => expect((await ctx.get('/')).status()).toBe(200)).toPass({ timeout: 110_000 });
  });

  test.afterAll(async () => {
    await ctx?.dispose();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  test('a form posted from the https address is accepted, and clients get their own rate-limit buckets', async () => {
    const attacker = { ...FORM_HEADERS, 'X-Forwarded-For': '198.51.100.1' };
    for (let i = 0; i < 5; i++) expect((await lookUp(ctx, DEMO.onTime.number, `guess${i}@example.com`, attacker)).status()).toBe(401);
    expect((await lookUp(ctx, DEMO.onTime.number, DEMO.onTime.email, attacker)).status()).toBe(429);
    // Whatever the attacker writes in front of the proxy's entry stays their bucket.
    const disguised = { ...attacker, 'X-Forwarded-For': '203.0.113.9, 198.51.100.1' };
    expect((await lookUp(ctx, DEMO.onTime.number, DEMO.onTime.email, disguised)).status()).toBe(429);
    // The customer, through the same proxy from their own address, gets in.
    const customer = { ...FORM_HEADERS, 'X-Forwarded-For': '198.51.100.2' };
    const response = await lookUp(ctx, DEMO.onTime.number, DEMO.onTime.email, customer);
    expect(response.status()).toBe(303);
    expect(response.headers().location).toBe(`/orders/${DEMO.onTime.number}`);
  });

  test('a cross-site form is still refused', async () => {
    const r = await lookUp(ctx, DEMO.onTime.number, DEMO.onTime.email, { Origin: 'https://evil.example', 'X-Forwarded-Proto': 'https' });
    expect(r.status()).toBe(403);
  });

  test('every response carries HSTS and nosniff, static assets included', async () => {
    const page = await ctx.get('/');
    expect(page.headers()['strict-transport-security']).toBe('max-age=31536000');
    expect(page.headers()['x-content-type-options']).toBe('nosniff');
    const asset = /\/_astro\/[^"]+\.css/.exec(await page.text())?.[0];
    expect(asset).toBeDefined();
    const css = await ctx.get(asset as string);
    expect(css.status()).toBe(200);
    expect(css.headers()['strict-transport-security']).toBe('max-age=31536000');
    expect(css.headers()['x-content-type-options']).toBe('nosniff');
  });
});

test.describe('at the default TRUST_PROXY=0', () => {
  test('X-Forwarded-Proto is ignored: a form from the https twin of our address is refused', async ({ request, baseURL }) => {
    const origin = (baseURL as string).replace('http:', 'https:');
    const r = await lookUp(request, DEMO.onTime.number, DEMO.onTime.email, { Origin: origin, 'X-Forwarded-Proto': 'https' });
    expect(r.status()).toBe(403);
  });

  test('a spoofed X-Forwarded-For on every guess does not change the rate-limit bucket', async ({ request, baseURL }) => {
    const origin = new URL(baseURL as string).origin;
    const order = '1012';
    for (let i = 0; i < 5; i++) {
      const r = await lookUp(request, order, `guess${i}@example.com`, { Origin: origin, 'X-Forwarded-For': `198.51.100.${10 + i}` });
      expect(r.status()).toBe(401);
    }
    const r = await lookUp(request, order, 'another.guess@example.com', { Origin: origin, 'X-Forwarded-For': '198.51.100.99' });
    expect(r.status()).toBe(429);
  });
});
