import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { roundOrderQty } from '../../src/domains/restock/restock.rounding.ts';
import { CHROMIUM, skipWithout } from '../helpers/tools.ts';
import { assertAccessible } from './axe.ts';
import { openFromNav, signIn, useDemoBrowser, WALK_MS } from './session.ts';

interface Line {
  sku: string;
  vendor_id: number | null;
  qty: number;
  case_pack: number;
  moq: number;
  on_order_now: number;
}

const de = (n: number) => new Intl.NumberFormat('de-DE').format(n);

// A buyer's week in Debian's Chromium against `awa start` on demo data: type a restock quantity and
// see it rounded to the case pack → place the purchase order → receive part of it → the plan shows
// what is still on order. Both pages are scanned with axe; the recompute runs as a dry run.
describe.skipIf(skipWithout(CHROMIUM, 'the restock pages in a real browser'))(
  'restock and purchase orders',
  { timeout: WALK_MS },
  () => {
    const demo = useDemoBrowser();

    const json = async (page: Page, url: string) => (await page.request.get(url)).json();

    it('edits a quantity (rounded), orders it, receives part, and the plan shows it on order', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await openFromNav(page, 'Restock');
        await page.getByRole('heading', { level: 1, name: 'Restock plan' }).waitFor();
        await page.getByRole('checkbox', { name: 'Only lines that order something' }).check();
        await expect.poll(() => new URL(page.url()).searchParams.get('order_only')).toBe('true');
        const rows = page.locator('table tbody tr');
        await rows.first().waitFor();
        await assertAccessible(page, 'restock plan');

        // the line to order: among the first rows on screen, one with a vendor (a case pack if any)
        const planId = (await json(page, '/api/v1/restock/plans')).items[0].id as number;
        const shown: Line[] = (
          await json(page, `/api/v1/restock/plans/${planId}?order_only=true&page_size=15`)
        ).lines.items;
        const withVendor = shown.filter((l) => l.vendor_id !== null);
        const line = withVendor.find((l) => l.case_pack > 1) ?? withVendor[0]!;
        expect(line).toBeDefined();
        const wanted = line.qty + 1;
        const rounded = roundOrderQty(wanted, line.case_pack, line.moq);

        // typing shows the rounding the planner uses
        await page.getByRole('textbox', { name: `Order quantity for ${line.sku}` }).fill(String(wanted));
        const shownRounding = page.getByTestId(`rounded-${line.sku}`);
        await expect.poll(() => shownRounding.textContent()).toContain(`→ ${de(rounded.qty)}`);
        if (line.case_pack > 1) {
          expect(await shownRounding.textContent()).toMatch(
            new RegExp(`${rounded.cases} cases of ${line.case_pack}`),
          );
        }

        // typing selected the line: one purchase order, previewed then confirmed
        await page.getByRole('button', { name: 'Create purchase orders…' }).click();
        const dialog = page.getByRole('dialog', { name: /Create 1 purchase order/ });
        await expect.poll(() => dialog.textContent()).toMatch(/Dry run: 1 purchase order/);
        await dialog.getByRole('button', { name: 'Create 1 purchase order' }).click();
        await page.getByRole('status').filter({ hasText: 'Created 1 purchase order' }).waitFor();
        const po = (await json(page, '/api/v1/purchase-orders?status=open&page_size=1')).items[0];
        const detail = await json(page, `/api/v1/purchase-orders/${po.id}`);
        expect(detail.lines).toEqual([
          expect.objectContaining({ sku: line.sku, qty: rounded.qty, received_qty: 0 }),
        ]);

        // receive part of it: dry run first, then confirm
        await page
          .getByRole('status')
          .getByRole('link', { name: new RegExp(`#${po.id}`) })
          .click();
        await page.getByRole('heading', { level: 1, name: 'Purchase orders' }).waitFor();
        expect(new URL(page.url()).searchParams.get('po')).toBe(String(po.id));
        const part = Math.max(1, rounded.qty - Math.max(1, line.case_pack));
        const panel = page.getByRole('dialog', { name: new RegExp(`Purchase order #${po.id}`) });
        await panel
          .getByRole('textbox', { name: new RegExp(`Receive now of ${line.sku}`) })
          .fill(String(part));
        await assertAccessible(page, 'purchase orders');
        await panel.getByRole('button', { name: 'Receive typed quantities…' }).click();
        const confirm = page.getByRole('dialog', { name: /^Receive/ });
        await expect.poll(() => confirm.textContent()).toMatch(/Dry run: the order would be open/);
        await confirm.getByRole('button', { name: new RegExp(`^Receive ${de(part)} unit`) }).click();
        await expect
          .poll(async () => (await json(page, `/api/v1/purchase-orders/${po.id}`)).lines[0].received_qty)
          .toBe(part);
        await expect.poll(() => panel.textContent()).toContain(`${de(part)} of ${de(rounded.qty)} unit`);

        // the plan counts what is still outstanding as on order
        await page.goto(`/restock?order_only=true&line=${encodeURIComponent(line.sku)}`);
        const inputs = page.getByRole('dialog', { name: line.sku });
        const onOrder = line.on_order_now + rounded.qty - part;
        await expect.poll(() => inputs.textContent()).toContain(`open purchase orders #${po.id}`);
        const row = page.locator('tbody tr', {
          has: page.getByRole('button', { name: line.sku, exact: true }),
        });
        await expect.poll(() => row.getByRole('link', { name: de(onOrder), exact: true }).count()).toBe(1);
      } finally {
        await context.close();
      }
    });

    it('recomputes the plan as a dry run and watches the job (its id in the URL)', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await page.goto('/restock');
        await page.getByRole('button', { name: 'Recompute now (dry run)' }).click();
        await expect.poll(() => new URL(page.url()).searchParams.get('job')).toMatch(/\S/);
        const region = page.getByRole('region', { name: 'Recompute' });
        await expect.poll(() => region.textContent(), { timeout: 90_000 }).toMatch(/Done: plan \d{4}-W\d\d/);
        expect(await region.textContent()).toContain('Dry run: nothing was written');
        await page.reload(); // the job id in the URL: the result is still shown
        await expect
          .poll(() => page.getByRole('region', { name: 'Recompute' }).textContent())
          .toMatch(/Done/);
      } finally {
        await context.close();
      }
    });

    it('works by keyboard: the inputs behind a line open with Enter and close with Escape', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await page.goto('/restock');
        const first = page.locator('table tbody tr').first().getByRole('button').first();
        await first.waitFor();
        const sku = (await first.textContent())!.trim();
        await first.focus();
        await page.keyboard.press('Enter');
        await page.getByRole('dialog', { name: sku }).waitFor();
        expect(new URL(page.url()).searchParams.get('line')).toBe(sku);
        await page.keyboard.press('Escape');
        await expect.poll(() => page.getByRole('dialog', { name: sku }).count()).toBe(0);
      } finally {
        await context.close();
      }
    });
  },
);
