import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPage, pageQuery, type SortKey } from '../../src/domains/roi/roi.repo.ts';
import { matchFirst, updateRoi } from '../../src/domains/roi/roi.service.ts';
import { insertLogisticsRate, seedBulkOffers } from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

describe('at scale: 5,000 offers sharing three ROI values', () => {
  let big: TestApp;
  let auth: string;

  beforeAll(async () => {
    big = await createTestApp();
    auth = await big.bearer('viewer');
    await insertLogisticsRate(big.tdb.db);
    // costs 8/10/12 give only three ROIs (158.9, 111.8, 79.2); every 10th product is fees_missing
    await seedBulkOffers(big.tdb.db, { products: 2500, vendors: 2, costs: [8, 10, 12], flaggedEvery: 10 });
    await updateRoi(big.tdb.db);
    await big.tdb.db.pool.query('ANALYZE roi_offers');
  });

  afterAll(async () => {
    await big.close();
  });

  it.each([
    ['roi', 'desc'],
    ['roi', 'asc'],
    ['vendor', 'asc'],
  ])('pages through sort=%s order=%s without duplicates or gaps', async (sort, order) => {
    const seen: string[] = [];
    const rois: (number | null)[] = [];
    let total = 0;
    for (let page = 1; ; page++) {
      const res = await big.app.inject({
        method: 'GET',
        url: `/api/v1/roi?best_only=false&sort=${sort}&order=${order}&page_size=173&page=${page}`,
        headers: { authorization: auth },
      });
      const body = res.json();
      total = body.total;
      if (body.items.length === 0) break;
      seen.push(...body.items.map((i: { vendor_id: number; sku: string }) => `${i.vendor_id}/${i.sku}`));
      rois.push(...body.items.map((i: { roi_pct: number | null }) => i.roi_pct));
    }
    expect(total).toBe(5000);
    expect(seen).toHaveLength(5000);
    expect(new Set(seen).size).toBe(5000);
    if (sort === 'roi') {
      // 500 fees_missing offers (every 10th product × 2 vendors) come last, then ROIs in order
      expect(rois.slice(4500).every((r) => r === null)).toBe(true);
      const figures = rois.slice(0, 4500) as number[];
      const sorted = [...figures].sort((a, b) => (order === 'asc' ? a - b : b - a));
      expect(figures).toEqual(sorted);
      expect(new Set(figures)).toEqual(new Set([158.9, 111.8, 79.2]));
    }
  });

  it('answers a filtered, sorted page from an index', async () => {
    const plan = async (sort: SortKey, order: 'asc' | 'desc', roiMin?: number) => {
      const q = pageQuery({ bestOnly: true, roiMin }, sort, order, 50, 100);
      const { rows } = await big.tdb.db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.text}`, q.values);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    expect(await plan('roi', 'desc', 100)).toContain('Index Scan using roi_offers_roi_desc_idx');
    expect(await plan('roi', 'asc')).toContain('Index Scan using roi_offers_roi_asc_idx');
    expect(await plan('margin', 'desc')).toContain('Index Scan using roi_offers_margin_desc_idx');
    for (const sort of ['asin', 'vendor'] as const) {
      for (const order of ['asc', 'desc'] as const) expect(await plan(sort, order)).toContain('Index');
    }
  });

  it('sorts the few matches of a search directly, with the same pages as the index walk', async () => {
    // ASINs BK00000100–BK00000199: 100 products × 2 vendors
    const f = { bestOnly: false, search: 'bk000001' };
    const walk = await listPage(big.tdb.db.pool, f, 'roi', 'desc', 30, 60, false);
    const direct = await listPage(big.tdb.db.pool, f, 'roi', 'desc', 30, 60, true);
    expect(direct.map((r) => `${r.vendor_id}/${r.sku}`)).toEqual(walk.map((r) => `${r.vendor_id}/${r.sku}`));
    expect(direct).toHaveLength(30);
    const q = pageQuery(f, 'roi', 'desc', 30, 60, true);
    const { rows } = await big.tdb.db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q.text}`, q.values);
    // matches collected first, then sorted (which index finds them depends on the table's size)
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/CTE matches[\s\S]*CTE Scan on matches/);
    expect(matchFirst(f, 200)).toBe(true);
    expect(matchFirst({ ...f, search: 'bk' }, 200)).toBe(false); // too short for the trigram index
    expect(matchFirst(f, 5_000)).toBe(false); // many matches: walking the sort index is cheaper
  });

  // runs last: it adds offers
  it('counts a filter once per refresh of the view, and again after the next refresh', async () => {
    const total = async () => {
      const res = await big.app.inject({
        method: 'GET',
        url: '/api/v1/roi?category=Cat%201&page_size=1',
        headers: { authorization: auth },
      });
      return res.json().total as number;
    };
    // 2,500 products, every 5th in Cat 1; best_only counts one offer per ASIN
    expect(await total()).toBe(500);
    await seedBulkOffers(big.tdb.db, { products: 100, vendors: 1, prefix: 'BX' });
    expect(await total()).toBe(500); // the view has not been refreshed: same contents, same total
    await updateRoi(big.tdb.db);
    expect(await total()).toBe(520);
  });
});
