import { type APIRequestContext, expect, request, test } from '@playwright/test';
import { DEMO } from './demo.ts';

// Every console page and action, walked as someone who must be refused and as someone who may pass.
const PAGES = [
  '/admin',
  '/admin/account',
  '/admin/orders',
  `/admin/orders/${DEMO.onTime.number}`,
  '/admin/skus',
  '/admin/skus/AUR-LAMP',
  '/admin/skus/AUR-LAMP?preview=1&from=2030-01-01&to=2030-01-02&reason=x',
  '/admin/notifications',
  '/admin/notifications/templates',
];
/** Owner-only: settings, staff management and API keys. */
const OWNER_PAGES = ['/admin/settings', '/admin/settings/staff', '/admin/settings/api-keys'];
const ACTIONS: Array<{ path: string; form: Record<string, string> }> = [
  { path: '/admin/account', form: { action: 'sign_out_everywhere' } },
  { path: `/admin/orders/${DEMO.onTime.number}`, form: { action: 'note', text: 'hello' } },
  { path: '/admin/skus/AUR-LAMP', form: { from: '2030-01-01', to: '2030-01-02', reason: 'x', confirm: 'send' } },
  { path: '/admin/settings', form: { name: 'Hijacked' } },
  { path: '/admin/settings/staff', form: { action: 'add', email: 'x@example.com', name: 'X', role: 'owner' } },
  { path: '/admin/settings/api-keys', form: { intent: 'create', name: 'Stolen', scope: 'write' } },
];

async function context(baseURL: string, setup?: (ctx: APIRequestContext) => Promise<void>) {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { Origin: new URL(baseURL).origin } });
  if (setup) await setup(ctx);
  return ctx;
}

function expectSentToSignIn(status: number, location: string | undefined) {
  expect(status).toBe(303);
  expect(location ?? '').toMatch(/^\/admin\/login(\?next=.*)?$/);
}

test('anonymous visitors are sent to sign-in from every console page and action', async ({ baseURL }) => {
  const ctx = await context(baseURL as string);
  for (const path of [...PAGES, ...OWNER_PAGES]) {
    const r = await ctx.get(path, { maxRedirects: 0 });
    expectSentToSignIn(r.status(), r.headers().location);
  }
  for (const a of ACTIONS) {
    const r = await ctx.post(a.path, { form: a.form, maxRedirects: 0 });
    expectSentToSignIn(r.status(), r.headers().location);
  }
  expect((await ctx.get('/admin/setup', { maxRedirects: 0 })).status()).toBe(404);
  await ctx.dispose();
});

test('a customer with access to an order gets no further into the console than anyone else', async ({ baseURL }) => {
  const ctx = await context(baseURL as string, async (c) => {
    const r = await c.post('/', { form: { number: DEMO.onTime.number, contact: DEMO.onTime.email }, maxRedirects: 0 });
    expect(r.status()).toBe(303);
  });
  expect((await ctx.get(`/orders/${DEMO.onTime.number}`)).status()).toBe(200);
  for (const path of [...PAGES, ...OWNER_PAGES]) {
    const r = await ctx.get(path, { maxRedirects: 0 });
    expectSentToSignIn(r.status(), r.headers().location);
  }
  for (const a of ACTIONS) {
    const r = await ctx.post(a.path, { form: a.form, maxRedirects: 0 });
    expectSentToSignIn(r.status(), r.headers().location);
  }
  await ctx.dispose();
});

test('an agent may use every page that is not owner-only', async ({ baseURL }) => {
  const ctx = await context(baseURL as string, async (c) => {
    const r = await c.post('/admin/login', {
      form: { email: 'agent@northwind.example', password: 'porchlight-demo-agent' },
      maxRedirects: 0,
    });
    expect(r.status()).toBe(303);
  });
  for (const path of PAGES) {
    const r = await ctx.get(path, { maxRedirects: 0 });
    expect(r.status(), path).toBe(200);
  }
  // Settings, staff and keys are the owner's.
  for (const path of OWNER_PAGES) expect((await ctx.get(path, { maxRedirects: 0 })).status(), path).toBe(403);
  for (const a of ACTIONS.filter((x) => OWNER_PAGES.includes(x.path))) {
    expect((await ctx.post(a.path, { form: a.form, maxRedirects: 0 })).status(), a.path).toBe(403);
  }
  await ctx.dispose();
});

test('an owner may open the owner-only pages', async ({ baseURL }) => {
  const ctx = await context(baseURL as string, async (c) => {
    await c.post('/admin/login', { form: { email: 'owner@northwind.example', password: 'porchlight-demo-owner' }, maxRedirects: 0 });
  });
  for (const path of [...PAGES, ...OWNER_PAGES]) expect((await ctx.get(path, { maxRedirects: 0 })).status(), path).toBe(200);
  await ctx.dispose();
});

test('a cross-site post with a valid staff session is refused', async ({ baseURL }) => {
  const ctx = await context(baseURL as string, async (c) => {
    await c.post('/admin/login', { form: { email: 'agent@northwind.example', password: 'porchlight-demo-agent' }, maxRedirects: 0 });
  });
  const r = await ctx.post('/admin/skus/AUR-LAMP', {
    form: { from: '2030-01-01', to: '2030-01-02', reason: 'x', confirm: 'send' },
    headers: { Origin: 'https://evil.example' },
    maxRedirects: 0,
  });
  expect(r.status()).toBe(403);
  await ctx.dispose();
});
