import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertListing,
  insertLogisticsRate,
  insertProductIdentifier,
  insertVendor,
  insertVendorPrice,
  isoDay,
  seedBulkOffers,
} from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { schedulesFor } from '../../jobs/registry.ts';
import { fixedClock } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { roiRefreshJob } from './roi.job.ts';
import { roiSettingsFrom, updateRoi } from './roi.service.ts';

let tdb: TestDatabase;

const query = async (text: string, values: unknown[] = []) => (await tdb.db.pool.query(text, values)).rows;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await insertLogisticsRate(tdb.db, { eur_per_kg: '2.00' }); // the default lane DHL:DE:DE:standard
});

afterAll(async () => {
  await tdb.drop();
});

describe('best offer per ASIN', () => {
  it('ranks by ROI, then lower unit cost, then vendor id', async () => {
    const { asin } = await insertListing(tdb.db); // fees 6.70, buy box 29.99, 0.5 kg → freight 1.00
    const offer = async (cost: string) => {
      const v = await insertVendor(tdb.db);
      await insertVendorPrice(tdb.db, { vendor_id: v.id, asin, cost, sku: `S-${cost}` });
      return v.id;
    };
    // vendors are created in this order, so their ids ascend: d < a < b < c
    const d = await offer('11.0000'); // profit 11.29, roi 100 × 11.29 / 12.00 = 94.1: lowest id, not best
    const a = await offer('10.0001'); // profit 12.2899, roi 100 × 12.2899 / 11.0001 = 111.7 (tie)
    const b = await offer('10.0000'); // roi 111.7 at a lower unit cost than a: best
    const c = await offer('10.0000'); // same roi and cost as b, higher vendor id
    await updateRoi(tdb.db);
    const rows = await query(
      'SELECT vendor_id, roi_pct, unit_cost, best FROM roi_offers WHERE asin = $1 ORDER BY vendor_id',
      [asin],
    );
    expect(rows.map((r) => [Number(r.vendor_id), r.roi_pct, r.best])).toEqual([
      [d, '94.1', false],
      [a, '111.7', false],
      [b, '111.7', true],
      [c, '111.7', false],
    ]);
  });

  it('still marks one best offer when every offer of an ASIN is flagged', async () => {
    const { asin } = await insertListing(tdb.db, { buybox: null });
    for (const cost of ['9.00', '8.00']) {
      const v = await insertVendor(tdb.db);
      await insertVendorPrice(tdb.db, { vendor_id: v.id, asin, cost });
    }
    await updateRoi(tdb.db);
    const rows = await query('SELECT unit_cost, roi_pct, best FROM roi_offers WHERE asin = $1 AND best', [
      asin,
    ]);
    expect(rows).toEqual([{ unit_cost: '8.0000', roi_pct: null, best: true }]);
  });
});

describe('ASIN from the barcode', () => {
  it('gives a barcode-only vendor row the ASIN of its product identifier', async () => {
    const { asin } = await insertListing(tdb.db);
    const { value } = await insertProductIdentifier(tdb.db, { asin });
    // a UPC-A and the same code as an EAN-13 with a leading zero are one GTIN
    const upc = await insertListing(tdb.db);
    await insertProductIdentifier(tdb.db, { asin: upc.asin, kind: 'UPC', value: '036000291452' });
    const v = await insertVendor(tdb.db);
    await insertVendorPrice(tdb.db, { vendor_id: v.id, sku: 'EAN-ONLY', barcode: value });
    await insertVendorPrice(tdb.db, { vendor_id: v.id, sku: 'UPC-AS-EAN', barcode: '0036000291452' });
    await insertVendorPrice(tdb.db, { vendor_id: v.id, sku: 'UNKNOWN', barcode: '4000000000000' });
    await updateRoi(tdb.db);
    const rows = await query(
      'SELECT sku, asin, asin_source, roi_pct FROM roi_offers WHERE vendor_id = $1 ORDER BY sku',
      [v.id],
    );
    expect(rows).toEqual([
      { sku: 'EAN-ONLY', asin, asin_source: 'barcode', roi_pct: '111.7' },
      { sku: 'UPC-AS-EAN', asin: upc.asin, asin_source: 'barcode', roi_pct: '111.7' },
    ]);
  });
});

describe('freight lanes', () => {
  it('uses the rate in force today: expired and future rates are ignored', async () => {
    const lane = { carrier: 'DHL', origin: 'PL', dest: 'DE', service: 'standard' };
    await insertLogisticsRate(tdb.db, { ...lane, eur_per_kg: '9.00', effective_to: isoDay(-30) });
    await insertLogisticsRate(tdb.db, { ...lane, eur_per_kg: '3.00', effective_from: isoDay(-29) });
    await insertLogisticsRate(tdb.db, { ...lane, eur_per_kg: '7.00', effective_from: isoDay(30) });
    // a cheaper lane of another carrier: the default lane's carrier and service are preferred
    await insertLogisticsRate(tdb.db, { ...lane, carrier: 'UPS', service: 'express', eur_per_kg: '2.50' });
    // France has no DHL standard lane: the cheapest one in force wins
    const fr = { origin: 'FR', dest: 'DE' };
    await insertLogisticsRate(tdb.db, { ...fr, carrier: 'GLS', service: 'standard', eur_per_kg: '3.10' });
    await insertLogisticsRate(tdb.db, { ...fr, carrier: 'UPS', service: 'express', eur_per_kg: '2.50' });
    await insertLogisticsRate(tdb.db, {
      ...fr,
      carrier: 'DPD',
      service: 'standard',
      eur_per_kg: '1.00',
      effective_to: isoDay(-2),
    });
    const { asin } = await insertListing(tdb.db);
    const pl = await insertVendor(tdb.db, { country: 'PL' });
    const fv = await insertVendor(tdb.db, { country: 'FR' });
    await insertVendorPrice(tdb.db, { vendor_id: pl.id, asin, sku: 'PL' });
    await insertVendorPrice(tdb.db, { vendor_id: fv.id, asin, sku: 'FR' });
    await updateRoi(tdb.db);
    const rows = await query(
      'SELECT sku, lane, eur_per_kg, freight FROM roi_offers WHERE asin = $1 ORDER BY sku',
      [asin],
    );
    expect(rows).toEqual([
      { sku: 'FR', lane: 'UPS:FR:DE:express', eur_per_kg: '2.5000', freight: '1.2500' }, // 0.5 × 2.50
      { sku: 'PL', lane: 'DHL:PL:DE:standard', eur_per_kg: '3.0000', freight: '1.5000' }, // 0.5 × 3.00
    ]);
  });
});

describe("the view's today", () => {
  it("comes from the refresh's clock: the freight lanes in force follow it", async () => {
    const lane = { carrier: 'DHL', origin: 'AT', dest: 'DE', service: 'standard' };
    await insertLogisticsRate(tdb.db, { ...lane, eur_per_kg: '4.00', effective_to: '2031-03-31' });
    await insertLogisticsRate(tdb.db, { ...lane, eur_per_kg: '6.00', effective_from: '2031-04-01' });
    const { asin } = await insertListing(tdb.db);
    const at = await insertVendor(tdb.db, { country: 'AT' });
    await insertVendorPrice(tdb.db, { vendor_id: at.id, asin, sku: 'AT' });
    const laneOn = async (iso: string) => {
      await updateRoi(tdb.db, { clock: fixedClock(iso), reason: 'test' });
      return (await query('SELECT eur_per_kg FROM roi_offers WHERE asin = $1', [asin]))[0].eur_per_kg;
    };
    expect(await laneOn('2031-03-31T23:00:00.000Z')).toBe('4.0000');
    expect(await laneOn('2031-04-01T00:30:00.000Z')).toBe('6.0000');
  });
});

describe('the update', () => {
  it('takes its settings from config (UK ships to GB) and applies VAT and lane at the next refresh', () => {
    const c = loadConfig({
      AWA_MARKETPLACE: 'UK',
      AWA_CURRENCY: 'GBP',
      VAT_RATE: '0.2',
      ROI_FREIGHT_LANE: 'DPD:GB:GB:eco',
    });
    expect(roiSettingsFrom(c)).toEqual({
      marketplace: 'UK',
      currency: 'GBP',
      vatRate: 0.2,
      vatRegistered: true,
      destCountry: 'GB',
      lane: { carrier: 'DPD', origin: 'GB', dest: 'GB', service: 'eco' },
    });
  });

  it('does no work and records nothing when nothing changed; a rebuild then rewrites no row', async () => {
    await updateRoi(tdb.db, { settings: roiSettingsFrom(loadConfig({})) });
    const before = await query('SELECT vendor_id, sku, xmin::text FROM roi_offers ORDER BY 1, 2');
    const runs = async () => (await query('SELECT count(*)::int AS n FROM roi_refreshes'))[0].n;
    const recorded = await runs();
    const idle = await updateRoi(tdb.db, { settings: roiSettingsFrom(loadConfig({})), reason: 'test' });
    expect(idle).toMatchObject({ mode: 'changes', keys: 0, asins: 0, deleted: 0, inserted: 0, rows: null });
    expect(await runs()).toBe(recorded);
    const rebuilt = await updateRoi(tdb.db, { rebuild: true, reason: 'test' });
    expect(rebuilt).toMatchObject({ mode: 'rebuild', deleted: 0, inserted: 0, rows: before.length });
    expect(await query('SELECT vendor_id, sku, xmin::text FROM roi_offers ORDER BY 1, 2')).toEqual(before);
    const [log] = await query(
      'SELECT rows, reason, mode, changed FROM roi_refreshes ORDER BY id DESC LIMIT 1',
    );
    expect(log).toEqual({ rows: before.length, reason: 'test', mode: 'rebuild', changed: 0 });
  });

  it('applies a change reaching more than a tenth of the offers as a rebuild, a smaller one by change', async () => {
    const clock = fixedClock('2031-07-01T08:00:00.000Z');
    const { asins } = await seedBulkOffers(tdb.db, { products: 400, vendors: 2, prefix: 'RS' });
    await updateRoi(tdb.db, { clock, reason: 'test' });
    const offers = (await query('SELECT count(*)::int AS n FROM roi_offers'))[0].n;
    const fee = (some: string[]) =>
      query("UPDATE fees SET storage = storage + 0.01 WHERE marketplace = 'DE' AND asin = ANY($1)", [some]);
    await fee(asins.slice(0, 5));
    expect(await updateRoi(tdb.db, { clock, reason: 'test' })).toMatchObject({
      mode: 'changes',
      asins: 5,
      inserted: 10,
    });
    const many = asins.slice(0, Math.ceil(offers / 10) + 1); // each has two offers: over a tenth
    await fee(many);
    expect(await updateRoi(tdb.db, { clock, reason: 'test' })).toMatchObject({
      mode: 'rebuild',
      inserted: 2 * many.length,
    });
  });

  it('a dry run computes and counts, then leaves the rows and the noted changes as they were', async () => {
    const clock = fixedClock('2031-07-02T08:00:00.000Z');
    await updateRoi(tdb.db, { clock, reason: 'test' });
    const some = (
      await query("SELECT DISTINCT asin FROM roi_offers WHERE asin LIKE 'RS%' ORDER BY 1 LIMIT 3")
    ).map((r) => r.asin as string);
    await query("UPDATE fees SET storage = storage + 0.01 WHERE marketplace = 'DE' AND asin = ANY($1)", [
      some,
    ]);
    const rows = () => query('SELECT vendor_id, sku, xmin::text, storage FROM roi_offers ORDER BY 1, 2');
    const notes = () => query('SELECT kind, key FROM roi_changes ORDER BY id');
    const [rowsBefore, notesBefore] = [await rows(), await notes()];
    expect(notesBefore.length).toBeGreaterThan(0);
    const dry = await updateRoi(tdb.db, { clock, reason: 'test', dryRun: true });
    expect(dry).toMatchObject({ dry_run: true, mode: 'changes', asins: 3, deleted: 6, inserted: 6 });
    expect([await rows(), await notes()]).toEqual([rowsBefore, notesBefore]);
    const real = await updateRoi(tdb.db, { clock, reason: 'test' });
    expect({ ...real, dry_run: true, started_at: 0, finished_at: 0, duration_ms: 0 }).toEqual({
      ...dry,
      started_at: 0,
      finished_at: 0,
      duration_ms: 0,
    });
    expect(await notes()).toEqual([]);
  });

  it('does not block readers, who see the old rows until it commits', async () => {
    await seedBulkOffers(tdb.db, { products: 1500, vendors: 2, prefix: 'RC' });
    const reader = await tdb.db.pool.connect();
    const probe = await tdb.db.pool.connect();
    let refreshing: Promise<unknown> | undefined;
    try {
      // a blocked read fails fast instead of hanging the test
      await probe.query("SET lock_timeout = '5s'");
      // an open transaction holding a read lock on the table: an update that took a stronger lock
      // (a TRUNCATE, a table swap) would wait for it, and every later reader would queue behind it
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const [{ n: before }] = (await reader.query('SELECT count(*)::int AS n FROM roi_offers')).rows;
      let done = false;
      refreshing = updateRoi(tdb.db).finally(() => {
        done = true;
      });
      let reads = 0;
      while (!done) {
        await probe.query("SELECT count(*) FROM roi_offers WHERE asin LIKE 'RC%'");
        reads += 1;
      }
      expect(((await refreshing) as { rows: number }).rows).toBe(before + 3000);
      expect(reads).toBeGreaterThan(0);
      // the reader's snapshot still sees the old contents
      expect((await reader.query('SELECT count(*)::int AS n FROM roi_offers')).rows[0].n).toBe(before);
    } finally {
      await reader.query('ROLLBACK');
      reader.release();
      probe.release();
      await refreshing?.catch(() => {});
    }
    expect((await query('SELECT count(*)::int AS n FROM roi_offers'))[0].n).toBeGreaterThanOrEqual(3000);
  });

  it('the roi_refresh job runs every 15 minutes and updates with the configured settings', async () => {
    expect(schedulesFor(loadConfig({})).get('roi_refresh')).toBe('*/15 * * * *');
    const deps = testJobDeps(tdb, { env: { VAT_RATE: '0.2' } });
    const stored = async () => (await query('SELECT vat_rate FROM roi_settings'))[0].vat_rate;
    const before = await stored();
    expect(before).not.toBe('0.2000');
    const dry = await runJob(roiRefreshJob, deps, new Metrics(), { dryRun: true });
    expect(dry).toMatchObject({ status: 'success', reason: 'dry run: a rebuild rolled back' });
    expect(await stored()).toBe(before);
    const run = await runJob(roiRefreshJob, deps, new Metrics());
    // the same counts as its dry run: a new VAT rate reaches every offer
    expect(run).toMatchObject({ status: 'success', counts: { asins: dry.counts.asins } });
    expect(run.counts.inserted).toBeGreaterThan(0);
    expect(await stored()).toBe('0.2000');
    const [{ n }] = await query('SELECT count(*)::int AS n FROM roi_offers WHERE vat_rate <> 0.2');
    expect(n).toBe(0);
  });
});
