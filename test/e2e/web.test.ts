import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, skipWithout } from '../helpers/tools.ts';
import { assertAccessible } from './axe.ts';
import { openFromNav, signIn as signInAs, useDemoBrowser, WALK_MS } from './session.ts';

// A seller's first session in the web app, in Debian's Chromium against `awa start` on demo data:
// sign in → dashboard → filter ROI → open an ASIN and see its chart → approve two offers → upload a
// price list with one bad line and read the problem → sign out. Every page is scanned with axe.
describe.skipIf(skipWithout(CHROMIUM, 'the web app in a real browser'))(
  'the web app in Chromium',
  { timeout: WALK_MS },
  () => {
    const demo = useDemoBrowser();
    let files: string;

    beforeAll(() => {
      files = mkdtempSync(path.join(os.tmpdir(), 'awa-e2e-'));
    });

    afterAll(() => {
      if (files) rmSync(files, { recursive: true, force: true });
    });

    const signIn = (page: Page, password = demo.stack.login.password) =>
      signInAs(page, { email: demo.stack.login.email, password }, { waitForDashboard: false });

    it('refuses a wrong password with the reason, and lets nobody in', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, 'not the password at all');
        await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/wrong email or password/i);
        expect(new URL(page.url()).pathname).toBe('/login');
        const me = await page.request.get('/api/v1/me');
        expect(me.status()).toBe(401);
        await assertAccessible(page, 'sign-in');
      } finally {
        await context.close();
      }
    });

    it('walks the main path: dashboard, ROI filter, ASIN chart, approve two, bad price list, sign out', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page);
        await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
        await page.getByRole('heading', { name: 'ROI by vendor' }).waitFor(); // the data, not its spinner
        await assertAccessible(page, 'dashboard');

        // ROI review, filtered: the filter lives in the URL
        await openFromNav(page, 'ROI review');
        await page.getByRole('heading', { level: 1, name: 'ROI review' }).waitFor();
        await page.getByLabel('ROI % from').fill('20');
        await page.getByLabel('ROI % from').press('Enter');
        await expect.poll(() => new URL(page.url()).searchParams.get('roi_min')).toBe('20');
        const rows = page.locator('table tbody tr');
        await rows.first().waitFor();
        await assertAccessible(page, 'roi review');

        // approve two offers: the confirm names the count
        await rows.nth(0).getByRole('checkbox').check();
        await rows.nth(1).getByRole('checkbox').check();
        await page.getByRole('button', { name: /^Approve/ }).click();
        const dialog = page.getByRole('dialog');
        await expect.poll(() => dialog.textContent()).toMatch(/\b2 products\b/);
        await dialog.getByRole('button', { name: /^Approve 2/ }).click();
        await expect
          .poll(async () => (await page.request.get('/api/v1/roi?status=approved&page_size=10')).json())
          .toMatchObject({ total: 2 });

        // an ASIN's page with its Keepa-style chart
        const asin = (await page.request.get('/api/v1/roi?page_size=1').then((r) => r.json())).items[0].asin;
        await page.goto(`/sku/${asin}?days=30`);
        const chart = page.getByRole('region', { name: 'Price history' });
        await chart.locator('canvas').first().waitFor();
        await expect.poll(() => chart.locator('[data-draw-ms]').count()).toBeGreaterThan(0);
        await assertAccessible(page, 'sku detail');

        // a price list with one bad line: the problem is shown with line, column, value and reason
        const file = path.join(files, 'fruehjahr.csv');
        writeFileSync(
          file,
          'sku;ean;title;cost;currency\nE2E-1;4006381333931;Kugelschreiber;1,20;EUR\n' +
            'E2E-2;4006381333948;Bleistift;abc;EUR\nE2E-3;4006381333955;Radierer;0,45;EUR\n',
        );
        await openFromNav(page, 'Vendors & price lists');
        const form = page.getByRole('form', { name: 'Upload a price list' });
        await form.getByRole('combobox', { name: 'Vendor' }).fill('E2E Großhandel');
        await form.locator('input[type=file]').setInputFiles(file);
        await form.getByRole('button', { name: 'Upload and check (dry run)' }).click();
        const problems = page.getByRole('table', { name: 'Problems' });
        await problems.waitFor({ timeout: 60_000 });
        const cells = await problems.locator('tbody tr').first().locator('td').allTextContents();
        expect(cells.slice(0, 3).map((c) => c.trim())).toEqual(['3', 'cost', 'abc']); // line, column, value
        expect(cells[3]).toMatch(/\S/); // the reason, in words
        await assertAccessible(page, 'price lists');

        // a write without the CSRF token is refused, even with the session cookie
        const csrfLess = await page.request.post('/api/v1/roi/approve', {
          data: { asins: [asin], status: 'rejected' },
          headers: { origin: demo.stack.url },
        });
        expect(csrfLess.status()).toBe(403);

        await page.getByRole('button', { name: /^User menu/ }).click();
        await page.getByRole('menuitem', { name: 'Sign out' }).click();
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        expect((await page.request.get('/api/v1/me')).status()).toBe(401);
      } finally {
        await context.close();
      }
    });

    it('works by keyboard alone: sign in, open ROI review, open an offer', async () => {
      const { context, page } = await demo.newPage();
      try {
        await page.goto('/');
        await page.getByLabel('Email').focus();
        await page.keyboard.type(demo.stack.login.email);
        await page.keyboard.press('Tab');
        await page.keyboard.type(demo.stack.login.password);
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
        const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'ROI review' });
        for (let i = 0; i < 40 && !(await link.evaluate((el) => el === document.activeElement)); i++) {
          await page.keyboard.press('Tab');
        }
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { level: 1, name: 'ROI review' }).waitFor();
        const first = page.locator('table tbody tr').first().getByRole('button').first();
        await first.waitFor();
        await first.focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByRole('dialog').count()).toBeGreaterThan(0);
      } finally {
        await context.close();
      }
    });
  },
);
