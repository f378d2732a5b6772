import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restockJob } from '../../src/domains/restock/restock.job.ts';
import { linesQuery } from '../../src/domains/restock/restock.read.repo.ts';
import { roiSettingsFrom, updateRoi } from '../../src/domains/roi/roi.service.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { runJob } from '../../src/platform/jobs/index.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import {
  insertLedgerShipments,
  insertSellerSku,
  insertStockSnapshot,
  insertVendor,
  insertVendorPrice,
} from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

/**
 * Vendor lead time 5 + transit 10 = L 15, L + R = 22, C = 35, constant sales (σ 0, so SS 0):
 *   SKU-1 sells 10/day: ROP 220, S 570; 100 on hand + 50 on order (placed over HTTP) = 150
 *         → 420 = 42 cases of 10 × 2.00 = 840.0000; 15 days to stock-out
 *   SKU-2 sells 2/day: ROP 44, S 114; nothing on hand → 114 × 5.00 = 570.0000; 0 days
 *   SKU-3 listed, never sold, no vendor → 0
 */
const day = (i: number) => new Date(Date.UTC(2026, 7, 30) + i * 86_400_000).toISOString().slice(0, 10);
const every = (units: number) => Object.fromEntries(Array.from({ length: 90 }, (_, i) => [day(i), units]));

let t: TestApp;
let viewer: string;
let ops: string;
let planId: number;

async function call(method: 'GET' | 'POST', url: string, opts: { auth?: string; body?: unknown } = {}) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: opts.auth ?? viewer },
    payload: opts.body as object | undefined,
  });
  return {
    status: res.statusCode,
    body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body,
    res,
  };
}
const skus = (items: { sku: string }[]) => items.map((i) => i.sku);

beforeAll(async () => {
  t = await createTestApp();
  viewer = await t.bearer('viewer');
  ops = await t.bearer('ops', 'olga');
  const db = t.tdb.db;
  const v = await insertVendor(db, { name: 'Alpha GmbH', lead_time_days: 5 });
  await insertVendorPrice(db, {
    vendor_id: v.id,
    sku: 'A-1',
    asin: 'B0RESTOCK1',
    cost: '2.00',
    pack_size: 10,
  });
  await insertVendorPrice(db, { vendor_id: v.id, sku: 'A-2', asin: 'B0RESTOCK2', cost: '5.00' });
  await insertSellerSku(db, { sku: 'SKU-1', asin: 'B0RESTOCK1' });
  await insertSellerSku(db, { sku: 'SKU-2', asin: 'B0RESTOCK2' });
  await insertSellerSku(db, { sku: 'SKU-3', asin: 'B0RESTOCK3' });
  await insertLedgerShipments(db, { sku: 'SKU-1', days: every(10) });
  await insertLedgerShipments(db, { sku: 'SKU-2', days: every(2) });
  await insertStockSnapshot(db, { sku: 'SKU-1', as_of: '2026-11-28T05:00:00Z', fulfillable: 100 });
  await updateRoi(db, { settings: roiSettingsFrom(t.deps.config) });

  const po = await call('POST', '/purchase-orders', {
    auth: ops,
    body: { vendor_id: v.id, lines: [{ sku: 'SKU-1', qty: 50, unit_cost: '2.00' }] },
  });
  expect(po.status).toBe(201);

  const { config, store } = t.deps;
  const r = await runJob(
    restockJob,
    { config, db, store, clock: fixedClock('2026-11-28T10:00:00Z'), log: t.deps.log },
    new Metrics(),
  );
  expect(r.status).toBe('success');
  planId = (r.result as { plan_id: number }).plan_id;
});
afterAll(async () => {
  await t?.close();
});

describe('GET /restock/plans', () => {
  it('lists plans newest first with counts and totals', async () => {
    const r = await call('GET', '/restock/plans');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      total: 1,
      page: 1,
      items: [
        {
          id: planId,
          marketplace: 'DE',
          week: '2026-W48',
          total_units: 534,
          total_cost: '1410.0000',
          currency: 'EUR',
          csv_key: 'restock/DE/2026-W48.csv',
          counts: { skus: 3, order_lines: 2, no_sales: 1, no_vendor: 1 },
          params: { transit_days: 10, cover_days: 35, service_level: 0.95, z: 1.65, review_days: 7 },
        },
      ],
    });
  });

  it('400 for bad paging', async () => {
    for (const q of ['page_size=201', 'page=0', 'size=10']) {
      const r = await call('GET', `/restock/plans?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe('invalid');
    }
  });
});

describe('GET /restock/plans/{id}', () => {
  it('answers the plan and its lines, most urgent first, with open orders in the position', async () => {
    const r = await call('GET', `/restock/plans/${planId}`);
    expect(r.status).toBe(200);
    expect(r.body.plan).toMatchObject({ id: planId, week: '2026-W48' });
    expect(r.body.lines).toMatchObject({ total: 3, sort: 'days_to_stockout', order: 'asc' });
    expect(skus(r.body.lines.items)).toEqual(['SKU-2', 'SKU-1', 'SKU-3']);
    expect(r.body.lines.items[1]).toMatchObject({
      sku: 'SKU-1',
      vendor_name: 'Alpha GmbH',
      demand: 10,
      sigma: 0,
      lead_time_days: 15,
      safety_stock: 0,
      reorder_point: 220,
      order_up_to: 570,
      on_hand: 100,
      on_order: 50,
      position: 150,
      qty: 420,
      case_pack: 10,
      unit_cost: '2.0000',
      line_cost: '840.0000',
      days_to_stockout: 15,
      overstock: false,
    });
    expect(r.body.lines.items[0]).toMatchObject({
      sku: 'SKU-2',
      qty: 114,
      line_cost: '570.0000',
      days_to_stockout: 0,
    });
  });

  it('filters to order lines, sorts and pages with a stable tie-break', async () => {
    const q = async (query: string) =>
      skus((await call('GET', `/restock/plans/${planId}?${query}`)).body.lines.items);
    expect(await q('order_only=true&sort=qty')).toEqual(['SKU-1', 'SKU-2']); // qty defaults to desc
    expect(await q('order_only=true&sort=qty&order=asc')).toEqual(['SKU-2', 'SKU-1']);
    expect(await q('sort=line_cost&order=asc')).toEqual(['SKU-2', 'SKU-1', 'SKU-3']);
    expect(await q('sort=sku&order=desc')).toEqual(['SKU-3', 'SKU-2', 'SKU-1']);
    const page = await call('GET', `/restock/plans/${planId}?page_size=1&page=2`);
    expect(page.body.lines).toMatchObject({ total: 3, page: 2, page_size: 1, items: [{ sku: 'SKU-1' }] });
    const orders = await call('GET', `/restock/plans/${planId}?order_only=true`);
    expect(orders.body.lines.total).toBe(2);
  });

  it('404 for an unknown plan, 400 for bad parameters', async () => {
    const missing = await call('GET', '/restock/plans/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({
      code: 'not_found',
      message: 'restock plan 999999 does not exist',
    });
    for (const q of ['sort=cost', 'order=up', 'page_size=500', 'order_only=maybe', 'vendor=1']) {
      const r = await call('GET', `/restock/plans/${planId}?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe('invalid');
    }
    expect((await call('GET', '/restock/plans/abc')).status).toBe(400);
  });

  it('each sort is served by an index of 0012', async () => {
    const client = await t.tdb.db.pool.connect();
    try {
      // a three-line table is cheapest to scan; forbid that to see which index the planner would use
      await client.query('SET enable_seqscan = off');
      const plan = async (
        orderOnly: boolean,
        sort: 'qty' | 'line_cost' | 'days_to_stockout' | 'sku',
        order: 'asc' | 'desc',
      ) =>
        JSON.stringify(
          (await client.query(`EXPLAIN (FORMAT JSON) ${linesQuery(orderOnly, sort, order)}`, [planId, 50, 0]))
            .rows,
        );
      expect(await plan(true, 'qty', 'desc')).toContain('restock_plan_lines_order_qty_idx');
      expect(await plan(true, 'line_cost', 'asc')).toContain('restock_plan_lines_order_cost_idx');
      expect(await plan(false, 'days_to_stockout', 'asc')).toContain('restock_plan_lines_stockout_idx');
      expect(await plan(false, 'qty', 'asc')).toContain('restock_plan_lines_qty_idx');
      expect(await plan(false, 'sku', 'desc')).toContain('restock_plan_lines_pkey');
      for (const p of [await plan(true, 'qty', 'desc'), await plan(false, 'sku', 'desc')]) {
        expect(p).not.toContain('"Node Type":"Sort"');
      }
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});

describe('the restock page: flags, more sorts, on order now', () => {
  it('flags each line: stock-out before an order could arrive, below the reorder point, no demand', async () => {
    const r = await call('GET', `/restock/plans/${planId}`);
    const flags = Object.fromEntries(
      r.body.lines.items.map((l: { sku: string; flag: string }) => [l.sku, l.flag]),
    );
    // SKU-2: 0 days of stock < 15 days lead time; SKU-1: 15 days is not < 15, but 150 ≤ ROP 220
    expect(flags).toEqual({ 'SKU-1': 'below_rop', 'SKU-2': 'stockout', 'SKU-3': 'no_demand' });
    const q = async (query: string) =>
      skus((await call('GET', `/restock/plans/${planId}?${query}`)).body.lines.items);
    expect(await q('flag=stockout')).toEqual(['SKU-2']);
    expect(await q('flag=no_demand&order_only=true')).toEqual([]);
    expect(await q('sort=vendor')).toEqual(['SKU-1', 'SKU-2', 'SKU-3']); // no vendor last
    expect(await q('sort=demand')).toEqual(['SKU-1', 'SKU-2', 'SKU-3']); // fastest seller first
    expect(await q('sort=days_of_cover&order=desc')).toEqual(['SKU-3', 'SKU-1', 'SKU-2']); // no demand (NULL) first
    const bad = await call('GET', `/restock/plans/${planId}?flag=red`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/flag/);
  });

  it('the new sorts are served by the indexes of 0018', async () => {
    const client = await t.tdb.db.pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = async (sort: 'vendor' | 'demand' | 'days_of_cover', order: 'asc' | 'desc') =>
        JSON.stringify(
          (await client.query(`EXPLAIN (FORMAT JSON) ${linesQuery(false, sort, order)}`, [planId, 50, 0]))
            .rows,
        );
      expect(await plan('vendor', 'asc')).toContain('restock_plan_lines_vendor_idx');
      expect(await plan('demand', 'desc')).toContain('restock_plan_lines_demand_idx');
      expect(await plan('days_of_cover', 'asc')).toContain('restock_plan_lines_cover_idx');
      expect(await plan('days_of_cover', 'desc')).not.toContain('"Node Type":"Sort"');
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});

describe('POST /restock/plans/{id}/purchase-orders', () => {
  const place = (body: unknown, auth = ops) =>
    call('POST', `/restock/plans/${planId}/purchase-orders`, { auth, body });
  const stored = async () =>
    (await t.tdb.db.pool.query('SELECT count(*)::int AS n FROM purchase_orders')).rows[0].n as number;

  it('is for ops: a viewer gets 403', async () => {
    const r = await place({ lines: [{ sku: 'SKU-1' }], dry_run: false }, viewer);
    expect(r.status).toBe(403);
  });

  it('dry run by default: one order per vendor, typed quantities rounded up to case pack, nothing stored', async () => {
    const before = await stored();
    const r = await place({ lines: [{ sku: 'SKU-1', qty: 421 }, { sku: 'SKU-2' }] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      dry_run: true,
      count: 1,
      units: 430 + 114,
      total_cost: '1430.0000', // 430 × 2.00 + 114 × 5.00
      currency: 'EUR',
      orders: [
        {
          id: null,
          vendor_name: 'Alpha GmbH',
          lines: [
            { sku: 'SKU-1', wanted: 421, qty: 430, cases: 43, case_pack: 10, line_cost: '860.0000' },
            { sku: 'SKU-2', wanted: 114, qty: 114, cases: 114, case_pack: 1 },
          ],
        },
      ],
    });
    expect(await stored()).toBe(before);
  });

  it('400 naming the line for an unknown SKU, a SKU without vendor, or nothing chosen; nothing stored', async () => {
    const before = await stored();
    const cases: [unknown, string][] = [
      [{ lines: [{ sku: 'SKU-1' }, { sku: 'NOPE' }], dry_run: false }, 'lines[1].sku'],
      [{ lines: [{ sku: 'SKU-3', qty: 5 }], dry_run: false }, 'lines[0].sku'],
      [{ lines: [{ sku: 'SKU-1' }, { sku: 'SKU-1' }], dry_run: false }, 'lines[1].sku'],
      [{ lines: [], dry_run: false }, 'lines'],
    ];
    for (const [body, field] of cases) {
      const r = await place(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details, JSON.stringify(body)).toContainEqual(expect.objectContaining({ field }));
    }
    const zero = await place({ lines: [{ sku: 'SKU-1', qty: 0 }], dry_run: false });
    expect(zero.status).toBe(400);
    expect(zero.body.error.message).toMatch(/qty/);
    expect(await stored()).toBe(before);
  });

  it('places the orders; the plan shows them on order at once', async () => {
    const r = await place({ all_order_lines: true, lines: [{ sku: 'SKU-1', qty: 421 }], dry_run: false });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ dry_run: false, count: 1, units: 544 });
    const id = r.body.orders[0].id as number;
    expect(id).toBeGreaterThan(0);
    const po = await call('GET', `/purchase-orders/${id}`);
    expect(po.body).toMatchObject({
      status: 'open',
      reference: 'Restock 2026-W48',
      created_by: 'olga',
      lines: [
        { sku: 'SKU-1', qty: 430, unit_cost: '2.0000' },
        { sku: 'SKU-2', qty: 114, unit_cost: '5.0000' },
      ],
    });
    const lines = (await call('GET', `/restock/plans/${planId}?sort=sku`)).body.lines.items;
    expect(lines[0]).toMatchObject({ sku: 'SKU-1', on_order: 50, on_order_now: 50 + 430 });
    expect(lines[0].open_po_ids).toHaveLength(2);
    expect(lines[0].open_po_ids).toContain(id);
    expect(lines[1]).toMatchObject({ sku: 'SKU-2', on_order: 0, on_order_now: 114, open_po_ids: [id] });
    expect(lines[2]).toMatchObject({ sku: 'SKU-3', on_order_now: 0, open_po_ids: [] });
  });

  it('404 for an unknown plan', async () => {
    const r = await call('POST', '/restock/plans/999999/purchase-orders', {
      auth: ops,
      body: { lines: [{ sku: 'SKU-1' }] },
    });
    expect(r.status).toBe(404);
  });
});

describe('GET /restock/plans/{id}.csv', () => {
  it('downloads the stored CSV', async () => {
    const r = await call('GET', `/restock/plans/${planId}.csv`);
    expect(r.status).toBe(200);
    expect(r.res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.res.headers['content-disposition']).toBe('attachment; filename="restock-DE-2026-W48.csv"');
    expect(r.body).toBe(await text(await t.deps.store.get('restock/DE/2026-W48.csv')));
    const rows = (r.body as string).trimEnd().split('\r\n');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(
      /^SKU-2,B0RESTOCK2,\d+,Alpha GmbH,A-2,114,1,0,5\.0000,570\.0000,2\.0000,0\.0000,15,/,
    );
  });

  it('404 for an unknown plan or a missing file', async () => {
    expect((await call('GET', '/restock/plans/999999.csv')).status).toBe(404);
    await t.deps.store.delete('restock/DE/2026-W48.csv');
    const r = await call('GET', `/restock/plans/${planId}.csv`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});
