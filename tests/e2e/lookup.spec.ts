import { expect, type Page, test } from '@playwright/test';
import { DEMO } from './demo.ts';
import { expectNoAxeViolations } from './helpers.ts';

async function lookUp(page: Page, number: string, contact: string) {
  await page.goto('/');
  await page.getByLabel('Order number').fill(number);
  await page.getByLabel('E-mail or phone number').fill(contact);
  await page.getByRole('button', { name: 'Show my order' }).click();
}

test('a shopper looks up a waiting order and sees its status, dates, history and payment', async ({ page }) => {
  await lookUp(page, DEMO.delayed.number, DEMO.delayed.email);
  await expect(page).toHaveURL(new RegExp(`/orders/${DEMO.delayed.number}$`));
  await expect(page.getByRole('heading', { level: 1, name: `Order ${DEMO.delayed.number}` })).toBeVisible();
  const line = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Kestrel pour-over kettle' }) });
  await expect(line.getByText('Back-order')).toBeVisible();
  await expect(line.getByText('Waiting')).toBeVisible();
  await expect(line.getByText('Delayed past the promised date')).toBeVisible();
  await expect(line.getByText('Expected to ship')).toBeVisible();
  await expect(line.getByText('Promised to ship by')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await expect(page.getByText('Reason: Supplier shipment rescheduled')).toBeVisible();
  await expect(page.getByRole('row', { name: /Paid/ })).toContainText('$');
  await expect(page.getByText(`Signed in as Jonas Berg (${DEMO.delayed.email})`)).toBeVisible();
  await expectNoAxeViolations(page);
});

test('a late line says plainly that its promised date has passed', async ({ page }) => {
  await lookUp(page, DEMO.late.number, DEMO.late.email);
  await expect(page.getByText('Late: the promised date has passed')).toBeVisible();
});

test('a cancelled order shows the refund in its history and payment', async ({ page }) => {
  await lookUp(page, DEMO.cancelled.number, DEMO.cancelled.email);
  await expect(page.getByText('Cancelled', { exact: true })).toBeVisible();
  await expect(page.getByText(/Refund of \$[\d.,]+ sent/)).toBeVisible();
  const paid = await page.getByRole('row', { name: /^Paid/ }).getByRole('cell').textContent();
  await expect(page.getByRole('row', { name: /^Refunded/ }).getByRole('cell')).toHaveText(paid ?? 'missing');
});

test('a phone number typed with punctuation finds the order', async ({ page }) => {
  await lookUp(page, DEMO.onTime.number, DEMO.onTime.phone);
  await expect(page.getByRole('heading', { level: 1, name: `Order ${DEMO.onTime.number}` })).toBeVisible();
});

test('the lookup works with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab'); // store name
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Order number')).toBeFocused();
  await page.keyboard.type(DEMO.ready.number);
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO.ready.email);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: `Order ${DEMO.ready.number}` })).toBeVisible();
  await expect(page.getByText('Ready to ship', { exact: true })).toBeVisible();
});

test('an unknown order and a wrong e-mail get the same answer', async ({ request, baseURL }) => {
  const post = (number: string, contact: string) =>
    request.post('/', { form: { number, contact }, headers: { Origin: new URL(baseURL as string).origin }, maxRedirects: 0 });
  const unknown = await post('424242', DEMO.late.email);
  const wrong = await post(DEMO.late.number, 'not.the.buyer@example.com');
  expect(unknown.status()).toBe(401);
  expect(wrong.status()).toBe(unknown.status());
  // The page echoes what was typed; apart from that it is byte for byte the same.
  const a = (await unknown.text()).replace('424242', 'N').replace(DEMO.late.email, 'C');
  const b = (await wrong.text()).replace(DEMO.late.number, 'N').replace('not.the.buyer@example.com', 'C');
  expect(a).toBe(b);
});

test('the failure message is shown to the shopper, and the form keeps what they typed', async ({ page }) => {
  await lookUp(page, '424243', 'someone@example.com');
  await expect(page.getByRole('alert')).toHaveText('We could not find an order with that number and contact. Check both and try again.');
  await expect(page.getByLabel('Order number')).toHaveValue('424243');
  await expectNoAxeViolations(page);
});

test('repeated guesses at one order are paused with a clear 429 page', async ({ page }) => {
  for (let i = 0; i < 5; i++) await lookUp(page, DEMO.forRateLimit.number, `guess${i}@example.com`);
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await lookUp(page, DEMO.forRateLimit.number, DEMO.forRateLimit.email);
  expect((await response).status()).toBe(429);
  await expect(page.getByRole('heading', { name: 'Too many attempts' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('try again in 15 minutes');
});

test('an order page without access, and an unknown page, are both "not found"', async ({ page }) => {
  const orderResponse = await page.goto(`/orders/${DEMO.onTime.number}`);
  expect(orderResponse?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Order not found' })).toBeVisible();
  await expect(page.getByText('Maya')).toHaveCount(0);
  const other = await page.goto('/no/such/page');
  expect(other?.status()).toBe(404);
  await expectNoAxeViolations(page);
});

test('a cross-site form post is refused', async ({ request }) => {
  const response = await request.post('/', {
    form: { number: DEMO.onTime.number, contact: DEMO.onTime.email },
    headers: { Origin: 'https://evil.example' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
});

test('the lookup and order pages fit a 320 px phone without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await lookUp(page, DEMO.delayed.number, DEMO.delayed.email);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
});

test.describe('a German-speaking shopper', () => {
  test.use({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });

  test('looks up an order in German and reads it in German, dates and money included, at phone width too', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await page.getByLabel('Bestellnummer').fill(DEMO.german.number);
    await page.getByLabel('E-Mail oder Telefonnummer').fill(DEMO.german.email);
    await page.getByRole('button', { name: 'Bestellung anzeigen' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Bestellung ${DEMO.german.number}` })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByText('Voraussichtlicher Versand').first()).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Verlauf' })).toBeVisible();
    // German dates (e.g. "23.11.2026" or "23. Nov. 2026") and money with the symbol after the amount ("89,00 $").
    await expect(page.getByText(/\d{1,2}\.\s?(\d{1,2}\.|[A-Z][a-zä]{2,4}\.?)\s?\d{4}/).first()).toBeVisible();
    await expect(
      page
        .getByRole('row')
        .filter({ hasText: /\d+,\d{2}\s\$/ })
        .first(),
    ).toBeVisible();
    await expectNoAxeViolations(page);
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });

  test('an order that is not found says so in German', async ({ page }) => {
    await page.goto('/orders/999999');
    await expect(page.getByRole('heading', { level: 1, name: 'Bestellung nicht gefunden' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  });
});
