import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roiSettingsFrom, updateRoi } from '../../src/domains/roi/roi.service.ts';
import {
  insertFxRate,
  insertListing,
  insertSellerSku,
  insertVendor,
  insertVendorPrice,
} from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let viewer: string;
let ops: string;
let alpha: number;
let beta: number;

async function call(method: 'GET' | 'POST', url: string, opts: { auth?: string; body?: unknown } = {}) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: opts.auth ?? ops },
    payload: opts.body as object | undefined,
  });
  return { status: res.statusCode, body: res.json() };
}
const count = async (table: string) =>
  (await t.tdb.db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
const order = (over: Record<string, unknown> = {}) => ({
  vendor_id: alpha,
  reference: 'PO-2026-001',
  expected_at: '2026-12-15',
  lines: [
    { sku: 'SKU-1', asin: 'B000000001', qty: 24, unit_cost: '2.3333' },
    { sku: 'SKU-2', qty: 10, unit_cost: 1.5 },
  ],
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  viewer = await t.bearer('viewer');
  ops = await t.bearer('ops', 'olga');
  alpha = (await insertVendor(t.tdb.db, { name: 'Alpha GmbH' })).id;
  beta = (await insertVendor(t.tdb.db, { name: 'Beta Ltd' })).id;
});
afterAll(async () => {
  await t?.close();
});

describe('POST /purchase-orders', () => {
  it('is for ops: a viewer gets 403 and nothing is stored', async () => {
    const r = await call('POST', '/purchase-orders', { auth: viewer, body: order() });
    expect(r.status).toBe(403);
    expect(await count('purchase_orders')).toBe(0);
  });

  it('dry run validates and answers the order without storing it', async () => {
    const r = await call('POST', '/purchase-orders', { body: order({ dry_run: true }) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dry_run: true, id: null, status: 'open', vendor_name: 'Alpha GmbH' });
    expect(r.body.lines).toHaveLength(2);
    expect(await count('purchase_orders')).toBe(0);
    expect(await count('purchase_order_lines')).toBe(0);
  });

  it('creates an open order with exact unit costs', async () => {
    const r = await call('POST', '/purchase-orders', { body: order() });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      dry_run: false,
      vendor_id: alpha,
      marketplace: 'DE',
      status: 'open',
      reference: 'PO-2026-001',
      expected_at: '2026-12-15',
      created_by: 'olga',
      lines: [
        { sku: 'SKU-1', asin: 'B000000001', qty: 24, unit_cost: '2.3333', received_qty: 0 },
        { sku: 'SKU-2', asin: null, qty: 10, unit_cost: '1.5000', received_qty: 0 },
      ],
    });
    expect(r.body.id).toBeGreaterThan(0);
  });

  it('400 with details for a bad order, and nothing is stored', async () => {
    const before = await count('purchase_orders');
    const cases: [unknown, string][] = [
      [order({ vendor_id: 999999 }), 'vendor_id'],
      [order({ lines: [] }), 'lines'],
      [order({ lines: [{ sku: 'X', qty: 0 }] }), 'qty'],
      [order({ lines: [{ sku: 'X', qty: 1.5 }] }), 'qty'],
      [order({ lines: [{ sku: 'X', qty: -3 }] }), 'qty'],
      [
        order({
          lines: [
            { sku: 'X', qty: 1 },
            { sku: 'X', qty: 2 },
          ],
        }),
        'appears more than once',
      ],
      [order({ lines: [{ sku: 'X', qty: 1, unit_cost: 'abc' }] }), 'unit_cost'],
      [order({ lines: [{ sku: 'X', qty: 1, unit_cost: '1.23456' }] }), 'unit_cost'],
      [order({ colour: 'red' }), 'additional properties'],
      [order({ expected_at: 'next week' }), 'expected_at'],
      [{ lines: order().lines }, 'vendor_id'],
    ];
    for (const [body, hint] of cases) {
      const r = await call('POST', '/purchase-orders', { body });
      expect(r.status, hint).toBe(400);
      expect(r.body.error.code, hint).toBe('invalid');
      expect(JSON.stringify(r.body.error), hint).toContain(hint);
      expect(r.body.error.request_id, hint).toBeTruthy();
    }
    expect(await count('purchase_orders')).toBe(before);
  });
});

describe('receiving and cancelling', () => {
  let id: number;
  beforeAll(async () => {
    id = (await call('POST', '/purchase-orders', { body: order({ reference: 'PO-R' }) })).body.id;
  });

  it('a partial receipt keeps the order open; receiving the rest closes it', async () => {
    const dry = await call('POST', `/purchase-orders/${id}/receive`, {
      body: { lines: [{ sku: 'SKU-1', qty: 10 }], dry_run: true },
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, status: 'open' });
    expect((await call('GET', `/purchase-orders/${id}`)).body.lines[0].received_qty).toBe(0);

    const part = await call('POST', `/purchase-orders/${id}/receive`, {
      body: { lines: [{ sku: 'SKU-1', qty: 10 }] },
    });
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({
      status: 'open',
      received_at: null,
      lines: [
        { sku: 'SKU-1', qty: 24, received_qty: 10 },
        { sku: 'SKU-2', qty: 10, received_qty: 0 },
      ],
    });
    // more than outstanding (14), a SKU not on the order, a repeated SKU: 400, nothing changes
    for (const lines of [
      [{ sku: 'SKU-1', qty: 15 }],
      [{ sku: 'NOPE', qty: 1 }],
      [
        { sku: 'SKU-2', qty: 1 },
        { sku: 'SKU-2', qty: 1 },
      ],
      [{ sku: 'SKU-2', qty: 0 }],
    ]) {
      const r = await call('POST', `/purchase-orders/${id}/receive`, { body: { lines } });
      expect(r.status, JSON.stringify(lines)).toBe(400);
    }
    expect(
      (await call('GET', `/purchase-orders/${id}`)).body.lines.map(
        (l: { received_qty: number }) => l.received_qty,
      ),
    ).toEqual([10, 0]);

    const rest = await call('POST', `/purchase-orders/${id}/receive`, { body: {} });
    expect(rest.status).toBe(200);
    expect(rest.body.received).toEqual([
      { sku: 'SKU-1', qty: 14 },
      { sku: 'SKU-2', qty: 10 },
    ]);
    expect(rest.body).toMatchObject({
      status: 'received',
      lines: [{ received_qty: 24 }, { received_qty: 10 }],
    });
    expect(rest.body.received_at).not.toBeNull();
  });

  it('409 for transitions out of received or cancelled', async () => {
    const again = await call('POST', `/purchase-orders/${id}/receive`, { body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('it is received'),
    });
    expect((await call('POST', `/purchase-orders/${id}/cancel`)).status).toBe(409);
  });

  it('cancels an open order (dry run first), then refuses to cancel or receive it again', async () => {
    const other = (await call('POST', '/purchase-orders', { body: order({ vendor_id: beta }) })).body.id;
    const dry = await call('POST', `/purchase-orders/${other}/cancel`, { body: { dry_run: true } });
    expect(dry.body).toMatchObject({ dry_run: true, status: 'cancelled' });
    expect((await call('GET', `/purchase-orders/${other}`)).body.status).toBe('open');
    const r = await call('POST', `/purchase-orders/${other}/cancel`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'cancelled' });
    expect(r.body.cancelled_at).not.toBeNull();
    expect((await call('POST', `/purchase-orders/${other}/cancel`)).status).toBe(409);
    expect((await call('POST', `/purchase-orders/${other}/receive`, { body: {} })).status).toBe(409);
    expect((await call('POST', `/purchase-orders/${other}/cancel`, { body: { force: true } })).status).toBe(
      400,
    );
  });

  it('404 for an unknown order, 400 for a malformed id, 403 for a viewer', async () => {
    expect((await call('POST', '/purchase-orders/999999/receive', { body: {} })).status).toBe(404);
    expect((await call('POST', '/purchase-orders/999999/cancel')).status).toBe(404);
    expect((await call('GET', '/purchase-orders/999999')).status).toBe(404);
    expect((await call('GET', '/purchase-orders/abc')).status).toBe(400);
    expect((await call('POST', `/purchase-orders/${id}/cancel`, { auth: viewer })).status).toBe(403);
  });
});

describe('GET /purchase-orders', () => {
  it('lists newest first, filters by status and vendor, pages, and refuses unknown parameters', async () => {
    const all = await call('GET', '/purchase-orders', { auth: viewer });
    expect(all.status).toBe(200);
    // created in this file: PO-2026-001 (alpha, open), PO-R (alpha, received), beta's (cancelled)
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((p: { status: string }) => p.status)).toEqual([
      'cancelled',
      'received',
      'open',
    ]);
    expect(all.body.items[2]).toMatchObject({
      line_count: 2,
      units: 34,
      received_units: 0,
      total_cost: '70.9992',
    });

    const open = await call('GET', '/purchase-orders?status=open', { auth: viewer });
    expect(open.body.items.map((p: { reference: string }) => p.reference)).toEqual(['PO-2026-001']);
    const byBeta = await call('GET', `/purchase-orders?vendor_id=${beta}`, { auth: viewer });
    expect(byBeta.body).toMatchObject({
      total: 1,
      items: [{ vendor_name: 'Beta Ltd', status: 'cancelled' }],
    });

    const page2 = await call('GET', '/purchase-orders?page_size=1&page=2', { auth: viewer });
    expect(page2.body).toMatchObject({ total: 3, page: 2, page_size: 1, items: [{ status: 'received' }] });

    for (const q of ['page_size=201', 'status=lost', 'vendor=1', 'page=0']) {
      const r = await call('GET', `/purchase-orders?${q}`, { auth: viewer });
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe('invalid');
    }
  });
});

// last: its order would change the counts the listing tests above expect
describe('POST /purchase-orders without ASIN or cost', () => {
  it("fills a line's ASIN from the listing and its cost from this vendor's offer", async () => {
    const { asin } = await insertListing(t.tdb.db);
    await insertSellerSku(t.tdb.db, { sku: 'SKU-FILL', asin });
    await insertVendorPrice(t.tdb.db, { vendor_id: beta, asin, cost: '4.20' }); // the other vendor
    await insertVendorPrice(t.tdb.db, { vendor_id: alpha, asin, cost: '3.75' });
    await updateRoi(t.tdb.db, { settings: roiSettingsFrom(t.deps.config) });
    const r = await call('POST', '/purchase-orders', {
      body: {
        vendor_id: alpha,
        lines: [
          { sku: 'SKU-FILL', qty: 6 },
          { sku: 'SKU-NONE', qty: 1 },
        ],
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.lines).toEqual([
      { sku: 'SKU-FILL', asin, qty: 6, unit_cost: '3.7500', received_qty: 0 },
      { sku: 'SKU-NONE', asin: null, qty: 1, unit_cost: null, received_qty: 0 },
    ]);
  });
});

describe('money in both currencies, CSV and audit', () => {
  let gbp: number;
  let po: number;

  beforeAll(async () => {
    gbp = (await insertVendor(t.tdb.db, { name: 'Gamma UK', currency: 'GBP', country: 'GB' })).id;
    await insertFxRate(t.tdb.db, { currency: 'GBP', rate: '1.10', as_of: '2026-11-01' });
    await insertFxRate(t.tdb.db, { currency: 'GBP', rate: '1.25', as_of: '2026-11-20' });
    const r = await call('POST', '/purchase-orders', {
      body: {
        vendor_id: gbp,
        reference: 'GB-7',
        lines: [
          { sku: 'UK-1', qty: 12, unit_cost: '2.5000' },
          { sku: 'UK-2', qty: 3 },
        ],
      },
    });
    po = r.body.id;
  });

  it("answers lines and totals in the marketplace's and the vendor's currency, at the latest rate", async () => {
    const r = await call('GET', `/purchase-orders/${po}`, { auth: viewer });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      vendor_currency: 'GBP',
      currency: 'EUR',
      fx_rate: '1.25000000',
      fx_as_of: '2026-11-20',
      units: 15,
      received_units: 0,
      total_cost: '30.0000',
      total_cost_vendor: '24.0000', // 30 € ÷ 1.25
      received_cost: '0.0000',
      lines_without_cost: 1,
      lines: [
        {
          sku: 'UK-1',
          unit_cost: '2.5000',
          line_cost: '30.0000',
          unit_cost_vendor: '2.0000',
          line_cost_vendor: '24.0000',
        },
        { sku: 'UK-2', unit_cost: null, line_cost: null, unit_cost_vendor: null, line_cost_vendor: null },
      ],
    });
    const eur = (await call('GET', `/purchase-orders?vendor_id=${alpha}&page_size=1`)).body.items[0].id;
    expect((await call('GET', `/purchase-orders/${eur}`)).body).toMatchObject({
      vendor_currency: 'EUR',
      fx_rate: '1',
      fx_as_of: null,
    });
  });

  it('downloads the filtered list as CSV, formula-safe', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/purchase-orders.csv?vendor_id=${gbp}`,
      headers: { authorization: viewer },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="awa-purchase-orders-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const rows = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toMatch(/^id,reference,vendor_id,vendor_name,marketplace,status,lines,units,/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(new RegExp(`^${po},GB-7,${gbp},Gamma UK,DE,open,2,15,0,30.0000,EUR,`));
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/purchase-orders.csv?status=lost',
      headers: { authorization: viewer },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('records receiving and cancelling in the audit log; a dry run records no event', async () => {
    await call('POST', `/purchase-orders/${po}/receive`, {
      body: { lines: [{ sku: 'UK-1', qty: 5 }], dry_run: true },
    });
    await call('POST', `/purchase-orders/${po}/receive`, { body: { lines: [{ sku: 'UK-1', qty: 5 }] } });
    await call('POST', `/purchase-orders/${po}/cancel`);
    await new Promise((r) => setTimeout(r, 1300)); // the writer flushes every second
    const { rows } = await t.tdb.db.pool.query(
      `SELECT event, details FROM audit_log WHERE event LIKE 'purchase_order%' AND details->>'id' = $1 ORDER BY id`,
      [String(po)],
    );
    expect(rows.map((r) => r.event)).toEqual([
      'purchase_order_created',
      'purchase_order_received',
      'purchase_order_cancelled',
    ]);
    expect(rows[1].details).toMatchObject({ received: [{ sku: 'UK-1', qty: 5 }], status: 'open' });
  });
});
