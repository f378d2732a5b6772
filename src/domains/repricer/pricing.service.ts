import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { boundsOf, clampToBounds, roiFloor } from './decide.ts';
import { type InputRow, loadInputs } from './inputs.repo.ts';
import * as logRepo from './log.repo.ts';
import { formatMinor, minorDigits, toMinor, toRatio } from './money.ts';
import {
  decisionInput,
  type LoggedDecision,
  planListing,
  type RepricerSettings,
  settingsFrom,
} from './plan.ts';

export interface PricingDeps {
  db: Db;
  config: Config;
  clock: Clock;
}

// every item says `status`, so a client tells answers from per-item errors without probing fields
type ItemError = { status: 'error'; sku: string; error: string };
const unknown = (sku: string, marketplace: string): ItemError => ({
  status: 'error',
  sku,
  error: `unknown sku: no active listing ${sku} in marketplace ${marketplace}`,
});

async function rowsFor(deps: PricingDeps, s: RepricerSettings, skus: string[]) {
  const rows = await loadInputs(deps.db, {
    marketplace: s.marketplace,
    currency: s.currency,
    now: deps.clock.now(),
    skus: [...new Set(skus)],
  });
  return new Map(rows.map((r) => [r.sku, r]));
}

/** POST /pricing/simulate: what the repricer would decide for these SKUs now; writes nothing. */
export async function simulate(deps: PricingDeps, skus: string[]) {
  const s = settingsFrom(deps.config);
  const bySku = await rowsFor(deps, s, skus);
  return {
    items: skus.map((sku): (Omit<LoggedDecision, 'priced'> & { status: 'ok' }) | ItemError => {
      const row = bySku.get(sku);
      if (!row) return unknown(sku, s.marketplace);
      const { priced: _p, ...d } = planListing(row, s);
      return { status: 'ok', ...d };
    }),
  };
}

interface ApplyItem {
  sku: string;
  price?: number | string;
}

interface Applied {
  sku: string;
  old: string | null;
  new: string | null;
  changed: boolean;
  guards: string[];
  reason: string;
  floor: string | null;
  ceiling: string | null;
}

/** A user's price, kept within [floor, ceiling]; the floor (cost, MAP) wins over the ceiling. */
function manual(row: InputRow, s: RepricerSettings, price: number | string): Applied | string {
  const digits = minorDigits(s.currency);
  const fmt = (u: bigint) => formatMinor(u, digits);
  const asked = toRatio(price)!;
  const d = planListing(row, s);
  if (d.error) return d.reason;
  const input = decisionInput(row, s);
  const landed = toRatio(row.landed_cost);
  if (!landed) return 'no landed cost for this listing: its floor is unknown, so no price is set';
  const roi = toMinor(roiFloor(landed, toRatio(s.minRoi)!, input.fees, toRatio(s.vatRate)), digits);
  const minor = (v: string | null) => (v ? toMinor(toRatio(v)!, digits) : undefined);
  const bounds = boundsOf(roi, minor(row.min_price), minor(row.map_price), minor(row.max_price));
  const { floor, ceiling } = bounds;
  const wanted = toMinor(asked, digits);
  const { target, guards, notes } = clampToBounds(wanted, bounds, fmt);
  notes.unshift(`manual price ${fmt(wanted)}`);
  const oldU = toRatio(row.current_price);
  const old = oldU ? fmt(toMinor(oldU, digits)) : null;
  const changed = old !== fmt(target);
  return {
    sku: row.sku,
    old,
    new: fmt(target),
    changed,
    guards,
    reason: `${notes.join('; ')}: ${changed ? `${old ?? 'none'} → ${fmt(target)}` : `unchanged at ${old}`}`,
    floor: fmt(floor),
    ceiling: ceiling === undefined ? null : fmt(ceiling),
  };
}

function fromDecision(d: LoggedDecision): Applied {
  return {
    sku: d.sku,
    old: d.old_price,
    new: d.final_price,
    changed: d.changed,
    guards: d.guards,
    reason: d.reason,
    floor: d.floor,
    ceiling: d.ceiling,
  };
}

/**
 * POST /pricing/apply: per item a user's price (clamped to [floor, ceiling]) or, without one, the
 * repricer's decision. Not a dry run → every changed price goes to price_updates_log (actor = the
 * token's name) in one transaction. Unknown SKUs and unpriceable items are per-item errors.
 */
export async function apply(
  deps: PricingDeps,
  input: { items: ApplyItem[]; dry_run: boolean; actor: string },
) {
  const s = settingsFrom(deps.config);
  const skus = input.items.map((i) => i.sku);
  const dup = skus.find((sku, i) => skus.indexOf(sku) !== i);
  if (dup !== undefined) throw new AppError('invalid', `items: sku ${dup} is listed twice`, { sku: dup });
  for (const it of input.items) {
    if (it.price === undefined) continue;
    const r = toRatio(it.price);
    if (!r || r.n <= 0n) {
      throw new AppError(
        'invalid',
        `items: price of sku ${it.sku} must be a positive number (${String(it.price)})`,
        {
          sku: it.sku,
          price: it.price,
        },
      );
    }
  }
  const bySku = await rowsFor(deps, s, skus);
  const rowsOf = new Map<string, InputRow>();
  const items = input.items.map((it): (Applied & { status: 'ok' }) | ItemError => {
    const row = bySku.get(it.sku);
    if (!row) return unknown(it.sku, s.marketplace);
    rowsOf.set(it.sku, row);
    if (it.price === undefined) {
      const d = planListing(row, s);
      return d.error
        ? { status: 'error', sku: it.sku, error: d.reason }
        : { status: 'ok', ...fromDecision(d) };
    }
    const m = manual(row, s, it.price);
    return typeof m === 'string' ? { status: 'error', sku: it.sku, error: m } : { status: 'ok', ...m };
  });
  const changed = items.filter((i): i is Applied & { status: 'ok' } => i.status === 'ok' && i.changed);
  const manualSkus = new Set(input.items.filter((i) => i.price !== undefined).map((i) => i.sku));
  if (!input.dry_run && changed.length > 0) {
    await logRepo.insertPriceUpdates(
      deps.db,
      changed.map((i) => ({
        marketplace: s.marketplace,
        sku: i.sku,
        asin: rowsOf.get(i.sku)!.asin,
        currency: s.currency,
        old_price: i.old,
        new_price: i.new!,
        strategy: manualSkus.has(i.sku) ? 'manual' : (rowsOf.get(i.sku)!.strategy ?? 'beat_buybox'),
        actor: input.actor,
        context: {
          guards: i.guards,
          floor: i.floor,
          ceiling: i.ceiling,
          buybox: rowsOf.get(i.sku)!.buybox,
          reason: i.reason,
        },
        run_id: null,
        mode: 'manual',
        submission_status: 'not_submitted',
      })),
      deps.clock.now(),
    );
  }
  return {
    dry_run: input.dry_run,
    changed: changed.length,
    written: input.dry_run ? 0 : changed.length,
    items,
  };
}

export async function listLog(
  db: Db,
  marketplace: string,
  q: { run_id?: string; sku?: string; guard?: string; changed?: boolean; page: number; page_size: number },
) {
  const r = await logRepo.listLog(db, {
    marketplace,
    runId: q.run_id,
    sku: q.sku,
    guard: q.guard,
    changed: q.changed,
    limit: q.page_size,
    offset: (q.page - 1) * q.page_size,
  });
  return { total: r.total, page: q.page, page_size: q.page_size, items: r.items };
}
