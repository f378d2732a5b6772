import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertListing, insertLogisticsRate } from '../../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import type { Clock } from '../../../platform/clock.ts';
import { silentLogger } from '../../../platform/logger.ts';
import { updateRoi } from '../../roi/roi.service.ts';
import { type ImportDeps, importPriceList } from '../../vendors/import.service.ts';
import { evaluate } from '../engine.service.ts';
import { getTask } from '../tasks.service.ts';

// vendor_cost_increase over real price-list imports: each import links the cost changes it made
// (vendor_price_history.price_list_id), and the ROI refresh after it gives each line its ROI.

const DAY = 86_400_000;
let tdb: TestDatabase;
let dir: string;
// the import dates a list by this clock; it moves a minute per import, so each list is the newest
let now = new Date();
const clock: Clock = { now: () => new Date(now) };
const deps = () => ({ db: tdb.db, clock });
const costs = { types: ['vendor_cost_increase'] as const };

let seq = 0;
/** Imports `rows` (sku, asin, cost) as ACME GmbH's next price list; returns its id and file name. */
async function importList(rows: Array<[string, string, string]>): Promise<{ id: number; file: string }> {
  now = new Date(now.getTime() + 60_000);
  seq += 1;
  const file = path.join(dir, `acme-${seq}.csv`);
  writeFileSync(file, ['sku,asin,cost', ...rows.map((r) => r.join(','))].join('\n'));
  const importDeps: ImportDeps = {
    db: tdb.db,
    clock,
    log: silentLogger,
    defaultCurrency: 'EUR',
    maxXlsxUncompressedBytes: 100 * 1024 * 1024,
    afterImport: async () => {
      await updateRoi(tdb.db, { clock, rebuild: true, reason: 'import' });
    },
  };
  const s = await importPriceList(importDeps, { file, vendor: 'ACME GmbH' });
  expect(s.status).toBe('success');
  return { id: Number(s.price_list_id), file: path.basename(file) };
}

const tasks = async () =>
  (
    await tdb.db.pool.query(
      `SELECT id::int, state, severity, title FROM tasks WHERE type = 'vendor_cost_increase' ORDER BY id`,
    )
  ).rows;

beforeAll(async () => {
  tdb = await createTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'awa-decisions-'));
  await insertLogisticsRate(tdb.db, { eur_per_kg: '2.00' });
});
afterAll(async () => {
  await tdb?.drop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await tdb.db.pool.query(
    'TRUNCATE tasks, task_events, vendors, price_lists, load_log, products, fees, buybox_history CASCADE',
  );
  now = new Date();
});

describe('vendor_cost_increase', () => {
  it('raises one task per import with its lines up 5 % or more, and a newer import without rises resolves it', async () => {
    await importList([
      ['A', '', '10.00'],
      ['B', '', '20.00'],
      ['C', '', '5.00'],
      ['D', '', '10.00'],
    ]);
    // the first list changes nothing that was there before
    expect(await evaluate(deps(), costs)).toMatchObject({ created: 0 });

    const list = await importList([
      ['A', '', '10.60'], // +6 %
      ['B', '', '20.90'], // +4.5 %: not listed
      ['C', '', '5.25'], // +5 %: listed
      ['D', '', '9.00'], // cheaper
    ]);
    expect(await evaluate(deps(), costs)).toMatchObject({ created: 1 });
    const [row] = await tasks();
    const task = await getTask(deps(), row.id);
    expect(task).toMatchObject({
      state: 'open',
      severity: 'warning',
      title: `ACME GmbH raised 2 costs (${list.file})`,
      dedup_key: `vendor_cost_increase:${list.id}`,
      links: { price_list_id: list.id },
      action: { default: { kind: 'open', params: { page: 'vendor', price_list_id: list.id } } },
      details: {
        line_count: 2,
        lines: [
          { sku: 'A', old_cost: 10, cost: 10.6, pct: 6, currency: 'EUR', asin: null, roi_pct: null },
          { sku: 'C', old_cost: 5, cost: 5.25, pct: 5, currency: 'EUR', asin: null, roi_pct: null },
        ],
      },
    });
    expect(task.vendor_id).toBe(task.links.vendor_id);
    expect(task.why).toEqual([
      {
        code: 'cost_increase',
        message: '2 lines cost more, up to +6 %',
        metric: 'cost_increase_pct',
        value: 6,
        threshold: 5,
      },
    ]);
    // it expires when the list turns stale (30 days)
    const { rows } = await tdb.db.pool.query('SELECT created_at FROM price_lists WHERE id = $1', [list.id]);
    const expires = Date.parse(String(task.expires_at));
    expect(Math.abs(expires - (rows[0].created_at.getTime() + 30 * DAY))).toBeLessThan(1000);

    expect(await evaluate(deps(), costs)).toMatchObject({ created: 0, updated: 0, resolved: 0 });

    await importList([
      ['A', '', '10.60'],
      ['D', '', '8.00'],
    ]);
    expect(await evaluate(deps(), costs)).toMatchObject({ resolved: 1, created: 0 });
    expect((await getTask(deps(), row.id)).state).toBe('resolved');
  });

  it('raises nothing when every rise is under 5 % and the ROI stays on target', async () => {
    const { asin } = await insertListing(tdb.db, { status: 'approved', buybox: '40.00' });
    await importList([
      ['A', asin, '10.00'],
      ['B', '', '20.00'],
    ]);
    await importList([
      ['A', asin, '10.49'],
      ['B', '', '20.98'],
    ]);
    expect(await evaluate(deps(), costs)).toMatchObject({ created: 0 });
  });

  it('lists a smaller rise that leaves the ROI below target, critical at −5 %', async () => {
    // cost 10 → 10.20, freight 1, fees 6.70: ROI 100 × (buy box − 17.70) / 11 → (buy box − 17.90) / 11.20
    const low = await insertListing(tdb.db, { status: 'approved', buybox: '19.40' }); // 15.5 % → 13.4 %
    const losing = await insertListing(tdb.db, { status: 'approved', buybox: '17.15' }); // −5 % → −6.7 %
    await importList([
      ['L', low.asin, '10.00'],
      ['M', losing.asin, '10.00'],
    ]);
    const list = await importList([
      ['L', low.asin, '10.20'],
      ['M', losing.asin, '10.20'],
    ]);
    expect(await evaluate(deps(), costs)).toMatchObject({ created: 1 });
    const [row] = await tasks();
    const task = await getTask(deps(), row.id);
    expect(task).toMatchObject({
      severity: 'critical',
      title: `ACME GmbH raised 2 costs (${list.file})`,
      details: {
        lines: [
          { sku: 'L', asin: low.asin, pct: 2, roi_pct: 13.4 },
          { sku: 'M', asin: losing.asin, pct: 2, roi_pct: -6.7 },
        ],
      },
    });
    expect(task.why).toEqual([
      expect.objectContaining({ code: 'cost_increase', value: 2 }),
      {
        code: 'roi_below_target',
        message: '2 of them below the 15 % ROI target',
        metric: 'lines_below_target',
        value: 2,
        threshold: 15,
      },
    ]);
  });
});
