import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPage } from '../../src/domains/roi/roi.repo.ts';
import { toFilter, updateRoi } from '../../src/domains/roi/roi.service.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import {
  insertListing,
  insertLogisticsRate,
  insertVendor,
  insertVendorPrice,
  seedBulkOffers,
} from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

/**
 * The ROI review page's server side: margin and decision filters, sort by profit, the count behind
 * "select all N matching", the CSV download and decisions on a whole filtered set. Figures as in
 * roi.test.ts (fees 6.70, freight 1.00):
 *   W1 cost 10, buy box 29.99 → profit 12.29, margin 41.0 (approved)
 *   W2 cost 20 → profit 2.29, margin 7.6 (pending)
 *   W3 cost 5, buy box 15.00 → profit 2.30, margin 15.3 (rejected)
 *   W4 no fees → profit null (pending)
 *   W5 cost 8, title a formula → profit 14.29, margin 47.6 (observe)
 *   W6 only a vendor offer, no product record (no decision possible)
 * W1 also has a second, worse offer (Beta, cost 12).
 */
const [W1, W2, W3, W4, W5, W6] = [
  'B0WEB00001',
  'B0WEB00002',
  'B0WEB00003',
  'B0WEB00004',
  'B0WEB00005',
  'B0WEB00006',
];
const FORMULA = '=HYPERLINK("http://evil.example","click, now")';

const clock = fixedClock(new Date());
const today = clock.now().toISOString().slice(0, 10);
let t: TestApp;
let viewer: string;
let ops: string;

async function get(url: string, auth = viewer) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: auth } });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}
async function approve(body: unknown, auth = ops) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/roi/approve',
    headers: { authorization: auth },
    payload: body as object,
  });
  return { status: res.statusCode, body: res.json() };
}
const asinsOf = async (q: string) => (await get(`/roi?${q}`)).body.items.map((i: { asin: string }) => i.asin);
const statuses = async () =>
  Object.fromEntries(
    (await t.tdb.db.pool.query('SELECT asin, status, approved_by FROM products ORDER BY asin')).rows.map(
      (r) => [r.asin, `${r.status}${r.approved_by ? `/${r.approved_by}` : ''}`],
    ),
  );

beforeAll(async () => {
  t = await createTestApp({ clock });
  viewer = await t.bearer('viewer');
  ops = await t.bearer('ops', 'olga');
  const db = t.tdb.db;
  await insertLogisticsRate(db, { eur_per_kg: '2.00' });
  const alpha = await insertVendor(db, { name: 'Alpha GmbH' });
  const beta = await insertVendor(db, { name: '-Beta Ltd' });
  await insertListing(db, { asin: W1, title: 'Blue Widget', status: 'approved' });
  await insertListing(db, { asin: W2, title: 'Red Gadget' });
  await insertListing(db, { asin: W3, title: 'Yellow Yo-yo', buybox: '15.00', status: 'rejected' });
  await insertListing(db, { asin: W4, title: 'Green Gizmo', fees: null });
  await insertListing(db, { asin: W5, title: FORMULA, status: 'observe' });
  for (const [v, asin, sku, cost] of [
    [alpha.id, W1, 'A-1', '10.00'],
    [beta.id, W1, 'B-1', '12.00'],
    [alpha.id, W2, 'A-2', '20.00'],
    [alpha.id, W3, '+A-3', '5.00'],
    [alpha.id, W4, 'A-4', '10.00'],
    [alpha.id, W5, '@A-5', '8.00'],
    [alpha.id, W6, 'A-6', '9.00'],
  ] as const) {
    await insertVendorPrice(db, {
      vendor_id: v,
      asin,
      sku,
      cost,
      title: asin === W6 ? 'Uncatalogued thing' : null,
    });
  }
  await updateRoi(db, { clock });
});

afterAll(async () => {
  await t.close();
});

describe('GET /roi filters and sorts for the review page', () => {
  it('filters by margin range and by the buying decision, live after a decision', async () => {
    expect(await asinsOf('margin_min=10&margin_max=45&sort=margin')).toEqual([W1, W3]);
    expect(await asinsOf('margin_min=47')).toEqual([W5]);
    expect(await asinsOf('status=approved')).toEqual([W1]);
    expect(await asinsOf('status=rejected')).toEqual([W3]);
    expect(await asinsOf('status=observe')).toEqual([W5]);
    // no decision: pending, or no product record at all
    expect(await asinsOf('status=none&sort=asin')).toEqual([W2, W4, W6]);
    expect((await get('/roi?status=none')).body.total).toBe(3);
  });

  it('sorts by profit, best first by default, flagged rows last both ways', async () => {
    expect(await asinsOf('sort=profit')).toEqual([W5, W1, W3, W2, W4, W6]);
    expect(await asinsOf('sort=profit&order=asc')).toEqual([W2, W3, W1, W5, W4, W6]);
    expect((await get('/roi?sort=profit')).body).toMatchObject({ sort: 'profit', order: 'desc' });
  });

  it('answers every column the page query reads (the response schema drops none)', async () => {
    const row = (await get(`/roi?search=${W1}`)).body.items[0];
    expect(row).toMatchObject({
      asin: W1,
      sku: 'A-1',
      profit: 12.29,
      margin_pct: 41,
      score: null,
      scored_at: null,
    });
    const [direct] = await listPage(t.tdb.db.pool, toFilter({ search: W1 }), 'roi', 'desc', 1, 0);
    expect(Object.keys(row).sort()).toEqual(Object.keys(direct!).sort());
  });

  it('400 for a reversed margin range, an unknown decision or an unknown parameter', async () => {
    for (const q of [
      'margin_min=50&margin_max=10',
      'status=maybe',
      'status=pending',
      'margin_min=x',
      'colour=red',
    ]) {
      const r = await get(`/roi?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe('invalid');
    }
  });
});

describe('GET /roi/count', () => {
  it('counts offers and the distinct products a decision can be recorded on', async () => {
    expect((await get('/roi/count')).body).toEqual({ total: 6, asins: 5 }); // W6 has no product record
    expect((await get('/roi/count?best_only=false')).body).toEqual({ total: 7, asins: 5 }); // W1 twice
    expect((await get('/roi/count?vendor=-beta%20ltd&best_only=false')).body).toEqual({ total: 1, asins: 1 });
    expect((await get('/roi/count?page=1')).status).toBe(400);
  });
});

describe('GET /roi.csv', () => {
  it('downloads the filtered set as a dated attachment, formulas defused, text quoted', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/roi.csv?sort=profit&best_only=false',
      headers: { authorization: viewer },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="awa-roi-${today}.csv"`);
    const csv = res.body;
    expect(csv.startsWith('\uFEFFvendor_id,vendor_name,')).toBe(true);
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.sku)).toEqual(["'@A-5", 'A-1', 'B-1', "'+A-3", 'A-2', 'A-4', 'A-6']);
    const w5 = rows[0]!;
    expect(w5.title).toBe(`'${FORMULA}`); // the quotes and the comma survive the CSV quoting
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click, now"")"`);
    expect(rows.find((r) => r.sku === 'B-1')!.vendor_name).toBe("'-Beta Ltd");
    // numbers unformatted (negative numbers are numbers, not formulas), flags joined, nulls empty
    expect(rows.find((r) => r.sku === 'A-1')).toMatchObject({
      profit: '12.29',
      margin_pct: '41',
      best: 'true',
    });
    expect(rows.find((r) => r.sku === 'A-4')).toMatchObject({
      flags: 'fees_missing',
      profit: '',
      roi_pct: '',
    });
    expect(rows.find((r) => r.sku === 'A-6')!.flags).toBe('weight_missing|fees_missing|no_buybox');
  });

  it('applies the same filters as /roi and refuses paging and unknown parameters', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/roi.csv?status=approved',
      headers: { authorization: viewer },
    });
    expect((parse(res.body, { bom: true, columns: true }) as { asin: string }[]).map((r) => r.asin)).toEqual([
      W1,
    ]);
    for (const q of ['page=2', 'page_size=10', 'status=bogus', 'x=1']) {
      expect((await get(`/roi.csv?${q}`)).status, q).toBe(400);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/roi.csv' })).statusCode).toBe(401);
  });
});

describe('POST /roi/approve by filter', () => {
  const noDecision = { filter: { status: 'none' } };

  it('is for ops: a viewer gets 403 and nothing changes', async () => {
    const before = await statuses();
    expect((await approve({ ...noDecision, expected_count: 2 }, viewer)).status).toBe(403);
    expect(await statuses()).toEqual(before);
  });

  it('409 when the filter no longer matches the confirmed count; nothing changes', async () => {
    const before = await statuses();
    const r = await approve({ ...noDecision, expected_count: 3, status: 'observe' });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({
      code: 'conflict',
      message: 'the filter now matches 2 products, not 3; nothing was changed',
      details: { matched: 2, expected_count: 3 },
    });
    expect(await statuses()).toEqual(before);
  });

  it('a dry run says how many would change and writes nothing', async () => {
    const before = await statuses();
    expect(await approve({ ...noDecision, expected_count: 2, dry_run: true })).toEqual({
      status: 200,
      body: { dry_run: true, would_update: 2 },
    });
    expect(await approve({ asins: [W2, W4], dry_run: true })).toEqual({
      status: 200,
      body: { dry_run: true, would_update: 2 },
    });
    expect(await statuses()).toEqual(before);
  });

  it('records the decision on every matching product at once', async () => {
    expect((await get('/roi/count?status=none')).body).toEqual({ total: 3, asins: 2 });
    const r = await approve({ ...noDecision, expected_count: 2, status: 'rejected' });
    expect(r).toEqual({ status: 200, body: { dry_run: false, updated: 2 } });
    expect(await statuses()).toEqual({
      [W1]: 'approved',
      [W2]: 'rejected/olga',
      [W3]: 'rejected',
      [W4]: 'rejected/olga',
      [W5]: 'observe',
    });
    // counted live, not from the cache of the view's generation
    expect((await get('/roi/count?status=none')).body).toEqual({ total: 1, asins: 0 });
    // best_only=false: an ASIN whose second offer matches counts once
    const beta = { filter: { vendor: '-Beta Ltd', best_only: false }, expected_count: 1, status: 'observe' };
    expect((await approve(beta)).body).toEqual({ dry_run: false, updated: 1 });
    expect((await statuses())[W1]).toBe('observe/olga');
  });

  it('400 for a body that is neither form, or mixes them', async () => {
    for (const body of [
      {},
      { asins: [W1], filter: {} },
      { filter: { status: 'none' } }, // no expected_count
      { asins: [W1], expected_count: 1 },
      { filter: { page: 2 }, expected_count: 0 },
      { filter: { margin_min: 9, margin_max: 1 }, expected_count: 0 },
      { filter: {}, expected_count: -1 },
    ]) {
      const r = await approve(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid');
    }
  });
});

describe('GET /roi.csv at scale', () => {
  let big: TestApp;
  let auth: string;

  beforeAll(async () => {
    big = await createTestApp({ clock });
    auth = await big.bearer('viewer');
    await insertLogisticsRate(big.tdb.db);
    // more rows than one cursor batch (2,000), many sharing a figure: the tie-break must hold
    await seedBulkOffers(big.tdb.db, { products: 1300, vendors: 2, costs: [8, 10, 12], flaggedEvery: 9 });
    await updateRoi(big.tdb.db, { clock });
  });

  afterAll(async () => {
    await big.close();
  });

  it('equals the /roi pages, row for row and column for column, in the same order', async () => {
    const q = 'best_only=false&sort=margin&order=asc';
    const res = await big.app.inject({
      method: 'GET',
      url: `/api/v1/roi.csv?${q}`,
      headers: { authorization: auth },
    });
    expect(res.statusCode).toBe(200);
    const csv = parse(res.body, { bom: true }) as string[][];
    const [header, ...rows] = csv;
    const json: Record<string, unknown>[] = [];
    for (let page = 1; json.length < 2600; page++) {
      const r = await big.app.inject({
        method: 'GET',
        url: `/api/v1/roi?${q}&page_size=200&page=${page}`,
        headers: { authorization: auth },
      });
      json.push(...r.json().items);
    }
    expect(rows).toHaveLength(2600);
    expect(header).toEqual(Object.keys(json[0]!));
    const asCell = (v: unknown) =>
      v === null
        ? ''
        : Array.isArray(v)
          ? v.join('|')
          : typeof v === 'string' && /^-/.test(v)
            ? `'${v}`
            : String(v);
    expect(rows).toEqual(json.map((row) => header!.map((c) => asCell(row[c]))));
  });
});
