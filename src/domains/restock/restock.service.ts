import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ObjectStore } from '../../platform/storage/store.ts';
import { renderCsv } from './restock.csv.ts';
import {
  fromScaled,
  isoWeek,
  type PlanLine,
  type PlanParams,
  planSku,
  REVIEW_DAYS,
  toScaled,
  WINDOW_DAYS,
  zFor,
} from './restock.plan.ts';
import { type LineValues, loadInputs, type SkuRow, savePlan } from './restock.repo.ts';

export interface RestockDeps {
  db: Db;
  store: ObjectStore;
  clock: Clock;
  config: Config;
  log: Logger;
}

// The inventory ledger names countries (GB for the UK marketplace); settlements name the site.
const LEDGER_COUNTRIES: Record<string, string[]> = { UK: ['UK', 'GB'] };
const SETTLEMENT_SITES: Record<string, string> = {
  DE: 'amazon.de',
  FR: 'amazon.fr',
  IT: 'amazon.it',
  ES: 'amazon.es',
  UK: 'amazon.co.uk',
  NL: 'amazon.nl',
  SE: 'amazon.se',
  PL: 'amazon.pl',
  BE: 'amazon.com.be',
  US: 'amazon.com',
  CA: 'amazon.ca',
  MX: 'amazon.com.mx',
  JP: 'amazon.co.jp',
};

const DAY_MS = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A plan is per marketplace and week, and so is its CSV: two marketplaces never share a file. */
export function csvKeyOf(marketplace: string, week: string): string {
  return `restock/${marketplace}/${week}.csv`;
}

export function paramsFrom(config: Config): PlanParams {
  return {
    transitDays: config.RESTOCK_TRANSIT_DAYS,
    coverDays: config.RESTOCK_COVER_DAYS,
    serviceLevel: config.RESTOCK_SERVICE_LEVEL,
  };
}

/** Dense per-day arrays of the window from the repo's sparse sales and stock-out spans. */
function seriesOf(r: SkuRow) {
  const units = new Array<number>(WINDOW_DAYS).fill(0);
  const outOfStock = new Array<boolean>(WINDOW_DAYS).fill(false);
  const days = r.sale_days ?? [];
  const sold = r.sale_units ?? [];
  let firstSale: number | null = null;
  for (let j = 0; j < days.length; j++) {
    const i = days[j]!;
    if (i < 0 || i >= WINDOW_DAYS) continue;
    units[i]! += sold[j] ?? 0;
  }
  for (let i = 0; i < WINDOW_DAYS; i++) {
    // a day whose returns to stock outnumber its shipments sold nothing, it did not "unsell"
    if (units[i]! < 0) units[i] = 0;
    if (units[i]! > 0 && firstSale === null) firstSale = i;
  }
  const from = r.oos_from ?? [];
  const to = r.oos_to ?? [];
  for (let j = 0; j < from.length; j++) {
    for (let i = Math.max(0, from[j]!); i < Math.min(WINDOW_DAYS, to[j]!); i++) outOfStock[i] = true;
  }
  // history starts at the first sign of the SKU: first sale, first stock snapshot or listing date
  const starts = [firstSale, r.first_snapshot, r.open_day].filter((x): x is number => x !== null);
  const historyStart = starts.length ? Math.min(Math.max(0, Math.min(...starts)), WINDOW_DAYS) : 0;
  return { units, outOfStock, historyStart };
}

const round = (x: number, digits: number) => x.toFixed(digits);

function lineValues(r: SkuRow, l: PlanLine): LineValues {
  const lineCost = r.unit_cost !== null ? fromScaled(toScaled(r.unit_cost) * BigInt(l.qty)) : null;
  return {
    sku: r.sku,
    asin: r.asin,
    vendor_id: r.vendor_id,
    vendor_name: r.vendor_name,
    vendor_sku: r.vendor_sku,
    demand: round(l.d, 4),
    sigma: round(l.sigma, 4),
    lead_time_days: l.leadTime,
    safety_stock: round(l.safetyStock, 2),
    reorder_point: round(l.reorderPoint, 2),
    order_up_to: round(l.orderUpTo, 2),
    on_hand: r.on_hand,
    inbound: r.inbound,
    on_order: r.on_order,
    position: l.position,
    qty: l.qty,
    case_pack: l.casePack,
    moq: l.moq,
    unit_cost: r.unit_cost,
    line_cost: lineCost,
    days_of_cover: l.daysOfCover === null ? null : round(l.daysOfCover, 1),
    days_to_stockout: l.daysToStockout === null ? null : round(l.daysToStockout, 1),
    overstock: l.overstock ? 't' : 'f',
    history_days: l.historyDays,
    in_stock_days: l.inStockDays,
    reason: l.reason,
  };
}

export interface PlanRun {
  week: string;
  planId: number | null;
  csvKey: string | null;
  counts: Record<string, number>;
  totalCost: string;
  currency: string;
  /** The lines that order something (all of them in the CSV and the stored plan). */
  orders: LineValues[];
}

/**
 * Builds this week's restock plan for the configured marketplace: gathers every SKU's inputs in one
 * statement, applies the policy (restock.plan.ts), and, unless `dryRun`, replaces the week's plan
 * and its CSV (`restock/<marketplace>/YYYY-Www.csv`) together.
 */
export async function runRestock(
  deps: RestockDeps,
  opts: { dryRun: boolean; runId: string },
): Promise<PlanRun> {
  const { config } = deps;
  const now = deps.clock.now();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const params = paramsFrom(config);
  const z = zFor(params.serviceLevel);
  const week = isoWeek(now);
  const marketplace = config.AWA_MARKETPLACE;
  const from = isoDate(today - WINDOW_DAYS * DAY_MS);
  const to = isoDate(today);
  const rows = await loadInputs(deps.db.pool, {
    marketplace,
    countries: LEDGER_COUNTRIES[marketplace] ?? [marketplace],
    settlementMarketplace: SETTLEMENT_SITES[marketplace] ?? null,
    from,
    to,
    windowDays: WINDOW_DAYS,
    now,
  });

  const lines: LineValues[] = [];
  const counts = { skus: 0, order_lines: 0, units: 0, no_sales: 0, new_skus: 0, overstock: 0, no_vendor: 0 };
  let total = 0n;
  for (const r of rows) {
    const l = planSku(
      {
        ...seriesOf(r),
        onHand: r.on_hand,
        inbound: r.inbound,
        onOrder: r.on_order,
        vendorLeadDays: r.lead_time_days,
        casePack: r.pack_size ?? 1,
        moq: r.moq ?? 0,
        hasVendor: r.vendor_id !== null,
      },
      params,
      z,
    );
    const v = lineValues(r, l);
    lines.push(v);
    counts.skus += 1;
    if (l.qty > 0) {
      counts.order_lines += 1;
      counts.units += l.qty;
    }
    if (l.d === 0) counts.no_sales += 1;
    if (l.historyDays > 0 && l.historyDays < 7) counts.new_skus += 1;
    if (l.overstock) counts.overstock += 1;
    if (r.vendor_id === null) counts.no_vendor += 1;
    if (v.line_cost !== null) total += toScaled(String(v.line_cost));
  }
  // the CSV and the API list what to order first, most urgent first
  lines.sort(
    (a, b) =>
      Number(b.qty !== 0) - Number(a.qty !== 0) ||
      (a.days_to_stockout === null ? 1 : 0) - (b.days_to_stockout === null ? 1 : 0) ||
      Number(a.days_to_stockout) - Number(b.days_to_stockout) ||
      (a.sku! < b.sku! ? -1 : 1),
  );
  const totalCost = fromScaled(total);
  const orders = lines.filter((l) => Number(l.qty) > 0);
  const out = { week, counts, totalCost, currency: config.AWA_CURRENCY, orders };
  if (opts.dryRun) return { ...out, planId: null, csvKey: null };

  const csvKey = csvKeyOf(marketplace, week);
  const header = {
    marketplace,
    week,
    runId: opts.runId,
    params: {
      transit_days: params.transitDays,
      cover_days: params.coverDays,
      service_level: params.serviceLevel,
      z,
      review_days: REVIEW_DAYS,
      window: { from, to },
    },
    counts,
    totalUnits: counts.units,
    totalCost,
    currency: config.AWA_CURRENCY,
    csvKey,
  };
  // One transaction: the CSV upload runs before the commit, so a failed upload leaves the previous
  // plan as it was.
  const planId = await withTransaction(deps.db, async (c) => {
    const id = await savePlan(c, header, lines);
    await deps.store.put(csvKey, renderCsv(lines), { contentType: 'text/csv; charset=utf-8' });
    return id;
  });
  deps.log.info({ plan_id: planId, week, ...counts, total_cost: totalCost }, 'restock plan saved');
  return { ...out, planId, csvKey };
}
