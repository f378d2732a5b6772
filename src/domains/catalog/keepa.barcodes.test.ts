import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  insertProductIdentifier,
  insertVendor,
  insertVendorPrice,
  nextAsin,
} from '../../../test/factories/index.ts';
import { keepaProduct } from '../../../test/fakes/keepa.ts';
import {
  KEEPA_START,
  type KeepaHarness,
  keepaHarness,
  resetKeepaTables,
  seedVendorAsins,
} from '../../../test/fakes/keepa-harness.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { updateRoi } from '../roi/roi.service.ts';
import { parseProduct } from './keepa.parse.ts';
import { HISTORY_DAYS } from './keepa.service.ts';

// Barcodes that reach ASINs through Keepa, and answers Keepa cannot give for every ASIN asked.
let tdb: TestDatabase;
let h: KeepaHarness | undefined;
const q = async (sql: string, values: unknown[] = []) => (await tdb.db.pool.query(sql, values)).rows;
const WINDOW_START = KEEPA_START - HISTORY_DAYS * 86_400_000;

/** What the agent should have stored for a generated product: its windowed, priced buy box points. */
function expectedBuybox(asin: string, nowMs: number, windowStartMs = WINDOW_START) {
  const r = parseProduct(keepaProduct(asin, nowMs), { windowStartMs, minorDigits: 2 });
  if (r.kind !== 'ok') throw new Error('generated product did not parse');
  return r.product.buybox.map((b) => [new Date(b.at).toISOString(), b.price]);
}

beforeAll(async () => {
  tdb = await createTestDatabase();
});

beforeEach(async () => {
  await resetKeepaTables(tdb.db);
});

afterEach(async () => {
  await h?.close();
  h = undefined;
});

afterAll(async () => {
  await tdb.drop();
});

describe('barcodes', () => {
  it('gives barcode-only vendor rows their ASIN: the ROI view shows the offer after the run', async () => {
    h = await keepaHarness(tdb);
    const known = nextAsin();
    await seedVendorAsins(tdb.db, [known]);
    const ean = keepaProduct(known, KEEPA_START).eanList as string[];
    const barcodeOnly = await insertVendor(tdb.db);
    await insertVendorPrice(tdb.db, { vendor_id: barcodeOnly.id, sku: 'EAN-ONLY', barcode: ean[0] });
    // a barcode already mapped (an earlier run) brings its ASIN into the refresh on its own
    const mapped = nextAsin();
    await insertProductIdentifier(tdb.db, { asin: mapped, value: '4012345678901' });
    await insertVendorPrice(tdb.db, { vendor_id: barcodeOnly.id, sku: 'MAPPED', barcode: '04012345678901' });
    await updateRoi(tdb.db);
    expect(await q('SELECT sku FROM roi_offers WHERE vendor_id = $1 ORDER BY sku', [barcodeOnly.id])).toEqual(
      [{ sku: 'MAPPED' }],
    );

    const run = await h.run();
    expect(run.counts).toMatchObject({ candidates: 2, updated: 2, roi_refreshed: 1 });
    const offers = await q(
      'SELECT sku, asin, asin_source, buybox_price FROM roi_offers WHERE vendor_id = $1 ORDER BY sku',
      [barcodeOnly.id],
    );
    expect(offers).toEqual([
      {
        sku: 'EAN-ONLY',
        asin: known,
        asin_source: 'barcode',
        buybox_price: expectedBuybox(known, KEEPA_START).at(-1)?.[1],
      },
      {
        sku: 'MAPPED',
        asin: mapped,
        asin_source: 'barcode',
        buybox_price: expectedBuybox(mapped, KEEPA_START).at(-1)?.[1],
      },
    ]);
  });
});

describe('partial failures', () => {
  it('counts unknown ASINs and malformed products without failing the run', async () => {
    h = await keepaHarness(tdb);
    const [good1, good2, unknown, broken] = [nextAsin(), nextAsin(), nextAsin(), nextAsin()];
    await seedVendorAsins(tdb.db, [good1, good2, unknown, broken]);
    h.fake.setUnknown(unknown);
    h.fake.setProduct(broken, { asin: broken, title: 'Broken', csv: [[1, 2, 3]] });
    const run = await h.run();
    expect(run.status).toBe('success');
    expect(run.counts).toMatchObject({ requested: 4, updated: 2, failed: 2, unknown: 1, invalid: 1 });
    expect(
      await q('SELECT asin, status, error FROM keepa_fetches WHERE status <> $1 ORDER BY status', ['ok']),
    ).toEqual([
      { asin: broken, status: 'invalid', error: 'malformed product: csv series has a broken shape' },
      { asin: unknown, status: 'unknown', error: 'Keepa does not know this ASIN' },
    ]);
    expect(
      await q('SELECT count(*)::int AS n FROM products WHERE asin = ANY($1)', [[unknown, broken]]),
    ).toEqual([{ n: 0 }]);
    // answered is answered: they wait out the stale period like the others
    expect((await h.run()).counts).toMatchObject({ candidates: 0 });
  });
});
