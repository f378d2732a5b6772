import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateRoi } from '../../src/domains/roi/roi.service.ts';
import {
  insertBuybox,
  insertListing,
  insertLogisticsRate,
  insertProduct,
  insertVendor,
  insertVendorPrice,
} from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Seven offers with hand-computed figures (fees 6.70, 0.5 kg at 2.00 €/kg = freight 1.00):
 *   P1 Alpha cost 10 → profit 29.99 − 6.70 − 10 − 1 = 12.29, roi 12.29 / 11 = 111.7, margin 41.0 (best)
 *   P1 Beta  cost 12 → profit 10.29, roi 10.29 / 13 = 79.2, margin 34.3
 *   P2 Alpha cost 20 → profit 2.29, roi 2.29 / 21 = 10.9, margin 7.6 (best)
 *   P2 Gamma cost 10 USD, no USD rate → fx_missing
 *   P3 Alpha no fees → fees_missing (best);  P5 Beta no buy box → no_buybox (best)
 *   P4 Beta  cost 5, buy box 15.00 → profit 2.30, roi 2.30 / 6 = 38.3, margin 15.3 (best)
 * P6 is a product without offers.
 */
const [P1, P2, P3, P4, P5, P6] = [
  'B0TEST0001',
  'B0TEST0002',
  'B0TEST0003',
  'B0TEST0004',
  'B0TEST0005',
  'B0TEST0006',
];
const UNKNOWN = 'B0NOPE0000';

let t: TestApp;
let viewer: string;
let ops: string;
const vendor: Record<string, number> = {};

async function call(method: 'GET' | 'POST', url: string, opts: { auth?: string; body?: unknown } = {}) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: opts.auth ?? viewer },
    payload: opts.body as object | undefined,
  });
  return { status: res.statusCode, body: res.json() };
}
const keys = (items: { asin: string; vendor_name: string }[]) =>
  items.map((i) => `${i.asin}/${i.vendor_name}`);

beforeAll(async () => {
  t = await createTestApp();
  viewer = await t.bearer('viewer');
  ops = await t.bearer('ops', 'olga');
  const db = t.tdb.db;
  await insertLogisticsRate(db, { eur_per_kg: '2.00' });
  for (const [name, country, currency] of [
    ['Alpha GmbH', 'DE', 'EUR'],
    ['Beta Ltd', 'DE', 'EUR'],
    ['Gamma Inc', 'US', 'USD'],
  ] as const) {
    vendor[name.split(' ')[0]!] = (await insertVendor(db, { name, country, currency })).id;
  }
  await insertListing(db, { asin: P1, title: 'Blue Widget', brand: 'Acme', category: 'Toys' });
  await insertListing(db, { asin: P2, title: 'Red Gadget', brand: 'Bolt', category: 'Toys' });
  await insertListing(db, { asin: P3, title: 'Green Gizmo', brand: 'Acme', category: 'Toys', fees: null });
  await insertListing(db, {
    asin: P4,
    title: 'Yellow Yo-yo',
    brand: 'Zeta',
    category: 'Games',
    buybox: '15.00',
  });
  await insertListing(db, {
    asin: P5,
    title: 'Purple Puzzle',
    brand: 'Zeta',
    category: 'Games',
    buybox: null,
  });
  await insertProduct(db, { asin: P6, title: 'Lonely Lamp' });
  const day = 86_400_000;
  for (const [ago, price] of [
    [100, '25.00'],
    [30, '27.50'],
    [1, '28.00'],
  ] as const) {
    await insertBuybox(db, { asin: P1, price, captured_at: new Date(Date.now() - ago * day) });
  }
  const offers: [string, string, string, string, string?][] = [
    ['Alpha', P1, 'A-1', '10.00'],
    ['Beta', P1, 'B-1', '12.00'],
    ['Alpha', P2, 'A-2', '20.00'],
    ['Gamma', P2, 'G-2', '10.00', 'USD'],
    ['Alpha', P3, 'A-3', '10.00'],
    ['Beta', P4, 'B-4', '5.00'],
    ['Beta', P5, 'B-5', '8.00'],
  ];
  for (const [v, asin, sku, cost, currency] of offers) {
    await insertVendorPrice(db, { vendor_id: vendor[v]!, asin, sku, cost, currency });
  }
  await updateRoi(db);
});

afterAll(async () => {
  await t.close();
});

describe('GET /roi', () => {
  it('lists best offers by ROI with the full breakdown, flagged rows last', async () => {
    const r = await call('GET', '/roi');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 5, page: 1, page_size: 50, sort: 'roi', order: 'desc' });
    expect(r.body.items.map((i: { asin: string }) => i.asin)).toEqual([P1, P4, P2, P3, P5]);
    expect(r.body.items[0]).toMatchObject({
      asin: P1,
      sku: 'A-1',
      vendor_id: vendor.Alpha,
      vendor_name: 'Alpha GmbH',
      title: 'Blue Widget',
      product_status: 'pending',
      marketplace: 'DE',
      currency: 'EUR',
      unit_cost: 10,
      freight: 1,
      fees: 6.7,
      price: 29.99,
      profit: 12.29,
      roi_pct: 111.7,
      margin_pct: 41,
      flags: [],
      best: true,
    });
    expect(r.body.items[3]).toMatchObject({ asin: P3, roi_pct: null, flags: ['fees_missing'] });
  });

  it('sorts every way, nulls last in both directions, ties by asin, vendor, sku', async () => {
    const order = async (q: string) => keys((await call('GET', `/roi?${q}`)).body.items);
    expect(await order('order=asc')).toEqual([
      `${P2}/Alpha GmbH`,
      `${P4}/Beta Ltd`,
      `${P1}/Alpha GmbH`,
      `${P3}/Alpha GmbH`,
      `${P5}/Beta Ltd`,
    ]);
    expect(await order('sort=margin')).toEqual([
      `${P1}/Alpha GmbH`,
      `${P4}/Beta Ltd`,
      `${P2}/Alpha GmbH`,
      `${P3}/Alpha GmbH`,
      `${P5}/Beta Ltd`,
    ]);
    expect(await order('best_only=false')).toEqual([
      `${P1}/Alpha GmbH`,
      `${P1}/Beta Ltd`,
      `${P4}/Beta Ltd`,
      `${P2}/Alpha GmbH`,
      `${P2}/Gamma Inc`,
      `${P3}/Alpha GmbH`,
      `${P5}/Beta Ltd`,
    ]);
    expect(await order('sort=asin&order=desc')).toEqual(
      [P5, P4, P3, P2, P1].map((a) => expect.stringContaining(a)),
    );
    // a descending vendor sort breaks ties descending too (one backward index scan, no sort)
    expect(await order('sort=vendor&best_only=false&order=desc')).toEqual([
      `${P2}/Gamma Inc`,
      `${P5}/Beta Ltd`,
      `${P4}/Beta Ltd`,
      `${P1}/Beta Ltd`,
      `${P3}/Alpha GmbH`,
      `${P2}/Alpha GmbH`,
      `${P1}/Alpha GmbH`,
    ]);
  });

  it('filters by roi range, vendor id or name, category, search and flags', async () => {
    const asins = async (q: string) =>
      (await call('GET', `/roi?${q}`)).body.items.map((i: { asin: string; sku: string }) => i.sku);
    expect(await asins('roi_min=30')).toEqual(['A-1', 'B-4']);
    expect(await asins('roi_min=30&roi_max=100&best_only=false')).toEqual(['B-1', 'B-4']);
    expect(await asins(`vendor=${vendor.Alpha}`)).toEqual(['A-1', 'A-2', 'A-3']);
    expect(await asins('vendor=beta%20LTD&best_only=false&sort=asin')).toEqual(['B-1', 'B-4', 'B-5']);
    expect(await asins('vendor=Nobody')).toEqual([]);
    expect(await asins('category=Games&sort=asin')).toEqual(['B-4', 'B-5']);
    expect(await asins('search=WIDGET')).toEqual(['A-1']); // title, case-insensitive
    expect(await asins('search=acme&sort=asin')).toEqual(['A-1', 'A-3']); // brand
    expect(await asins('search=test0004')).toEqual(['B-4']); // asin
    expect(await asins('search=G-2&best_only=false')).toEqual(['G-2']); // sku
    expect(await asins('search=%25')).toEqual([]); // a literal %, not a wildcard
    expect(await asins('flags=fees_missing,no_buybox')).toEqual(['A-3', 'B-5']);
    expect(await asins('flags=fx_missing')).toEqual([]); // G-2 is not P2's best offer
    expect(await asins('flags=fx_missing&best_only=false')).toEqual(['G-2']);
  });

  it('400 with details for bad parameters', async () => {
    for (const q of [
      'roi_min=abc',
      'roi_min=50&roi_max=10',
      'flags=bogus',
      'flags=fees_missing,nope',
      'page=0',
      'page_size=0',
      'page_size=201',
      'sort=price',
      'order=up',
      'best_only=maybe',
      `search=${'x'.repeat(65)}`,
      'colour=red',
    ]) {
      const r = await call('GET', `/roi?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe('invalid');
      expect(r.body.error.details, q).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]),
      );
    }
  });

  it('needs a token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/roi' });
    expect(res.statusCode).toBe(401);
  });
});

describe('POST /roi/approve', () => {
  const status = async (asin: string) =>
    (
      await t.tdb.db.pool.query('SELECT status, approved_by, approved_at FROM products WHERE asin = $1', [
        asin,
      ])
    ).rows[0];

  it('is for ops: a viewer gets 403 and nothing changes', async () => {
    const r = await call('POST', '/roi/approve', { body: { asins: [P1] } });
    expect(r.status).toBe(403);
    expect((await status(P1)).status).toBe('pending');
  });

  it('records the decision, who took it and when', async () => {
    const r = await call('POST', '/roi/approve', { auth: ops, body: { asins: [P1, P4, P4] } });
    expect(r).toEqual({ status: 200, body: { dry_run: false, updated: 2 } });
    expect(await status(P1)).toMatchObject({
      status: 'approved',
      approved_by: 'olga',
      approved_at: expect.any(Date),
    });
    // shown at once, without waiting for the next refresh
    const roi = await call('GET', '/roi?roi_min=100');
    expect(roi.body.items[0]).toMatchObject({ asin: P1, product_status: 'approved' });
    const observe = await call('POST', '/roi/approve', {
      auth: ops,
      body: { asins: [P5], status: 'observe' },
    });
    expect(observe.body).toEqual({ dry_run: false, updated: 1 });
    expect((await status(P5)).status).toBe('observe');
  });

  it('is atomic: one unknown ASIN and nothing changes; 404 lists the unknown ones', async () => {
    const r = await call('POST', '/roi/approve', {
      auth: ops,
      body: { asins: [P2, UNKNOWN, P3], status: 'rejected' },
    });
    expect(r.status).toBe(404);
    expect(r.body.error.details).toEqual({ unknown: [UNKNOWN] });
    expect(await status(P2)).toMatchObject({ status: 'pending', approved_by: null });
    expect((await status(P3)).status).toBe('pending');
  });

  it('400 for a bad body', async () => {
    for (const body of [
      {},
      { asins: [] },
      { asins: ['abc'] },
      { asins: [P1], status: 'maybe' },
      { asins: [P1], x: 1 },
    ]) {
      expect((await call('POST', '/roi/approve', { auth: ops, body })).status, JSON.stringify(body)).toBe(
        400,
      );
    }
    const many = Array.from({ length: 1001 }, () => P1);
    expect((await call('POST', '/roi/approve', { auth: ops, body: { asins: many } })).status).toBe(400);
  });
});

describe('GET /sku/:asin', () => {
  it('returns product, every offer best first, fees and 90 days of buy box oldest first', async () => {
    const r = await call('GET', `/sku/${P1}`);
    expect(r.status).toBe(200);
    expect(r.body.product).toMatchObject({ asin: P1, title: 'Blue Widget', weight_kg: 0.5 });
    expect(r.body.offers.map((o: { sku: string; best: boolean }) => [o.sku, o.best])).toEqual([
      ['A-1', true],
      ['B-1', false],
    ]);
    expect(r.body.offers[1]).toMatchObject({
      unit_cost: 12,
      profit: 10.29,
      roi_pct: 79.2,
      margin_pct: 34.3,
      flags: [],
    });
    expect(r.body.fees).toMatchObject({ referral: 3, fulfilment: 3.5, storage: 0.2, currency: 'EUR' });
    // oldest first, and not the point from 100 days ago
    expect(r.body.buybox.map((b: { price: number }) => b.price)).toEqual([27.5, 28, 29.99]);
  });

  it('answers a product without offers, 404 for an unknown ASIN, 400 for a malformed one', async () => {
    expect((await call('GET', `/sku/${P6}`)).body).toMatchObject({
      product: { asin: P6 },
      offers: [],
      fees: null,
    });
    const unknown = await call('GET', `/sku/${UNKNOWN}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    for (const bad of ['abc', 'b0test0001', 'B0TEST00011'])
      expect((await call('GET', `/sku/${bad}`)).status).toBe(400);
  });
});

describe('POST /score', () => {
  it('answers each ASIN in request order, repeats included', async () => {
    const r = await call('POST', '/score', { body: { asins: [P4, UNKNOWN, P1, P3, P4, P6] } });
    expect(r.status).toBe(200);
    expect(
      r.body.items.map((i: { asin: string; status: string; roi_pct?: number }) => [
        i.asin,
        i.status,
        i.roi_pct,
      ]),
    ).toEqual([
      [P4, 'ok', 38.3],
      [UNKNOWN, 'not_found', undefined],
      [P1, 'ok', 111.7],
      [P3, 'ok', null],
      [P4, 'ok', 38.3],
      [P6, 'not_found', undefined],
    ]);
    expect(r.body.items[2]).toMatchObject({
      sku: 'A-1',
      vendor_name: 'Alpha GmbH',
      unit_cost: 10,
      fees: 6.7,
    });
    expect(r.body.items[3].flags).toEqual(['fees_missing']);
  });

  it('400 for an empty, oversized or malformed list', async () => {
    for (const asins of [[], Array.from({ length: 501 }, () => P1), ['nope']]) {
      expect((await call('POST', '/score', { body: { asins } })).status).toBe(400);
    }
  });
});

describe('stats', () => {
  it('GET /stats/kpi counts the seeded data', async () => {
    const r = await call('GET', '/stats/kpi');
    expect(r.body).toEqual({
      products: 6,
      offers: 7,
      vendors: 3,
      asins: 5,
      asins_roi_30: 2, // P1 111.7, P4 38.3
      flagged_offers: 3,
      flagged: {
        fx_missing: 1,
        weight_missing: 0,
        freight_missing: 0,
        fees_missing: 1,
        fees_partial: 0,
        no_buybox: 1,
      },
      avg_roi: 53.6, // best offers: (111.7 + 38.3 + 10.9) / 3 = 53.63
      median_roi: 38.3,
      last_refresh_at: expect.any(String),
      last_refresh_ms: expect.any(Number),
    });
  });

  it('GET /stats/roi_by_vendor ranks vendors by average ROI of all their offers', async () => {
    const r = await call('GET', '/stats/roi_by_vendor');
    expect(r.body.items).toEqual([
      // (111.7 + 10.9) / 2 = 61.3; 1 of 3 offers ≥ 30 %
      {
        vendor_id: vendor.Alpha,
        vendor_name: 'Alpha GmbH',
        offers: 3,
        asins: 3,
        avg_roi: 61.3,
        median_roi: 61.3,
        share_roi_30: 0.3333,
        flagged: 1,
      },
      // (79.2 + 38.3) / 2 = 58.75 → 58.8; 2 of 3 ≥ 30 %
      {
        vendor_id: vendor.Beta,
        vendor_name: 'Beta Ltd',
        offers: 3,
        asins: 3,
        avg_roi: 58.8,
        median_roi: 58.8,
        share_roi_30: 0.6667,
        flagged: 1,
      },
      {
        vendor_id: vendor.Gamma,
        vendor_name: 'Gamma Inc',
        offers: 1,
        asins: 1,
        avg_roi: null,
        median_roi: null,
        share_roi_30: 0,
        flagged: 1,
      },
    ]);
  });
});
