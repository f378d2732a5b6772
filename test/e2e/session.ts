import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { killAll, removeDir, tempDataDir } from '../helpers/proc.ts';
import { ensureWebBuilt, launchChromium } from './browser.ts';
import { type DemoStack, startDemoStack } from './stack.ts';

/** The demo stack and a browser for one file's walks; its fields are there once `beforeAll` ran. */
export interface DemoBrowser {
  readonly stack: DemoStack;
  readonly browser: Browser;
  /** A fresh browser context on the stack (see `newPage`). */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
}

/**
 * The harness of a browser test file, called inside its `describe.skipIf(skipWithout(CHROMIUM, …))`:
 * before the walks, a test database with the demo business served by `awa start` and a headless
 * Chromium (started side by side); after them, the browser closed, the processes stopped and the
 * database and data folder removed. Read `stack` and `browser` inside the walks, not at collection.
 * `env` (run in the `beforeAll`) adds environment for `awa start`, such as a fake server's URL.
 */
export function useDemoBrowser(opts: { env?: () => Promise<Record<string, string>> } = {}): DemoBrowser {
  let tdb: TestDatabase | undefined;
  let dataDir: string | undefined;
  let stack: DemoStack | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    ensureWebBuilt();
    tdb = await createTestDatabase();
    dataDir = tempDataDir();
    const env = await opts.env?.();
    [stack, browser] = await Promise.all([
      startDemoStack({ databaseUrl: tdb.url, dataDir, env }),
      launchChromium(),
    ]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await killAll();
    await tdb?.drop();
    removeDir(dataDir);
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useDemoBrowser: no ${what} before its beforeAll ran`);
    return value;
  };
  const demo: DemoBrowser = {
    get stack() {
      return started(stack, 'demo stack');
    },
    get browser() {
      return started(browser, 'browser');
    },
    newPage: () => newPage(demo.browser, demo.stack),
  };
  return demo;
}

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

/**
 * Every browser test's time limit, given once on each file's `describe` so no walk can miss it:
 * several pages, uploads and jobs in a real browser take more than the default 30 s when the two
 * cores of a CI machine also run the rest of the suite (CI once timed out a short walk at 30 s).
 */
export const WALK_MS = 120_000;

/**
 * Presses Tab from the top of the page until the focus is inside `target` (at most `max` times);
 * returns how many presses it took, or undefined when it never got there.
 */
export async function tabInto(page: Page, target: string, max = 60): Promise<number | undefined> {
  await page.locator('body').focus();
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.closest(sel) != null, target)) return i;
  }
  return undefined;
}

/** The focused element's outline as drawn: a keyboard user must see where they are. */
export function focusOutline(page: Page): Promise<{ style: string; width: number; tag: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const cs = getComputedStyle(el);
    return { style: cs.outlineStyle, width: Number.parseFloat(cs.outlineWidth), tag: el.tagName };
  });
}
