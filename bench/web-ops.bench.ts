import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { ensureWebBuilt, launchChromium } from '../test/e2e/browser.ts';
import { awaJson, freshBenchDb, round, secondsSince, startAwa } from './roi-harness.ts';
import { type GridPage, gridLoads, gridPaging, signInThroughForm } from './web-browser.ts';
import { bundleFigures } from './web-bundle.ts';
import { createUser, UNLIMITED } from './web-server.ts';

/**
 * The operations pages' budgets (issue 13), on the real product: every lazily loaded page chunk
 * ≤ 70 KB gzipped; each page's first rows painted ≤ 1.5 s cold on demo data; the restock plan with
 * 5,000 lines and the repricer log with 100,000 decisions page and sort at p95 ≤ 250 ms in Chromium.
 * The demo is loaded, then its latest plan and its decisions are copied until they have those sizes.
 */

export interface WebOpsOptions {
  planLines: number;
  decisions: number;
  /** Cold/warm loads per page. */
  loads: number;
  /** Samples each of "Next" and sort change per grid. */
  samples: number;
}

const load = () => os.loadavg().map((x) => round(x));

/** `sort order` from a page's URL, which leaves out the default sort and each sort's natural order. */
const sortFromUrl =
  (defaultSort: string, naturalOrder: (sort: string) => 'asc' | 'desc') => (url: string) => {
    const q = new URL(url).searchParams;
    const sort = q.get('sort') ?? defaultSort;
    return `${sort} ${q.get('order') ?? naturalOrder(sort)}`;
  };

export const RESTOCK_PAGE: GridPage = {
  caption: 'Restock plan lines',
  api: '/api/v1/restock/plans/\\d+\\?',
  path: '/restock',
  // from days to stock-out ascending (the default)
  sortClicks: [
    'SKU',
    'SKU',
    'Vendor',
    'Vendor',
    'Suggested',
    'Suggested',
    'Line cost',
    'Line cost',
    'Cover days',
  ],
  // the page's defaultLineOrder
  sortLabel: sortFromUrl('days_to_stockout', (s) =>
    s === 'qty' || s === 'line_cost' || s === 'demand' ? 'desc' : 'asc',
  ),
};

export const REPRICER_LOG_PAGE: GridPage = {
  caption: 'Repricer decisions',
  api: '/api/v1/repricer/log\\?',
  path: '/repricer?tab=log',
  // from newest first (the default)
  sortClicks: ['SKU', 'SKU', 'Change', 'Change'],
  sortLabel: sortFromUrl('time', (s) => (s === 'time' ? 'desc' : 'asc')),
};

export const INBOX_PAGE: GridPage = {
  caption: 'Tasks, most severe and earliest due first',
  api: '/api/v1/tasks\\?',
  path: '/inbox',
  sortClicks: [],
  sortLabel: () => '',
};

/** The other grids: painted cold and warm on demo data. */
const DEMO_PAGES: GridPage[] = [
  { ...INBOX_PAGE },
  { ...REPRICER_LOG_PAGE },
  { ...RESTOCK_PAGE },
  { caption: 'Purchase orders', api: '/api/v1/purchase-orders\\?', path: '/purchase-orders' },
  { caption: 'Vendors with their settings and last price list', api: '/api/v1/vendors\\?', path: '/vendors' },
  {
    caption: 'Latest score of every product, with its components',
    api: '/api/v1/scores\\?',
    path: '/scores',
  },
  { caption: 'Report loads, newest first', api: '/api/v1/reports/loads\\?', path: '/reports' },
].map((p) => ({ sortClicks: [], sortLabel: () => '', ...p }));

/** The demo's latest plan copied into a new, newer plan of `lines` lines (SKU suffixes -0001 …). */
async function bigPlan(pool: pg.Pool, lines: number): Promise<number> {
  const { rows } = await pool.query(
    `INSERT INTO restock_plans (marketplace, week, run_id, params, counts, total_units, total_cost, currency, csv_key, created_at)
     SELECT marketplace, '2099-W01', run_id, params, counts, total_units, total_cost, currency, csv_key, now()
       FROM restock_plans ORDER BY created_at DESC, id DESC LIMIT 1
     RETURNING id`,
  );
  const id = rows[0].id as number;
  const { rows: src } = await pool.query(
    'SELECT count(*)::int AS n FROM restock_plan_lines WHERE plan_id = (SELECT id FROM restock_plans WHERE id <> $1 ORDER BY created_at DESC, id DESC LIMIT 1)',
    [id],
  );
  const copies = Math.ceil(lines / Math.max(1, src[0].n));
  await pool.query(
    `INSERT INTO restock_plan_lines
     SELECT $1, l.sku || '-' || lpad(g::text, 4, '0'), l.asin, l.vendor_id, l.vendor_name, l.vendor_sku,
            l.demand * (0.5 + random()), l.sigma, l.lead_time_days, l.safety_stock, l.reorder_point, l.order_up_to,
            l.on_hand, l.inbound, l.on_order, l.position, (l.qty * (0.5 + random()))::int, l.case_pack, l.moq,
            l.unit_cost, l.line_cost, l.days_of_cover, l.days_to_stockout, l.overstock, l.history_days,
            l.in_stock_days, l.reason
       FROM restock_plan_lines l, generate_series(1, $2) g
      WHERE l.plan_id = (SELECT id FROM restock_plans WHERE id <> $1 ORDER BY created_at DESC, id DESC LIMIT 1)
      LIMIT $3`,
    [id, copies, lines],
  );
  await pool.query('ANALYZE restock_plan_lines');
  return id;
}

/** The demo's repricer decisions copied, spread over the last 30 days, until there are `n`. */
async function manyDecisions(pool: pg.Pool, n: number): Promise<number> {
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM repricer_log');
  const have = rows[0].n as number;
  if (have === 0) throw new Error('web-ops bench: the demo wrote no repricer decisions');
  const { rows: cols } = await pool.query(
    `SELECT column_name FROM information_schema.columns
      WHERE table_name = 'repricer_log' AND column_name NOT IN ('id', 'created_at') ORDER BY ordinal_position`,
  );
  const list = cols.map((c) => `"${c.column_name}"`).join(', ');
  await pool.query(
    `INSERT INTO repricer_log (${list}, created_at)
     SELECT ${list}, now() - random() * interval '30 days'
       FROM repricer_log, generate_series(1, $1) LIMIT $2`,
    [Math.ceil((n - have) / have), n - have],
  );
  await pool.query('ANALYZE repricer_log');
  const { rows: after } = await pool.query('SELECT count(*)::int AS n FROM repricer_log');
  return after[0].n as number;
}

export async function benchWebOps(opts: WebOpsOptions) {
  const dir = ensureWebBuilt();
  const bundle = bundleFigures(dir);
  const bench = await freshBenchDb('web-ops');
  const browser = await launchChromium();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'awa-bench-web-ops-'));
  let server: Awaited<ReturnType<typeof startAwa>> | undefined;
  try {
    const env = bench.env(UNLIMITED);
    console.error('web-ops: awa demo…');
    await awaJson(['demo'], env);
    const user = await createUser(env, 'ops');
    server = await startAwa(['--roles', 'api'], env, path.join(tmp, 'awa-start.log'));
    const state = await signInThroughForm(browser, server.base, user.email, user.password);

    console.error('web-ops: cold and warm loads of each page (demo)…');
    const pages: Record<string, unknown> = {};
    for (const page of DEMO_PAGES) {
      const before = load();
      const r = await gridLoads(browser, server.base, state, opts.loads, page);
      pages[page.path] = {
        load_average_before: before,
        cold: r.cold.rows_painted_ms,
        warm: r.warm.rows_painted_ms,
      };
    }

    console.error(`web-ops: ${opts.planLines} plan lines, ${opts.decisions} decisions…`);
    const t0 = performance.now();
    const planId = await bigPlan(bench.pool, opts.planLines);
    const decisions = await manyDecisions(bench.pool, opts.decisions);
    const seedS = secondsSince(t0);
    const grids: Record<string, unknown> = {};
    for (const grid of [RESTOCK_PAGE, REPRICER_LOG_PAGE]) {
      console.error(`web-ops: paging and sorting ${grid.path}…`);
      const before = load();
      const r = await gridPaging(browser, server.base, state, opts.samples, grid);
      grids[grid.path] = {
        load_average_before: before,
        ...r,
        budget_p95_ms: 250,
        within_budget: r.both_p95_ms <= 250,
      };
    }
    // the inbox after a year of triage: 100,000 tasks, the demo's open ones among them
    const { rows: have } = await bench.pool.query('SELECT count(*)::int AS n FROM tasks');
    await bench.pool.query(
      `INSERT INTO tasks (type, dedup_key, state, severity, title, why, created_at, updated_at, state_changed_at)
       SELECT 'price_change', 'bench:' || g, (ARRAY['done', 'dismissed', 'resolved', 'expired'])[1 + g % 4],
              (ARRAY['info', 'warning', 'critical'])[1 + g % 3], 'Price BENCH-' || g, '[]',
              now() - g * interval '1 minute', now() - g * interval '1 minute', now() - g * interval '1 minute'
       FROM generate_series(1, $1::int) g`,
      [Math.max(0, 100_000 - have[0].n)],
    );
    await bench.pool.query('ANALYZE tasks');
    console.error('web-ops: the inbox with 100,000 tasks…');
    const inboxBefore = load();
    const inbox = await gridLoads(browser, server.base, state, opts.loads, INBOX_PAGE);
    return {
      chromium: browser.version(),
      inbox_100k_tasks: {
        load_average_before: inboxBefore,
        open_tasks: have[0].n,
        cold: inbox.cold.rows_painted_ms,
        warm: inbox.warm.rows_painted_ms,
        budget_ms: 250,
      },
      options: opts,
      bundle_lazy_chunks: bundle,
      demo_pages_rows_painted_ms: pages,
      big: { plan_id: planId, plan_lines: opts.planLines, decisions, seed_s: seedS, grids },
      load_average_after: load(),
    };
  } finally {
    await server?.stop();
    await browser.close();
    await bench.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
