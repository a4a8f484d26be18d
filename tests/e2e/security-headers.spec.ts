import { expect, type Page, test } from '@playwright/test';
import { DEMO, DEMO_STAFF } from './demo.ts';
import { signIn } from './helpers.ts';

// Every page carries a Content-Security-Policy the browser can live with, and every response (static assets too) nosniff.

const CUSTOMER_PAGES = ['/', `/orders/${DEMO.onTime.number}`, `/orders/${DEMO.onTime.number}/respond?t=not-a-token`, '/no/such/page'];
const CONSOLE_PAGES = [
  '/admin',
  '/admin/account',
  '/admin/orders',
  `/admin/orders/${DEMO.onTime.number}`,
  `/admin/orders/${DEMO.cancelled.number}`,
  '/admin/skus',
  '/admin/skus/AUR-LAMP',
  '/admin/skus/AUR-LAMP?preview=1&from=2030-01-01&to=2030-01-02&reason=Supplier%20delay',
  '/admin/notifications',
  '/admin/notifications/templates',
  '/admin/settings',
  '/admin/settings/staff',
  // A job exists once another spec has moved a SKU; otherwise this is the console's not-found page, which counts too.
  '/admin/jobs/1',
  '/dev/mailbox',
];

/** Collects what Chromium reports about the policy: console errors ("Refused to …") from the page and its frames. */
function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Refused to|Content Security Policy|Content-Security-Policy/i.test(text)) seen.push(`${page.url()}: ${text.slice(0, 160)}`);
  });
  page.on('pageerror', (error) => seen.push(`${page.url()}: ${error.message}`));
  return seen;
}

async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response, path).not.toBeNull();
  const headers = response?.headers() ?? {};
  const csp = headers['content-security-policy'] ?? '';
  expect(csp, `${path} carries a CSP`).toMatch(/script-src 'self'/);
  expect(csp, path).toMatch(/style-src 'self'/);
  expect(csp, path).toContain("object-src 'none'");
  expect(csp, path).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options'], path).toBe('nosniff');
  // Open every <details> so framed e-mail previews render too, then give the browser a moment to report.
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  await page.waitForLoadState('load');
  await page.waitForTimeout(200);
}

test('every customer page carries a CSP that the browser reports no violation of', async ({ page }) => {
  const violations = watchViolations(page);
  await page.goto('/');
  await page.getByLabel('Order number').fill(DEMO.onTime.number);
  await page.getByLabel('E-mail or phone number').fill(DEMO.onTime.email);
  await page.getByRole('button', { name: 'Show my order' }).click();
  await expect(page).toHaveURL(new RegExp(`/orders/${DEMO.onTime.number}$`));
  for (const path of CUSTOMER_PAGES) await visit(page, path);
  expect(violations).toEqual([]);
});

test('every console page carries a CSP that the browser reports no violation of, e-mail previews included', async ({ page }) => {
  test.setTimeout(90_000);
  const violations = watchViolations(page);
  await visit(page, '/admin/login');
  await signIn(page, DEMO_STAFF.owner);
  for (const path of CONSOLE_PAGES) await visit(page, path);
  // A note to a customer: a form posted under form-action 'self' and redirected, and an e-mail for the dev mailbox.
  await page.goto('/admin/orders/1005');
  await page.getByLabel('Note', { exact: true }).fill('Your parcel leaves our warehouse on Monday.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page).toHaveURL(/done=note/);
  // One message of the dev mailbox, with its framed HTML.
  const first = page.locator('a[href^="/dev/mailbox/"]').first();
  await expect(async () => {
    await page.goto('/dev/mailbox?channel=email');
    await expect(first).toBeVisible();
  }).toPass({ timeout: 45_000 });
  await visit(page, (await first.getAttribute('href')) as string);
  await expect(page.locator('iframe[srcdoc]')).toHaveCount(1);
  expect(violations).toEqual([]);
});

test('static assets under /_astro carry nosniff, and no HSTS while PUBLIC_URL is http', async ({ page, request }) => {
  await page.goto('/');
  const assets = await page.evaluate(() =>
    [...document.querySelectorAll('link[rel="stylesheet"][href^="/_astro/"], script[src^="/_astro/"]')].map(
      (e) => e.getAttribute('href') ?? e.getAttribute('src'),
    ),
  );
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) {
    const response = await request.get(asset as string);
    expect(response.status(), asset as string).toBe(200);
    expect(response.headers()['x-content-type-options'], asset as string).toBe('nosniff');
    expect(response.headers()['strict-transport-security']).toBeUndefined();
  }
  // The adapter's own answers too (a path it cannot decode never reaches our middleware).
  const bad = await request.get('/%E0%A4%A');
  expect(bad.headers()['x-content-type-options']).toBe('nosniff');
});
