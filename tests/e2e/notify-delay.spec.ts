import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { e2eDatabaseUrl, e2eDataDir } from '../support/e2e-env.ts';
import { DEMO, DEMO_STAFF } from './demo.ts';
import { signIn } from './helpers.ts';

const run = promisify(execFile);

async function porchlight(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: e2eDataDir() };
  const url = e2eDatabaseUrl();
  if (url) env.DATABASE_URL = url;
  else delete env.DATABASE_URL;
  return run(process.execPath, ['src/cli/porchlight.ts', ...args], { env });
}

/** A date `n` days from today (UTC), as the CLI takes it: the move must not end in the past whenever this runs. */
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
/** A range as an English-speaking customer reads it, e.g. "Mar 2 – 9, 2027". */
const shownRange = (from: string, to: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).formatRange(
    new Date(`${from}T00:00:00Z`),
    new Date(`${to}T00:00:00Z`),
  );

test('a SKU delay recorded from the CLI shows on the order page and reaches the dev mailbox within seconds', async ({ page }) => {
  const [from, to] = [inDays(100), inDays(107)];
  const { stdout } = await porchlight(
    'delay',
    '--sku',
    'AUR-LAMP',
    '--from',
    from,
    '--to',
    to,
    '--reason',
    'Glass shades arrive late from the supplier',
  );
  expect(stdout).toMatch(
    new RegExp(`SKU AUR-LAMP: moved \\d+ open lines? to ${from} – ${to} in \\d+ ms; .* \\d+ customers? will be told\\.`),
  );

  await page.goto('/');
  await page.getByLabel('Order number').fill(DEMO.onTime.number);
  await page.getByLabel('E-mail or phone number').fill(DEMO.onTime.email);
  await page.getByRole('button', { name: 'Show my order' }).click();
  await expect(page.getByRole('definition').filter({ hasText: shownRange(from, to) })).toBeVisible();
  await expect(page.getByText(`Item 1: expected ship date moved to ${shownRange(from, to)}`)).toBeVisible();
  await expect(page.getByText('Reason: Glass shades arrive late from the supplier')).toBeVisible();

  // The dev mailbox is for staff: only a signed-in staff member sees the customers' messages there.
  await signIn(page, DEMO_STAFF.owner);
  // The mailbox page does not refresh itself: reload until the worker has delivered this order's message.
  const message = page.getByRole('link', { name: /Aurora desk lamp|order 1001/i }).first();
  await expect(async () => {
    await page.goto('/dev/mailbox?channel=email');
    await expect(message).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await message.click();
  await expect(page.getByRole('cell', { name: DEMO.onTime.email })).toBeVisible();
  await expect(page.locator('pre')).toContainText(to.slice(0, 4));
  await expect(page.locator('pre')).toContainText('/orders/1001?t=');
});

test('the CLI refuses bad input with a clear message and changes nothing', async () => {
  await expect(porchlight('delay', '--sku', 'AUR-LAMP', '--from', '2027-02-30', '--reason', 'x')).rejects.toMatchObject({
    stderr: expect.stringContaining('that is not a real date'),
  });
  await expect(porchlight('delay', '--sku', 'NOPE', '--from', '2027-02-01', '--reason', 'x')).rejects.toMatchObject({
    stderr: expect.stringContaining('not found'),
  });
  await expect(porchlight('frobnicate')).rejects.toMatchObject({ stderr: expect.stringContaining('Unknown command') });
});
