// API keys end to end: the owner creates a key in the console, sees it once, reads an order with it over HTTP, sees its
// last use, and revokes it after a confirmation; agents are kept out; the page works on a 320 px phone.
import { expect, type Page, test } from '@playwright/test';
import { DEMO, DEMO_STAFF } from './demo.ts';
import { expectNoAxeViolations, signIn } from './helpers.ts';

const OWNER = DEMO_STAFF.owner;
const PATH = '/admin/settings/api-keys';

async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function createKey(page: Page, name: string, scope: 'Read' | 'Write'): Promise<string> {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('radio', { name: new RegExp(`^${scope}`) }).check();
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Create key' }).click();
  expect((await response).status()).toBe(201);
  await expect(page.getByRole('status')).toContainText(`Key “${name}” created`);
  await expect(page.getByRole('status')).toContainText('shown only this once');
  return page.getByLabel('Your new API key').inputValue();
}

test('the owner creates a key, reads an order with it, sees its last use, and revokes it', async ({ page, baseURL }) => {
  const name = `Order sync ${Date.now()}`;
  await signIn(page, OWNER);
  await page.goto('/admin/settings');
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();
  await expectNoAxeViolations(page);

  const key = await createKey(page, name, 'Read');
  expect(key).toMatch(/^pl_[a-z2-7]{24}\.[a-z2-7]{39}$/);
  await expect(page.getByLabel('Your new API key')).toHaveAccessibleDescription(/Copy it now: it is shown only this once/);
  await expectNoAxeViolations(page);
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row.getByRole('cell', { name: 'Never' })).toBeVisible();

  // An integration on another server: no cookie, no Origin, just the key.
  const read = await fetch(`${baseURL}/api/v1/orders/${DEMO.onTime.number}`, { headers: { Authorization: `Bearer ${key}` } });
  expect(read.status).toBe(200);
  expect(read.headers.get('ratelimit-policy')).toMatch(/^"per-key";q=\d+;w=60$/);
  const order = await read.json();
  expect(order).toMatchObject({ number: DEMO.onTime.number, customer: { email: DEMO.onTime.email } });
  expect(order.lines[0]).toMatchObject({ status: expect.any(String), unit_price: expect.any(Number) });
  // A read key cannot write.
  const write = await fetch(`${baseURL}/api/v1/orders/${DEMO.onTime.number}/notes`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'Hello from the test' }),
  });
  expect(write.status).toBe(403);
  expect(write.headers.get('content-type')).toBe('application/problem+json');

  // Shown once: the next visit lists the key with its last use, never the key itself.
  await page.goto(PATH);
  await expect(page.getByText(key)).toHaveCount(0);
  await expect(row.getByRole('cell', { name: 'Never' })).toHaveCount(0);
  await expect(row.getByRole('cell', { name: 'Active' })).toBeVisible();

  await row.getByRole('link', { name: `Revoke ${name}` }).click();
  await expect(page.getByRole('heading', { name: `Revoke “${name}”?` })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: `Yes, revoke “${name}”` }).click();
  await expect(page).toHaveURL(/\?saved=revoked$/);
  await expect(page.getByRole('status')).toHaveText('API key revoked. Requests with it are refused from now on.');
  await expect(row.getByRole('cell', { name: /^Revoked / })).toBeVisible();
  await expect(row.getByRole('link', { name: /Revoke/ })).toHaveCount(0);

  const refused = await fetch(`${baseURL}/api/v1/orders/${DEMO.onTime.number}`, { headers: { Authorization: `Bearer ${key}` } });
  expect(refused.status).toBe(401);
  expect(await refused.json()).toMatchObject({ type: '/api/v1/problems/api-key-revoked', status: 401 });
});

test('a nameless key is refused next to the field', async ({ page }) => {
  await signIn(page, OWNER);
  await page.goto(PATH);
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Create key' }).click();
  expect((await response).status()).toBe(400);
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Name', { exact: true })).toHaveAccessibleDescription(/Give the key a name/);
  await expectNoAxeViolations(page);
});

test('the agent gets 403', async ({ page }) => {
  await signIn(page, DEMO_STAFF.agent);
  expect((await page.goto(PATH))?.status()).toBe(403);
});

test('the page works on a phone 320 px wide, and at 390 and 1280 px', async ({ page }, testInfo) => {
  await signIn(page, OWNER);
  await page.goto(PATH);
  await createKey(page, `Phone check ${Date.now()}`, 'Write');
  for (const width of [320, 390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoSidewaysScroll(page);
    if (width !== 320) await page.screenshot({ path: testInfo.outputPath(`api-keys-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 320, height: 800 });
  await expectNoAxeViolations(page);
});
