import { describe, expect, it } from 'vitest';
import { CHROMIUM, skipWithout } from '../helpers/tools.ts';
import { assertAccessible } from './axe.ts';
import { focusOutline, openFromNav, signIn, tabInto, useDemoBrowser, WALK_MS } from './session.ts';

// Screenshots for a person to look at, outside the repository (the docs' are made separately).
const SHOTS = process.env['AWA_E2E_SHOTS'];

// A buyer tidies a vendor's settings and reviews the scores, in Debian's Chromium against
// `awa start` on demo data: Vendors from the price-lists tab → edit a lead time (a bad value is
// refused at its field, a good one previewed and saved) → see it in the list; Scores → sort, filter,
// open a row's math and then its SKU page. Both pages are scanned with axe.
describe.skipIf(skipWithout(CHROMIUM, 'the Vendors and Scores pages in a real browser'))(
  'vendors and scores in Chromium',
  { timeout: WALK_MS },
  () => {
    const demo = useDemoBrowser();

    it('edits a vendor lead time: bad value marked at its field, preview, save, seen in the list', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await openFromNav(page, 'Vendors & price lists');
        await page.getByRole('form', { name: 'Upload a price list' }).waitFor();
        await page
          .getByRole('navigation', { name: 'Vendors and price lists' })
          .getByRole('link', { name: 'Vendors' })
          .click();
        await page.getByRole('heading', { level: 1, name: 'Vendors' }).waitFor();
        const rows = page.locator('table tbody tr:not([aria-hidden])');
        await rows.first().waitFor();
        await assertAccessible(page, 'vendors');

        const name = (await rows.first().locator('a').first().textContent())!.trim();
        await page.getByRole('button', { name: `Edit ${name}` }).click();
        const dialog = page.getByRole('dialog');
        const lead = dialog.getByLabel('Lead time (days)');
        await lead.fill('400');
        await expect.poll(() => lead.getAttribute('aria-invalid')).toBe('true');
        await expect.poll(() => dialog.textContent()).toMatch(/Whole days from 0 to 365/);
        expect(await dialog.getByRole('button', { name: 'Preview changes' }).isDisabled()).toBe(true);
        await assertAccessible(page, 'vendor settings dialog');

        await lead.fill('23');
        expect(await lead.getAttribute('aria-invalid')).toBeNull();
        await dialog.getByRole('button', { name: 'Preview changes' }).click();
        await expect.poll(() => dialog.textContent()).toMatch(/lead time days: .* → 23/);
        await expect
          .poll(() => dialog.textContent())
          .toMatch(/the next restock plan and the repricer's stock guard use 23 days/);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/vendors-edit.png` });
        await dialog.getByRole('button', { name: 'Save 1 change' }).click();
        await page
          .getByRole('status')
          .filter({ hasText: `${name} saved` })
          .waitFor();
        const row = rows.filter({ has: page.getByRole('link', { name, exact: true }) });
        await expect.poll(() => row.locator('td').nth(3).textContent()).toBe('23');
        const api = await (
          await page.request.get(`/api/v1/vendors?search=${encodeURIComponent(name)}`)
        ).json();
        expect(api.items[0].lead_time_days).toBe(23);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/vendors.png`, fullPage: true });

        // the tab bar leads back to the price lists
        await page
          .getByRole('navigation', { name: 'Vendors and price lists' })
          .getByRole('link', { name: 'Price lists' })
          .click();
        await page.getByRole('form', { name: 'Upload a price list' }).waitFor();
      } finally {
        await context.close();
      }
    });

    it('sorts and filters scores, shows a row’s math and opens its SKU page', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await openFromNav(page, 'Scores');
        await page.getByRole('heading', { level: 1, name: 'Scores' }).waitFor();
        const rows = page.locator('table tbody tr:not([aria-hidden])');
        await rows.first().waitFor();
        await assertAccessible(page, 'scores');

        // best first by default; one click on the header sorts lowest first (in the URL)
        const scoreOf = async (i: number) =>
          Number.parseFloat(((await rows.nth(i).locator('td').nth(3).textContent()) ?? '').replace(',', '.'));
        expect(await scoreOf(0)).toBeGreaterThanOrEqual(await scoreOf(1));
        await page.getByRole('button', { name: /^Score 0–100/ }).click();
        await expect.poll(() => new URL(page.url()).searchParams.get('order')).toBe('asc');
        await expect.poll(async () => (await scoreOf(0)) <= (await scoreOf(1))).toBe(true);

        await page.getByLabel('Score from').fill('50');
        await page.getByLabel('Score from').press('Enter');
        await expect.poll(() => new URL(page.url()).searchParams.get('score_min')).toBe('50');
        await expect.poll(() => scoreOf(0)).toBeGreaterThanOrEqual(50);

        // a row's math, then its SKU page
        await rows.first().locator('td').nth(1).getByRole('button').click();
        const math = page.getByRole('region', { name: /^Score of / });
        await expect.poll(() => math.textContent()).toMatch(/100 × \(/);
        await assertAccessible(page, 'scores with the math open');
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/scores.png`, fullPage: true });
        const asin = (await rows.first().getByRole('link').textContent())!.trim();
        await rows.first().getByRole('link', { name: asin }).click();
        await expect.poll(() => new URL(page.url()).pathname).toBe(`/sku/${asin}`);
      } finally {
        await context.close();
      }
    });

    it('reaches every operations grid by keyboard alone, with the focus visible, and opens a row by Enter', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        const pages: [string, string][] = [
          ['/restock', 'Restock plan'],
          ['/purchase-orders', 'Purchase orders'],
          ['/repricer?tab=log', 'Repricer'],
          ['/scores', 'Scores'],
          ['/vendors', 'Vendors'],
          ['/reports', 'Amazon reports'],
          ['/agents', 'Agents'],
          ['/team?tab=audit', 'Team and access'],
        ];
        for (const [url, title] of pages) {
          await page.goto(url);
          await page.getByRole('heading', { level: 1, name: title }).waitFor();
          await page.locator('main table tbody tr').first().waitFor();
          // past the filters and the header to the first row's control, or, for a read-only grid,
          // to its scrolling area (arrow keys scroll it)
          const presses = await tabInto(page, 'main table tbody, main [role=region][tabindex="0"]');
          expect(presses, `${url}: Tab never reached the table's rows`).toBeDefined();
          const outline = await focusOutline(page);
          expect(outline.style, `${url}: focus on ${outline.tag} not drawn`).not.toBe('none');
          expect(outline.width, url).toBeGreaterThan(0);
        }
        // Enter on a focused row control does what a click does: the plan line's inputs open
        await page.goto('/restock');
        await page.locator('main table tbody tr').first().waitFor();
        await tabInto(page, 'main table tbody button');
        await page.keyboard.press('Enter');
        await page.getByRole('dialog').waitFor();
        await expect.poll(() => new URL(page.url()).searchParams.get('line')).toBeTruthy();
      } finally {
        await context.close();
      }
    });
  },
);
