import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { findJob } from '../../jobs/registry.ts';
import { fixedClock } from '../../platform/clock.ts';
import { type JobDeps, runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { FX_BASE, LANES, VENDORS } from './catalog.data.ts';
import { generateCatalog, LISTING_COUNT } from './catalog.gen.ts';
import { type DemoSummary, loadDemo } from './demo.service.ts';
import { dailyBuybox, FEES_BEFORE_DAYS_AGO, gapsOf } from './market.gen.ts';
import { demoRules } from './ops.ts';
import { settlementPeriods } from './settlement.gen.ts';
import { addDays, dayStart, isoDay } from './units.ts';

// The whole demo against real databases: what it loads, that it is the same every time, that a
// second load adds nothing, and that it keeps out of a database holding a real business.

// "now" is pinned for the file but real: the ROI view windows on the database's current_date
const NOW = new Date();
const catalog = generateCatalog();
const gaps = gapsOf(catalog);

// biome-ignore format: a list of table names
const TABLES = [
  'vendors', 'products', 'product_identifiers', 'vendor_prices', 'vendor_price_history', 'price_lists',
  'buybox_history', 'product_metrics', 'fees', 'fees_history', 'logistics_rates', 'fx_rates', 'listings',
  'inventory_snapshots', 'inventory_ledger_raw', 'returns_raw', 'reimbursements_raw', 'load_log',
  'agent_runs', 'roi_refreshes', 'settlements', 'settlement_lines_raw', 'repricer_rules', 'repricer_log',
  'purchase_orders', 'purchase_order_lines', 'restock_plans', 'restock_plan_lines', 'tasks', 'task_events',
];

let a: TestDatabase;
let b: TestDatabase;
let depsA: JobDeps;
let first: DemoSummary;
let dryCounts: Record<string, number>;

async function rowCounts(t: TestDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    out[table] = (await t.db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  }
  return out;
}

/** Every figure of every ROI row (vendor by name: ids depend on what else the database holds). */
async function roiHash(t: TestDatabase): Promise<string> {
  const { rows } = await t.db.pool.query(
    `SELECT vendor_name, sku, asin, unit_cost, freight, fees, price, returns_allowance, profit, roi_pct,
            margin_pct, flags, best
     FROM roi_offers ORDER BY vendor_name, sku`,
  );
  const lines = await t.db.pool.query(
    `SELECT settlement_id, line, transaction_type, order_id, amount_description, amount, posted_date, sku
     FROM settlement_lines_raw ORDER BY settlement_id, line`,
  );
  const rules = await t.db.pool.query('SELECT * FROM repricer_rules ORDER BY sku');
  const json = JSON.stringify([rows, lines.rows, rules.rows.map(({ updated_at, ...r }) => r)]);
  return createHash('sha256').update(json).digest('hex');
}

let dry: DemoSummary;

beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  depsA = testJobDeps(a, { clock: fixedClock(NOW) });
  dry = await loadDemo(depsA, { dryRun: true });
  dryCounts = await rowCounts(a);
  first = await loadDemo(depsA);
}, 120_000);

afterAll(async () => {
  await a?.drop();
  await b?.drop();
});

describe('awa demo', () => {
  it('loads vendors, products, offers, listings and 90 days of history', () => {
    expect(first.status).toBe('loaded');
    const c = first.counts;
    expect(c.vendors).toBe(4);
    expect(c.products).toBe(500);
    // every product has a first vendor; some have a second
    expect(catalog.offers.length).toBeGreaterThan(520);
    expect(c.offers).toBe(catalog.offers.length);
    expect(c.listings).toBe(LISTING_COUNT);
    expect(c.shipment_days).toBe(90);
    expect(c.units_shipped).toBeGreaterThan(10_000);
    expect(c.returns).toBeGreaterThan(50);
    expect(c.reimbursements).toBeGreaterThan(5);
    expect(c.lanes).toBe(LANES.length);
    expect(c.fx_rates).toBe(Object.keys(FX_BASE).length * 90);
    // oldest first: the Polish list of 38 days ago, the Italian one of last month, then today's
    const lists = first.price_lists.map((p) => `${p.status} ${p.as_of ?? 'today'}`);
    const ago = (days: number) => `success ${isoDay(addDays(NOW, -days))}`;
    expect(lists).toEqual([ago(38), ago(36), ...Array(3).fill('success today')]);
    expect(first.reports.map((r) => r.name)).toEqual([
      'listings',
      'fba_inventory',
      'inventory_ledger',
      'returns',
      'reimbursements',
      'settlement',
    ]);
    expect(first.reports.every((r) => r.status === 'success' && r.inserted > 0)).toBe(true);
    // the closed 14-day settlements inside the 90 days: five or six, whatever the date
    expect(c.settlements).toBe(settlementPeriods(dayStart(NOW)).length);
    expect(c.settlements).toBeGreaterThanOrEqual(5);
    expect(c.repricer_rules).toBe(demoRules(catalog).rules.length);
    expect(c.open_purchase_orders).toBe(1);
  });

  it('makes a demo admin whose password signs in (no one-time password); a dry run makes none', async () => {
    expect(dry.login).toBeNull();
    expect(first.login).toEqual({
      url: 'http://localhost:8000',
      email: 'demo@awa.example',
      password: expect.stringMatching(/^[\w]{5}(-[\w]{5}){3}$/),
    });
    const { rows } = await a.db.pool.query("SELECT * FROM users WHERE email = 'demo@awa.example'");
    expect(rows[0]).toMatchObject({
      name: 'Demo admin',
      role: 'admin',
      must_change_password: false,
      disabled_at: null,
    });
    expect(await verifyPassword(rows[0].password_hash, first.login!.password)).toBe(true);
  });

  it('dry run: reports what it would load and writes nothing', () => {
    expect(dry.status).toBe('dry_run');
    expect(Object.values(dryCounts).every((n) => n === 0)).toBe(true);
    expect(dry.agents).toEqual([]);
    // what it announced is what the real load then wrote
    const c = first.counts;
    expect(dry.written).toMatchObject({
      vendors: c.vendors,
      products: c.products,
      fees: c.fees,
      lanes: c.lanes,
    });
    expect(dry.written).toMatchObject({ buybox_points: c.buybox_points, metric_points: c.metric_points });
    expect(dry.written['report:listings']).toBe(c.listings);
    expect(dry.written['report:returns']).toBe(c.returns);
    expect(dry.written).toMatchObject({
      'report:settlement': c.settlement_lines,
      settlements: c.settlements,
      repricer_rules: c.repricer_rules,
      purchase_orders: 1,
    });
    expect(dry.written['price_list:de']! + dry.written['price_list:it']!).toBe(
      catalog.offers.filter((o) => o.vendor === 'de' || o.vendor === 'it').length,
    );
    expect(dry.written['price_list:it:previous']).toBe(dry.written['price_list:it']);
    expect(dry.written.fees_earlier).toBe(first.written.fees_earlier);
    expect(dry.inbox).toBeNull();
  });

  it('stores the vendors with country, currency and lead time', async () => {
    const { rows } = await a.db.pool.query(
      'SELECT name, country, currency, lead_time_days FROM vendors ORDER BY id',
    );
    expect(rows).toEqual(
      VENDORS.map((v) => ({
        name: v.name,
        country: v.country,
        currency: v.currency,
        lead_time_days: v.leadTimeDays,
      })),
    );
  });

  it("marks its market data as made up, through each owner's writer (buy box, rates, fees)", async () => {
    const q = async (sql: string) => (await a.db.pool.query(sql)).rows;
    expect(await q('SELECT DISTINCT source FROM buybox_history')).toEqual([{ source: 'demo' }]);
    expect(await q('SELECT DISTINCT source FROM fx_rates')).toEqual([{ source: 'demo' }]);
    expect(await q('SELECT DISTINCT source FROM logistics_rates')).toEqual([{ source: 'demo' }]);
    // the fees writer's rules: observed at the load's clock, one history point on its day; a few
    // products also ten days before, at their old size tier (the fees they have now are newer)
    const before = dayStart(addDays(NOW, -FEES_BEFORE_DAYS_AGO));
    expect(
      await q(`SELECT DISTINCT source, checked_at, captured_at FROM fees
               UNION ALL SELECT DISTINCT source, NULL::timestamptz, captured_at FROM fees_history
               ORDER BY 3 DESC`),
    ).toEqual([
      { source: 'manual', checked_at: NOW, captured_at: NOW },
      { source: 'manual', checked_at: null, captured_at: dayStart(NOW) },
      { source: 'manual', checked_at: null, captured_at: before },
    ]);
  });

  it('gives real ROI figures that follow from their inputs', async () => {
    expect(first.counts.roi_with_figures).toBeGreaterThan(first.counts.roi_offers - 15);
    // the first German offer, by hand: EUR cost, the DHL DE→DE lane at 0.35 €/kg, today's buy box
    const o = catalog.offers[0]!;
    const p = catalog.products.find((x) => x.asin === o.asin)!;
    expect(gaps.priceWar.has(p.asin) || gaps.noBuybox.has(p.asin) || gaps.noWeight.has(p.asin)).toBe(false);
    const { rows } = await a.db.pool.query(
      `SELECT unit_cost::float8, freight::float8, fees::float8, price::float8, returns_allowance::float8,
              roi_pct::float8, flags, vat_rate::float8, vat_registered FROM roi_offers WHERE sku = $1`,
      [o.sku],
    );
    const r = rows[0];
    expect(r.unit_cost).toBe(o.costCents / 100);
    // grams × 0.35 €/kg, rounded half up to 4 places as the view does: integers keep it exact
    expect(r.freight).toBe(Math.round((Math.round(p.weightKg * 1000) * 35) / 10) / 10_000);
    expect(r.fees).toBeCloseTo((p.referralCents + p.fulfilmentCents + p.storageCents) / 100, 4);
    // amazon.de prices include 19 % VAT; the demo seller is VAT-registered and keeps the net price
    expect(r.price).toBeCloseTo(dailyBuybox(p, dayStart(NOW)) / 100 / 1.19, 4);
    expect({ vat: r.vat_rate, registered: r.vat_registered }).toEqual({ vat: 0.19, registered: true });
    expect(r.flags).toEqual([]);
    const profit = r.price - r.fees - r.unit_cost - r.freight - r.returns_allowance;
    expect(r.roi_pct).toBeCloseTo((100 * profit) / (r.unit_cost + r.freight), 1);
    // a GBP offer: its cost converted at today's rate
    const gb = await a.db.pool.query(
      `SELECT r.cost::float8, r.cost_fx_rate::float8, r.unit_cost::float8, f.rate::float8 AS rate
       FROM roi_offers r JOIN fx_rates f ON f.currency = 'GBP' AND f.as_of = (SELECT max(as_of) FROM fx_rates)
       WHERE r.cost_currency = 'GBP' ORDER BY r.sku LIMIT 1`,
    );
    const g = gb.rows[0];
    expect(g.cost_fx_rate).toBe(g.rate);
    expect(g.unit_cost).toBeCloseTo(g.cost * g.rate, 4);
  });

  it('shows flags where inputs are missing, and price wars in the last 24 hours', async () => {
    const flagged = await a.db.pool.query('SELECT asin, flags FROM roi_offers WHERE roi_pct IS NULL');
    const byAsin = new Map(flagged.rows.map((r) => [r.asin, r.flags as string[]]));
    for (const asin of gaps.noBuybox) expect(byAsin.get(asin)).toContain('no_buybox');
    for (const asin of gaps.noWeight) expect(byAsin.get(asin)).toContain('weight_missing');
    for (const asin of gaps.noFees) expect(byAsin.get(asin)).toContain('fees_missing');
    expect(gaps.priceWar.size).toBeGreaterThanOrEqual(3);
    const { rows } = await a.db.pool.query(
      `SELECT asin, count(*) FILTER (WHERE price < prev AND captured_at > $2::timestamptz - interval '24 hours')::int AS drops
       FROM (SELECT asin, captured_at, price, lag(price) OVER (PARTITION BY asin ORDER BY captured_at) AS prev
             FROM buybox_history WHERE asin = ANY($1)) x GROUP BY asin`,
      [[...gaps.priceWar], NOW],
    );
    expect(rows).toHaveLength(gaps.priceWar.size);
    for (const r of rows) expect(r.drops).toBeGreaterThanOrEqual(3);
  });

  it('records a successful run of each demo agent that exists', async () => {
    for (const name of ['scoring', 'repricer', 'restock', 'decisions']) {
      const shown = first.agents.find((x) => x.agent === name)!;
      if (!findJob(name)) {
        expect(shown.status).toBe('not_available');
        continue;
      }
      const { rows } = await a.db.pool.query('SELECT status FROM agent_runs WHERE agent = $1', [name]);
      expect(rows.map((r) => r.status)).toEqual(['success']);
      expect(shown).toMatchObject({ status: 'success', this_load: true });
    }
  });

  it('adds nothing when loaded again, and reports the same figures', async () => {
    const before = await rowCounts(a);
    const hash = await roiHash(a);
    const tasks = 'SELECT id, state, severity, title, why, updated_at FROM tasks ORDER BY id';
    const inbox = (await a.db.pool.query(tasks)).rows;
    const again = await loadDemo(depsA);
    expect(again.status).toBe('unchanged');
    expect(await rowCounts(a)).toEqual(before);
    expect(await roiHash(a)).toBe(hash);
    expect(again.counts).toEqual(first.counts);
    expect(again.best_offers).toEqual(first.best_offers);
    expect(again.price_lists.every((p) => p.status === 'skipped')).toBe(true);
    expect(again.reports.every((r) => r.status === 'skipped')).toBe(true);
    expect(again.written).toMatchObject({ settlement: 0, repricer_rules: 0, purchase_orders: 0 });
    expect(again.on_order).toEqual(first.on_order);
    // only a hash is kept, so a repeated load can only hand out a new password
    expect(again.login!.password).not.toBe(first.login!.password);
    // the inbox as it was, and at rest: evaluating every rule again changes no task
    expect((await a.db.pool.query(tasks)).rows).toEqual(inbox);
    expect(again.inbox).toEqual(first.inbox);
    const run = await runJob(findJob('decisions')!, depsA, new Metrics());
    expect(run.counts).toMatchObject({ created: 0, updated: 0, resolved: 0, reopened: 0, expired: 0 });
  });

  it('refuses a database holding other vendors, and with force loads the same data set', async () => {
    await b.db.pool.query(`INSERT INTO vendors (name, country) VALUES ('Real Supplier AG', 'DE')`);
    const deps = testJobDeps(b, { clock: fixedClock(NOW) });
    await expect(loadDemo(deps)).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('Real Supplier AG'),
    });
    expect((await rowCounts(b)).products).toBe(0);
    const forced = await loadDemo(deps, { force: true });
    expect(forced.counts.vendors).toBe(5);
    // determinism: another database, another run, the very same ROI rows
    expect(await roiHash(b)).toBe(await roiHash(a));
  }, 120_000);

  it('refuses a marketplace other than amazon.de', async () => {
    const deps = testJobDeps(b, {
      clock: fixedClock(NOW),
      env: { AWA_MARKETPLACE: 'US', AWA_CURRENCY: 'USD' },
    });
    await expect(loadDemo(deps, { force: true })).rejects.toThrow(/AWA_MARKETPLACE=DE/);
  });
});
