import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/domains/decisions/engine.service.ts';
import { transition } from '../../src/domains/decisions/tasks.service.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { connectDb, type Db } from '../../src/platform/db/pool.ts';
import { CHROMIUM, skipWithout } from '../helpers/tools.ts';
import { assertAccessible } from './axe.ts';
import { openFromNav, signIn, useDemoBrowser, WALK_MS } from './session.ts';

interface Task {
  id: number;
  type: string;
  state: string;
  title: string;
  asin: string | null;
  vendor_id: number | null;
  snoozed_until: string | null;
  assignee: string | null;
  details?: { lines?: unknown[] };
}

const de = (n: number) => new Intl.NumberFormat('de-DE').format(n);
const json = async (page: Page, url: string) => (await page.request.get(url)).json();
const task = (page: Page, id: number): Promise<Task> => json(page, `/api/v1/tasks/${id}`);
const openCount = async (page: Page) => (await json(page, '/api/v1/tasks/counts')).open as number;
const selectedId = async (page: Page) =>
  Number(await page.locator('tr[aria-selected="true"]').getAttribute('data-task'));
const badge = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByTestId('inbox-badge');

// The decision inbox in Debian's Chromium against `awa start` on demo data (which raises reorder,
// price-war and price-change tasks), plus a failed agent run evaluated by the engine: triage by
// keyboard (j/k, s with a choice, d, x; nothing fires while typing), the nav badge follows, a task
// someone else closed answers 409 and is named, a reorder is placed as a purchase order after its
// dry run, and the SKU and vendor pages list their open tasks. Axe on each view.
describe.skipIf(skipWithout(CHROMIUM, 'the inbox in a real browser'))(
  'the decision inbox in Chromium',
  { timeout: WALK_MS },
  () => {
    const demo = useDemoBrowser();
    let db: Db;

    beforeAll(async () => {
      db = await connectDb(demo.stack.env['DATABASE_URL']!, { max: 2 });
      // the keepa agent's newest real run failed: the engine raises agent_failed
      await db.pool.query(
        `INSERT INTO agent_runs (agent, status, trigger, error, started_at, finished_at)
         SELECT 'keepa', 'failed', 'schedule', 'Keepa answered 402: no tokens left',
                greatest(now(), max(started_at) + interval '1 minute'), greatest(now(), max(started_at) + interval '2 minutes')
         FROM agent_runs`,
      );
      await evaluate({ db, clock: systemClock }, { types: ['agent_failed'] });
    });

    afterAll(async () => {
      await db?.close();
    });

    it('triages by keyboard, the badge follows, and a task someone else closed is named (409)', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        const before = await openCount(page);
        expect(before).toBeGreaterThan(4);
        await expect.poll(() => badge(page).textContent()).toContain(de(before));
        await openFromNav(page, 'Inbox');
        await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
        await page.locator('tr[data-task]').first().waitFor();
        await assertAccessible(page, 'inbox');

        // the price changes: the first row is selected; j and k move the selection
        await page.getByLabel('Type').selectOption('price_change');
        await expect.poll(() => new URL(page.url()).searchParams.get('type')).toBe('price_change');
        await expect
          .poll(() => page.locator('tbody th').allTextContents())
          .toEqual([expect.stringMatching(/^Price changes/)]);
        const ids = (
          await page
            .locator('tr[data-task]')
            .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-task'))))
        ).slice(0, 6);
        expect(ids).toHaveLength(6);
        // the keys belong to the page once the focus has left the filter
        await page.locator('h1').click();
        expect(await selectedId(page)).toBe(ids[0]);
        await page.keyboard.press('j');
        await page.keyboard.press('j');
        await page.keyboard.press('k');
        expect(await selectedId(page)).toBe(ids[1]);

        // typing in a field is not a shortcut
        const searchBox = page.getByPlaceholder('Search ASIN, SKU, EAN or title');
        await searchBox.pressSequentially('jdxs');
        expect(await selectedId(page)).toBe(ids[1]);
        expect((await task(page, ids[1]!)).state).toBe('open');
        await searchBox.fill('');
        await page.locator('h1').click();

        // s: the chooser, 3 days → snoozed; the selection goes on to the next row
        await page.keyboard.press('s');
        const chooser = page.getByRole('dialog', { name: 'Snooze until…' });
        await chooser.waitFor();
        await assertAccessible(page, 'snooze chooser');
        await chooser.getByRole('button', { name: /^3 days/ }).click();
        // the move's message, whichever it is: a failure then says what the page said
        const notice = page
          .getByRole('status')
          .filter({ hasText: /^Snoozed until/ })
          .or(page.getByRole('alert'));
        await notice.first().waitFor();
        expect(await notice.first().textContent()).toMatch(/^Snoozed until/);
        const snoozed = await task(page, ids[1]!);
        expect(snoozed.state).toBe('snoozed');
        const days = (Date.parse(snoozed.snoozed_until!) - Date.now()) / 86_400_000;
        expect(days).toBeGreaterThan(2.9);
        expect(days).toBeLessThan(3.1);
        await expect.poll(() => selectedId(page)).toBe(ids[2]);

        // d: done; x: dismissed
        await page.keyboard.press('d');
        await page
          .getByRole('status')
          .filter({ hasText: /^Marked done/ })
          .waitFor();
        expect((await task(page, ids[2]!)).state).toBe('done');
        await expect.poll(() => selectedId(page)).toBe(ids[3]);
        await page.keyboard.press('x');
        await page
          .getByRole('status')
          .filter({ hasText: /^Dismissed/ })
          .waitFor();
        expect((await task(page, ids[3]!)).state).toBe('dismissed');
        await expect.poll(() => selectedId(page)).toBe(ids[4]);

        // the badge counts three fewer open tasks
        expect(await openCount(page)).toBe(before - 3);
        await expect.poll(() => badge(page).textContent()).toContain(de(before - 3));

        // Enter opens the selected task beside the list, with its history
        await page.keyboard.press('Enter');
        await expect.poll(() => new URL(page.url()).searchParams.get('task')).toBe(String(ids[4]));
        const panel = page.getByRole('dialog', { name: (await task(page, ids[4]!)).title });
        await panel.getByRole('heading', { name: 'History' }).waitFor();
        await expect.poll(() => panel.textContent()).toMatch(/Raised by engine/);
        await assertAccessible(page, 'inbox with a task open');

        // someone else finishes the selected task first: pressing d answers 409, named in the page
        await transition({ db, clock: systemClock }, ids[4]!, { to: 'done' }, 'anna@example.com');
        await page.keyboard.press('d');
        const alert = page.getByRole('alert').filter({ hasText: 'someone else got to it first' });
        await alert.waitFor();
        expect(await alert.textContent()).toMatch(/is already done by anna@example\.com/);
        await expect.poll(() => page.locator(`tr[data-task="${ids[4]}"]`).count()).toBe(0);
        await expect.poll(() => badge(page).textContent()).toContain(de(before - 4));
      } finally {
        await context.close();
      }
    });

    it('places a reorder as a purchase order after its dry run; groups by vendor; shows a failed agent', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        const reorders: Task[] = (await json(page, '/api/v1/tasks?type=reorder&page_size=10')).items;
        expect(reorders.length).toBeGreaterThan(1);
        const reorder = await task(page, reorders[0]!.id);
        const lines = reorder.details!.lines!.length;
        expect(lines).toBeGreaterThan(0);

        await page.goto(`/inbox?type=reorder&task=${reorder.id}`);
        const panel = page.getByRole('dialog', { name: reorder.title });
        await panel.getByRole('table', { name: 'Lines of the purchase order' }).waitFor();
        await panel.getByRole('button', { name: 'Place the purchase order…' }).click();
        const confirm = page.getByRole('dialog', { name: 'Place the purchase order?' });
        await expect
          .poll(() => confirm.textContent())
          .toMatch(new RegExp(`Dry run:.*would be placed: ${lines} lines?`));
        await assertAccessible(page, 'act dialog');
        await confirm.getByRole('button', { name: 'Place the purchase order', exact: true }).click();
        const placed = page.getByRole('status').filter({ hasText: /^Placed purchase order #\d+/ });
        await placed.waitFor();
        const poId = Number(/#(\d+)/.exec((await placed.textContent())!)![1]);
        const po = await json(page, `/api/v1/purchase-orders/${poId}`);
        expect(po).toMatchObject({ vendor_id: reorder.vendor_id, status: 'open' });
        expect(po.lines).toHaveLength(lines);
        expect((await task(page, reorder.id)).state).toBe('done');
        await expect.poll(() => panel.textContent()).toMatch(/Acted: create po by /);

        // grouped by vendor: the other reorders under their vendors' names
        await page.keyboard.press('Escape');
        await page.getByRole('button', { name: 'Vendor', exact: true }).click();
        await expect.poll(() => new URL(page.url()).searchParams.get('group')).toBe('vendor');
        const vendors = (await json(page, '/api/v1/vendors?page=1')).items as { id: number; name: string }[];
        const other = vendors.find((v) => v.id === reorders[1]!.vendor_id)!;
        await page.locator('tbody th').filter({ hasText: other.name }).waitFor();

        // the failed agent: its reason as a sentence, a link to its runs
        await page.goto('/inbox?type=agent_failed');
        const row = page.locator('tr[data-task]').filter({ hasText: 'Agent keepa failed' });
        await expect.poll(() => row.textContent()).toContain('Keepa answered 402: no tokens left');
        await row.getByRole('button', { name: 'Agent keepa failed' }).click();
        await page.getByRole('dialog').getByRole('link', { name: 'Agent runs of keepa' }).waitFor();

        // nothing left for a filter: the friendly empty state
        // (agent_overdue is always a warning: the demo has one, but never an info one)
        await page.goto('/inbox?type=agent_overdue&severity=info');
        await page.getByText('No tasks match these filters').waitFor();
        await assertAccessible(page, 'inbox, empty');
      } finally {
        await context.close();
      }
    });

    it('lists the open tasks of an ASIN on its SKU page and of a vendor in the vendors page', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        const [priced] = (await json(page, '/api/v1/tasks?type=price_change&page_size=1')).items as Task[];
        await page.goto(`/sku/${priced!.asin}`);
        const section = page.getByRole('region', { name: 'Open tasks' });
        const link = section.getByRole('link', { name: priced!.title });
        await link.waitFor();
        await assertAccessible(page, 'SKU page with its open tasks');
        await link.click();
        await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
        expect(new URL(page.url()).searchParams.get('task')).toBe(String(priced!.id));
        expect(new URL(page.url()).searchParams.get('asin')).toBe(priced!.asin);
        await page.getByRole('dialog', { name: priced!.title }).waitFor();

        const [reorder] = (await json(page, '/api/v1/tasks?type=reorder&page_size=1')).items as Task[];
        const vendor = (await json(page, '/api/v1/vendors?page=1')).items.find(
          (v: { id: number }) => v.id === reorder!.vendor_id,
        );
        await page.goto('/vendors');
        await page.getByRole('button', { name: `Open tasks of ${vendor.name}` }).click();
        expect(new URL(page.url()).searchParams.get('vendor')).toBe(String(vendor.id));
        const panel = page.getByRole('dialog', { name: vendor.name });
        await panel.getByRole('link', { name: reorder!.title }).waitFor();
        await assertAccessible(page, 'vendor panel with its open tasks');
      } finally {
        await context.close();
      }
    });
    it('ticks tasks (click, shift-click, v) and moves them at once, naming a 409; assigns a task', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await page.goto('/inbox?type=price_change');
        await page.locator('tr[data-task]').nth(5).waitFor();
        const rowIds = () =>
          page
            .locator('tr[data-task]')
            .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-task'))));
        const ids = (await rowIds()).slice(0, 5);
        const box = (id: number) => page.locator(`tr[data-task="${id}"] input[type="checkbox"]`);
        const picked = () => page.locator('tr[data-picked]').count();

        // a click ticks one, a shift-click the range up to it, v the selected row (j moves it)
        await box(ids[0]!).click();
        await box(ids[2]!).click({ modifiers: ['Shift'] });
        expect(await picked()).toBe(3);
        await page.locator('h1').click();
        expect(await selectedId(page)).toBe(ids[0]);
        for (const _ of [1, 2, 3]) await page.keyboard.press('j');
        await page.keyboard.press('v');
        await expect.poll(picked).toBe(4);
        const bar = page.getByRole('region', { name: 'Ticked tasks' });
        expect(await bar.textContent()).toMatch(/4 ticked/);
        await assertAccessible(page, 'inbox with ticked tasks');

        // someone else finishes one of them first: the bulk dismiss moves three and names the fourth
        await transition({ db, clock: systemClock }, ids[1]!, { to: 'done' }, 'anna@example.com');
        await bar.getByRole('button', { name: 'Dismiss 4' }).click();
        const alert = page.getByRole('alert').filter({ hasText: '3 of 4 tasks dismissed.' });
        await alert.waitFor();
        expect(await alert.locator(`[data-failed="${ids[1]}"]`).textContent()).toMatch(/conflict \(409\)/);
        if (process.env['AWA_E2E_SHOTS'])
          await page.screenshot({ path: `${process.env['AWA_E2E_SHOTS']}/inbox-bulk.png` });
        for (const id of [ids[0]!, ids[2]!, ids[3]!]) expect((await task(page, id)).state).toBe('dismissed');
        expect((await task(page, ids[1]!)).state).toBe('done');
        await expect.poll(picked).toBe(0);
        await page.getByRole('button', { name: 'Hide this message' }).click();

        // snooze two at once: the server adds the hours to its own clock
        await expect.poll(async () => (await rowIds()).includes(ids[0]!)).toBe(false);
        const [a, b] = await rowIds();
        await box(a!).click();
        await box(b!).click();
        await bar.getByRole('button', { name: 'Snooze 2…' }).click();
        await page
          .getByRole('dialog', { name: 'Snooze until…' })
          .getByRole('button', { name: /^1 day/ })
          .click();
        await page.getByRole('status').filter({ hasText: '2 of 2 tasks snoozed.' }).waitFor();
        for (const id of [a!, b!]) expect((await task(page, id)).state).toBe('snoozed');

        // assign from the detail: to me, to a typed colleague, back to me; then "assigned to me"
        const me = demo.stack.login.email;
        await expect.poll(async () => (await rowIds()).includes(a!)).toBe(false);
        const [target] = (await rowIds()) as [number];
        await page.locator(`tr[data-task="${target}"]`).getByRole('button').click();
        const panel = page.getByRole('dialog', { name: (await task(page, target)).title });
        const assignForm = panel.getByRole('form', { name: 'Assign the task' });
        await assignForm.getByRole('button', { name: 'Assign to me' }).click();
        await expect.poll(async () => (await task(page, target)).assignee).toBe(me);
        await assignForm.getByLabel('Give it to').fill('anna@example.com');
        await assignForm.getByRole('button', { name: 'Assign', exact: true }).click();
        await expect.poll(async () => (await task(page, target)).assignee).toBe('anna@example.com');
        await expect.poll(() => panel.textContent()).toMatch(/Assigned to anna@example\.com by /);
        await assertAccessible(page, 'task detail with its assignee');
        await assignForm.getByRole('button', { name: 'Assign to me' }).click();
        await expect.poll(async () => (await task(page, target)).assignee).toBe(me);
        await page.keyboard.press('Escape');

        await page.getByRole('checkbox', { name: 'Assigned to me' }).check();
        await expect.poll(() => new URL(page.url()).searchParams.get('assignee')).toBe(me);
        const mine = (await json(page, `/api/v1/tasks?assignee=${encodeURIComponent(me)}&type=price_change`))
          .items as Task[];
        expect(mine.map((t) => t.id)).toContain(target);
        await expect.poll(rowIds).toEqual(mine.map((t) => t.id));
      } finally {
        await context.close();
      }
    });
  },
);
