import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { fixedClock } from '../../platform/clock.ts';
import { TASK_TYPES } from '../decisions/tasks.types.ts';
import { FAILED_AGENT, FAILED_AGENT_ERROR, OVERDUE_AGENT } from './agents.ts';
import { VENDORS } from './catalog.data.ts';
import { generateCatalog } from './catalog.gen.ts';
import { type DemoSummary, loadDemo } from './demo.service.ts';
import { earlierFeeRows, gapsOf } from './market.gen.ts';
import { DEMO_PO_REFERENCE, demoPurchaseOrder, demoRules } from './ops.ts';
import { previousCostCents, RAISING_VENDOR, STALE_LIST_DAYS_AGO, STALE_VENDOR } from './pricelists.gen.ts';
import { faultySku, salesHistory } from './sales.gen.ts';
import { settlementPeriods } from './settlement.gen.ts';
import { addDays, dayStart } from './units.ts';

// What the demo adds beyond the catalogue and reports (demo.service.test.ts): settlements whose
// refunds give ROI a returns allowance, repricer rules whose guards show in the dry run, an open
// purchase order the restock plan counts, and a decision inbox with a task of every type. Hand-computed
// from the generators where it can be.

// "now" is pinned for the file but real: the ROI view windows on the database's current_date
const NOW = new Date();
const catalog = generateCatalog();

let a: TestDatabase;
let first: DemoSummary;

beforeAll(async () => {
  a = await createTestDatabase();
  first = await loadDemo(testJobDeps(a, { clock: fixedClock(NOW) }));
}, 120_000);

afterAll(async () => {
  await a?.drop();
});

describe('awa demo: settlements, repricer rules, purchase orders', () => {
  it('settles the shipped units and refunds the returns, in balanced settlements', async () => {
    const sales = salesHistory(catalog, NOW);
    const periods = settlementPeriods(dayStart(NOW));
    const from = periods[0]!.start;
    const to = periods[periods.length - 1]!.end;
    const inside = (d: Date) => d >= from && d < to;
    const units = sales.days.filter((d) => inside(d.day)).reduce((n, d) => n + d.units, 0);
    const refunds = sales.returns.filter((r) => inside(r.at));
    const { rows } = await a.db.pool.query(
      `SELECT transaction_type AS type, amount_description AS what, count(*)::int AS n,
              coalesce(sum(quantity_purchased), 0)::int AS qty
       FROM settlement_lines_raw GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    // one unit per order: a Principal, a commission and a fulfilment fee each; refunds in kind
    expect(rows).toEqual([
      { type: 'Order', what: 'Commission', n: units, qty: units },
      { type: 'Order', what: 'FBAPerUnitFulfillmentFee', n: units, qty: units },
      { type: 'Order', what: 'Principal', n: units, qty: units },
      { type: 'Refund', what: 'Commission', n: refunds.length, qty: 0 },
      { type: 'Refund', what: 'Principal', n: refunds.length, qty: 0 },
      { type: 'Refund', what: 'RefundCommission', n: refunds.length, qty: 0 },
    ]);
    // a share of what shipped: the settlements still open (the last days) are not reported yet
    expect(units).toBeLessThan(first.counts.units_shipped);
    expect(units).toBeGreaterThan(first.counts.units_shipped * 0.7);
    // every refund is a return of the returns report: same order, same SKU
    const orphans = await a.db.pool.query(
      `SELECT s.order_id FROM settlement_lines_raw s
       WHERE s.transaction_type = 'Refund' AND NOT EXISTS (
         SELECT 1 FROM returns_raw r WHERE r.order_id = s.order_id AND r.sku = s.sku)`,
    );
    expect(orphans.rows).toEqual([]);
    // each settlement's total is the sum of its lines, to the cent
    const totals = await a.db.pool.query(
      `SELECT s.settlement_id, s.total_amount::text AS total, sum(l.amount)::text AS lines, s.currency
       FROM settlements s JOIN settlement_lines_raw l USING (settlement_id) GROUP BY s.settlement_id`,
    );
    expect(totals.rows).toHaveLength(periods.length);
    for (const t of totals.rows)
      expect({ total: t.total, currency: t.currency }).toEqual({ total: t.lines, currency: 'EUR' });
  });

  it('gives SKUs with refunded returns a returns allowance of a few %', async () => {
    const { rows } = await a.db.pool.query(
      `SELECT asin, price::float8, returns_allowance::float8 AS allowance FROM roi_offers WHERE best`,
    );
    const byAsin = new Map(rows.map((r) => [r.asin as string, r]));
    const withAllowance = rows.filter((r) => r.allowance > 0);
    expect(first.counts.roi_with_returns_allowance).toBeGreaterThanOrEqual(withAllowance.length);
    expect(withAllowance.length).toBeGreaterThan(100);
    const shares = withAllowance.map((r) => r.allowance / r.price).sort((x, y) => x - y);
    const median = shares[Math.floor(shares.length / 2)]!;
    expect(median).toBeGreaterThan(0.02);
    expect(median).toBeLessThan(0.08);
    // by hand for the busiest returned SKU without reimbursements: refunded prices over the 90-day
    // window ÷ units shipped in it (the view windows on current_date - 89)
    const reimbursed = new Set(
      (await a.db.pool.query('SELECT DISTINCT asin FROM reimbursements_raw')).rows.map((r) => r.asin),
    );
    const sales = salesHistory(catalog, NOW);
    const periods = settlementPeriods(dayStart(NOW));
    const since = addDays(dayStart(NOW), -89);
    const settled = (d: Date) => d >= since && d >= periods[0]!.start && d < periods[periods.length - 1]!.end;
    const counted = new Map<string, number>();
    for (const r of sales.returns) if (settled(r.at)) counted.set(r.sku, (counted.get(r.sku) ?? 0) + 1);
    const [sku] = [...counted]
      .filter(([k]) => !reimbursed.has(catalog.listings.find((l) => l.sku === k)!.asin))
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]!;
    const listing = catalog.listings.find((l) => l.sku === sku)!;
    const units = sales.days.filter((d) => d.sku === sku && d.day >= since).reduce((n, d) => n + d.units, 0);
    // refunds are gross; the VAT on them is reclaimed by the (registered) demo seller
    const refundedCents = (counted.get(sku)! * listing.priceCents) / 1.19;
    const expected = Math.round((refundedCents / units) * 100) / 10_000; // €, 4 places
    expect(byAsin.get(listing.asin)!.allowance).toBeCloseTo(expected, 4);
    expect(expected).toBeGreaterThan(0);
  });

  it('sets up repricer rules whose guards show in the dry run: MAP, ceiling, hold', async () => {
    const { mapBrand, rules } = demoRules(catalog);
    const stored = await a.db.pool.query(
      `SELECT sku, map_price::text, max_price::text, strategy, updated_by FROM repricer_rules ORDER BY sku`,
    );
    expect(stored.rows).toHaveLength(rules.length);
    expect(stored.rows.every((r) => r.updated_by === 'demo')).toBe(true);
    expect(first.map_brand).toBe(mapBrand);
    const { rows } = await a.db.pool.query(
      `SELECT l.sku, l.strategy, l.guards, l.changed, l.old_price::text, l.final_price::text, l.mode,
              r.map_price::text AS map, r.max_price::text AS max
       FROM repricer_log l JOIN repricer_rules r USING (marketplace, sku) ORDER BY l.sku`,
    );
    expect(rows).toHaveLength(rules.length);
    expect(rows.every((r) => r.mode === 'dry_run')).toBe(true);
    const mapped = rows.filter((r) => r.guards.includes('map'));
    expect(mapped.length).toBeGreaterThan(0);
    // held at MAP: the final price is the brand's minimum advertised price
    for (const r of mapped) expect(r.final_price).toBe(r.map);
    expect(rows.filter((r) => r.max !== null).some((r) => r.guards.includes('ceiling'))).toBe(true);
    const held = rows.filter((r) => r.strategy === 'hold');
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ changed: false, final_price: held[0]!.old_price });
    expect(first.repricer_log.held).toBe(1);
    expect(first.repricer_log.guards.map).toBe(mapped.length);
  });

  it("prices at the ROI floor keep the minimum ROI in ROI's own terms", async () => {
    // every decision raised to (or held at) its ROI floor, recomputed from the ROI view's inputs:
    // net price at the floor − referral at the floor's rate − fees − returns allowance − landed
    const { rows } = await a.db.pool.query(
      `SELECT l.sku, l.final_price::float8 AS p, o.vat_rate::float8 AS vat, o.fulfilment::float8 AS fulfilment,
              coalesce(o.storage, 0)::float8 AS storage, coalesce(o.other, 0)::float8 AS other,
              o.returns_allowance::float8 AS allowance, (o.unit_cost + o.freight)::float8 AS landed,
              (f.referral / f.price_basis)::float8 AS rate
       FROM repricer_log l
       JOIN listings s ON s.marketplace = l.marketplace AND s.sku = l.sku
       JOIN roi_offers o ON o.asin = s.asin AND o.best
       JOIN fees f ON f.marketplace = l.marketplace AND f.asin = s.asin
       LEFT JOIN repricer_rules r ON r.marketplace = l.marketplace AND r.sku = l.sku
       WHERE NOT l.skipped AND l.final_price = l.floor AND r.min_price IS NULL AND r.map_price IS NULL`,
    );
    expect(rows.length).toBeGreaterThan(5);
    const below = rows.filter((r) => {
      const profit =
        r.p / (1 + r.vat) - r.rate * r.p - r.fulfilment - r.storage - r.other - r.allowance - r.landed;
      return profit / r.landed < 0.15 - 1e-9;
    });
    expect(below.map((r) => r.sku)).toEqual([]);
  });

  it('opens one purchase order that the restock plan counts as on order', async () => {
    const po = demoPurchaseOrder(catalog)!;
    const { rows } = await a.db.pool.query(
      `SELECT x.sku, x.on_order, x.position, x.reorder_point::float8 AS rop
       FROM restock_plan_lines x JOIN restock_plans p ON p.id = x.plan_id
       WHERE x.sku = ANY($1) ORDER BY x.sku`,
      [po.lines.map((l) => l.sku)],
    );
    expect(rows.map((r) => [r.sku, r.on_order])).toEqual(po.lines.map((l) => [l.sku, l.qty]));
    // without the order the plan would have ordered these SKUs
    for (const r of rows) expect(r.position - r.on_order).toBeLessThanOrEqual(r.rop);
    expect(first.on_order.map((l) => [l.reference, l.sku, l.ordered, l.plan_on_order])).toEqual(
      po.lines.map((l) => [DEMO_PO_REFERENCE, l.sku, l.qty, l.qty]),
    );
  });
});

describe('awa demo: the decision inbox', () => {
  const open = async (type: string) =>
    (await a.db.pool.query(`SELECT * FROM tasks WHERE type = $1 AND state = 'open' ORDER BY id`, [type]))
      .rows;
  const vendorName = (key: string) => VENDORS.find((v) => v.key === key)!.name;

  it('leaves an open task of every type, as the summary counts them', async () => {
    const { rows } = await a.db.pool.query(
      `SELECT type, count(*)::int AS n FROM tasks WHERE state IN ('open', 'snoozed') GROUP BY type`,
    );
    const byType = Object.fromEntries(rows.map((r) => [r.type, r.n]));
    for (const type of TASK_TYPES) expect(byType[type], type).toBeGreaterThanOrEqual(1);
    expect(first.inbox!.by_type).toEqual(byType);
  });

  it("lists the cost rises of last month's list to today's, and names the vendor whose list is stale", async () => {
    const tasks = await open('vendor_cost_increase');
    expect(tasks.map((t) => t.title)).toEqual([
      expect.stringMatching(
        new RegExp(`^${vendorName(RAISING_VENDOR)} raised \\d+ costs \\(milano-listino-prezzi\\.csv\\)$`),
      ),
    ]);
    // every line up 5 % or more (as the rule rounds), and smaller rises only where ROI is below target
    const pct = (now: number, before: number) => Math.round((1000 * (now - before)) / before) / 10;
    const rises = catalog.offers
      .filter((o) => o.vendor === RAISING_VENDOR && pct(o.costCents, previousCostCents(o)) >= 5)
      .map((o) => o.sku)
      .sort();
    expect(rises.length).toBeGreaterThan(3);
    const lines = tasks[0].details.lines as Array<{
      sku: string;
      pct: number;
      cost: number;
      roi_pct: number;
    }>;
    expect(
      lines
        .filter((l) => l.pct >= 5)
        .map((l) => l.sku)
        .sort(),
    ).toEqual(rises);
    for (const l of lines.filter((x) => x.pct < 5)) expect(l.roi_pct).toBeLessThan(15);

    const stale = await open('stale_price_list');
    expect(stale.map((t) => t.title)).toEqual([
      `${vendorName(STALE_VENDOR)}'s price list is ${STALE_LIST_DAYS_AGO} days old`,
    ]);
  });

  it('raises the fees of the re-measured products and the returns of the faulty batch', async () => {
    const fees = await open('fee_change');
    const remeasured = earlierFeeRows(catalog, gapsOf(catalog), 'DE').map((r) => r.asin);
    expect(fees.map((t) => t.asin).sort()).toEqual([...remeasured].sort());
    for (const t of fees) expect(t.why[0]).toMatchObject({ code: 'fee_increase', value: expect.any(Number) });
    for (const t of fees) expect(t.why[0].value).toBeGreaterThanOrEqual(10);

    const spikes = await open('returns_spike');
    expect(spikes.find((t) => t.sku === faultySku(catalog))).toMatchObject({ severity: 'critical' });
  });

  it("reports keepa's failed run and the scheduler that stopped running logistics", async () => {
    const [failed] = await open('agent_failed');
    expect(failed).toMatchObject({ title: `Agent ${FAILED_AGENT} failed`, severity: 'critical' });
    expect(failed.why[0].message).toBe(FAILED_AGENT_ERROR);
    expect((await open('agent_overdue')).map((t) => t.title)).toEqual([`Agent ${OVERDUE_AGENT} is overdue`]);
    // the replayed runs, as the runner recorded them at their time
    const { rows } = await a.db.pool.query(
      `SELECT agent, status, trigger, started_at FROM agent_runs WHERE agent = ANY($1) ORDER BY agent`,
      [[FAILED_AGENT, OVERDUE_AGENT]],
    );
    expect(rows).toEqual([
      {
        agent: FAILED_AGENT,
        status: 'failed',
        trigger: 'manual',
        started_at: new Date(NOW.getTime() - 3_600_000),
      },
      { agent: OVERDUE_AGENT, status: 'skipped', trigger: 'schedule', started_at: expect.any(Date) },
    ]);
    const hours = (NOW.getTime() - rows[1].started_at.getTime()) / 3_600_000;
    expect(hours).toBeGreaterThan(2 * 24);
    expect(hours).toBeLessThan(4 * 24);
  });
});
