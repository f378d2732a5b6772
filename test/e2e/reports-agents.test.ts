import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../fixtures/reports/files.ts';
import { CHROMIUM, skipWithout } from '../helpers/tools.ts';
import { assertAccessible } from './axe.ts';
import { openFromNav, signIn, useDemoBrowser, WALK_MS } from './session.ts';

// Amazon reports and agents in Debian's Chromium against `awa start` on demo data: upload a fee
// preview report → its type is shown before ingest → dry run → ingest for real → it is in the
// history; run an agent as admin (dry run), watch it finish, reload and still see it. Axe on both.
describe.skipIf(skipWithout(CHROMIUM, 'the reports and agents pages in a real browser'))(
  'reports and agents in Chromium',
  { timeout: WALK_MS },
  () => {
    const demo = useDemoBrowser();
    let files: string;

    beforeAll(() => {
      files = mkdtempSync(path.join(os.tmpdir(), 'awa-e2e-reports-'));
    });

    afterAll(() => {
      if (files) rmSync(files, { recursive: true, force: true });
    });

    it('uploads a fee preview report: type shown first, dry run, ingest, then in the history', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await openFromNav(page, 'Reports');
        await page.getByRole('heading', { level: 1, name: 'Amazon reports' }).waitFor();
        await page.getByRole('table', { name: /Report loads/ }).waitFor();
        await assertAccessible(page, 'reports');

        const file = path.join(files, 'fee-preview-march.txt');
        copyFileSync(fixture('fee-preview-eu.txt'), file);
        const form = page.getByRole('form', { name: 'Load an Amazon report' });
        await form.getByLabel(/Report file/).setInputFiles(file);
        await form.getByRole('button', { name: 'Upload and detect the type' }).click();

        // the type, read from the header, before anything is ingested
        const detected = page.getByRole('region', { name: 'Detected report' });
        await expect
          .poll(() => detected.textContent(), { timeout: 30_000 })
          .toMatch(/Detected: Fee Preview report/);
        expect(await detected.getByLabel('Read it as').inputValue()).toBe('fee_preview');
        await assertAccessible(page, 'reports, detected');
        const loads = async () =>
          (await (await page.request.get('/api/v1/reports/loads?type=fee_preview')).json()).total;
        expect(await loads()).toBe(0);

        // dry run (the default); the job id goes into the URL
        await detected.getByRole('button', { name: 'Ingest (dry run)' }).click();
        await expect.poll(() => new URL(page.url()).searchParams.get('job')).toMatch(/\S/);
        const real = page.getByRole('button', { name: 'Ingest for real' });
        await real.waitFor({ timeout: 60_000 });
        expect(await page.getByText(/Dry run of fee-preview-march\.txt: nothing was written/).count()).toBe(
          1,
        );
        expect(await loads()).toBe(0);

        await real.click();
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('button', { name: /^Ingest 2 rows/ }).click();
        await page
          .getByText(/Ingested fee-preview-march\.txt: a Fee Preview report/)
          .waitFor({ timeout: 60_000 });

        // the history shows the load with its counts
        const history = page.getByRole('table', { name: /Report loads/ });
        const row = history.locator('tbody tr', { hasText: 'fee-preview-march.txt' });
        await row.waitFor({ timeout: 15_000 });
        expect(await row.textContent()).toMatch(/Fee Preview.*✓ loaded/);
        expect(await loads()).toBe(1);
        await assertAccessible(page, 'reports, ingested');

        // the history's CSV is the whole filtered set
        const csv = await page.request.get('/api/v1/reports/loads.csv?type=fee_preview');
        expect(csv.status()).toBe(200);
        expect(await csv.text()).toContain('fee-preview-march.txt');
      } finally {
        await context.close();
      }
    });

    it('runs an agent now as admin (dry run) and watches it finish; the job survives a reload', async () => {
      const { context, page } = await demo.newPage();
      try {
        await signIn(page, demo.stack.login);
        await openFromNav(page, 'Agents');
        await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
        const table = page.getByRole('table', { name: 'Agents with their schedule and last run' });
        await table.waitFor();
        // the schedule in words beside its cron
        expect(await table.locator('tr[data-agent="maintenance"]').textContent()).toMatch(
          /30 3 \* \* \*daily at 03:30 UTC/,
        );
        await assertAccessible(page, 'agents');

        await page.getByRole('button', { name: 'Run maintenance now' }).click();
        const dialog = page.getByRole('dialog');
        expect(await dialog.getByLabel(/Dry run/).isChecked()).toBe(true);
        await dialog.getByRole('button', { name: 'Run maintenance (dry run)' }).click();
        await expect.poll(() => new URL(page.url()).searchParams.get('job')).toMatch(/\S/);
        const status = page.locator('[data-job-status]');
        await expect.poll(() => status.getAttribute('data-job-status'), { timeout: 60_000 }).toBe('success');
        expect(await status.textContent()).toMatch(/maintenance \(dry run\): ✓ finished/);

        // a reload resumes from the URL: the same job, finished, and the run in the history
        await page.reload();
        await expect
          .poll(() => page.locator('[data-job-status]').getAttribute('data-job-status'), {
            timeout: 30_000,
          })
          .toBe('success');
        const runs = page.getByRole('table', { name: 'Runs of maintenance, newest first' });
        await expect.poll(() => runs.locator('tbody tr').first().textContent()).toMatch(/✓ success.*dry run/);
        await assertAccessible(page, 'agents, after a run');
      } finally {
        await context.close();
      }
    });
  },
);
