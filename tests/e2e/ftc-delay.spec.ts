import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, type Page, test } from '@playwright/test';
import { e2eDatabaseUrl, e2eDataDir } from '../support/e2e-env.ts';
import { DEMO_STAFF } from './demo.ts';
import { signIn } from './helpers.ts';

// Runs after the other customer specs (its project depends on theirs): its sweep moves the clock forward.
const run = promisify(execFile);

async function porchlight(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: e2eDataDir() };
  const url = e2eDatabaseUrl();
  if (url) env.DATABASE_URL = url;
  else delete env.DATABASE_URL;
  return (await run(process.execPath, ['src/cli/porchlight.ts', ...args], { env })).stdout;
}

// The demo's "ready" trail packs: scenario 3 of 7, customers 3, 10 and 17.
const consenting = { number: '1004', email: 'diego.alvarez@example.com' };
const cancelling = { number: '1011', email: 'zoe.dubois@example.com' };
const silent = { number: '1018', email: 'jonas.patel@example.com' };

/** Opens the newest delay notice e-mail to `email` in the dev mailbox and returns one of its answer links. */
async function noticeLink(page: Page, email: string, which: 'consent' | 'cancel'): Promise<string> {
  let text = '';
  await expect(async () => {
    await page.goto('/dev/mailbox?channel=email');
    const item = page
      .getByRole('listitem')
      .filter({ hasText: email })
      .filter({ hasText: /delay|wait|delayed/i });
    // A short timeout, so a mailbox loaded a moment before the message arrived is reloaded rather than waited on.
    await item.first().getByRole('link').click({ timeout: 2_000 });
    text = (await page.locator('pre').textContent()) ?? '';
    expect(text).toContain('/respond?t=');
  }).toPass({ timeout: 30_000 });
  const links = [...text.matchAll(/https?:\/\/\S+\/respond\?t=[a-z2-7.]+/g)].map((m) => m[0]);
  expect(links.length).toBeGreaterThanOrEqual(2);
  // The notice lists the agree link before the cancel link.
  return (
    new URL(which === 'consent' ? (links[0] as string) : (links[1] as string)).pathname +
    new URL(links[which === 'consent' ? 0 : 1] as string).search
  );
}

async function lookUp(page: Page, number: string, email: string) {
  await page.goto('/');
  await page.getByLabel('Order number').fill(number);
  await page.getByLabel('E-mail or phone number').fill(email);
  await page.getByRole('button', { name: 'Show my order' }).click();
}

test('a 45-day delay: one customer agrees, one cancels, one stays silent and is cancelled by the sweep', async ({ page }) => {
  test.setTimeout(120_000);
  // The dev mailbox is for staff: the test reads the customers' messages there as a signed-in owner.
  await signIn(page, DEMO_STAFF.owner);
  const evidenceBefore = await porchlight('evidence', '--order', silent.number);
  const T = /T (\d{4}-\d{2}-\d{2})/.exec(evidenceBefore)?.[1] as string;
  const R = new Date(Date.parse(`${T}T00:00:00Z`) + 45 * 86_400_000).toISOString().slice(0, 10);
  const moved = await porchlight('delay', '--sku', 'TRL-PACK30', '--from', R, '--to', R, '--reason', 'The fabric mill closed for a month');
  expect(moved).toMatch(/[1-9]\d* delay notices?[,;]/);

  // Agreeing through the one-click link, with a confirmation step.
  await page.goto(await noticeLink(page, consenting.email, 'consent'));
  await expect(page.getByRole('heading', { name: 'Agree to wait' })).toBeVisible();
  await page.getByRole('button', { name: 'Yes, I will wait' }).click();
  await expect(page.getByRole('status')).toHaveText('Thank you. We have recorded that you agree to wait.');

  // Cancelling through the link: the refund and its date are shown before and after.
  await page.goto(await noticeLink(page, cancelling.email, 'cancel'));
  await expect(page.getByText(/We will refund \$[\d,.]+ to your original payment method by/)).toBeVisible();
  await page.getByRole('button', { name: /Cancel and refund \$/ }).click();
  await expect(page.getByRole('status')).toContainText(/Cancelled\. We will refund \$[\d,.]+ by/);
  await page.getByRole('link', { name: 'Back to your order' }).click();
  await expect(page.getByText('Cancelled', { exact: true })).toBeVisible();

  // The silent customer's order page says what is needed and by when.
  await lookUp(page, silent.number, silent.email);
  await expect(page.getByText(/We need your answer by .+ Unless you agree to wait, we will cancel this item/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Agree to wait' })).toBeVisible();

  // The day after T + 30 the sweep cancels the silent line and owes a refund within 7 working days.
  const shipBy = /ship-by now (\d{4}-\d{2}-\d{2})/.exec(await porchlight('evidence', '--order', silent.number))?.[1] as string;
  const after = new Date(Date.parse(`${shipBy}T18:00:00Z`) + 86_400_000).toISOString();
  expect(await porchlight('sweep', '--now', after)).toMatch(/Sweep: [1-9]\d* lines? cancelled with their refunds requested/);
  const trail = await porchlight('evidence', '--order', silent.number);
  expect(trail).toContain('[435.2(b)(1)(iii)]');
  expect(trail).toMatch(/cancelled line 1 by system \[435\.2\(b\)\(1\)\(iii\)\]/);
  expect(trail).toMatch(/refunds? \(435\.1\(b\)\):\n {2}#\d+ \d+ USD requested; vested \d{4}-\d{2}-\d{2}, due \d{4}-\d{2}-\d{2}/i);

  await lookUp(page, silent.number, silent.email);
  await expect(page.getByText('Cancelled', { exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Refund requested, due by/ })).toBeVisible();

  // The one who agreed is still waiting, and says so.
  await lookUp(page, consenting.number, consenting.email);
  await expect(page.getByText(/You agreed to wait until/)).toBeVisible();
});
