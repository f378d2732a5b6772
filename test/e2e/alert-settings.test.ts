import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeSmtp } from '../fakes/smtp.ts';
import { readRequestBody, startServer, type TestServer } from '../helpers/http.ts';
import { freePort } from '../helpers/net.ts';
import { CHROMIUM, skipWithout } from '../helpers/tools.ts';
import { assertAccessible } from './axe.ts';
import { openFromNav, signIn, useDemoBrowser, WALK_MS } from './session.ts';

interface Threshold {
  key: string;
  value: number;
  default: number;
  updated_by: string | null;
}

const json = async (page: Page, url: string) => (await page.request.get(url)).json();
const thresholds = async (page: Page) =>
  new Map(((await json(page, '/api/v1/tasks/thresholds')) as Threshold[]).map((t) => [t.key, t]));

/**
 * A webhook receiver that checks each request with the independent `standardwebhooks` package once
 * it knows the secret (which exists only after the endpoint does), and answers scripted statuses.
 */
async function startReceiver() {
  const state = { secret: '', verified: [] as string[], rejected: [] as string[], answers: [] as number[] };
  const server: TestServer = await startServer(async (req, res) => {
    const body = await readRequestBody(req);
    const status = state.answers.shift();
    if (status) return res.writeHead(status).end();
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const payload = new Webhook(state.secret).verify(body, headers) as { type: string };
      state.verified.push(payload.type);
      res.writeHead(204).end();
    } catch (err) {
      state.rejected.push(String(err));
      res.writeHead(400).end();
    }
  });
  return { state, url: `${server.url}/hook`, close: () => server.close() };
}

// The Settings page's alert sections in Debian's Chromium against `awa start` on demo data, with a
// fake SMTP server so e-mail is a channel this installation can send on (Telegram is not set up):
// the admin edits thresholds (a refused value is named at its field and nothing is saved; then saved,
// and one reset to its default), subscribes to e-mail with types and quiet hours, and adds a webhook
// endpoint whose secret is shown once, tests it against a verifying receiver, sees it disabled after
// a 410 Gone, and removes it. Every effect is read back from the API. Axe on each section.
describe.skipIf(skipWithout(CHROMIUM, 'the settings in a real browser'))(
  'alert settings in Chromium',
  { timeout: WALK_MS },
  () => {
    let smtp: Awaited<ReturnType<typeof startFakeSmtp>> | undefined;
    const demo = useDemoBrowser({
      env: async () => {
        smtp = await startFakeSmtp();
        return { SMTP_URL: smtp.url };
      },
    });
    const shots = process.env['AWA_E2E_SHOTS'];
    const shot = async (page: Page, name: string, region?: string) => {
      if (!shots) return;
      if (region) await page.getByRole('region', { name: region }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/${name}.png`, fullPage: !region });
    };

    afterAll(async () => {
      await smtp?.close();
    });

    it('edits thresholds: a refused value is named at its field, then saved, then reset', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await openFromNav(page, 'Settings');
        const section = page.getByRole('region', { name: 'Alert thresholds' });
        const row = (key: string) => section.locator(`tr[data-threshold="${key}"]`);
        await row('price_war.drops').waitFor();
        expect(await row('price_war.drops').textContent()).toMatch(/buy-box drops within the window/);
        await assertAccessible(page, 'settings with alert thresholds');

        await row('price_war.drops').getByRole('textbox').fill('5');
        await row('stale_price_list.days').getByRole('textbox').fill('99999');
        await section.getByRole('button', { name: 'Save 2 changes' }).click();
        await expect
          .poll(() => row('stale_price_list.days').textContent())
          .toMatch(/99999 is outside 1…3650/);
        await section.getByRole('alert').filter({ hasText: 'Nothing was saved' }).waitFor();
        expect(await section.getByRole('alert').textContent()).toMatch(
          /stale_price_list.days: 99999 is outside/,
        );
        expect(await row('stale_price_list.days').getByRole('textbox').getAttribute('aria-invalid')).toBe(
          'true',
        );
        await assertAccessible(page, 'thresholds with a refused value');
        await shot(page, 'thresholds-refused', 'Alert thresholds');
        // all or none: the valid change was not saved either
        expect((await thresholds(page)).get('price_war.drops')!.value).toBe(3);

        await row('stale_price_list.days').getByRole('textbox').fill('45');
        await row('fee_change.enabled').getByRole('checkbox').uncheck();
        await section.getByRole('button', { name: 'Save 3 changes' }).click();
        await section.getByRole('status').filter({ hasText: 'Saved 3 changes.' }).waitFor();
        let saved = await thresholds(page);
        expect(saved.get('price_war.drops')).toMatchObject({ value: 5, updated_by: demo.stack.login.email });
        expect(saved.get('stale_price_list.days')!.value).toBe(45);
        expect(saved.get('fee_change.enabled')!.value).toBe(0);
        await expect.poll(() => row('price_war.drops').textContent()).toMatch(/by .*, /);

        // reset: the default comes back
        await row('price_war.drops')
          .getByRole('button', { name: /^Reset/ })
          .click();
        await expect.poll(() => row('price_war.drops').textContent()).toMatch(/default on save/);
        await section.getByRole('button', { name: 'Save 1 change' }).click();
        await section.getByRole('status').filter({ hasText: 'Saved 1 change.' }).waitFor();
        saved = await thresholds(page);
        expect(saved.get('price_war.drops')).toMatchObject({ value: 3, updated_by: null });
        expect(saved.get('stale_price_list.days')!.value).toBe(45);
      } finally {
        await context.close();
      }
    });

    it('subscribes me to e-mail with types and quiet hours; Telegram is shown as not set up', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await page.goto('/settings#notifications');
        const section = page.getByRole('region', { name: 'My notifications' });
        const telegram = section.locator('[data-channel="telegram"]');
        await expect.poll(() => telegram.textContent()).toMatch(/not set up on this server/);
        expect(await telegram.textContent()).toContain('TELEGRAM_BOT_TOKEN');
        const form = section.getByRole('form', { name: 'My e-mail notifications' });
        await form.waitFor();
        expect(await section.locator('[data-channel="email"]').textContent()).toMatch(
          /✓ set up on this server/,
        );

        // a refused address is named at its field
        await form.getByLabel('E-mail address').fill('not-an-email');
        await form.getByRole('button', { name: 'Subscribe' }).click();
        await expect.poll(() => form.textContent()).toMatch(/is not an e-mail address/);
        expect(await form.getByLabel('E-mail address').getAttribute('aria-invalid')).toBe('true');

        await form.getByLabel('E-mail address').fill('ops-desk@example.com');
        await form.getByLabel('Minimum severity').selectOption('critical');
        await form.getByRole('checkbox', { name: 'Every type' }).uncheck();
        await form.getByRole('checkbox', { name: 'Reorders' }).check();
        await form.getByRole('checkbox', { name: 'Price wars' }).check();
        await form.getByRole('checkbox', { name: /^Hold warnings and info back/ }).check();
        await form.getByLabel('From').fill('21:30');
        await form.getByLabel('Until').fill('06:45');
        await form.getByLabel('Time zone').fill('Europe/Berlin');
        await assertAccessible(page, 'my notifications form');
        await form.getByRole('button', { name: 'Subscribe' }).click();
        await expect
          .poll(() => section.locator('[data-channel="email"]').textContent())
          .toMatch(/You are subscribed \(ops-desk@example\.com\)/);
        expect(await json(page, '/api/v1/me/notifications')).toEqual([
          {
            channel: 'email',
            address: 'ops-desk@example.com',
            min_severity: 'critical',
            task_types: ['reorder', 'price_war'],
            quiet_hours: { start: '21:30', end: '06:45', timezone: 'Europe/Berlin' },
            enabled: true,
            disabled_reason: null,
          },
        ]);
        await shot(page, 'my-notifications', 'My notifications');

        // an unknown time zone is named at its field; the saved subscription stays as it was
        const saved = section.getByRole('form', { name: 'My e-mail notifications' });
        await saved.getByLabel('Time zone').fill('Mars/Base');
        await saved.getByRole('button', { name: 'Save' }).click();
        await expect.poll(() => saved.getByLabel('Time zone').getAttribute('aria-invalid')).toBe('true');
        expect((await json(page, '/api/v1/me/notifications'))[0].quiet_hours.timezone).toBe('Europe/Berlin');

        await saved.getByRole('button', { name: 'Unsubscribe' }).click();
        await expect.poll(() => json(page, '/api/v1/me/notifications')).toEqual([]);
        await expect
          .poll(() => section.locator('[data-channel="email"]').textContent())
          .toMatch(/You are not subscribed/);
      } finally {
        await context.close();
      }
    });

    it('adds a webhook endpoint (secret shown once), tests it, flags it disabled after 410, removes it', async () => {
      const receiver = await startReceiver();
      const { context, page } = await demo.newPage();
      try {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.stack.url });
        await signIn(page, demo.stack.login);
        await page.goto('/settings#webhooks');
        const section = page.getByRole('region', { name: 'Webhook endpoints' });
        await section.getByText('No webhook endpoints').waitFor();
        const form = section.getByRole('form', { name: 'Add a webhook endpoint' });

        // nobody listens: refused, named at the URL field
        await form.getByLabel('URL').fill(`http://127.0.0.1:${await freePort()}/hook`);
        await form.getByRole('button', { name: 'Add endpoint' }).click();
        await expect.poll(() => form.textContent()).toMatch(/url is unreachable: cannot reach 127\.0\.0\.1/);
        expect(await form.getByLabel('URL').getAttribute('aria-invalid')).toBe('true');

        await form.getByLabel('URL').fill(receiver.url);
        await form.getByLabel('Description (optional)').fill('ops bus');
        await form.getByRole('button', { name: 'Add endpoint' }).click();
        const secretBox = section.getByRole('region', { name: `Signing secret for ${receiver.url}` });
        await secretBox.waitFor();
        const secret = (await secretBox.getByTestId('secret').textContent())!.trim();
        expect(secret).toMatch(/^whsec_/);
        await secretBox.getByRole('button', { name: 'Copy' }).click();
        await secretBox.getByRole('button', { name: 'Copied' }).waitFor();
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
        await assertAccessible(page, 'webhook endpoint with its secret');
        await shot(page, 'webhooks-secret', 'Webhook endpoints');
        // never listed again
        const listed = await json(page, '/api/v1/alerts/webhooks');
        expect(listed).toEqual([
          expect.objectContaining({ url: receiver.url, description: 'ops bus', enabled: true }),
        ]);
        expect(JSON.stringify(listed)).not.toContain('whsec_');
        await secretBox.getByRole('button', { name: 'Done, hide it' }).click();
        await expect.poll(() => section.getByTestId('secret').count()).toBe(0);

        // a signed test, verified by the receiver
        receiver.state.secret = secret;
        const table = section.getByRole('table', { name: 'Webhook endpoints' });
        await table.getByRole('button', { name: `Send test to ${receiver.url}` }).click();
        await table.getByRole('status').filter({ hasText: '✓ Test delivered' }).waitFor();
        expect(receiver.state.verified).toEqual(['alerts.test']);

        // the endpoint answers 410 Gone: disabled, flagged, and its test button off
        receiver.state.answers.push(410);
        await table.getByRole('button', { name: `Send test to ${receiver.url}` }).click();
        await table.getByRole('status').filter({ hasText: '✗ Test failed' }).waitFor();
        await table.getByTestId('disabled').waitFor();
        expect((await json(page, '/api/v1/alerts/webhooks'))[0].enabled).toBe(false);
        expect(await table.getByRole('button', { name: `Send test to ${receiver.url}` }).isDisabled()).toBe(
          true,
        );

        // both tests in the recent deliveries
        const deliveries = section.getByRole('table', { name: 'Recent notification deliveries' });
        await expect.poll(() => deliveries.locator('tbody tr').count()).toBe(2);
        expect(await deliveries.textContent()).toMatch(/delivered/);
        await assertAccessible(page, 'webhook endpoints with a disabled one');
        // long URLs and errors wrap or scroll inside their table: the page never gets wider than the window
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
          true,
        );
        await shot(page, 'webhooks-disabled', 'Webhook endpoints');

        await table.getByRole('button', { name: `Remove ${receiver.url}` }).click();
        const confirm = page.getByRole('dialog', { name: 'Remove webhook endpoint' });
        await confirm.getByRole('button', { name: 'Remove' }).click();
        await section.getByText('No webhook endpoints').waitFor();
        expect(await json(page, '/api/v1/alerts/webhooks')).toEqual([]);
      } finally {
        await context.close();
        await receiver.close();
      }
    });
  },
);
