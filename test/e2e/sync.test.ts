import { afterAll, describe, expect, it } from 'vitest';
import { type FakeReports, fakeReportsEnv, startFakeReports } from '../fakes/spapi-reports.ts';
import { parseOneJson, runCli } from '../helpers/proc.ts';
import { CHROMIUM, skipWithout } from '../helpers/tools.ts';
import { assertAccessible } from './axe.ts';
import { openFromNav, signIn, useDemoBrowser, WALK_MS } from './session.ts';

// The reports AWA pulls from SP-API, seen on the Reports page in Debian's Chromium: the demo
// business connected to a local stand-in of Amazon's Reports and Sellers APIs, one `awa sync run
// --all` where Amazon fails the reimbursements report (FATAL), then every feed listed with its
// freshness: the loaded ones fresh, the failed one flagged stale with Amazon's error.
describe.skipIf(skipWithout(CHROMIUM, 'the sync status on the reports page in a real browser'))(
  'synced reports in Chromium',
  { timeout: WALK_MS },
  () => {
    let api: FakeReports | undefined;
    const demo = useDemoBrowser({
      env: async () => {
        api = await startFakeReports({ polls: 0, marketplaces: ['DE'] });
        api.script('GET_FBA_REIMBURSEMENTS_DATA', { end: 'FATAL', polls: 0 });
        // the demo business sells on amazon.de
        return { ...fakeReportsEnv(api), SP_API_REGION: 'eu', AWA_MARKETPLACE: 'DE', AWA_CURRENCY: 'EUR' };
      },
    });
    afterAll(async () => {
      await api?.close();
    });

    it('lists every synced feed with its freshness and flags the one Amazon failed', async () => {
      const run = await runCli(['sync', 'run', '--all', '--json'], demo.stack.env, { timeoutMs: 120_000 });
      const out = parseOneJson(run.stdout) as { status: string; runs: { type: string; status: string }[] };
      // one report failed: the run says so and exits non-zero, the others loaded
      expect(run.code).toBe(1);
      expect(out.runs.filter((r) => r.status === 'fatal').map((r) => r.type)).toEqual([
        'GET_FBA_REIMBURSEMENTS_DATA',
      ]);

      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await openFromNav(page, 'Reports');
        const table = page.getByRole('table', {
          name: 'Reports pulled from Amazon, per type and marketplace',
        });
        await table.waitFor({ timeout: 30_000 });
        const row = (name: string) => table.locator('tbody tr', { hasText: new RegExp(`^${name}DE`) });
        expect(await row('listings').textContent()).toMatch(/✓ fresh.*latest snapshot/);
        expect(await row('settlements').textContent()).toMatch(/as Amazon issues them/);
        // a windowed report: the last whole day it covers (windows end at a UTC midnight)
        expect(await row('ledger').textContent()).toMatch(/✓ fresh\d{2}\.\d{2}\.\d{4}/);
        const failed = await row('reimbursements').textContent();
        expect(failed).toMatch(/⚠ stale: never loaded, target \d+ h/);
        expect(failed).toMatch(/FATAL/);
        await expect
          .poll(() =>
            page
              .getByRole('status')
              .filter({ hasText: /report feeds are stale/ })
              .textContent(),
          )
          .toMatch(/^1 of \d+ report feeds are stale beyond their target\./);
        await assertAccessible(page, 'reports, synced');
      } finally {
        await context.close();
      }
    });
  },
);
