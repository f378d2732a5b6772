import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRepricerListing } from '../../../test/factories/index.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { fixedClock } from '../../platform/clock.ts';
import { roiSettingsFrom, updateRoi } from './roi.service.ts';

/**
 * GET /sku/{asin} through the real app: the chart's series within the range, the guard band computed
 * as the repricer computes it (compared with its own /pricing/simulate), our price changes and the
 * repricer's decisions. Every time is relative to the injected clock.
 */
const clock = fixedClock(new Date());
const NOW = clock.now().getTime();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const sec = (iso: string) => Math.floor(Date.parse(iso) / 1000);

let t: TestApp;
let viewer: string;
let ops: string;
let listed: { sku: string; asin: string };
let ruled: { sku: string; asin: string };
let unlisted: { sku: string; asin: string };

async function call(method: 'GET' | 'POST', url: string, auth = viewer, body?: unknown) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: auth },
    payload: body as object | undefined,
  });
  return { status: res.statusCode, body: res.json() };
}

// one listing's inputs: vendor cost 10.00, fees 3.00 referral at 20.00 (15 %) + 3.00 fulfilment
const inputs = {
  at: new Date(NOW).toISOString(),
  cost: '10.00',
  buybox: [
    ['23.00', ago(200 * DAY)],
    ['22.00', ago(40 * DAY)],
    ['21.00', ago(10 * DAY)],
    ['19.50', ago(HOUR)],
  ] as Array<[string, string]>,
};

beforeAll(async () => {
  t = await createTestApp({ clock });
  viewer = await t.bearer('viewer');
  ops = await t.bearer('ops', 'olga');
  const db = t.tdb.db;
  listed = await seedRepricerListing(db, inputs);
  ruled = await seedRepricerListing(db, { ...inputs, rule: { min_price: '30.00', max_price: '40.00' } });
  // the same inputs as `listed`, but the seller does not list it (yet)
  unlisted = await seedRepricerListing(db, inputs);
  await db.pool.query('DELETE FROM listings WHERE sku = $1', [unlisted.sku]);
  for (const [days, rank, fba, amazon] of [
    [200, 9000, '24.00', false],
    [40, 5000, '22.50', true],
    [2, 1500, '20.00', false],
  ] as const) {
    await db.pool.query(
      `INSERT INTO product_metrics (marketplace, asin, captured_at, sales_rank, fba_price, amazon_on_listing)
       VALUES ('DE', $1, $2, $3, $4, $5)`,
      [listed.asin, ago(days * DAY), rank, fba, amazon],
    );
  }
  // a dry-run decision of the repricer two days ago, held at the floor
  await db.pool.query(
    `INSERT INTO repricer_log (run_id, marketplace, sku, asin, currency, old_price, proposed, final_price, floor,
       strategy, guards, changed, skipped, mode, reason, created_at)
     VALUES (gen_random_uuid(), 'DE', $1, $2, 'EUR', 20.00, 19.49, 21.01, 21.01, 'beat_buybox', '{floor}', true,
       false, 'dry_run', 'beat buy box 19.50 by 0.01; raised to floor 21.01: 20.00 → 21.01', $3)`,
    [listed.sku, listed.asin, ago(2 * DAY)],
  );
  await updateRoi(db, { settings: roiSettingsFrom(t.deps.config), clock });
});

afterAll(async () => {
  await t.close();
});

describe('GET /sku/{asin} series', () => {
  it('answers only the points within the range, oldest first, as [epoch seconds, value]', async () => {
    const week = (await call('GET', `/sku/${listed.asin}?days=7`)).body;
    expect(week.currency).toBe('EUR');
    expect(week.series).toMatchObject({
      buybox: [[sec(ago(HOUR)), 19.5]],
      rank: [[sec(ago(2 * DAY)), 1500]],
      new_fba: [[sec(ago(2 * DAY)), 20]],
      amazon_on_listing: [[sec(ago(2 * DAY)), 0]],
      amazon: [],
      new_fbm: [],
    });
    expect(week.range).toMatchObject({ days: '7', from: ago(7 * DAY), to: ago(0) });
    const month = (await call('GET', `/sku/${listed.asin}?days=30`)).body.series;
    expect(month.buybox.map((p: number[]) => p[1])).toEqual([21, 19.5]);
    const quarter = (await call('GET', `/sku/${listed.asin}`)).body; // 90 days by default
    expect(quarter.series.buybox.map((p: number[]) => p[1])).toEqual([22, 21, 19.5]);
    expect(quarter.series.rank).toEqual([
      [sec(ago(40 * DAY)), 5000],
      [sec(ago(2 * DAY)), 1500],
    ]);
    expect(quarter.series.amazon_on_listing.map((p: number[]) => p[1])).toEqual([1, 0]);
    expect(quarter.buybox.map((b: { price: number }) => b.price)).toEqual([22, 21, 19.5]);
    const all = (await call('GET', `/sku/${listed.asin}?days=all`)).body;
    expect(all.series.buybox.map((p: number[]) => p[1])).toEqual([23, 22, 21, 19.5]);
    expect(all.range.from).toBeNull();
  });

  it('400 for another range or an unknown parameter', async () => {
    for (const q of ['days=365', 'days=0', 'range=7']) {
      expect((await call('GET', `/sku/${listed.asin}?${q}`)).status, q).toBe(400);
    }
  });
});

describe('GET /sku/{asin} guard band', () => {
  const simulatedFloor = async (sku: string) => {
    const r = await call('POST', '/pricing/simulate', viewer, { skus: [sku] });
    expect(r.status).toBe(200);
    return r.body.items[0] as { floor: string; ceiling: string | null };
  };

  it("is the repricer's own floor for the listing", async () => {
    const sim = await simulatedFloor(listed.sku);
    const { guard, skus } = (await call('GET', `/sku/${listed.asin}`)).body;
    expect(skus).toEqual([listed.sku]);
    expect(guard).toEqual({
      floor: Number(sim.floor),
      ceiling: null,
      min_roi: 0.15,
      source: 'listing',
      floor_by: 'min_roi',
      roi_floor: Number(sim.floor),
      sku: listed.sku,
      note: null,
    });
    expect(guard.floor).toBeGreaterThan(15);
  });

  it("takes the rule's min_price and max_price as the repricer does", async () => {
    const sim = await simulatedFloor(ruled.sku);
    const { guard } = (await call('GET', `/sku/${ruled.asin}`)).body;
    expect(sim).toMatchObject({ floor: '30.00', ceiling: '40.00' });
    expect(guard).toMatchObject({ floor: 30, ceiling: 40, source: 'listing', floor_by: 'min_price' });
    expect(guard.roi_floor).toBeLessThan(30);
  });

  it('for a product not listed, is the ROI floor of its best offer: the same for the same inputs', async () => {
    const own = (await call('GET', `/sku/${listed.asin}`)).body.guard;
    const r = (await call('GET', `/sku/${unlisted.asin}`)).body;
    expect(r.skus).toEqual([]);
    expect(r.guard).toMatchObject({ source: 'best_offer', sku: null, floor: own.floor, floor_by: 'min_roi' });
    expect(r.series.our_price).toEqual([]);
  });
});

describe('GET /sku/{asin} price changes and decisions', () => {
  it('lists the repricer decisions and manual prices, and our price over time', async () => {
    const applied = await call('POST', '/pricing/apply', ops, {
      items: [{ sku: listed.sku, price: '25.00' }],
      dry_run: false,
    });
    expect(applied.body.items[0]).toMatchObject({ status: 'ok', new: '25.00', changed: true });
    const r = (await call('GET', `/sku/${listed.asin}?days=7`)).body;
    expect(r.price_changes).toEqual([
      {
        at: ago(2 * DAY),
        sku: listed.sku,
        from: 20,
        to: 21.01,
        reason: expect.stringContaining('raised to floor'),
        guard: 'floor',
        mode: 'dry_run',
        dry_run: true,
      },
      {
        at: ago(0),
        sku: listed.sku,
        from: 20,
        to: 25,
        reason: expect.stringContaining('manual price 25.00'),
        guard: null,
        mode: 'manual',
        dry_run: false,
      },
    ]);
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({
      sku: listed.sku,
      guards: ['floor'],
      guard: 'floor',
      changed: true,
    });
    // the listing's reported price a day ago, then the price set now
    expect(r.series.our_price).toEqual([
      [sec(ago(DAY)), 20],
      [sec(ago(0)), 25],
    ]);
    expect((await call('GET', `/sku/${listed.asin}?days=all`)).body.price_changes).toHaveLength(2);
  });

  it('shows each offer with its landed-cost breakdown and no score before scoring', async () => {
    const r = (await call('GET', `/sku/${listed.asin}`)).body;
    expect(r.offers).toHaveLength(1);
    expect(r.offers[0]).toMatchObject({
      unit_cost: 10,
      freight: 0,
      referral: 3,
      fulfilment: 3,
      storage: 0,
      vat_rate: 0.19,
      returns_allowance: 0,
      flags: ['weight_missing', 'freight_missing'],
      roi_pct: null,
    });
    expect(r.score).toBeNull();
  });
});
