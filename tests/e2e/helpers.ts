// What several browser specs do the same way: fill the staff sign-in form, and check a page with axe (WCAG 2.2 AA).
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export type Credentials = { email: string; password: string };

/** Fills and submits the sign-in form, as a person would; says nothing about the outcome. */
export async function submitSignIn(page: Page, who: Credentials, path = '/admin/login') {
  await page.goto(path);
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in and lands on the console home. */
export async function signIn(page: Page, who: Credentials) {
  await submitSignIn(page, who);
  await expect(page).toHaveURL(/\/admin$/);
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
