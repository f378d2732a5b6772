import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/fixtures/reports/files.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { ingestTestDeps } from '../../../test/helpers/ingest.ts';
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

async function ingest(name: string, header: string[], rows: string[][]) {
  const file = path.join(tmp.dir, name);
  writeFileSync(file, `${[header, ...rows].map((r) => r.join('\t')).join('\n')}\n`);
  return ingestReport(deps, { file, skipInvalid: false });
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
