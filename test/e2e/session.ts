import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DemoStack } from './stack.ts';

/** A fresh browser context on the stack, as a German seller's desktop browser. */
export async function newPage(
  browser: Browser,
  stack: DemoStack,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: stack.url,
    viewport: { width: 1440, height: 900 },
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
  });
  return { context, page: await context.newPage() };
}

/** Signs in through the form (the demo admin unless told otherwise) and waits for the dashboard. */
export async function signIn(
  page: Page,
  login: { email: string; password: string },
  opts: { waitForDashboard?: boolean } = {},
): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (opts.waitForDashboard !== false) {
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  }
}

/** Clicks an entry of the left navigation. */
export async function openFromNav(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
}
