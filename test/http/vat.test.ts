import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertListing, insertLogisticsRate, insertVendor, insertVendorPrice } from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// amazon.de defaults: 19 % VAT, registered. A 29.99 buy box in the Books category; a reduced 7 % rate
// for Books takes it to 29.99 / 1.07 = 28.0280 net.
let t: TestApp;
let viewer: string;
let ops: string;
let admin: string;
let asin: string;

async function call(method: 'GET' | 'PUT' | 'DELETE', url: string, auth: string, body?: unknown) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: auth },
    payload: body as object | undefined,
  });
  return { status: res.statusCode, body: res.json() };
}

beforeAll(async () => {
  t = await createTestApp();
  [viewer, ops, admin] = await Promise.all([t.bearer('viewer'), t.bearer('ops'), t.bearer('admin')]);
  await insertLogisticsRate(t.tdb.db, { eur_per_kg: '2.00' });
  ({ asin } = await insertListing(t.tdb.db, { category: 'Books' }));
  const v = await insertVendor(t.tdb.db);
  await insertVendorPrice(t.tdb.db, { vendor_id: v.id, asin, cost: '10.00' });
});
afterAll(async () => {
  await t?.close();
});

const roiRow = async () => (await call('GET', `/sku/${asin}`, viewer)).body.offers[0];

describe('VAT rates over HTTP', () => {
  it("GET /vat shows the marketplace's rate, the registration and the reduced rates", async () => {
    const r = await call('GET', '/vat', viewer);
    expect(r).toEqual({
      status: 200,
      body: { marketplace: 'DE', rate: 0.19, rate_source: 'marketplace', registered: true, reduced: [] },
    });
  });

  it('PUT /vat/rates is for admins, validates all or none, and refreshes ROI at once', async () => {
    const rates = [{ scope: 'category', key: 'books', rate: '0.07', note: 'ermäßigter Satz' }];
    expect((await call('PUT', '/vat/rates', ops, { rates })).status).toBe(403);
    const bad = await call('PUT', '/vat/rates', admin, {
      rates: [...rates, { scope: 'asin', key: asin, rate: 7 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('rates[1].rate "7": must be a fraction below 1');
    expect((await call('GET', '/vat', viewer)).body.reduced).toEqual([]);

    const ok = await call('PUT', '/vat/rates', admin, { rates });
    expect(ok).toEqual({
      status: 200,
      body: { dry_run: false, rates: 1, inserted: 1, updated: 0, unchanged: 0 },
    });
    expect(await roiRow()).toMatchObject({ vat_rate: 0.07, vat_source: 'category', price: 28.028 });
  });

  it('DELETE /vat/rates/{scope}/{key} brings the standard rate back; an unknown one is 404', async () => {
    expect((await call('DELETE', '/vat/rates/category/BOOKS?dry_run=true', admin)).body).toEqual({
      dry_run: true,
      removed: 1,
    });
    expect(await roiRow()).toMatchObject({ vat_rate: 0.07 });
    expect((await call('DELETE', '/vat/rates/category/BOOKS', admin)).status).toBe(200);
    expect(await roiRow()).toMatchObject({ vat_rate: 0.19, vat_source: 'marketplace', price: 25.2017 });
    expect((await call('DELETE', '/vat/rates/category/BOOKS', admin)).status).toBe(404);
  });
});
