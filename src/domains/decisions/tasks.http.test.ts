import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertVendor } from '../../../test/factories/index.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Clock } from '../../platform/clock.ts';
import { evaluate } from './engine.service.ts';

/**
 * The inbox over HTTP: the list with its filters and default order, a task with its events, person
 * moves (409 for one the state forbids, 400 for a bad snooze), bulk moves answered per item,
 * assignment, roles, thresholds (admin, all or none) and acting on a reorder task through the
 * purchase-order service (dry run first).
 */
const now = new Date('2031-05-04T08:00:00Z');
const clock: Clock = { now: () => new Date(now) };
const DAY = 86_400_000;
let t: TestApp;
let viewer: string;
let ops: string;
let admin: string;
let vendorId: number;

async function call(method: 'GET' | 'POST' | 'PUT', url: string, auth: string, body?: unknown) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: auth },
    payload: body as object | undefined,
  });
  return { status: res.statusCode, body: res.json() };
}

async function seed() {
  const pool = t.tdb.db.pool;
  const v = await insertVendor(pool, { name: 'Baltic Goods', lead_time_days: 20 });
  vendorId = v.id;
  // a plan ordering two SKUs from the vendor, one of which runs out before a reorder arrives: critical
  const { rows } = await pool.query(
    `INSERT INTO restock_plans (marketplace, week, params, counts, currency, csv_key, created_at, updated_at)
     VALUES ('DE', '2031-W18', '{}', '{}', 'EUR', 'restock/2031-W18.csv', $1, $1) RETURNING id`,
    [now],
  );
  const line = (sku: string, qty: number, stockout: number) => [rows[0].id, sku, vendorId, qty, stockout];
  for (const l of [line('BG-1', 24, 12), line('BG-2', 12, 40)]) {
    await pool.query(
      `INSERT INTO restock_plan_lines (plan_id, sku, asin, vendor_id, vendor_name, demand, sigma, lead_time_days,
         safety_stock, reorder_point, order_up_to, on_hand, inbound, on_order, position, qty, case_pack, moq,
         unit_cost, line_cost, days_of_cover, days_to_stockout, overstock, history_days, in_stock_days, reason)
       VALUES ($1, $2, NULL, $3, 'Baltic Goods', 2, 1, 30, 5, 60, 90, 10, 0, 0, 10, $4::int, 12, 0, 4.5, $4::int * 4.5,
               $5, $5, false, 90, 90, 'position at or below the reorder point')`,
      l,
    );
  }
  // an agent whose last run failed
  await pool.query(
    `INSERT INTO agent_runs (agent, status, error, started_at, finished_at) VALUES ('keepa', 'failed', 'HTTP 500 from Keepa', $1, $1)`,
    [new Date(now.getTime() - 3_600_000)],
  );
  await evaluate({ db: t.tdb.db, clock });
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  [viewer, ops, admin] = [await t.bearer('viewer'), await t.bearer('ops'), await t.bearer('admin')];
  await seed();
});
afterAll(async () => {
  await t?.close();
});

describe('GET /tasks', () => {
  it('lists open tasks most severe first, with why and links, and filters them', async () => {
    const r = await call('GET', '/tasks', viewer);
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(2);
    expect(r.body.items.map((i: { type: string; severity: string }) => [i.type, i.severity])).toEqual([
      ['reorder', 'critical'], // overdue: the last day to order was 18 days ago
      ['agent_failed', 'critical'],
    ]);
    const reorder = r.body.items[0];
    expect(reorder).toMatchObject({
      state: 'open',
      title: 'Reorder 2 SKUs from Baltic Goods (36 units)',
      links: { vendor_id: vendorId },
      vendor_id: vendorId,
      why: [
        expect.objectContaining({ code: 'reorder_point', value: 2 }),
        expect.objectContaining({ code: 'stockout_before_arrival', value: 1 }),
      ],
    });
    // due: the last day to order the first line in time (stock-out in 12 days, lead time 30)
    expect(new Date(reorder.due).getTime()).toBe(now.getTime() - 18 * DAY);

    const filtered = await call('GET', `/tasks?type=reorder&vendor_id=${vendorId}`, viewer);
    expect(filtered.body.items.map((i: { type: string }) => i.type)).toEqual(['reorder']);
    expect((await call('GET', '/tasks?severity=info', viewer)).body.total).toBe(0);
    expect((await call('GET', '/tasks?state=bogus', viewer)).status).toBe(400);
    expect((await call('GET', '/tasks/counts', viewer)).body).toEqual({
      open: 2,
      by_severity: { critical: 2 },
      by_type: { agent_failed: 1, reorder: 1 },
    });
  });
});

describe('task moves', () => {
  it('snoozes, refuses a move the state forbids (409) and a snooze without a future time (400)', async () => {
    const list = await call('GET', '/tasks?type=agent_failed', viewer);
    const id = list.body.items[0].id;
    expect((await call('POST', `/tasks/${id}/transition`, viewer, { to: 'done' })).status).toBe(403);
    expect((await call('POST', `/tasks/${id}/transition`, ops, { to: 'snoozed' })).status).toBe(400);
    const past = new Date(now.getTime() - DAY).toISOString();
    expect((await call('POST', `/tasks/${id}/transition`, ops, { to: 'snoozed', until: past })).status).toBe(
      400,
    );
    const until = new Date(now.getTime() + DAY).toISOString();
    const s = await call('POST', `/tasks/${id}/transition`, ops, {
      to: 'snoozed',
      until,
      note: 'Keepa is down',
    });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ state: 'snoozed', snoozed_until: until });
    const open = await call('POST', `/tasks/${id}/transition`, ops, { to: 'open' });
    expect(open.body.state).toBe('open');
    // a preset from the web app: hours on the server's clock, not a time from the browser's
    const preset = await call('POST', `/tasks/${id}/transition`, ops, { to: 'snoozed', for_hours: 48 });
    expect(preset.body.snoozed_until).toBe(new Date(now.getTime() + 2 * DAY).toISOString());
    const both = await call('POST', `/tasks/${id}/transition`, ops, { to: 'snoozed', until, for_hours: 1 });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe('snoozing needs "until" or "for_hours", one of them');
    expect((await call('POST', `/tasks/${id}/transition`, ops, { to: 'open' })).body.state).toBe('open');
    // the engine resolves it once a run succeeds; a resolved task cannot be moved
    await t.tdb.db.pool.query(
      `INSERT INTO agent_runs (agent, status, started_at, finished_at) VALUES ('keepa', 'success', $1, $1)`,
      [now],
    );
    await evaluate({ db: t.tdb.db, clock }, { types: ['agent_failed'] });
    const moved = await call('POST', `/tasks/${id}/transition`, ops, { to: 'done' });
    expect(moved.status).toBe(409);
    expect(moved.body.error.message).toContain('is resolved');

    const detail = await call('GET', `/tasks/${id}`, viewer);
    expect(detail.body.events.map((e: { kind: string; actor: string }) => [e.kind, e.actor])).toEqual([
      ['created', 'engine'],
      ['transition', expect.stringContaining('ops')],
      ['transition', expect.stringContaining('ops')],
      ['transition', expect.stringContaining('ops')],
      ['transition', expect.stringContaining('ops')],
      ['resolved', 'engine'],
    ]);
    expect(detail.body.events[1]).toMatchObject({
      note: 'Keepa is down',
      before: { state: 'open' },
      after: { state: 'snoozed' },
    });
    expect((await call('GET', '/tasks/999999', viewer)).status).toBe(404);
  });

  it('moves many tasks, answering each on its own', async () => {
    const reorder = (await call('GET', '/tasks?type=reorder', viewer)).body.items[0];
    const resolved = (await call('GET', '/tasks?state=resolved', viewer)).body.items[0];
    const r = await call('POST', '/tasks/transition', ops, {
      ids: [reorder.id, resolved.id, 424242],
      to: 'dismissed',
    });
    expect(r.status).toBe(200);
    expect(r.body.moved).toBe(1);
    expect(r.body.items).toEqual([
      { id: reorder.id, ok: true, state: 'dismissed' },
      { id: resolved.id, ok: false, error: expect.objectContaining({ code: 'conflict' }) },
      { id: 424242, ok: false, error: expect.objectContaining({ code: 'not_found' }) },
    ]);
    expect((await call('POST', `/tasks/${reorder.id}/transition`, ops, { to: 'open' })).body.state).toBe(
      'open',
    );
  });

  it('assigns a task and records it', async () => {
    const reorder = (await call('GET', '/tasks?type=reorder', viewer)).body.items[0];
    const a = await call('POST', `/tasks/${reorder.id}/assign`, ops, { assignee: 'mia@example.com' });
    expect(a.body.assignee).toBe('mia@example.com');
    expect((await call('GET', '/tasks?assignee=mia@example.com', viewer)).body.total).toBe(1);
    const ev = (await call('GET', `/tasks/${reorder.id}`, viewer)).body.events.at(-1);
    expect(ev).toMatchObject({
      kind: 'assigned',
      before: { assignee: null },
      after: { assignee: 'mia@example.com' },
    });
  });
});

describe('acting on a task', () => {
  it('places the purchase order from a reorder task (dry run first) and closes the task', async () => {
    const reorder = (await call('GET', '/tasks?type=reorder', viewer)).body.items[0];
    const dry = await call('POST', `/tasks/${reorder.id}/act`, ops, { dry_run: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, action: { kind: 'create_po' }, task: { state: 'open' } });
    expect(dry.body.result).toMatchObject({ dry_run: true, id: null, vendor_id: vendorId });
    expect((await t.tdb.db.pool.query('SELECT count(*)::int AS n FROM purchase_orders')).rows[0].n).toBe(0);

    const real = await call('POST', `/tasks/${reorder.id}/act`, ops, {});
    expect(real.status).toBe(200);
    expect(real.body.task.state).toBe('done');
    const po = await t.tdb.db.pool.query(
      `SELECT po.vendor_id::int, po.note, array_agg(l.sku || ':' || l.qty ORDER BY l.sku) AS lines
       FROM purchase_orders po JOIN purchase_order_lines l ON l.po_id = po.id GROUP BY po.id`,
    );
    expect(po.rows).toEqual([
      { vendor_id: vendorId, note: `from task #${reorder.id}`, lines: ['BG-1:24', 'BG-2:12'] },
    ]);
    const events = (await call('GET', `/tasks/${reorder.id}`, viewer)).body.events;
    expect(events.slice(-2).map((e: { kind: string }) => e.kind)).toEqual(['acted', 'transition']);
    // acted on: the order covers the lines, so the next evaluation raises nothing new
    expect(await evaluate({ db: t.tdb.db, clock }, { types: ['reorder'] })).toMatchObject({ created: 0 });
    expect((await call('POST', `/tasks/${reorder.id}/act`, ops, {})).status).toBe(409);
  });
});

describe('thresholds', () => {
  it('lists defaults and lets an admin change them, all or none', async () => {
    const list = await call('GET', '/tasks/thresholds', viewer);
    expect(list.body).toContainEqual(
      expect.objectContaining({
        key: 'roi_below_target.target_pct',
        value: 15,
        default: 15,
        updated_by: null,
      }),
    );
    const body = { values: { 'roi_below_target.target_pct': 12, 'returns_spike.min_returns': 2.5 } };
    expect((await call('PUT', '/tasks/thresholds', ops, body)).status).toBe(403);
    const bad = await call('PUT', '/tasks/thresholds', admin, body);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { field: 'returns_spike.min_returns', message: '2.5 is not a whole number' },
    ]);
    expect(
      (await call('GET', '/tasks/thresholds', viewer)).body.find(
        (x: { key: string }) => x.key === 'roi_below_target.target_pct',
      ).value,
    ).toBe(15);
    const ok = await call('PUT', '/tasks/thresholds', admin, {
      values: { 'roi_below_target.target_pct': 12, nope: 1 },
    });
    expect(ok.status).toBe(400);
    const set = await call('PUT', '/tasks/thresholds', admin, {
      values: { 'roi_below_target.target_pct': 12 },
    });
    expect(set.body.find((x: { key: string }) => x.key === 'roi_below_target.target_pct')).toMatchObject({
      value: 12,
      updated_by: expect.any(String),
    });
    const reset = await call('PUT', '/tasks/thresholds', admin, {
      values: { 'roi_below_target.target_pct': null },
    });
    expect(reset.body.find((x: { key: string }) => x.key === 'roi_below_target.target_pct').value).toBe(15);
  });
});
