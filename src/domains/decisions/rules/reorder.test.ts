import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertPurchaseOrder, insertRestockPlan, insertVendor } from '../../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import type { Clock } from '../../../platform/clock.ts';
import { evaluate } from '../engine.service.ts';
import { getTask } from '../tasks.service.ts';

// reorder: one task per vendor with the newest restock plan's order lines, less what purchase
// orders placed since the plan cover.

const DAY = 86_400_000;
let tdb: TestDatabase;
let now = new Date('2031-07-20T12:00:00Z');
const clock: Clock = { now: () => new Date(now) };
const deps = () => ({ db: tdb.db, clock });
const at = (days: number) => new Date(now.getTime() + days * DAY);
const reorder = { types: ['reorder'] as const };

const tasks = async () =>
  (
    await tdb.db.pool.query(
      `SELECT id::int, state, severity, title, vendor_id::int FROM tasks WHERE type = 'reorder' ORDER BY id`,
    )
  ).rows;

/** An open purchase order placed `days` from now (the factory stamps the real time). */
async function purchaseOrder(
  vendorId: number,
  skus: string[],
  days: number,
  status: 'open' | 'cancelled' = 'open',
): Promise<void> {
  const po = await insertPurchaseOrder(tdb.db, {
    vendor_id: vendorId,
    status,
    lines: skus.map((sku) => ({ sku, qty: 10 })),
  });
  await tdb.db.pool.query('UPDATE purchase_orders SET created_at = $2 WHERE id = $1', [po.id, at(days)]);
}

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE tasks, task_events, restock_plans, purchase_orders, vendors CASCADE');
  now = new Date('2031-07-20T12:00:00Z');
});

describe('reorder', () => {
  it('raises one task per vendor with a create_po action, critical when a line runs out within its lead time', async () => {
    const nordic = await insertVendor(tdb.db, { name: 'Nordic Toys' });
    const alpine = await insertVendor(tdb.db, { name: 'Alpine Games' });
    const plan = await insertRestockPlan(tdb.db, {
      updated_at: at(-1),
      lines: [
        {
          sku: 'A-1',
          asin: 'B000000A01',
          vendor_id: nordic.id,
          vendor_name: 'Nordic Toys',
          qty: 24,
          days_to_stockout: 30,
        },
        { sku: 'A-2', vendor_id: nordic.id, vendor_name: 'Nordic Toys', qty: 12, days_to_stockout: 40 },
        // nothing to order, and a SKU without a vendor offer: no line
        { sku: 'A-3', vendor_id: nordic.id, vendor_name: 'Nordic Toys', qty: 0, days_to_stockout: 5 },
        { sku: 'X-1', vendor_id: null, qty: 5, days_to_stockout: 3 },
        // 14 days' lead time, out of stock in 10: critical
        {
          sku: 'B-1',
          vendor_id: alpine.id,
          vendor_name: 'Alpine Games',
          qty: 6,
          days_to_stockout: 10,
          unit_cost: '4.5000',
        },
      ],
    });

    expect(await evaluate(deps(), reorder)).toMatchObject({ created: 2 });
    const [a, b] = await tasks();
    // the critical one first
    expect(b).toMatchObject({
      vendor_id: nordic.id,
      severity: 'warning',
      title: 'Reorder 2 SKUs from Nordic Toys (36 units)',
    });
    expect(a).toMatchObject({
      vendor_id: alpine.id,
      severity: 'critical',
      title: 'Reorder 1 SKU from Alpine Games (6 units)',
    });

    const task = await getTask(deps(), b.id);
    expect(task).toMatchObject({
      dedup_key: `reorder:DE:${nordic.id}`,
      marketplace: 'DE',
      links: { vendor_id: nordic.id, plan_id: plan.id },
      action: {
        default: {
          kind: 'create_po',
          label: 'Place the purchase order',
          params: {
            vendor_id: nordic.id,
            marketplace: 'DE',
            plan_id: plan.id,
            lines: [
              { sku: 'A-1', asin: 'B000000A01', qty: 24, unit_cost: 10 },
              { sku: 'A-2', asin: null, qty: 12, unit_cost: 10 },
            ],
          },
        },
        alternatives: [{ kind: 'open', params: { page: 'restock', plan_id: plan.id } }],
      },
      details: { units: 36, cost: 360, currency: 'EUR' },
    });
    expect((task.details as { lines: { sku: string }[] }).lines.map((l) => l.sku)).toEqual(['A-1', 'A-2']);
    expect(task.why).toEqual([
      {
        code: 'reorder_point',
        message: `2 at or below their reorder point, first stock-out ${at(29).toISOString().slice(0, 10)}`,
        metric: 'skus',
        value: 2,
        threshold: null,
      },
    ]);
    // due on the last day to order the first line in time: 30 days to stock-out less 14 days' lead
    expect(Date.parse(String(task.due))).toBe(at(-1 + 30 - 14).getTime());

    const critical = await getTask(deps(), a.id);
    expect(critical.why[1]).toEqual({
      code: 'stockout_before_arrival',
      message: '1 run out before a reorder could arrive',
      metric: 'skus_late',
      value: 1,
      threshold: 0,
    });

    expect(await evaluate(deps(), reorder)).toMatchObject({ created: 0, updated: 0, resolved: 0 });
  });

  it('raises nothing when the plan orders nothing', async () => {
    const v = await insertVendor(tdb.db);
    await insertRestockPlan(tdb.db, {
      updated_at: at(-1),
      lines: [{ sku: 'A-1', vendor_id: v.id, qty: 0, days_to_stockout: 60 }],
    });
    expect(await evaluate(deps(), reorder)).toMatchObject({ created: 0 });
  });

  it('turns critical once the last day to order in time has passed', async () => {
    const v = await insertVendor(tdb.db, { name: 'Nordic Toys' });
    await insertRestockPlan(tdb.db, {
      updated_at: at(-1),
      lines: [{ sku: 'A-1', vendor_id: v.id, qty: 24, days_to_stockout: 20, lead_time_days: 14 }],
    });
    await evaluate(deps(), reorder);
    expect((await tasks())[0]).toMatchObject({ severity: 'warning' });
    now = at(4); // 5 days after the plan: 15 days of stock left, 14 days' lead time
    expect(await evaluate(deps(), reorder)).toMatchObject({ escalated: 0 });
    now = at(2); // 7 days after: 13 days left
    expect(await evaluate(deps(), reorder)).toMatchObject({ updated: 1, escalated: 1 });
    expect((await tasks())[0]).toMatchObject({ severity: 'critical' });
  });

  it('drops the SKUs an open purchase order placed after the plan covers, and resolves when none are left', async () => {
    const v = await insertVendor(tdb.db, { name: 'Nordic Toys' });
    await insertRestockPlan(tdb.db, {
      updated_at: at(-2),
      lines: [
        { sku: 'A-1', vendor_id: v.id, qty: 24 },
        { sku: 'A-2', vendor_id: v.id, qty: 12 },
      ],
    });
    // before the plan, or cancelled: they do not count
    await purchaseOrder(v.id, ['A-1'], -3);
    await purchaseOrder(v.id, ['A-1'], -1, 'cancelled');
    await evaluate(deps(), reorder);
    const [task] = await tasks();
    expect(task.title).toBe('Reorder 2 SKUs from Nordic Toys (36 units)');

    await purchaseOrder(v.id, ['A-1'], -1);
    expect(await evaluate(deps(), reorder)).toMatchObject({ updated: 1, created: 0 });
    expect((await tasks())[0].title).toBe('Reorder 1 SKU from Nordic Toys (12 units)');

    await purchaseOrder(v.id, ['A-2'], -0.5);
    expect(await evaluate(deps(), reorder)).toMatchObject({ resolved: 1 });
    expect((await getTask(deps(), task.id)).state).toBe('resolved');
  });

  it('reads only the newest plan: a newer plan without the vendor resolves its task', async () => {
    const v = await insertVendor(tdb.db);
    await insertRestockPlan(tdb.db, {
      updated_at: at(-8),
      lines: [{ sku: 'A-1', vendor_id: v.id, qty: 24 }],
    });
    expect(await evaluate(deps(), reorder)).toMatchObject({ created: 1 });
    await insertRestockPlan(tdb.db, { updated_at: at(-1), lines: [{ sku: 'A-1', vendor_id: v.id, qty: 0 }] });
    expect(await evaluate(deps(), reorder)).toMatchObject({ resolved: 1, created: 0 });
  });
});
