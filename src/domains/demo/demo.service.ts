import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MemoryCache } from '../../platform/cache.ts';
import { AppError } from '../../platform/errors.ts';
import type { JobDeps } from '../../platform/jobs/index.ts';
import { taskCounts } from '../decisions/tasks.service.ts';
import { listRoi, roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import { recordVendorProfiles } from '../vendors/vendors.service.ts';
import { type AgentRun, replayAgentHistory, runAgents } from './agents.ts';
import { DEMO_VENDOR_NAMES, VENDORS } from './catalog.data.ts';
import { generateCatalog } from './catalog.gen.ts';
import * as repo from './demo.repo.ts';
import { loadFiles, type StepResult, writtenKey } from './files.load.ts';
import { type DemoLogin, demoLogin } from './login.ts';
import { gapsOf } from './market.gen.ts';
import { loadMarket } from './market.load.ts';
import { DEMO_PO_REFERENCE, demoRules, loadOps } from './ops.ts';
import { plannedRows } from './plan.ts';

export type { StepResult } from './files.load.ts';

/**
 * `awa demo`: loads a deterministic, realistic data set (SPEC §2–§9) through the product's own
 * import, ingest and repository code (settlements included, so ROI has a returns allowance), sets up
 * repricer rules and an open purchase order through their services, refreshes ROI and runs the
 * scoring, repricer, restock and decisions agents once, so a newcomer sees every feature with
 * believable numbers and no accounts. A little history (last month's price list, fees before a
 * re-measurement, a faulty batch, an agent that failed and one the scheduler stopped running) gives
 * the decision inbox a task of every type (SPEC §10).
 */

export const DEMO_MARKETPLACE = 'DE';
export const DEMO_CURRENCY = 'EUR';

export interface DemoOptions {
  /** Load the demo even though the database holds vendors of a real business. */
  force?: boolean;
  /** Generate everything and report the rows it would load; write nothing. */
  dryRun?: boolean;
  /** Progress lines for a terminal. */
  onStep?: (message: string) => void;
}

export interface BestOffer {
  asin: string;
  title: string;
  vendor: string;
  /** The buy box as buyers see it (gross), and what the seller keeps of it (net of VAT). */
  buybox: number;
  price: number;
  landed_cost: number;
  profit: number;
  roi_pct: number;
}

export interface DemoSummary {
  status: 'loaded' | 'unchanged' | 'dry_run';
  marketplace: string;
  as_of: string;
  counts: repo.DemoCounts;
  /** Rows each step inserted or changed (a dry run: the rows it would hand over). */
  written: Record<string, number>;
  price_lists: StepResult[];
  reports: StepResult[];
  best_offers: BestOffer[];
  agents: AgentRun[];
  /** The brand whose listings carry a minimum advertised price (repricer rules). */
  map_brand: string | null;
  /** The latest repricer run's decisions by guard. */
  repricer_log: repo.RepricerLogSummary;
  /** The demo's open purchase order, line by line, as the latest restock plan counts it. */
  on_order: repo.OnOrderLine[];
  /** Where to open the web app and the demo admin's sign-in (a fresh password each load; none on a dry run). */
  login: DemoLogin | null;
  /** The decision inbox the load left: open tasks by type and severity (none on a dry run). */
  inbox: Awaited<ReturnType<typeof taskCounts>> | null;
  duration_ms: number;
}

async function guard(deps: JobDeps, force: boolean): Promise<void> {
  const { AWA_MARKETPLACE, AWA_CURRENCY } = deps.config;
  if (AWA_MARKETPLACE !== DEMO_MARKETPLACE || AWA_CURRENCY !== DEMO_CURRENCY) {
    throw new AppError(
      'invalid',
      `the demo data set is an amazon.de business: it needs AWA_MARKETPLACE=${DEMO_MARKETPLACE} and ` +
        `AWA_CURRENCY=${DEMO_CURRENCY} (configured: ${AWA_MARKETPLACE}, ${AWA_CURRENCY})`,
    );
  }
  const others = await repo.otherVendors(deps.db.pool, DEMO_VENDOR_NAMES);
  if (others.length > 0 && !force) {
    throw new AppError(
      'conflict',
      `this database already holds a real business's data (vendors: ${others.slice(0, 5).join(', ')}` +
        `${others.length > 5 ? ', …' : ''}); the demo would mix made-up figures into it. Use an empty ` +
        'database (e.g. another AWA_DATA_DIR), or --force to load it anyway',
      { vendors: others },
    );
  }
}

async function bestOffers(deps: JobDeps): Promise<BestOffer[]> {
  const page = await listRoi(deps.db, new MemoryCache(), {
    best_only: true,
    sort: 'roi',
    page: 1,
    page_size: 5,
  });
  return page.items.map((o) => ({
    asin: o.asin,
    title: String(o.title ?? ''),
    vendor: o.vendor_name,
    buybox: Number(o.buybox_price),
    price: Number(o.price),
    landed_cost: Math.round((Number(o.unit_cost) + Number(o.freight)) * 100) / 100,
    profit: Number(o.profit),
    roi_pct: Number(o.roi_pct),
  }));
}

export async function loadDemo(deps: JobDeps, opts: DemoOptions = {}): Promise<DemoSummary> {
  const t0 = performance.now();
  const step = opts.onStep ?? (() => {});
  await guard(deps, opts.force ?? false);
  const now = deps.clock.now();
  if (opts.dryRun) {
    return {
      status: 'dry_run',
      marketplace: DEMO_MARKETPLACE,
      as_of: now.toISOString(),
      counts: await repo.counts(deps.db.pool, DEMO_MARKETPLACE),
      written: plannedRows(now, DEMO_MARKETPLACE),
      price_lists: [],
      reports: [],
      best_offers: [],
      agents: [],
      map_brand: null,
      repricer_log: { guards: {}, held: 0 },
      on_order: [],
      login: null,
      inbox: null,
      duration_ms: Math.round(performance.now() - t0),
    };
  }
  const catalog = generateCatalog();
  const gaps = gapsOf(catalog);

  step('vendors, products, buy box history, fees, freight lanes, exchange rates');
  await recordVendorProfiles(deps.db, VENDORS);
  const written: Record<string, number> = await loadMarket(
    deps,
    { marketplace: DEMO_MARKETPLACE, currency: DEMO_CURRENCY },
    catalog,
    gaps,
    now,
  );

  step('vendor price lists and Amazon reports (through the real importers)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'awa-demo-'));
  let files: Awaited<ReturnType<typeof loadFiles>>;
  try {
    files = await loadFiles(deps, catalog, { marketplace: DEMO_MARKETPLACE, now, dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const s of [...files.priceLists, ...files.reports]) written[writtenKey(s)] = s.inserted + s.updated;

  step('repricer rules and an open purchase order (through their own services)');
  const ops = await loadOps(deps, catalog, DEMO_MARKETPLACE);
  written.repricer_rules = ops.rules.inserted + ops.rules.updated;
  written.purchase_orders = ops.purchase_orders;

  // A second load of the same day finds everything in place: nothing to refresh, no agent to rerun
  // (their runs, scores and plans would be new rows for the same figures), no task to change.
  const changed = Object.values(written).some((n) => n > 0);
  let agents: AgentRun[] = [];
  if (changed) {
    step('refreshing ROI');
    await updateRoi(deps.db, { settings: roiSettingsFrom(deps.config), reason: 'demo', clock: deps.clock });
    step("the agents' recent runs, then the scoring, repricer (dry run), restock and decisions agents");
    await replayAgentHistory(deps);
    agents = await runAgents(deps);
  } else {
    agents = await runAgents(deps, { latestOnly: true });
  }
  return {
    status: changed ? 'loaded' : 'unchanged',
    marketplace: DEMO_MARKETPLACE,
    as_of: now.toISOString(),
    counts: await repo.counts(deps.db.pool, DEMO_MARKETPLACE),
    written,
    price_lists: files.priceLists,
    reports: files.reports,
    best_offers: await bestOffers(deps),
    agents,
    map_brand: demoRules(catalog).mapBrand,
    repricer_log: await repo.repricerLogSummary(deps.db.pool, DEMO_MARKETPLACE),
    on_order: await repo.onOrderLines(deps.db.pool, DEMO_MARKETPLACE, DEMO_PO_REFERENCE),
    login: await demoLogin(deps),
    inbox: await taskCounts(deps),
    duration_ms: Math.round(performance.now() - t0),
  };
}
