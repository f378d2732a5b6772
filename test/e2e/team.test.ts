import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, skipWithout } from '../helpers/tools.ts';
import { assertAccessible } from './axe.ts';
import { openFromNav, signIn, useDemoBrowser, WALK_MS } from './session.ts';

// Team and access in Debian's Chromium against `awa start` on demo data: the demo admin adds a
// viewer on the Team page, the viewer signs in with the one-time password (and must replace it),
// sees neither Team nor any write button (Settings only with her notifications and the thresholds
// read-only), and is refused a write sent anyway; the
// admin creates and revokes an API token and reads the Settings page. Both pages are scanned.
describe.skipIf(skipWithout(CHROMIUM, 'the web app in a real browser'))(
  'team and settings in Chromium',
  { timeout: WALK_MS },
  () => {
    const demo = useDemoBrowser();
    const shots = process.env['AWA_E2E_SHOTS'];

    const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
    const shot = async (page: Page, name: string) => {
      if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
    };

    it('adds a viewer who signs in, changes the one-time password, and can change nothing', async () => {
      const admin = await demo.newPage();
      let password = '';
      try {
        await signIn(admin.page, demo.stack.login);
        await openFromNav(admin.page, 'Team');
        await admin.page.getByRole('heading', { level: 1, name: 'Team and access' }).waitFor();
        await admin.page.getByRole('table', { name: 'Users' }).locator('tbody tr').first().waitFor();
        const form = admin.page.getByRole('form', { name: 'Add a user' });
        await form.getByLabel('E-mail').fill('vera.viewer@example.com');
        await form.getByLabel('Name (optional)').fill('Vera');
        await form.getByLabel('Role').selectOption('viewer');
        await form.getByRole('button', { name: 'Create user' }).click();
        const secret = admin.page.getByRole('region', {
          name: /One-time password for vera\.viewer@example\.com/,
        });
        await secret.waitFor();
        password = (await secret.getByTestId('secret').textContent())?.trim() ?? '';
        expect(password.length).toBeGreaterThanOrEqual(12);
        const row = admin.page.getByRole('row', { name: /vera\.viewer@example\.com/ });
        await expect.poll(() => row.textContent()).toMatch(/one-time password/);
        await assertAccessible(admin.page, 'team users');
        await shot(admin.page, 'team-users');
      } finally {
        await admin.context.close();
      }

      const { context, page } = await demo.newPage();
      try {
        await signIn(page, { email: 'vera.viewer@example.com', password }, { waitForDashboard: false });
        await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
        await page.getByLabel('Current password').fill(password);
        await page.getByLabel('New password', { exact: true }).fill('vera picks her own passphrase');
        await page.getByLabel('Repeat the new password').fill('vera picks her own passphrase');
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

        const links = await nav(page).getByRole('link').allTextContents();
        expect(links.join('|')).toMatch(/ROI review/);
        expect(links.map((l) => l.trim())).not.toContain('Team');
        // Settings: only my notifications and the thresholds, which a viewer reads but cannot change
        expect(links.map((l) => l.trim())).toContain('Settings');
        await openFromNav(page, 'Settings');
        const thresholds = page.getByRole('region', { name: 'Alert thresholds' });
        await thresholds.locator('tr[data-threshold="price_war.drops"]').waitFor();
        expect(await thresholds.locator('input, button').count()).toBe(0);
        expect(await thresholds.textContent()).toMatch(/Only an admin can change them/);
        await page.getByRole('region', { name: 'My notifications' }).waitFor();
        expect(await page.getByRole('region', { name: 'Webhook endpoints' }).count()).toBe(0);
        expect(await page.getByRole('table', { name: /settings$/ }).count()).toBe(0);
        await assertAccessible(page, 'settings for a viewer');

        await openFromNav(page, 'ROI review');
        await page.getByRole('heading', { level: 1, name: 'ROI review' }).waitFor();
        await page.locator('table tbody tr').first().waitFor();
        expect(await page.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
        expect(await page.locator('table tbody').getByRole('checkbox').count()).toBe(0);

        // every operations page: the data, and none of the controls that would change it
        const pages: [string, string, RegExp][] = [
          ['/restock', 'Restock plan', /^(Recompute now|Create .*purchase order)/],
          ['/repricer?tab=rules', 'Repricer', /^(Add rule|Save|Import)/],
          ['/repricer?tab=simulate', 'Repricer', /^Apply/],
          ['/vendors', 'Vendors', /^Edit/],
          ['/agents', 'Agents', /^Run now/],
          ['/reports', 'Amazon reports', /^Upload and detect/],
        ];
        for (const [url, title, writes] of pages) {
          await page.goto(url);
          await page.getByRole('heading', { level: 1, name: title }).waitFor();
          await page.locator('main table tbody tr').first().waitFor();
          expect(await page.getByRole('button', { name: writes }).count(), url).toBe(0);
          // no control a viewer could change (a disabled checkbox may still show a rule's state)
          const editable = page.locator('main table tbody :is(input, select, textarea):not([disabled])');
          expect(await editable.count(), url).toBe(0);
        }

        // a write sent anyway, properly signed (cookie, same origin, CSRF token), is refused for the role
        const me = await (await page.request.get('/api/v1/me')).json();
        expect(me.role).toBe('viewer');
        const asin = (await (await page.request.get('/api/v1/roi?page_size=1')).json()).items[0].asin;
        for (const [url, data] of [
          ['/api/v1/roi/approve', { asins: [asin], status: 'approved' }],
          ['/api/v1/team/tokens', { name: 'vera-script', role: 'admin' }],
          ['/api/v1/pricing/apply', { items: [{ sku: 'AWA-ANY-0001' }], dry_run: true }],
          ['/api/v1/agents/maintenance/run', { dry_run: true }],
          ['/api/v1/purchase-orders/1/cancel', {}],
        ] as const) {
          const r = await page.request.post(url, {
            data,
            headers: { origin: demo.stack.url, 'x-csrf-token': me.csrf_token },
          });
          expect(r.status(), url).toBe(403);
          expect((await r.json()).error.message).toMatch(/needs the (ops|admin) role/);
        }
        expect((await page.request.get('/api/v1/settings')).status()).toBe(403);
      } finally {
        await context.close();
      }
    });

    it('creates an API token (shown once), sees it work, revokes it; reads Settings without secrets', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await page.goto('/team?tab=tokens');
        await page.getByRole('heading', { level: 1, name: 'Team and access' }).waitFor();
        const form = page.getByRole('form', { name: 'Create an API token' });
        await form.getByLabel('Token name').fill('e2e-sheets');
        await form.getByLabel('Role').selectOption('ops');
        await form.getByRole('button', { name: 'Create token' }).click();
        const secret = page.getByRole('region', { name: 'Token e2e-sheets' });
        await secret.waitFor();
        const token = (await secret.getByTestId('secret').textContent())?.trim() ?? '';
        expect(token).toMatch(/^awa_/);
        const asToken = await fetch(`${demo.stack.url}/api/v1/me`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect((await asToken.json()).role).toBe('ops');
        await assertAccessible(page, 'team tokens');
        await shot(page, 'team-tokens');

        await secret.getByRole('button', { name: 'Done, hide it' }).click();
        expect(await page.getByText(token).count()).toBe(0);
        await page.getByRole('button', { name: 'Revoke token e2e-sheets' }).click();
        const dialog = page.getByRole('dialog');
        await expect.poll(() => dialog.textContent()).toMatch(/e2e-sheets/);
        // The modal hides the page behind it from the accessibility tree (aria-hidden), so the row's
        // button "disappears" as soon as the dialog opens: wait for the DELETE itself, then the close.
        const deleted = page.waitForResponse(
          (r) => r.request().method() === 'DELETE' && r.url().includes('/api/v1/team/tokens/'),
        );
        await dialog.getByRole('button', { name: 'Revoke' }).click();
        expect((await deleted).status()).toBe(204);
        await dialog.waitFor({ state: 'hidden' });
        await expect
          .poll(() => page.getByRole('button', { name: 'Revoke token e2e-sheets' }).count())
          .toBe(0);
        const revoked = await fetch(`${demo.stack.url}/api/v1/me`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(revoked.status).toBe(401);

        // the audit log names both, newest first, filtered by the URL
        await page.getByRole('button', { name: 'Audit log' }).click();
        const log = page.getByRole('table', { name: 'Audit log' });
        await page.getByLabel('What (event or route)').fill('token_');
        await page.getByRole('button', { name: 'Apply' }).click();
        await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('token_');
        // entries land about a second after the request (batched writes): refresh until they show
        const refreshed = async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return log.locator('tbody').textContent();
        };
        await expect.poll(refreshed, { timeout: 10_000, interval: 500 }).toMatch(/token_revoked/);
        expect(await log.locator('tbody').textContent()).toMatch(/token_created/);
        await assertAccessible(page, 'team audit log');
        await shot(page, 'team-audit');

        await openFromNav(page, 'Settings');
        await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
        const restock = page.getByRole('region', { name: 'Restock' });
        const cover = restock.getByRole('row', { name: /Target days of cover/ });
        await expect.poll(() => cover.textContent()).toMatch(/35 days.*Default.*RESTOCK_COVER_DAYS/);
        const marketplace = page.getByRole('region', { name: 'Marketplace' });
        await expect.poll(() => marketplace.textContent()).toMatch(/Environment|Default/);
        await page.getByRole('table', { name: 'Reduced VAT rates' }).waitFor();
        await assertAccessible(page, 'settings');
        await shot(page, 'settings');
      } finally {
        await context.close();
      }
    });
  },
);
