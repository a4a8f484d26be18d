import { expect, test } from '@playwright/test';
import { DEMO_STAFF } from './demo.ts';
import { expectNoAxeViolations, signIn } from './helpers.ts';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

test('staff move a SKU ETA: preview who gets which notice, send, watch progress, see the notices in the mailbox', async ({ page }) => {
  await signIn(page, DEMO_STAFF.owner);
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'SKUs' }).click();
  await expect(page.getByRole('heading', { name: 'SKUs' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'NIM-MUGS' }).click();

  await page.getByLabel('New ETA from').fill(inDays(55));
  await page.getByLabel('New ETA to').fill(inDays(60));
  await page.getByLabel('Reason customers will read').fill('The kiln broke down');
  await page.getByRole('button', { name: 'Preview who gets what' }).click();

  // These lines already had a notice with a revised date: a later date needs a renewed notice (435.2(b)(2)).
  const renewed = page.getByRole('listitem').filter({ hasText: 'Renewed notice — silence means cancel' });
  await expect(renewed).toBeVisible();
  await renewed.getByText(/The message they get/).click();
  await expect(renewed.getByText('The kiln broke down').first()).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: /Move \d+ lines? and send the messages/ }).click();
  await expect(page.getByRole('heading', { name: 'ETA of NIM-MUGS moved' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('status')).toContainText('(100%)');
  await expect(page.getByText(/\d+ delay notices? queued/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'See the messages' })).toHaveAttribute('href', '/admin/notifications');

  await expect(async () => {
    await page.goto('/dev/mailbox?channel=email');
    await expect(page.getByRole('link', { name: /is delayed again/ }).first()).toBeVisible();
  }).toPass({ timeout: 20_000 });
});

test('the preview refuses a date in the past and a missing reason, and changes nothing', async ({ page }) => {
  await signIn(page, DEMO_STAFF.owner);
  await page.goto('/admin/skus/AUR-LAMP');
  await page.getByLabel('New ETA from').fill('2020-01-01');
  await page.getByLabel('Reason customers will read').fill('x');
  await page.getByRole('button', { name: 'Preview who gets what' }).click();
  await expect(page.getByRole('alert')).toHaveText('The new date is already in the past.');
  await expect(page.getByRole('button', { name: /and send the messages/ })).toHaveCount(0);
});

test('the notification log and the template previews are there for staff', async ({ page }) => {
  await signIn(page, DEMO_STAFF.agent);
  await page.goto('/admin/notifications');
  await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole('link', { name: 'Template previews' }).click();
  await expect(page.getByRole('heading', { name: /Delay notice: needs express consent/ }).first()).toBeVisible();
  await expectNoAxeViolations(page);
});

test('on a phone, the notification log shows each message as a card the address fits in', async ({ page }) => {
  await signIn(page, DEMO_STAFF.agent);
  // A message to log: a note to a customer (order 1040, which no other spec reads).
  await page.goto('/admin/orders/1040');
  await page.getByLabel('Note', { exact: true }).fill('Your order is packed and waits for the courier.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('status')).toContainText('Note added.');

  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/admin/notifications');
  const table = page.getByRole('table');
  await expect(table.getByRole('columnheader', { name: 'To', exact: true })).toBeAttached();
  const row = table
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: '1040', exact: true }) })
    .first();
  const address = row.getByRole('cell').filter({ hasText: '@' });
  await expect(address).toBeVisible();
  // The address is a line of the card, not a column squeezed to a letter a line.
  const box = await address.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(240);
  expect(box?.height ?? Number.POSITIVE_INFINITY).toBeLessThan(60);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoAxeViolations(page);
});
