import { expect, test } from '@playwright/test';
import { DEMO_STAFF } from './demo.ts';
import { expectNoAxeViolations, signIn } from './helpers.ts';

test('the dev mailbox shows nothing to an anonymous visitor: it asks for a staff sign-in', async ({ page, request }) => {
  for (const path of ['/dev/mailbox', '/dev/mailbox?channel=email', '/dev/mailbox/1']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(303);
    expect(response.headers().location).toMatch(/^\/admin\/login/);
  }
  await page.goto('/dev/mailbox');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('@example.com')).toHaveCount(0);
});

test('signed-in staff see the mailbox, and every console page says that messages are not reaching customers', async ({ page }) => {
  await signIn(page, DEMO_STAFF.agent);
  const banner = page.getByRole('complementary', { name: 'Messages not reaching customers' });
  await expect(banner.getByText('E-mail is not configured: messages go to the dev mailbox, not to customers.')).toBeVisible();
  await expect(banner).toBeVisible();
  await expect(banner.getByText('SMS is not configured: text messages go to the dev mailbox, not to customers.')).toBeVisible();
  for (const path of ['/admin/orders', '/admin/skus', '/admin/notifications']) {
    await page.goto(path);
    await expect(banner).toBeVisible();
  }
  await banner.getByRole('link', { name: 'Open the dev mailbox' }).click();
  await expect(page.getByRole('heading', { name: 'Dev mailbox', level: 1 })).toBeVisible();
  await expectNoAxeViolations(page);
});
