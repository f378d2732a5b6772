/**
 * From one listing's gathered inputs (inputs.repo.ts) to its logged decision: builds decide()'s
 * input, applies the run-level rules decide() leaves to its caller (no fees or no buy box → price
 * untouched; a bad rule → an error decision for that SKU, not a failed run). Pure.
 */
import type { Config } from '../../platform/config.ts';
import { isAppError } from '../../platform/errors.ts';
import { cmp, formatMinor, toRatio } from '../../platform/money.ts';
import { type Decision, type DecisionInput, decide, type PricedDecision, type Strategy } from './decide.ts';
import type { InputRow } from './inputs.repo.ts';

export type Mode = 'dry_run' | 'apply' | 'live';
export const MODES: readonly Mode[] = ['dry_run', 'apply', 'live'];

export interface RepricerSettings {
  marketplace: string;
  currency: string;
  minRoi: string;
  /** Fractions (0.10 = 10 %), exact decimal text. */
  maxStepPct: string;
  breakerPct: string;
  transitDays: number;
  coverDays: number;
}

/** `12.5` (percent) → `'0.125'`, shifting the decimal point instead of dividing a float. */
export function percentToFraction(pct: number): string {
  const r = toRatio(pct);
  if (!r) throw new RangeError(`not a percentage: ${pct}`);
  const digits = r.d.toString().length - 1 + 2;
  return formatMinor(r.n, digits)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

export function settingsFrom(config: Config): RepricerSettings {
  return {
    marketplace: config.AWA_MARKETPLACE,
    currency: config.AWA_CURRENCY,
    minRoi: String(config.REPRICER_MIN_ROI),
    maxStepPct: percentToFraction(config.REPRICER_MAX_STEP_PCT),
    breakerPct: percentToFraction(config.REPRICER_BREAKER_PCT),
    transitDays: config.RESTOCK_TRANSIT_DAYS,
    coverDays: config.RESTOCK_COVER_DAYS,
  };
}

/** One row of repricer_log (without run, mode and time, which the run adds). */
export interface LoggedDecision {
  sku: string;
  asin: string | null;
  currency: string;
  old_price: string | null;
  proposed: string | null;
  final_price: string | null;
  floor: string | null;
  ceiling: string | null;
  buybox: string | null;
  strategy: string;
  guards: string[];
  changed: boolean;
  skipped: boolean;
  error: boolean;
  reason: string;
  /** decide()'s priced decision (the circuit breaker counts these). */
  priced?: PricedDecision;
}

/**
 * Days of cover = (fulfillable + inbound) / average units a day over 30 days. Unknown (null) without
 * a stock snapshot or without sales: no stock guard applies then.
 */
export function daysOfCover(row: InputRow): number | null {
  if (row.fulfillable === null || !row.units_30d || row.units_30d <= 0) return null;
  return ((row.fulfillable + (row.inbound ?? 0)) * 30) / row.units_30d;
}

/**
 * Whether we hold the buy box (no seller-level buy box owner is stored): our price in force is at or
 * below the buy box price and we have stock to sell (the latest FBA snapshot's fulfillable units,
 * else the listing's quantity). A cheaper offer without stock cannot win the buy box.
 */
export function weHoldBuybox(row: InputRow): boolean {
  const cur = toRatio(row.current_price);
  const bb = toRatio(row.buybox);
  if (!cur || !bb) return false;
  const stock = row.fulfillable ?? row.listing_quantity ?? 0;
  return stock > 0 && cmp(cur, bb) <= 0;
}

export function decisionInput(row: InputRow, s: RepricerSettings): DecisionInput {
  return {
    sku: row.sku,
    asin: row.asin ?? '',
    currency: s.currency,
    current_price: row.current_price,
    landed_cost: row.landed_cost,
    fees: {
      referral: row.referral,
      fulfilment: row.fulfilment,
      storage: row.storage,
      other: row.other,
      price_basis: row.price_basis,
    },
    returns_allowance: row.returns_allowance,
    // the best offer's rate (reduced rates included) as ROI used it; not registered → none to divide out
    vat_rate: row.vat_registered === false ? 0 : row.vat_rate,
    rule: {
      min_price: row.min_price,
      max_price: row.max_price,
      map_price: row.map_price,
      strategy: (row.strategy ?? undefined) as Strategy | undefined,
      step: row.step,
      enabled: row.enabled ?? true,
    },
    settings: { min_roi: s.minRoi, max_step_pct: s.maxStepPct },
    market: {
      buybox_price: row.buybox,
      we_hold_buybox: weHoldBuybox(row),
      buybox_drops_24h: row.buybox_drops_24h,
    },
    stock: {
      days_of_cover: daysOfCover(row),
      lead_time_days: (row.lead_time_days ?? 0) + s.transitDays,
      target_cover_days: s.coverDays,
    },
  };
}

function logged(row: InputRow, d: Decision): LoggedDecision {
  return {
    sku: row.sku,
    asin: row.asin,
    currency: d.currency,
    old_price: d.old_price,
    proposed: d.proposed,
    final_price: d.final,
    floor: d.floor,
    ceiling: d.ceiling,
    buybox: row.buybox,
    strategy: d.strategy,
    guards: [...d.guards],
    changed: d.changed,
    skipped: d.skipped,
    error: false,
    reason: d.reason,
    ...(d.skipped ? {} : { priced: d }),
  };
}

/** A priced decision the run must not act on: logged with its reason, price untouched. */
function untouched(l: LoggedDecision, reason: string, guards: string[] = []): LoggedDecision {
  const { priced: _p, ...rest } = l;
  return { ...rest, skipped: true, changed: false, proposed: null, final_price: l.old_price, guards, reason };
}

/** A listing left at its price because its inputs could not be priced (logged as an error, with why). */
export function refused(row: InputRow, s: RepricerSettings, reason: string): LoggedDecision {
  return {
    sku: row.sku,
    asin: row.asin,
    currency: s.currency,
    old_price: row.current_price,
    proposed: null,
    final_price: row.current_price,
    floor: null,
    ceiling: null,
    buybox: row.buybox,
    strategy: row.strategy ?? 'beat_buybox',
    guards: [],
    changed: false,
    skipped: true,
    error: true,
    reason,
  };
}

export function planListing(row: InputRow, s: RepricerSettings): LoggedDecision {
  let d: Decision;
  try {
    d = decide(decisionInput(row, s));
  } catch (err) {
    if (!isAppError(err)) throw err;
    return refused(row, s, err.message);
  }
  const l = logged(row, d);
  if (d.skipped) return l;
  if (!row.asin) return untouched(l, 'listing has no ASIN: price untouched');
  // without fees the floor would leave out the FBA fee: too low a floor is how money is lost
  if (!row.has_fees) return untouched(l, 'no fees for this ASIN: price untouched');
  if (row.fees_partial) {
    return untouched(l, 'fees lack the referral or FBA fulfilment fee (fees_partial): price untouched');
  }
  if (row.fees_fx_missing)
    return untouched(l, `fees in ${row.fees_currency} without an fx rate: price untouched`);
  if (row.buybox === null) return untouched(l, 'no buy box: price untouched', ['no_buybox']);
  return l;
}
