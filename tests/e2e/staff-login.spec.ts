// Staff sign-in to the console: the demo owner and agent, the generic error, sign-out, the closed setup page, accessibility.
import { expect, test } from '@playwright/test';
import { DEMO_STAFF } from './demo.ts';
import { expectNoAxeViolations, submitSignIn } from './helpers.ts';

const OWNER = DEMO_STAFF.owner;
const AGENT = DEMO_STAFF.agent;

test('the demo owner signs in and sees the console home', async ({ page }) => {
  await page.goto('/admin/login');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expectNoAxeViolations(page);
  await submitSignIn(page, OWNER);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText(`Signed in as ${OWNER.name} (owner)`)).toBeVisible();
  for (const section of ['Orders', 'SKUs', 'Notifications', 'Settings'])
    await expect(page.getByRole('main').getByText(section, { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
  const cookie = (await page.context().cookies()).find((c) => c.name === '__Host-porchlight-staff');
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
});

test('a wrong password gets the same generic error as an unknown e-mail', async ({ page }) => {
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await submitSignIn(page, { email: OWNER.email, password: 'not-the-password' });
  expect((await response).status()).toBe(401);
  const message = 'That e-mail address and password do not match an account. Check both and try again.';
  await expect(page.getByRole('alert')).toHaveText(message);
  await expect(page.getByLabel('E-mail address')).toHaveValue(OWNER.email);
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expectNoAxeViolations(page);
  await submitSignIn(page, { email: 'nobody@northwind.example', password: 'not-the-password' });
  await expect(page.getByRole('alert')).toHaveText(message);
});

test('signing out returns to sign-in, and the console then asks to sign in again', async ({ page }) => {
  await submitSignIn(page, AGENT);
  await expect(page.getByText(`Signed in as ${AGENT.name} (agent)`)).toBeVisible();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login$/);
});

test('an anonymous visit to the console is sent to sign-in, and comes back after it', async ({ page, request }) => {
  const direct = await request.get('/admin', { maxRedirects: 0 });
  expect(direct.status()).toBe(303);
  expect(direct.headers().location).toBe('/admin/login');
  const deep = await request.get('/admin/account', { maxRedirects: 0 });
  expect(deep.headers().location).toBe('/admin/login?next=%2Fadmin%2Faccount');
  await page.goto('/admin/account');
  await expect(page).toHaveURL(/\/admin\/login\?next=%2Fadmin%2Faccount$/);
  await page.getByLabel('E-mail address').fill(OWNER.email);
  await page.getByLabel('Password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin\/account$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a next address pointing at another site is ignored', async ({ page }) => {
  await submitSignIn(page, OWNER, '/admin/login?next=//evil.example/admin');
  await expect(page).toHaveURL(/localhost:\d+\/admin$/);
});

test('the setup page is gone once staff accounts exist', async ({ page }) => {
  const response = await page.goto('/admin/setup');
  expect(response?.status()).toBe(404);
  const post = await page.request.post('/admin/setup', {
    form: { name: 'Mallory', email: 'mallory@evil.example', password: 'mallory-password', confirm: 'mallory-password' },
    headers: { Origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect(post.status()).toBe(404);
});

test('sign-out and sign-in refuse cross-site form posts', async ({ request }) => {
  const logout = await request.post('/admin/logout', { form: {}, headers: { Origin: 'https://evil.example' }, maxRedirects: 0 });
  expect(logout.status()).toBe(403);
  const login = await request.post('/admin/login', {
    form: { email: OWNER.email, password: OWNER.password },
    headers: { Origin: 'https://evil.example' },
    maxRedirects: 0,
  });
  expect(login.status()).toBe(403);
});

test('sign-in works with the keyboard alone and fits a 320 px phone', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/admin/login');
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab'); // console name
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('E-mail address')).toBeFocused();
  await page.keyboard.type(OWNER.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(OWNER.password);
  await page.keyboard.press('Enter');
  await expect(page.getByText(`Signed in as ${OWNER.name} (owner)`)).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('"sign out everywhere" ends the sessions on every device', async ({ browser }) => {
  const phone = await browser.newContext();
  const laptop = await browser.newContext();
  const [a, b] = [await phone.newPage(), await laptop.newPage()];
  await submitSignIn(a, AGENT);
  await submitSignIn(b, AGENT);
  await expect(b.getByText(`Signed in as ${AGENT.name} (agent)`)).toBeVisible();
  await a.getByRole('link', { name: 'Account', exact: true }).click();
  await a.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(a).toHaveURL(/\/admin\/login\?out=everywhere$/);
  await expect(a.getByRole('status')).toHaveText('You have been signed out on every device.');
  await b.reload();
  await expect(b).toHaveURL(/\/admin\/login$/);
  await phone.close();
  await laptop.close();
});
