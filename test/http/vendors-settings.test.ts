import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restockJob } from '../../src/domains/restock/restock.job.ts';
import { roiSettingsFrom, updateRoi } from '../../src/domains/roi/roi.service.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { runJob } from '../../src/platform/jobs/index.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import {
  insertLedgerShipments,
  insertLogisticsRate,
  insertSellerSku,
  insertVendor,
  insertVendorPrice,
} from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// "now" is pinned relative to the real date only through this one clock: ages are computed from it
const NOW = new Date(Date.UTC(2031, 4, 20, 12));
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

let t: TestApp;
let viewer: string;
let ops: string;
let alpha: number;
let beta: number;
let gamma: number;

async function call(method: 'GET' | 'PATCH', url: string, auth: string, payload?: object) {
  const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: auth }, payload });
  return {
    status: res.statusCode,
    body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body,
  };
}
const names = async (q: string) => {
  const r = await call('GET', `/vendors?${q}`, viewer);
  expect(r.status, q).toBe(200);
  return r.body.items.map((v: { name: string }) => v.name);
};
const priceList = (vendorId: number, at: Date, file: string) =>
  t.tdb.db.pool.query(
    `INSERT INTO price_lists (vendor_id, file_name, sha256, status, created_at) VALUES ($1, $2, repeat('a', 64), 'success', $3)`,
    [vendorId, file, at],
  );

beforeAll(async () => {
  t = await createTestApp({ clock: fixedClock(NOW) });
  viewer = await t.bearer('viewer');
  ops = await t.bearer('ops');
  const db = t.tdb.db;
  await insertLogisticsRate(db, { eur_per_kg: '2.00' });
  alpha = (await insertVendor(db, { name: 'Alpha GmbH', country: 'DE', currency: 'EUR', lead_time_days: 5 }))
    .id;
  beta = (await insertVendor(db, { name: 'beta Ltd', country: 'GB', currency: 'GBP' })).id;
  gamma = (await insertVendor(db, { name: 'Gamma SpA', country: 'IT', currency: 'EUR', lead_time_days: 20 }))
    .id;
  await priceList(alpha, daysAgo(3), 'alpha-may.csv');
  await priceList(beta, daysAgo(45), 'beta-old.xlsx');
  // Alpha: 3 prices, 2 matched to an ASIN, 1 with its own lead time, 1 with its own MOQ, one in USD
  await insertVendorPrice(db, { vendor_id: alpha, sku: 'A1', asin: 'B0VENDA001', cost: '10.00' });
  await insertVendorPrice(db, { vendor_id: alpha, sku: 'A2', asin: 'B0VENDA002', cost: '12.00', moq: 24 });
  await insertVendorPrice(db, { vendor_id: alpha, sku: 'A3', cost: '3.00', currency: 'USD' });
  await db.pool.query(`UPDATE vendor_prices SET lead_time_days = 9 WHERE vendor_id = $1 AND sku = 'A3'`, [
    alpha,
  ]);
  await insertVendorPrice(db, {
    vendor_id: beta,
    sku: 'B1',
    asin: 'B0VENDB001',
    cost: '4.00',
    currency: 'GBP',
  });
});

afterAll(async () => {
  await t?.close();
});

describe('GET /vendors', () => {
  it('lists every vendor with settings, counts and the last price list with its age (stale flagged)', async () => {
    const r = await call('GET', '/vendors', viewer);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      total: 3,
      page: 1,
      page_size: 3,
      sort: 'name',
      order: 'asc',
      stale_after_days: 30,
    });
    expect(r.body.items.map((v: { name: string }) => v.name)).toEqual([
      'Alpha GmbH',
      'beta Ltd',
      'Gamma SpA',
    ]);
    expect(r.body.items[0]).toMatchObject({
      country: 'DE',
      currency: 'EUR',
      lead_time_days: 5,
      moq: null,
      offers: 3,
      last_price_list_file: 'alpha-may.csv',
      price_list_age_days: 3,
      stale: false,
    });
    expect(r.body.items[1]).toMatchObject({ price_list_age_days: 45, stale: true, offers: 1 });
    expect(r.body.items[2]).toMatchObject({ last_import_at: null, price_list_age_days: null, stale: true });
  });

  it('filters, sorts with a stable tie-break and pages', async () => {
    expect(await names('stale=true')).toEqual(['beta Ltd', 'Gamma SpA']);
    expect(await names('stale=false')).toEqual(['Alpha GmbH']);
    expect(await names('currency=eur')).toEqual(['Alpha GmbH', 'Gamma SpA']);
    expect(await names('country=GB')).toEqual(['beta Ltd']);
    expect(await names('search=et')).toEqual(['beta Ltd']);
    expect(await names('sort=lead_time')).toEqual(['Gamma SpA', 'Alpha GmbH', 'beta Ltd']); // empty last
    expect(await names('sort=lead_time&order=asc')).toEqual(['Alpha GmbH', 'Gamma SpA', 'beta Ltd']);
    expect(await names('sort=offers')).toEqual(['Alpha GmbH', 'beta Ltd', 'Gamma SpA']);
    expect(await names('sort=last_import')).toEqual(['Alpha GmbH', 'beta Ltd', 'Gamma SpA']);
    const p = await call('GET', '/vendors?page_size=2&page=2', viewer);
    expect(p.body).toMatchObject({ total: 3, page: 2, page_size: 2 });
    expect(p.body.items.map((v: { name: string }) => v.name)).toEqual(['Gamma SpA']);
    const past = await call('GET', '/vendors?page_size=2&page=5', viewer);
    expect(past.body).toMatchObject({ total: 3, items: [] });
  });

  it('refuses unknown parameters and bad values', async () => {
    expect((await call('GET', '/vendors?sort=cost', viewer)).status).toBe(400);
    expect((await call('GET', '/vendors?colour=red', viewer)).status).toBe(400);
    expect((await call('GET', '/vendors?page_size=500', viewer)).status).toBe(400);
  });

  it('downloads the filtered list as CSV', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/vendors.csv?stale=true',
      headers: { authorization: viewer },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe('attachment; filename="awa-vendors-2031-05-20.csv"');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'id,name,email,country,currency,lead_time_days,moq,offers,last_import_at,last_price_list_id,last_price_list_file,price_list_age_days,stale',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',beta Ltd,,GB,GBP,,,1,');
    expect(lines[1]).toMatch(/,beta-old\.xlsx,45,true$/);
  });
});

describe('PATCH /vendors/:id', () => {
  const count = async (sql: string) => (await t.tdb.db.pool.query(sql)).rows[0].n as number;

  it('previews by default: says what would change and what it affects, saves nothing', async () => {
    const refreshes = await count('SELECT count(*)::int AS n FROM roi_refreshes');
    const r = await call('PATCH', `/vendors/${alpha}`, ops, {
      country: 'it',
      lead_time_days: 12,
      moq: 6,
      currency: 'usd',
    });
    expect(r.status).toBe(200);
    expect(r.body.dry_run).toBe(true);
    expect(r.body.changes).toEqual([
      { field: 'country', from: 'DE', to: 'IT' },
      { field: 'currency', from: 'EUR', to: 'USD' },
      { field: 'lead_time_days', from: 5, to: 12 },
      { field: 'moq', from: null, to: 6 },
    ]);
    expect(r.body.effects).toEqual([
      expect.objectContaining({
        field: 'country',
        what: 'roi',
        count: 2,
        message: expect.stringMatching(/^ROI of 2 offers will be recomputed/),
      }),
      expect.objectContaining({
        field: 'currency',
        what: 'import',
        message: expect.stringContaining('2 in EUR, 1 in USD'),
      }),
      expect.objectContaining({
        field: 'lead_time_days',
        what: 'restock',
        count: 2,
        message: expect.stringContaining('use 12 days'),
      }),
      expect.objectContaining({ field: 'moq', what: 'restock', count: 2 }),
    ]);
    expect(r.body.vendor).toMatchObject({ country: 'IT', lead_time_days: 12 });
    expect(r.body.roi_recomputed).toBe(false);
    const v = (await call('GET', '/vendors?search=alpha', viewer)).body.items[0];
    expect(v).toMatchObject({ country: 'DE', currency: 'EUR', lead_time_days: 5, moq: null });
    expect(await count('SELECT count(*)::int AS n FROM roi_refreshes')).toBe(refreshes);
  });

  it('refuses bad values naming every field, value and reason, and writes nothing', async () => {
    const r = await call('PATCH', `/vendors/${alpha}`, ops, {
      country: 'XX',
      currency: 'EURO',
      lead_time_days: -3,
      moq: 2_000_000,
      email: 'not-an-address',
      dry_run: false,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid');
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      'country',
      'currency',
      'lead_time_days',
      'moq',
      'email',
    ]);
    expect(r.body.error.details[2]).toEqual({
      field: 'lead_time_days',
      value: -3,
      message: 'must be a whole number of days from 0 to 365',
    });
    expect(r.body.error.message).toContain('lead_time_days -3');
    expect((await call('PATCH', `/vendors/${alpha}`, ops, { lead_time_days: 1.5 })).status).toBe(400);
    expect((await call('PATCH', `/vendors/${alpha}`, ops, { colour: 'red' })).status).toBe(400);
    const v = (await call('GET', '/vendors?search=alpha', viewer)).body.items[0];
    expect(v).toMatchObject({ country: 'DE', lead_time_days: 5, email: null });
  });

  it('saves for ops, recomputes ROI on a country change, and audits who changed what', async () => {
    const refreshes = await count(`SELECT count(*)::int AS n FROM roi_refreshes WHERE reason = 'vendor'`);
    const r = await call('PATCH', `/vendors/${alpha}`, ops, {
      country: 'UK',
      lead_time_days: 12,
      moq: 6,
      dry_run: false,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dry_run: false, roi_recomputed: true });
    expect(r.body.vendor).toMatchObject({
      country: 'GB',
      lead_time_days: 12,
      moq: 6,
      updated_at: NOW.toISOString(),
    });
    expect(await count(`SELECT count(*)::int AS n FROM roi_refreshes WHERE reason = 'vendor'`)).toBe(
      refreshes + 1,
    );
    const { rows } = await t.tdb.db.pool.query(
      `SELECT vendor_country FROM roi_offers WHERE vendor_id = $1 ORDER BY sku`,
      [alpha],
    );
    expect(rows.map((x) => x.vendor_country.trim())).toEqual(['GB', 'GB']);
    await new Promise((res) => setTimeout(res, 1300)); // the audit writer flushes every second
    const audit = await t.tdb.db.pool.query(
      `SELECT actor, method, status, details FROM audit_log WHERE event = 'vendor_updated'`,
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ method: 'PATCH', status: 200 });
    expect(audit.rows[0].details).toMatchObject({
      vendor_id: alpha,
      changes: expect.arrayContaining([{ field: 'country', from: 'DE', to: 'GB' }]),
    });

    // lead time alone: no ROI recompute; clearing with null works
    const again = await call('PATCH', `/vendors/${alpha}`, ops, { lead_time_days: null, dry_run: false });
    expect(again.body).toMatchObject({
      roi_recomputed: false,
      changes: [{ field: 'lead_time_days', from: 12, to: null }],
    });
    // the same values again: nothing changes, nothing to say
    const same = await call('PATCH', `/vendors/${alpha}`, ops, { country: 'GB', dry_run: false });
    expect(same.body).toMatchObject({ changes: [], effects: [], roi_recomputed: false });
  });

  it('403 for a viewer, 404 for an unknown vendor', async () => {
    const r = await call('PATCH', `/vendors/${gamma}`, viewer, { lead_time_days: 3, dry_run: false });
    expect(r.status).toBe(403);
    expect((await call('GET', '/vendors?search=gamma', viewer)).body.items[0].lead_time_days).toBe(20);
    expect((await call('PATCH', '/vendors/999999', ops, { lead_time_days: 3 })).status).toBe(404);
  });

  it('the restock plan orders at least the vendor MOQ for items whose price list gives none', async () => {
    const saved = await call('PATCH', `/vendors/${beta}`, ops, {
      moq: 100,
      lead_time_days: 6,
      dry_run: false,
    });
    expect(saved.status).toBe(200);
    const db = t.tdb.db;
    await insertSellerSku(db, { sku: 'S-B1', asin: 'B0VENDB001' });
    // 1 a day for 90 days, nothing in stock: L = 6 + 10, ROP 23, S 58 → 58 units, raised to the vendor's MOQ of 100
    const days = Object.fromEntries(
      Array.from({ length: 90 }, (_, i) => [
        daysAgo(90 - i)
          .toISOString()
          .slice(0, 10),
        1,
      ]),
    );
    await insertLedgerShipments(db, { sku: 'S-B1', days });
    await updateRoi(db, { settings: roiSettingsFrom(t.deps.config) });
    const { config, store, log } = t.deps;
    const run = await runJob(restockJob, { config, db, store, clock: fixedClock(NOW), log }, new Metrics());
    expect(run.status).toBe('success');
    const { rows } = await db.pool.query(
      'SELECT moq, lead_time_days, qty FROM restock_plan_lines WHERE plan_id = $1 AND sku = $2',
      [(run.result as { plan_id: number }).plan_id, 'S-B1'],
    );
    expect(rows).toEqual([{ moq: 100, lead_time_days: 16, qty: 100 }]);
  });
});
