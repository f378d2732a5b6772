import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateRoi } from '../../src/domains/roi/roi.service.ts';
import {
  insertProduct,
  insertProductIdentifier,
  insertVendor,
  insertVendorPrice,
} from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const MILL = 'B0SRCH0001';
const OFFER_ONLY = 'B0SRCH0099';
const EAN = '4006381333931';
const UPC_AS_EAN = '0012345678905'; // UPC-A 012345678905 stored as EAN-13
const SHARED = '4000000000017'; // one barcode, two products

let t: TestApp;
let auth: string;

async function search(q: string | undefined, extra = '') {
  const qs = q === undefined ? extra : `q=${encodeURIComponent(q)}${extra}`;
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/search?${qs}`,
    headers: { authorization: auth },
  });
  return { status: res.statusCode, body: res.json() };
}

beforeAll(async () => {
  t = await createTestApp();
  auth = await t.bearer('viewer');
  const db = t.tdb.db;
  await insertProduct(db, { asin: MILL, title: 'Kaffeemühle Edelstahl' });
  await insertProductIdentifier(db, { asin: MILL, value: EAN });
  await db.pool.query(
    `INSERT INTO listings (marketplace, sku, asin, status) VALUES ('DE', 'MY-SKU-1', $1, 'active'),
       ('DE', 'OLD-SKU', $1, 'inactive')`,
    [MILL],
  );
  const upc = await insertProduct(db, { title: 'Pfeffermühle' });
  await insertProductIdentifier(db, { asin: upc.asin, value: UPC_AS_EAN });
  const a = await insertProduct(db, { title: 'Twin A' });
  const b = await insertProduct(db, { title: 'Twin B' });
  await insertProductIdentifier(db, { asin: a.asin, value: SHARED, kind: 'EAN' });
  await insertProductIdentifier(db, { asin: b.asin, value: SHARED, kind: 'GTIN' });
  // 12 gizmos: more than one answer holds; those starting with the word first, shorter first
  for (let i = 1; i <= 10; i++) await insertProduct(db, { title: `Super Gizmo no. ${i}` });
  await insertProduct(db, { title: 'Gizmo Deluxe XL' });
  await insertProduct(db, { title: 'gizmo' });
  // a vendor offers an ASIN the catalogue does not know yet
  const v = await insertVendor(db);
  await insertVendorPrice(db, { vendor_id: v.id, asin: OFFER_ONLY, title: 'Offer only widget' });
  await updateRoi(db);
});

afterAll(async () => {
  await t.close();
});

describe('GET /search', () => {
  it('finds an ASIN as typed in any case, with its SKU and EAN, and says to jump to it', async () => {
    const r = await search(MILL.toLowerCase());
    expect(r).toEqual({
      status: 200,
      body: {
        items: [{ asin: MILL, title: 'Kaffeemühle Edelstahl', sku: 'MY-SKU-1', ean: EAN, matched: 'asin' }],
        exact: MILL,
      },
    });
    expect((await search(OFFER_ONLY)).body).toEqual({
      items: [{ asin: OFFER_ONLY, title: 'Offer only widget', sku: null, ean: null, matched: 'asin' }],
      exact: OFFER_ONLY,
    });
  });

  it("finds the seller's SKU and a barcode in any of its forms", async () => {
    expect((await search('OLD-SKU')).body).toMatchObject({
      items: [{ asin: MILL, sku: 'OLD-SKU', matched: 'sku' }],
      exact: MILL,
    });
    expect((await search(EAN)).body).toMatchObject({
      items: [{ asin: MILL, ean: EAN, matched: 'ean' }],
      exact: MILL,
    });
    // the UPC as printed (12 digits) finds it stored as EAN-13
    expect((await search('012345678905')).body).toMatchObject({
      items: [{ title: 'Pfeffermühle', ean: UPC_AS_EAN, matched: 'ean' }],
    });
    expect((await search('012345678905')).body.exact).toMatch(/^B/);
  });

  it('does not jump when the exact matches are several products', async () => {
    const r = (await search(SHARED)).body;
    expect(r.items.map((i: { title: string }) => i.title).sort()).toEqual(['Twin A', 'Twin B']);
    expect(r.exact).toBeNull();
  });

  it('matches titles by substring: at most 10, those starting with it first, then shorter', async () => {
    const r = (await search('GIZMO')).body;
    expect(r.exact).toBeNull();
    expect(r.items).toHaveLength(10);
    expect(r.items.slice(0, 3).map((i: { title: string }) => i.title)).toEqual([
      'gizmo',
      'Gizmo Deluxe XL',
      'Super Gizmo no. 1',
    ]);
    expect(r.items.every((i: { matched: string }) => i.matched === 'title')).toBe(true);
    expect((await search('mühle')).body.items.map((i: { title: string }) => i.title)).toEqual([
      'Pfeffermühle',
      'Kaffeemühle Edelstahl',
    ]);
    // a literal %, and a query too short for a title search, match nothing
    expect((await search('%%%')).body).toEqual({ items: [], exact: null });
    expect((await search('Gi')).body).toEqual({ items: [], exact: null });
  });

  it('answers nothing found as an empty list', async () => {
    expect(await search('no such thing')).toEqual({ status: 200, body: { items: [], exact: null } });
  });

  it('400 for a missing, blank or too long q, or another parameter', async () => {
    for (const [q, extra] of [
      [undefined, ''],
      ['', ''],
      ['   ', ''],
      ['x'.repeat(65), ''],
      ['gizmo', '&limit=5'],
    ] as const) {
      const r = await search(q, extra);
      expect(r.status, `${q}${extra}`).toBe(400);
      expect(r.body.error.code).toBe('invalid');
    }
    expect((await search('x'.repeat(64))).status).toBe(200);
  });
});
