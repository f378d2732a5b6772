import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertLedgerShipments,
  insertPurchaseOrder,
  insertSellerSku,
  insertSettlementOrders,
  insertStockSnapshot,
  insertVendor,
  insertVendorPrice,
} from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { S3RVER_CREDS, startS3rver } from '../../../test/helpers/s3.ts';
import { findJob, schedulesFor } from '../../jobs/registry.ts';
import { loadConfig } from '../../platform/config.ts';
import { runJob } from '../../platform/jobs/index.ts';
import type { JobDeps } from '../../platform/jobs/types.ts';
import { Metrics } from '../../platform/metrics.ts';
import { S3ObjectStore } from '../../platform/storage/s3-store.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import { restockJob } from './restock.job.ts';

// The test clock is 2026-11-28 10:00 UTC (a Saturday of ISO week 48): the demand window is the 90
// days 2026-08-30 … 2026-11-27, day index 0 … 89.
const NOW = '2026-11-28T10:00:00Z';
const day = (i: number) => new Date(Date.UTC(2026, 7, 30) + i * 86_400_000).toISOString().slice(0, 10);
const series = (f: (i: number) => number, from = 0, to = 90) => {
  const out: Record<string, number> = {};
  for (let i = from; i < to; i++) if (f(i) !== 0) out[day(i)] = f(i);
  return out;
};

let tdb: TestDatabase;
let deps: JobDeps;
let poId: number;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testJobDeps(tdb, { clock: NOW });
  const db = tdb.db;
  const v1 = await insertVendor(db, { name: 'Alpha Supply', lead_time_days: 19 });
  const v2 = await insertVendor(db, { name: 'Beta Wholesale', lead_time_days: 2 });

  // A: listed, 2 units on even days and 4 on odd days (mean 3, σ 1), in stock throughout
  await insertSellerSku(db, { sku: 'SKU-A', asin: 'B0000000A1' });
  await insertLedgerShipments(db, { sku: 'SKU-A', asin: 'B0000000A1', days: series((i) => (i % 2 ? 4 : 2)) });
  // another marketplace's shipments and shipments before the window do not count
  await insertLedgerShipments(db, { sku: 'SKU-A', country: 'FR', days: { [day(89)]: 100 } });
  await insertLedgerShipments(db, { sku: 'SKU-A', days: { [day(-1)]: 1000 } });
  await insertStockSnapshot(db, { sku: 'SKU-A', as_of: `${day(0)}T00:00:00Z`, fulfillable: 100 });
  await insertStockSnapshot(db, {
    sku: 'SKU-A',
    as_of: '2026-11-28T06:00:00Z',
    fulfillable: 50,
    working: 5,
    shipped: 10,
    receiving: 5,
  });
  // the best (cheapest: no offer has a freight lane, so none has an ROI) offer is Alpha's
  await insertVendorPrice(db, {
    vendor_id: v1.id,
    sku: 'V1-A',
    asin: 'B0000000A1',
    cost: '2.50',
    pack_size: 12,
  });
  await insertVendorPrice(db, {
    vendor_id: v2.id,
    sku: 'V2-A',
    asin: 'B0000000A1',
    cost: '3.00',
    pack_size: 1,
  });
  // on order: 40 − 10 received on the open order; received, cancelled and FR orders do not count
  poId = (
    await insertPurchaseOrder(db, { vendor_id: v1.id, lines: [{ sku: 'SKU-A', qty: 40, received_qty: 10 }] })
  ).id;
  await insertPurchaseOrder(db, {
    vendor_id: v1.id,
    status: 'received',
    lines: [{ sku: 'SKU-A', qty: 99, received_qty: 99 }],
  });
  await insertPurchaseOrder(db, {
    vendor_id: v1.id,
    status: 'cancelled',
    lines: [{ sku: 'SKU-A', qty: 77 }],
  });
  await insertPurchaseOrder(db, { vendor_id: v1.id, marketplace: 'FR', lines: [{ sku: 'SKU-A', qty: 55 }] });

  // B: not listed but sold 5 a day; out of stock days 40–49 (snapshot 0 on day 40, 30 on day 50)
  await insertLedgerShipments(db, {
    sku: 'SKU-B',
    asin: 'B0000000B1',
    days: series((i) => (i >= 40 && i < 50 ? 0 : 5)),
  });
  await insertStockSnapshot(db, { sku: 'SKU-B', as_of: `${day(-3)}T08:00:00Z`, fulfillable: 100 });
  await insertStockSnapshot(db, { sku: 'SKU-B', as_of: `${day(40)}T08:00:00Z`, fulfillable: 0 });
  await insertStockSnapshot(db, { sku: 'SKU-B', as_of: `${day(50)}T08:00:00Z`, fulfillable: 30 });

  // C: no ledger rows, so its settlement order lines count: 6 units every third day, nothing between
  await insertSellerSku(db, { sku: 'SKU-C', asin: 'B0000000C1' });
  await insertSettlementOrders(db, { sku: 'SKU-C', days: series((i) => (i % 3 === 0 ? 6 : 0)) });
  await insertSettlementOrders(db, { sku: 'SKU-C', marketplace_name: 'Amazon.fr', days: { [day(89)]: 50 } });
  await insertVendorPrice(db, { vendor_id: v1.id, sku: 'V1-C', asin: 'B0000000C1', cost: '1.2345', moq: 10 });
  await db.pool.query(`UPDATE vendor_prices SET lead_time_days = 4 WHERE sku = 'V1-C'`);

  // D: listed, never sold; its offer's MOQ must not turn into an order
  await insertSellerSku(db, { sku: 'SKU-D', asin: 'B0000000D1' });
  await insertVendorPrice(db, { vendor_id: v1.id, sku: 'V1-D', asin: 'B0000000D1', moq: 50 });

  // E: listed 4 days ago, sold 3, 5, 3, 5
  await insertSellerSku(db, { sku: 'SKU-E', asin: 'B0000000E1', open_date: `${day(86)}T09:00:00Z` });
  await insertLedgerShipments(db, {
    sku: 'SKU-E',
    days: { [day(86)]: 3, [day(87)]: 5, [day(88)]: 3, [day(89)]: 5 },
  });

  // F: an inactive listing without sales is not planned
  await insertSellerSku(db, { sku: 'SKU-F', status: 'inactive' });

  await updateRoi(db, { settings: roiSettingsFrom(deps.config) });
});
afterAll(async () => {
  await tdb?.drop();
});

const lines = async () =>
  (
    await tdb.db.pool.query(
      `SELECT sku, vendor_name, vendor_sku, demand::float8, sigma::float8, lead_time_days, safety_stock::text,
              reorder_point::text, order_up_to::text, on_hand, inbound, on_order, position, qty, case_pack, moq,
              unit_cost::text, line_cost::text, days_to_stockout::float8, overstock, history_days, in_stock_days, reason
       FROM restock_plan_lines ORDER BY sku`,
    )
  ).rows;
const plans = async () =>
  (
    await tdb.db.pool.query(
      'SELECT id, week, run_id, counts, total_units, total_cost::text, csv_key FROM restock_plans',
    )
  ).rows;

describe('the restock agent', () => {
  it('is registered and scheduled by RESTOCK_CRON', () => {
    expect(day(90)).toBe('2026-11-28');
    expect(findJob('restock')).toBe(restockJob);
    expect(schedulesFor(loadConfig({ RESTOCK_CRON: '0 5 * * 1' })).get('restock')).toBe('0 5 * * 1');
  });

  it('dry run reports counts, order lines and total cost, and writes nothing but its run record', async () => {
    const r = await runJob(restockJob, deps, new Metrics(), { dryRun: true });
    expect(r).toMatchObject({ status: 'success', dry_run: true, error: null });
    expect(r.counts).toEqual({
      skus: 5,
      order_lines: 4,
      units: 703,
      no_sales: 1,
      new_skus: 1,
      overstock: 0,
      no_vendor: 2,
    });
    const result = r.result as {
      total_cost: string;
      orders: { sku: string; qty: number }[];
      plan_id: unknown;
    };
    expect(result).toMatchObject({ week: '2026-W48', plan_id: null, csv_key: null, total_cost: '485.5470' });
    // most urgent first: C and E have nothing, B has 6 days, A 32.6
    expect(result.orders.map((o) => [o.sku, o.qty])).toEqual([
      ['SKU-C', 126],
      ['SKU-E', 215],
      ['SKU-B', 230],
      ['SKU-A', 132],
    ]);
    expect(await plans()).toEqual([]);
    expect(await lines()).toEqual([]);
    expect(await deps.store.stat('restock/DE/2026-W48.csv')).toBeUndefined();
    const runs = await tdb.db.pool.query('SELECT agent, dry_run, status FROM agent_runs');
    expect(runs.rows).toEqual([{ agent: 'restock', dry_run: true, status: 'success' }]);
  });

  it('stores the plan with hand-computed lines and its CSV', async () => {
    const r = await runJob(restockJob, deps, new Metrics());
    expect(r.status).toBe('success');
    const [plan] = await plans();
    expect(plan).toMatchObject({
      week: '2026-W48',
      run_id: r.run_id,
      total_units: 703,
      total_cost: '485.5470',
      csv_key: 'restock/DE/2026-W48.csv',
    });
    const byS = Object.fromEntries((await lines()).map((l) => [l.sku, l]));
    expect(Object.keys(byS)).toEqual(['SKU-A', 'SKU-B', 'SKU-C', 'SKU-D', 'SKU-E']);
    // A: d = 0.5·22/7 + 0.3·3 + 0.2·3 = 3.0714; L = 19 + 10; SS = 1.65·1·√36 = 9.9;
    // ROP = 36d + 9.9 = 120.47; S = ROP + 35d = 227.97; position 50 + 20 + 30 = 100 → 127.97 → 11 × 12
    expect(byS['SKU-A']).toMatchObject({
      vendor_name: 'Alpha Supply',
      vendor_sku: 'V1-A',
      demand: 3.0714,
      sigma: 1,
      lead_time_days: 29,
      safety_stock: '9.90',
      reorder_point: '120.47',
      order_up_to: '227.97',
      on_hand: 50,
      inbound: 20,
      on_order: 30,
      position: 100,
      qty: 132,
      case_pack: 12,
      unit_cost: '2.5000',
      line_cost: '330.0000',
      days_to_stockout: 32.6,
      overstock: false,
      history_days: 90,
      in_stock_days: 90,
    });
    // B: the 10 stock-out days are left out (d 5, σ 0); no vendor → L = transit 10; ROP 85, S 260
    expect(byS['SKU-B']).toMatchObject({
      demand: 5,
      sigma: 0,
      in_stock_days: 80,
      lead_time_days: 10,
      reorder_point: '85.00',
      order_up_to: '260.00',
      on_hand: 30,
      qty: 230,
      unit_cost: null,
      line_cost: null,
    });
    expect(byS['SKU-B'].reason).toContain('10 stock-out days left out');
    expect(byS['SKU-B'].reason).toContain('no vendor offer');
    // C (settlements, days without a line are 0): avg7 12/7, avg30 = avg90 = 2 → d = 13/7; σ = 2√2;
    // L = 4 + 10; SS = 1.65·2√2·√21 = 21.39; ROP = 39 + 21.39; S = ROP + 65 = 125.39 → 126
    expect(byS['SKU-C']).toMatchObject({
      demand: 1.8571,
      sigma: 2.8284,
      lead_time_days: 14,
      safety_stock: '21.39',
      reorder_point: '60.39',
      order_up_to: '125.39',
      qty: 126,
      moq: 10,
      line_cost: '155.5470',
    });
    expect(byS['SKU-D']).toMatchObject({
      demand: 0,
      qty: 0,
      moq: 50,
      line_cost: '0.0000',
      days_to_stockout: null,
    });
    expect(byS['SKU-D'].reason).toBe('no sales in the last 90 days: nothing to order');
    // E: 4 days of history, avg 4, σ 1; ROP = 4·17 + 1.65·√17 = 74.80; S = 214.80 → 215
    expect(byS['SKU-E']).toMatchObject({
      demand: 4,
      sigma: 1,
      history_days: 4,
      reorder_point: '74.80',
      qty: 215,
    });
    expect(byS['SKU-E'].reason).toContain('new SKU: demand from only 4 days of history');

    const csv = await text(await deps.store.get('restock/DE/2026-W48.csv'));
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'sku,asin,vendor_id,vendor_name,vendor_sku,qty,case_pack,moq,unit_cost,line_cost,demand,sigma,' +
        'lead_time_days,safety_stock,reorder_point,order_up_to,on_hand,inbound,on_order,position,' +
        'days_of_cover,days_to_stockout,overstock,reason',
    );
    expect(rows.map((l) => l.split(',')[0])).toEqual(['sku', 'SKU-C', 'SKU-E', 'SKU-B', 'SKU-A', 'SKU-D']);
    expect(rows[4]).toMatch(
      /^SKU-A,B0000000A1,\d+,Alpha Supply,V1-A,132,12,0,2\.5000,330\.0000,3\.0714,1\.0000,29,9\.90,120\.47,227\.97,50,20,30,100,22\.8,32\.6,false,"order 132 \(11 cases of 12\): position 100 ≤ reorder point 120\.5, up to 228; /,
    );
  });

  it('re-running in the same week replaces that week’s plan, counting only open orders', async () => {
    const before = await plans();
    await tdb.db.pool.query(`UPDATE purchase_orders SET status = 'cancelled' WHERE id = $1`, [poId]);
    const r = await runJob(restockJob, deps, new Metrics());
    const after = await plans();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before[0].id, run_id: r.run_id });
    const a = (await lines()).find((l) => l.sku === 'SKU-A');
    // position 70: 227.97 − 70 = 157.97 → 158 → 14 cases of 12 = 168
    expect(a).toMatchObject({ on_order: 0, position: 70, qty: 168, line_cost: '420.0000' });
    expect(await tdb.db.pool.query('SELECT count(*)::int AS n FROM restock_plan_lines')).toMatchObject({
      rows: [{ n: 5 }],
    });
    const csv = await text(await deps.store.get('restock/DE/2026-W48.csv'));
    expect(csv).toContain('SKU-A,B0000000A1');
    expect(csv).toContain(',168,12,0,2.5000,420.0000,');
  });

  it('refuses --asins: a partial plan would replace the whole week', async () => {
    const r = await runJob(restockJob, deps, new Metrics(), { data: { asins: ['B0000000A1'] } });
    expect(r).toMatchObject({ status: 'failed', retryable: false });
    expect(r.error).toContain('--asins is not supported');
  });

  it('writes the CSV to S3 storage', async () => {
    const s3 = await startS3rver();
    const store = new S3ObjectStore({ ...s3, ...S3RVER_CREDS, region: 'us-east-1', forcePathStyle: true });
    try {
      const r = await runJob(restockJob, { ...deps, store }, new Metrics());
      expect(r.status).toBe('success');
      const csv = await text(await store.get('restock/DE/2026-W48.csv'));
      expect(csv.split('\r\n')[1]).toMatch(
        /^SKU-C,B0000000C1,\d+,Alpha Supply,V1-C,126,1,10,1\.2345,155\.5470,/,
      );
    } finally {
      store.destroy();
      await s3.stop();
    }
  });
});
