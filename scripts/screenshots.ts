// `npm run screenshots`: the web app's pages at 1440×900 on demo data, written to docs/screenshots/
// (shown in the README). Starts its own `awa demo` + `awa start` on a fresh embedded database and
// drives Debian's Chromium; run it after a UI change and look at the pictures before committing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureWebBuilt, launchChromium } from '../test/e2e/browser.ts';
import { startDemoStack } from '../test/e2e/stack.ts';
import { killAll, ROOT, removeDir, tempDataDir } from '../test/helpers/proc.ts';

const out = path.join(ROOT, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
ensureWebBuilt();
const dataDir = tempDataDir();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'awa-shots-'));
const browser = await launchChromium();
try {
  const stack = await startDemoStack({ dataDir });
  const context = await browser.newContext({
    baseURL: stack.url,
    viewport: { width: 1440, height: 900 },
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
  });
  const page = await context.newPage();
  const shot = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
  };

  await page.goto('/');
  await page.getByLabel('Email').fill(stack.login.email);
  await shot('01-sign-in');
  await page.getByLabel('Password').fill(stack.login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'ROI by vendor' }).waitFor();
  await shot('02-dashboard');

  await page.goto('/roi?roi_min=15&sort=roi');
  await page.locator('table tbody tr').first().waitFor();
  await shot('03-roi-review');
  await page.locator('table tbody tr').first().getByRole('button').first().click();
  await page.getByRole('dialog').waitFor();
  await shot('04-roi-offer-breakdown');
  await page.keyboard.press('Escape');

  const asin = (await (await page.request.get('/api/v1/roi?page_size=1')).json()).items[0].asin as string;
  await page.goto(`/sku/${asin}?days=90`);
  const chart = page.getByRole('region', { name: 'Price history' });
  await chart.locator('canvas').first().waitFor();
  const box = await chart.locator('canvas').first().boundingBox();
  if (box) await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.4);
  await shot('05-sku-chart');

  const file = path.join(scratch, 'preisliste-maerz.csv');
  writeFileSync(
    file,
    'sku;ean;title;cost;currency\nM-100;4006381333931;Kugelschreiber blau;1,20;EUR\n' +
      'M-101;4006381333948;Bleistift HB;1,2O;EUR\nM-102;4006381333955;Radierer;0,45;EUR\n',
  );
  await page.goto('/price-lists');
  const form = page.getByRole('form', { name: 'Upload a price list' });
  await form.getByRole('combobox', { name: 'Vendor' }).fill('Rheinland Großhandel GmbH');
  await form.locator('input[type=file]').setInputFiles(file);
  await form.getByRole('button', { name: 'Upload and check (dry run)' }).click();
  await page.getByRole('table', { name: 'Problems' }).waitFor({ timeout: 60_000 });
  await shot('06-price-list-problems');

  await page.goto('/');
  await page.getByRole('combobox').first().fill('Kaffee');
  await page.getByRole('listbox').waitFor();
  await shot('07-search');

  // the operations pages (issue 13), each once its first table row (or its content) is painted
  const pages: [string, string, string][] = [
    ['08-vendors', '/vendors', 'Vendors'],
    ['09-restock-plan', '/restock', 'Restock plan'],
    ['10-purchase-orders', '/purchase-orders', 'Purchase orders'],
    ['11-repricer-rules', '/repricer?tab=rules', 'Repricer'],
    ['12-repricer-simulate', '/repricer?tab=simulate', 'Repricer'],
    ['13-repricer-log', '/repricer?tab=log', 'Repricer'],
    ['14-scores', '/scores', 'Scores'],
    ['15-reports', '/reports', 'Amazon reports'],
    ['16-agents', '/agents', 'Agents'],
    ['17-team', '/team', 'Team and access'],
    ['18-settings', '/settings', 'Settings'],
    ['19-inbox', '/inbox', 'Inbox'],
  ];
  for (const [name, url, title] of pages) {
    await page.goto(url);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    const row = page.locator('main table tbody tr').first();
    if ((await page.locator('main table').count()) > 0) await row.waitFor({ timeout: 30_000 });
    await shot(name);
  }

  // the Settings page's alert sections (issue 15), each scrolled to the top of the window
  const sections: [string, string, string][] = [
    ['20-settings-thresholds', 'Alert thresholds', 'tr[data-threshold]'],
    ['21-settings-webhooks', 'Webhook endpoints', 'form'],
    ['22-settings-notifications', 'My notifications', '[data-channel]'],
  ];
  await page.goto('/settings');
  for (const [name, region, ready] of sections) {
    const section = page.getByRole('region', { name: region });
    await section.locator(ready).first().waitFor();
    await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(name);
  }

  // the inbox with three tasks ticked for a bulk move and one open beside the list (assignee)
  await page.goto('/inbox?type=price_change');
  const rows = page.locator('tr[data-task]');
  await rows.nth(3).waitFor();
  for (const i of [0, 1, 2]) await rows.nth(i).locator('input[type="checkbox"]').check();
  await rows.nth(0).getByRole('button').first().click();
  await page.getByRole('form', { name: 'Assign the task' }).waitFor();
  await shot('23-inbox-bulk-assign');
  await context.close();
} finally {
  await browser.close();
  await killAll();
  removeDir(dataDir);
  rmSync(scratch, { recursive: true, force: true });
}
