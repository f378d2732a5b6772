import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertProduct } from '../../../test/factories/index.ts';
import { tempDir } from '../../../test/fixtures/reports/files.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { ingestTestDeps } from '../../../test/helpers/ingest.ts';
import { fixedClock } from '../../platform/clock.ts';
import { recordFees } from '../fees/fees.service.ts';
import { type IngestDeps, ingestReport } from './ingest.service.ts';

/**
 * The fee preview's fulfilment fee in both of Amazon's shapes (SPEC §4): today's single
 * `expected-fulfillment-fee-per-unit`, or the older `estimated-pick-pack-fee-per-unit` +
 * `estimated-weight-handling-fee-per-unit` + `estimated-order-handling-fee-per-order`. A row with
 * a referral fee but no fulfilment fee of any form is partial: its fulfilment stays NULL, never 0.
 */
let tdb: TestDatabase;
let deps: IngestDeps;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  tmp = tempDir('awa-fee-preview-');
  deps = ingestTestDeps(tdb);
});
afterAll(async () => {
  await tdb.drop();
  tmp.cleanup();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE fee_preview_raw, fees, fees_history, products, load_log CASCADE');
});

const BASE = [
  'sku',
  'fnsku',
  'asin',
  'amazon-store',
  'product-name',
  'product-group',
  'brand',
  'fulfilled-by',
  'has-local-inventory',
  'your-price',
  'sales-price',
  'longest-side',
  'median-side',
  'shortest-side',
  'length-and-girth',
  'unit-of-dimension',
  'item-package-weight',
  'unit-of-weight',
  'product-size-tier',
  'currency',
  'estimated-fee-total',
  'estimated-referral-fee-per-unit',
  'estimated-variable-closing-fee',
];
const item = (sku: string, asin: string, total: string, referral: string, closing: string) => [
  sku,
  'X00FNSKU01',
  asin,
  'US',
  'Steel bottle',
  'Kitchen',
  'Acme',
  'Amazon',
  'No',
  '24.99',
  '24.99',
  '10.2',
  '3.1',
  '3.0',
  '22.4',
  'inches',
  '1.1',
  'pounds',
  'Large standard-size',
  'USD',
  total,
  referral,
  closing,
];

async function ingest(
  name: string,
  header: string[],
  rows: string[][],
  o: { at?: string; force?: boolean } = {},
) {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, `${[header, ...rows].map((r) => r.join('\t')).join('\n')}\n`);
  const d = o.at ? ingestTestDeps(tdb, { clock: fixedClock(o.at) }) : deps;
  return ingestReport(d, { file, skipInvalid: false, force: o.force });
}

const fees = async () =>
  (
    await tdb.db.pool.query(
      'SELECT asin, referral::text, fulfilment::text, other::text FROM fees ORDER BY asin',
    )
  ).rows;

describe('fee preview fulfilment fees', () => {
  it("reads today's expected-fulfillment-fee-per-unit", async () => {
    const r = await ingest(
      'fees-2026.txt',
      [...BASE, 'expected-fulfillment-fee-per-unit'],
      [
        [...item('A-1', 'B0FEE00001', '10.30', '3.75', '0.00'), '6.55'],
        [...item('A-2', 'B0FEE00002', '9.05', '3.75', '1.80'), '3.50'],
      ],
    );
    expect(r).toMatchObject({ status: 'success', type: 'fee_preview', rows: 2 });
    expect(await fees()).toEqual([
      { asin: 'B0FEE00001', referral: '3.75', fulfilment: '6.55', other: '0.00' },
      { asin: 'B0FEE00002', referral: '3.75', fulfilment: '3.50', other: '1.80' },
    ]);
  });

  it('adds up the older three parts: pick & pack + weight handling + order handling', async () => {
    const old = [
      ...BASE,
      'estimated-order-handling-fee-per-order',
      'estimated-pick-pack-fee-per-unit',
      'estimated-weight-handling-fee-per-unit',
    ];
    await ingest('fees-2017.txt', old, [
      [...item('B-1', 'B0FEE00003', '8.89', '3.75', '0.00'), '1.00', '1.06', '3.08'],
      // no order-handling fee (standard-size items had none): pick & pack + weight handling
      [...item('B-2', 'B0FEE00004', '7.89', '3.75', '0.00'), '--', '1.06', '3.08'],
    ]);
    expect(await fees()).toEqual([
      { asin: 'B0FEE00003', referral: '3.75', fulfilment: '5.14', other: '0.00' },
      { asin: 'B0FEE00004', referral: '3.75', fulfilment: '4.14', other: '0.00' },
    ]);
  });

  it('prefers the single fee when a file has both shapes', async () => {
    await ingest(
      'fees-both.txt',
      [
        ...BASE,
        'estimated-pick-pack-fee-per-unit',
        'estimated-weight-handling-fee-per-unit',
        'expected-fulfillment-fee-per-unit',
      ],
      [[...item('C-1', 'B0FEE00005', '10.30', '3.75', '0.00'), '1.06', '3.08', '6.55']],
    );
    expect((await fees())[0]).toMatchObject({ fulfilment: '6.55' });
  });

  it('keeps a row with a referral fee but no fulfilment fee as partial (NULL), never 0', async () => {
    const r = await ingest(
      'fees-partial.txt',
      [...BASE, 'expected-fulfillment-fee-per-unit'],
      [
        [...item('D-1', 'B0FEE00006', '3.75', '3.75', '0.00'), '--'],
        [...item('D-2', 'B0FEE00007', '3.75', '3.75', '0.00'), ''],
      ],
    );
    expect(r.status).toBe('success');
    expect(await fees()).toEqual([
      { asin: 'B0FEE00006', referral: '3.75', fulfilment: null, other: '0.00' },
      { asin: 'B0FEE00007', referral: '3.75', fulfilment: null, other: '0.00' },
    ]);
    // the raw rows keep what the file said
    const raw = await tdb.db.pool.query(
      'SELECT expected_fulfillment_fee_per_unit, estimated_pick_pack_fee_per_unit FROM fee_preview_raw',
    );
    expect(raw.rows).toEqual([
      { expected_fulfillment_fee_per_unit: null, estimated_pick_pack_fee_per_unit: null },
      { expected_fulfillment_fee_per_unit: null, estimated_pick_pack_fee_per_unit: null },
    ]);
  });
});

describe('fee preview through the fees and catalog domains', () => {
  const HEADER = [...BASE, 'expected-fulfillment-fee-per-unit'];
  const at = (iso: string) => new Date(iso);
  const stored = async (asin: string) =>
    (
      await tdb.db.pool.query(
        `SELECT referral::text, storage::text, source, captured_at, checked_at FROM fees WHERE asin = $1`,
        [asin],
      )
    ).rows[0];

  it('writes the fees as observed when the report was first ingested, keeping a known storage fee', async () => {
    await recordFees(
      tdb.db.pool,
      [
        {
          marketplace: 'US',
          asin: 'B0FEE00010',
          referral: '3.00',
          fulfilment: '6.00',
          storage: '0.40',
          other: '0.00',
          currency: 'USD',
          price_basis: '20.00',
        },
      ],
      { source: 'helium10', at: at('2026-11-01T00:00:00Z') },
    );
    const r = await ingest(
      'fees-a.txt',
      HEADER,
      [[...item('E-1', 'B0FEE00010', '10.30', '3.75', '0.00'), '6.55']],
      {
        at: '2026-11-20T08:00:00Z',
      },
    );
    expect(r).toMatchObject({ status: 'success', inserted: 1, updated: 1 });
    expect(await stored('B0FEE00010')).toEqual({
      referral: '3.75',
      storage: '0.40',
      source: 'fee_preview_report',
      captured_at: at('2026-11-20T08:00:00Z'),
      checked_at: at('2026-11-20T08:00:00Z'),
    });
    const h = await tdb.db.pool.query(
      `SELECT captured_at FROM fees_history WHERE asin = 'B0FEE00010' ORDER BY captured_at`,
    );
    // one point per day: the helium10 one was written by recordFees too
    expect(h.rows.map((x) => x.captured_at)).toEqual([
      at('2026-11-01T00:00:00Z'),
      at('2026-11-20T00:00:00Z'),
    ]);
  });

  it('a forced re-ingest of an old report leaves a newer estimate as it is, and says so', async () => {
    const rows = [[...item('F-1', 'B0FEE00011', '10.30', '3.75', '0.00'), '6.55']];
    await ingest('fees-old.txt', HEADER, rows, { at: '2026-11-20T08:00:00Z' });
    await recordFees(
      tdb.db.pool,
      [
        {
          marketplace: 'US',
          asin: 'B0FEE00011',
          referral: '4.10',
          fulfilment: '6.55',
          storage: null,
          other: '0.00',
          currency: 'USD',
          price_basis: '27.34',
        },
      ],
      { source: 'sp_api', at: at('2026-11-25T08:00:00Z') },
    );
    const again = await ingest('fees-old.txt', HEADER, rows, { at: '2026-11-28T12:00:00Z', force: true });
    expect(again).toMatchObject({ status: 'success', inserted: 0, updated: 0 });
    expect(again.notes).toEqual([expect.stringContaining('fees of 1 ASIN(s) left as stored')]);
    expect(await stored('B0FEE00011')).toMatchObject({ referral: '4.10', source: 'sp_api' });
  });

  it("only fills a product's unknown title and weight (Keepa's data stays), in kg", async () => {
    await insertProduct(tdb.db, { asin: 'B0FEE00012', title: 'Keepa title', weight_kg: null });
    await insertProduct(tdb.db, { asin: 'B0FEE00013', title: null, weight_kg: '2.000' });
    await ingest('fees-products.txt', HEADER, [
      [...item('G-1', 'B0FEE00012', '10.30', '3.75', '0.00'), '6.55'],
      [...item('G-2', 'B0FEE00013', '10.30', '3.75', '0.00'), '6.55'],
      [...item('G-3', 'B0FEE00014', '10.30', '3.75', '0.00'), '6.55'],
    ]);
    const { rows } = await tdb.db.pool.query(
      `SELECT asin, title, weight_kg::text FROM products WHERE asin LIKE 'B0FEE0001%' ORDER BY asin`,
    );
    // the report's 1.1 pounds = 0.499 kg
    expect(rows).toEqual([
      { asin: 'B0FEE00012', title: 'Keepa title', weight_kg: '0.499' },
      { asin: 'B0FEE00013', title: 'Steel bottle', weight_kg: '2.000' },
      { asin: 'B0FEE00014', title: 'Steel bottle', weight_kg: '0.499' },
    ]);
  });
});
