// The console's Orders section: filters and search, then status, ETA, note, cancel-and-refund and refund-sent actions.
// Uses the demo's delayed and late orders (KES-KETTLE, NIM-MUGS), which the SKU and FTC specs leave alone.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { DEMO, DEMO_STAFF } from './demo.ts';
import { expectNoAxeViolations, signIn } from './helpers.ts';

const OWNER = DEMO_STAFF.owner;
const AGENT = DEMO_STAFF.agent;

async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

function lineCard(page: Page, lineNo: number): Locator {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(`^Line ${lineNo}:`) }) });
}

/** A calendar date `days` from now, as a date input wants it. */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('the owner filters orders, searches by e-mail and opens one', async ({ page }) => {
  await signIn(page, OWNER);
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Orders' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Orders' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^All \(\d+\)$/ })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText(/Showing 1–25 of \d+/)).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('link', { name: /^Late \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/filter=late/);
  await expect(page.getByRole('link', { name: /^Late \(\d+\)$/ })).toHaveAttribute('aria-current', 'page');
  const lateRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: DEMO.late.number, exact: true }) });
  await expect(lateRow.getByText('late', { exact: true })).toBeVisible();

  await page.getByRole('link', { name: /^Awaiting consent \(\d+\)$/ }).click();
  await expect(page.getByRole('link', { name: /^Awaiting consent \(\d+\)$/ })).toHaveAttribute('aria-current', 'page');

  await page.getByRole('link', { name: /^All \(\d+\)$/ }).click();
  await page.getByLabel('Search orders').fill(DEMO.late.email.toUpperCase());
  await page.getByLabel('Sort by').selectOption('ship_by');
  await page.getByRole('button', { name: 'Search' }).click();
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(2); // the header and the one order
  await expect(rows.nth(1)).toContainText(DEMO.late.email);
  await expectNoAxeViolations(page);

  await page.getByLabel('Search orders').fill('no-such-order@example.com');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('heading', { name: 'No orders found' })).toBeVisible();
  await page.getByRole('link', { name: 'Clear the search' }).click();

  await page.getByLabel('Search orders').fill(DEMO.late.number);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: DEMO.late.number, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Order ${DEMO.late.number}` })).toBeVisible();
  await expect(lineCard(page, 1).getByText('late', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
  await page.getByText('The 16 CFR 435.2(d) record of this order').click();
  await expect(page.locator('pre')).toContainText(`Compliance trail for order ${DEMO.late.number}`);
  await expectNoAxeViolations(page);
});

test('the owner ships a waiting line with a tracking link; the customer is queued a message', async ({ page }) => {
  await signIn(page, OWNER);
  await page.goto('/admin/orders/1009');
  const line = lineCard(page, 1);
  await line.getByLabel('New status').selectOption('shipped');
  await line.getByLabel('Tracking link').fill('https://tracking.example/1Z-E2E-1009');
  await line.getByRole('button', { name: 'Change status' }).click();
  await expect(page).toHaveURL(/\/admin\/orders\/1009\?done=status/);
  await expect(page.getByRole('status')).toHaveText('Line 1 is now shipped. The customer will be told.');
  await expect(line.getByText('Shipped', { exact: true })).toBeVisible();
  await expect(line.getByRole('link', { name: 'Tracking link for line 1' })).toHaveAttribute(
    'href',
    'https://tracking.example/1Z-E2E-1009',
  );
  await expect(line.getByRole('button', { name: 'Change status' })).toHaveCount(0);
  await expect(page.getByText('Line 1: Status changed').first()).toBeVisible();
  const message = page.getByRole('listitem').filter({ hasText: /E-mail to \S+@example\.com/ });
  await expect(message.first()).toContainText('Update');
  await expect(message.first()).toContainText(/Queued|Sending|Sent|Delivered/);
  await message
    .first()
    .getByText(/Delivery history of message \d+/)
    .click();
  await expect(message.first().getByRole('listitem').first()).toContainText('Queued');
  await expectNoAxeViolations(page);
});

test('the owner moves an ETA with a reason, is refused a bad one, and adds a note', async ({ page }) => {
  await signIn(page, OWNER);
  await page.goto('/admin/orders/1016');
  const line = lineCard(page, 1);

  // Bad input: a window that ends before it starts changes nothing.
  const before = await line.getByRole('definition').nth(2).textContent();
  await line.getByLabel('Ships from').fill(inDays(30));
  await line.getByLabel('Ships by').fill(inDays(20));
  await line.getByLabel('Reason').fill('Port congestion');
  const refused = page.waitForResponse((r) => r.request().method() === 'POST');
  await line.getByRole('button', { name: 'Move ETA' }).click();
  expect((await refused).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('“Ships from” must be on or before “Ships by”');
  await expect(line.getByRole('definition').nth(2)).toHaveText(before ?? '');

  await line.getByLabel('Ships from').fill(inDays(20));
  await line.getByLabel('Ships by').fill(inDays(24));
  await line.getByLabel('Reason').fill('Port congestion in Rotterdam');
  await line.getByRole('button', { name: 'Move ETA' }).click();
  await expect(page.getByRole('status')).toContainText('The ETA of line 1 has moved');
  await expect(page.getByText('Line 1: ETA moved').first()).toBeVisible();
  await expect(page.getByText(/reason: Port congestion in Rotterdam/).first()).toBeVisible();

  await page.getByLabel('Note', { exact: true }).fill('Your kettle is on the next container.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('status')).toContainText('Note added.');
  await expect(page.getByText('“Your kettle is on the next container.”')).toBeVisible();
});

test('the owner cancels a line after a confirmation step, then marks its refund sent', async ({ page }) => {
  await signIn(page, OWNER);
  await page.goto('/admin/orders/1023');
  await lineCard(page, 1).getByRole('button', { name: 'Cancel and refund line 1…' }).click();
  const confirm = page.getByRole('region', { name: 'Cancel and refund?' });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText(/The customer is owed \$[\d,.]+/);
  await expect(confirm.getByRole('listitem')).toHaveText(/^Line 1: Kestrel pour-over kettle/);
  await expectNoAxeViolations(page);
  await confirm.getByLabel('Reason').fill('The supplier discontinued this kettle');
  await confirm.getByRole('button', { name: 'Yes, cancel and refund' }).click();
  // The refund is only requested until it is sent: every place says so, with its due date, and none says "refunded".
  const requested = /Refund of \$[\d,.]+ requested, due by [A-Z][a-z]{2} \d{1,2}, \d{4}/;
  await expect(page.getByRole('status')).toHaveText(
    new RegExp(`^Cancelled\\. ${requested.source} \\(7 working days, 16 CFR 435\\.1\\(b\\)\\)\\.`),
  );
  await expect(page.getByRole('status')).not.toContainText(/refunded/i);
  await expect(page.getByText(/^Placed .* · payment paid$/)).toBeVisible();
  await expect(page.getByText(/payment (partially )?refunded/)).toHaveCount(0);
  await expect(lineCard(page, 1).getByText('Cancelled', { exact: true })).toBeVisible();
  await expect(lineCard(page, 1)).toContainText(/refund requested, due by/);
  await expect(lineCard(page, 1)).not.toContainText(/refunded/i);
  await expect(page.getByRole('listitem').filter({ hasText: /Refund requested — \$[\d,.]+; due by/ })).toHaveCount(1);

  const refund = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Refund of \$/ }) });
  await expect(refund.getByText('requested', { exact: true })).toBeVisible();
  await expect(refund).toContainText(/Requested, due by [A-Z][a-z]{2} \d{1,2}, \d{4}\./);
  await refund.getByLabel('Payment reference').fill('RF-E2E-1023');
  await refund.getByRole('button', { name: 'Mark refund sent' }).click();
  await expect(page.getByRole('status')).toHaveText('Refund marked as sent. The customer will be told.');
  await expect(refund.getByText('sent', { exact: true })).toBeVisible();
  await expect(refund).toContainText(/Sent [A-Z][a-z]{2} \d{1,2}, \d{4}, reference RF-E2E-1023\./);
  await expect(refund.getByRole('button', { name: 'Mark refund sent' })).toHaveCount(0);
  // Now the money has gone.
  await expect(page.getByText(/^Placed .* · payment refunded$/)).toBeVisible();
});

test('an agent changes a line status too, and the pages fit a 320 px phone', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await signIn(page, AGENT);
  await page.goto('/admin/orders?filter=waiting');
  await expectNoSidewaysScroll(page);
  await page.goto('/admin/orders/1030');
  await expectNoSidewaysScroll(page);
  const line = lineCard(page, 1);
  await line.getByLabel('New status').selectOption('ready');
  await line.getByRole('button', { name: 'Change status' }).click();
  await expect(page.getByRole('status')).toHaveText('Line 1 is now ready to ship.');
  await expect(line.getByText('Ready to ship', { exact: true })).toBeVisible();
  await expect(page.getByText(/by Sam Okafor \(staff\)/).first()).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test('the orders pages refuse cross-site posts and anonymous visitors', async ({ request, baseURL }) => {
  const anonymous = await request.get('/admin/orders/1003', { maxRedirects: 0 });
  expect(anonymous.status()).toBe(303);
  const forged = await request.post('/admin/orders/1003', {
    form: { intent: 'note', text: 'forged' },
    headers: { Origin: 'https://evil.example' },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  expect(baseURL).toBeDefined();
});
