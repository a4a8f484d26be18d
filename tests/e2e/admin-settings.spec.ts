// Owner settings end to end: rename the store (customers see it), a bad field refused, staff added/removed, agents kept out, accessibility.
import { expect, type Page, test } from '@playwright/test';
import { DEMO_STAFF } from './demo.ts';
import { expectNoAxeViolations, signIn } from './helpers.ts';

const OWNER = DEMO_STAFF.owner;
const AGENT = DEMO_STAFF.agent;

async function saveStoreName(page: Page, name: string) {
  await page.goto('/admin/settings');
  await page.getByLabel('Store name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page).toHaveURL(/\/admin\/settings\?saved=1$/);
  await expect(page.getByRole('status')).toHaveText('Settings saved.');
}

test('the owner renames the store and customers see the new name', async ({ page }) => {
  await signIn(page, OWNER);
  await page.goto('/admin/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Store settings' })).toBeVisible();
  for (const group of ['Store', 'Messages', 'Rules']) await expect(page.getByRole('group', { name: group, exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
  const original = await page.getByLabel('Store name', { exact: true }).inputValue();
  try {
    await saveStoreName(page, 'Northwind Trading Post');
    await expect(page.getByLabel('Store name', { exact: true })).toHaveValue('Northwind Trading Post');
    await page.goto('/');
    await expect(page.getByRole('banner').getByRole('link', { name: 'Northwind Trading Post' })).toBeVisible();
    await expect(page).toHaveTitle(/Northwind Trading Post$/);
  } finally {
    // Other specs share this server and expect the demo store's name.
    await saveStoreName(page, original);
  }
  await page.goto('/');
  await expect(page.getByRole('banner').getByRole('link', { name: original })).toBeVisible();
});

test('a bad time zone is refused with the reason next to the field, and nothing is saved', async ({ page }) => {
  await signIn(page, OWNER);
  await page.goto('/admin/settings');
  const zone = page.getByLabel('Time zone', { exact: true });
  const before = await zone.inputValue();
  await page.getByLabel('Store name', { exact: true }).fill('Should Not Be Saved');
  await zone.fill('Mars/Olympus_Mons');
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Save settings' }).click();
  expect((await response).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Nothing was saved');
  await expect(page.getByRole('alert').getByRole('link', { name: 'Time zone' })).toBeVisible();
  await expect(zone).toHaveAttribute('aria-invalid', 'true');
  await expect(zone).toHaveAccessibleDescription(/Enter a time zone from the IANA list/);
  await expect(zone).toHaveValue('Mars/Olympus_Mons');
  await expectNoAxeViolations(page);
  await page.goto('/admin/settings');
  await expect(zone).toHaveValue(before);
  await expect(page.getByLabel('Store name', { exact: true })).not.toHaveValue('Should Not Be Saved');
});

test('the owner adds an agent, sees the password once, and the agent is kept out of settings until removed', async ({ page, browser }) => {
  const email = `new.agent.${Date.now()}@northwind.example`;
  await signIn(page, OWNER);
  await page.goto('/admin/settings/staff');
  await expect(page.getByRole('heading', { level: 1, name: 'Staff' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: /Rosa Lindqvist \(you\)/ })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel('Name', { exact: true }).fill('Nova Agent');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption('agent');
  await page.getByRole('button', { name: 'Add staff member' }).click();
  const added = page.getByRole('status');
  await expect(added).toContainText(`Added Nova Agent (${email}) as an agent.`);
  await expect(added).toContainText('shown only this once');
  const password = (await page.locator('#new-password').textContent())?.trim() ?? '';
  expect(password.replaceAll('-', '').length).toBeGreaterThanOrEqual(26);
  await expect(page.getByRole('rowheader', { name: 'Nova Agent' })).toBeVisible();
  await expectNoAxeViolations(page);
  // Shown once: the next visit does not show it again.
  await page.goto('/admin/settings/staff');
  await expect(page.getByText(password)).toHaveCount(0);

  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signIn(agent, { email, password });
  for (const path of ['/admin/settings', '/admin/settings/staff']) {
    const r = await agent.goto(path);
    expect(r?.status(), path).toBe(403);
    await expect(agent.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  }

  // A role change takes effect on the member's very next request.
  await page.getByLabel('Role of Nova Agent').selectOption('owner');
  await page.getByRole('button', { name: 'Save role of Nova Agent' }).click();
  await expect(page.getByRole('status')).toHaveText('Role changed.');
  expect((await agent.goto('/admin/settings'))?.status()).toBe(200);
  await page.getByLabel('Role of Nova Agent').selectOption('agent');
  await page.getByRole('button', { name: 'Save role of Nova Agent' }).click();
  await expect(page.getByRole('status')).toHaveText('Role changed.');
  expect((await agent.goto('/admin/settings'))?.status()).toBe(403);

  await page.getByRole('link', { name: 'Remove Nova Agent' }).click();
  await expect(page.getByRole('heading', { name: 'Remove Nova Agent?' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Yes, remove Nova Agent' }).click();
  await expect(page).toHaveURL(/\/admin\/settings\/staff\?saved=removed$/);
  await expect(page.getByRole('status')).toHaveText('Staff member removed. They have been signed out everywhere.');
  await expect(page.getByRole('rowheader', { name: 'Nova Agent' })).toHaveCount(0);
  await agent.goto('/admin');
  await expect(agent).toHaveURL(/\/admin\/login$/);
  await agentContext.close();
});

test('the demo agent gets 403 on both settings pages, and their posts change nothing', async ({ page }) => {
  await signIn(page, AGENT);
  const origin = new URL(page.url()).origin;
  for (const path of ['/admin/settings', '/admin/settings/staff']) {
    const r = await page.goto(path);
    expect(r?.status(), path).toBe(403);
    await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  }
  const settings = await page.request.post('/admin/settings', {
    form: { name: 'Agent Was Here' },
    headers: { Origin: origin },
    maxRedirects: 0,
  });
  expect(settings.status()).toBe(403);
  const staff = await page.request.post('/admin/settings/staff', {
    form: { intent: 'add', name: 'Sneaky', email: 'sneaky@northwind.example', role: 'owner' },
    headers: { Origin: origin },
    maxRedirects: 0,
  });
  expect(staff.status()).toBe(403);
  await page.goto('/');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Agent Was Here' })).toHaveCount(0);
});

test('junk posts to the settings pages get a clear 4xx and change nothing', async ({ page }) => {
  await signIn(page, OWNER);
  const origin = new URL(page.url()).origin;
  const post = (path: string, options: Parameters<Page['request']['post']>[1]) =>
    page.request.post(path, { headers: { Origin: origin, ...options?.headers }, maxRedirects: 0, ...options });
  expect((await post('/admin/settings', { data: { name: 'JSON' }, headers: { 'Content-Type': 'application/json' } })).status()).toBe(400);
  expect((await post('/admin/settings', { form: { name: 'Only a name' } })).status()).toBe(400);
  expect(
    (await post('/admin/settings', { multipart: { name: { name: 'x.txt', mimeType: 'text/plain', buffer: Buffer.from('x') } } })).status(),
  ).toBe(400);
  expect((await post('/admin/settings/staff', { data: '{}', headers: { 'Content-Type': 'application/json' } })).status()).toBe(400);
  expect((await post('/admin/settings/staff', { form: { intent: 'role', userId: 'abc', role: 'owner' } })).status()).toBe(400);
  expect((await post('/admin/settings/staff', { form: { intent: 'role', userId: '999999', role: 'owner' } })).status()).toBe(404);
  expect((await post('/admin/settings/staff', { form: { intent: 'remove', userId: '999999', confirm: 'yes' } })).status()).toBe(404);
  expect(
    (await post('/admin/settings/staff', { form: { intent: 'add', name: 'X', email: 'owner@northwind.example', role: 'agent' } })).status(),
  ).toBe(409);
  await page.goto('/');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Northwind Outfitters' })).toBeVisible();
});

test('the settings pages fit a 320 px phone', async ({ page }) => {
  await signIn(page, OWNER);
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ['/admin/settings', '/admin/settings/staff', '/admin/settings/api-keys']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});
