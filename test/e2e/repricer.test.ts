import { describe, expect, it } from 'vitest';
import { CHROMIUM, skipWithout } from '../helpers/tools.ts';
import { assertAccessible } from './axe.ts';
import { openFromNav, signIn, useDemoBrowser, WALK_MS } from './session.ts';

// The repricer page on demo data, in Debian's Chromium against `awa start`: a rule with min > max is
// refused with the field marked → fixed and saved → simulated → applied as a dry run → the decision
// found in the log. Every tab is scanned with axe.
describe.skipIf(skipWithout(CHROMIUM, 'the web app in a real browser'))(
  'the repricer page in Chromium',
  { timeout: WALK_MS },
  () => {
    const demo = useDemoBrowser();

    it('refuses min > max, saves the fix, simulates, applies as a dry run and finds it in the log', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await openFromNav(page, 'Repricer');
        await page.getByRole('heading', { level: 1, name: 'Repricer' }).waitFor();
        const rules = page.getByRole('table', { name: 'Repricer rules by SKU' });
        const firstRow = rules.locator('tbody tr').first();
        await firstRow.waitFor();
        await assertAccessible(page, 'repricer rules');

        // the first rule: min above max is marked while typing, and the save is refused
        const sku = (await firstRow.getByRole('rowheader').textContent())?.trim() ?? '';
        const min = page.getByLabel(`Min price of ${sku}`, { exact: true });
        const max = page.getByLabel(`Max price of ${sku}`, { exact: true });
        const storedMax = await max.inputValue();
        await max.fill('20');
        await min.fill('30');
        await expect.poll(() => min.getAttribute('aria-invalid')).toBe('true');
        await page.getByText('min_price 30 > max_price 20', { exact: true }).waitFor();
        await page.getByRole('button', { name: 'Save rules' }).click();
        await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/Not saved/);
        const stored = await page.request.get(`/api/v1/repricer/rules?sku=${encodeURIComponent(sku)}`);
        const before = (await stored.json()).items.find((r: { sku: string }) => r.sku === sku);
        expect(before.max_price).toBe(storedMax || null);

        // fixed: min below max, saved
        await min.fill('12,50');
        await expect.poll(() => min.getAttribute('aria-invalid')).toBeNull();
        await page.getByRole('button', { name: 'Save rules' }).click();
        await page
          .getByRole('status')
          .filter({ hasText: /^Saved:/ })
          .waitFor();
        const saved = await page.request.get(`/api/v1/repricer/rules?sku=${encodeURIComponent(sku)}`);
        expect((await saved.json()).items.find((r: { sku: string }) => r.sku === sku)).toMatchObject({
          min_price: '12.50',
          max_price: '20.00',
        });

        // simulate that SKU and apply its decision as a dry run
        await page
          .getByRole('navigation', { name: 'Repricer views' })
          .getByRole('link', { name: 'Simulate' })
          .click();
        await page.getByLabel('SKU starts with').fill(sku);
        await page.getByLabel('SKU starts with').press('Enter');
        await expect.poll(() => new URL(page.url()).searchParams.get('tab')).toBe('simulate');
        const simulated = page.getByRole('table', { name: 'What the repricer would decide now, per SKU' });
        await simulated.getByRole('checkbox', { name: `Select ${sku}`, exact: true }).waitFor();
        await assertAccessible(page, 'repricer simulate');
        await simulated.getByRole('checkbox', { name: `Select ${sku}`, exact: true }).check();
        await page.getByRole('button', { name: 'Apply…' }).click();
        const dialog = page.getByRole('dialog');
        await expect
          .poll(() => dialog.getByRole('heading').textContent())
          .toBe('Apply 1 price decision — dry run?');
        expect(await dialog.getByRole('radio', { name: /^Dry run/ }).isChecked()).toBe(true);
        await assertAccessible(page, 'repricer apply dialog');
        await dialog.getByRole('button', { name: 'Apply 1 — dry run' }).click();
        await page.getByRole('link', { name: 'See the decisions in the log' }).click();

        // the decision is in the log, under the dry run's run, with its reason and a link to the chart
        await expect.poll(() => new URL(page.url()).searchParams.get('tab')).toBe('log');
        const log = page.getByRole('table', { name: 'Repricer decisions' });
        const row = log.locator('tbody tr').filter({ hasText: sku });
        await row.first().waitFor();
        expect(await log.locator('tbody tr').count()).toBe(1);
        expect(await row.textContent()).toMatch(/dry run/);
        expect(await row.getByRole('link').first().getAttribute('href')).toMatch(/^\/sku\/B0/);
        await assertAccessible(page, 'repricer log');

        // the log's filters live in the URL: unchanged decisions of any run
        await page.getByRole('button', { name: 'Clear filters' }).click();
        await page.getByLabel('Price', { exact: true }).selectOption('false');
        await expect.poll(() => new URL(page.url()).searchParams.get('changed')).toBe('false');
        await log.locator('tbody tr').first().waitFor();
      } finally {
        await context.close();
      }
    });
  },
);
