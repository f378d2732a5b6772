/**
 * The guard band (floor to ceiling) of one product as the SKU page shows it, computed by the very
 * functions the repricer prices with: decisionInput() → roiFloorMinor() → boundsOf(). Pure.
 */

import { formatMinor, minorDigits, type Ratio, toMinor, toRatio } from '../../platform/money.ts';
import { type Amount, boundsOf, type FeeSnapshot, roiFloorMinor } from './bounds.ts';
import type { InputRow } from './inputs.repo.ts';
import { decisionInput, type RepricerSettings } from './plan.ts';

export interface PriceGuard {
  /** max(ROI floor, rule min_price, MAP); null when it cannot be known (see note). */
  floor: number | null;
  /** The rule's max_price; null = none. */
  ceiling: number | null;
  /** REPRICER_MIN_ROI as a fraction (0.15 = 15 %). */
  min_roi: number;
  /** listing: the repricer's inputs for `sku` (its rule included); best_offer: not listed, the ROI floor of the best vendor offer; none. */
  source: 'listing' | 'best_offer' | 'none';
  /** Which bound made the floor: the ROI floor, the rule's min_price or MAP. */
  floor_by: 'min_roi' | 'min_price' | 'map' | null;
  /** The price at which ROI = min_roi. */
  roi_floor: number | null;
  sku: string | null;
  /** Why there is no floor, in words. */
  note: string | null;
}

const num = (u: bigint | undefined, digits: number) =>
  u === undefined ? null : Number(formatMinor(u, digits));

function minorOf(v: Amount | null | undefined, digits: number): bigint | undefined {
  const r = v === null || v === undefined || v === '' ? undefined : toRatio(v);
  return r ? toMinor(r, digits) : undefined;
}

function banded(
  base: Pick<PriceGuard, 'min_roi' | 'source' | 'sku'>,
  s: RepricerSettings,
  inputs: {
    landed: Ratio;
    fees: FeeSnapshot;
    vat: Amount | null | undefined;
    allowance: Amount | null | undefined;
  },
  rule: { min_price?: Amount | null; map_price?: Amount | null; max_price?: Amount | null },
): PriceGuard {
  const digits = minorDigits(s.currency);
  const ceiling = minorOf(rule.max_price, digits);
  const roi = roiFloorMinor(
    inputs.landed,
    toRatio(s.minRoi)!,
    inputs.fees,
    toRatio(inputs.vat ?? undefined),
    toRatio(inputs.allowance ?? undefined),
    digits,
  );
  if (roi === undefined) {
    return {
      ...base,
      floor: null,
      ceiling: num(ceiling, digits),
      floor_by: null,
      roi_floor: null,
      note: 'the referral fee leaves no revenue at any price: no ROI floor',
    };
  }
  const b = boundsOf(roi, minorOf(rule.min_price, digits), minorOf(rule.map_price, digits), ceiling);
  const floorBy =
    b.floor === roi ? 'min_roi' : b.map !== undefined && b.floor === b.map ? 'map' : 'min_price';
  return {
    ...base,
    floor: num(b.floor, digits),
    ceiling: num(b.ceiling, digits),
    floor_by: floorBy,
    roi_floor: num(roi, digits),
    note: null,
  };
}

function without(
  base: Pick<PriceGuard, 'min_roi' | 'source' | 'sku'>,
  note: string,
  ceiling: number | null = null,
) {
  return { ...base, floor: null, ceiling, floor_by: null, roi_floor: null, note };
}

/** A listing's guard from its repricer inputs (inputs.repo.ts), refusing where planListing() refuses. */
export function guardOfListing(row: InputRow, s: RepricerSettings): PriceGuard {
  const base = { min_roi: Number(s.minRoi), source: 'listing' as const, sku: row.sku };
  const ceiling = num(minorOf(row.max_price, minorDigits(s.currency)), minorDigits(s.currency));
  // without every fee the floor would leave one out: too low a floor is how money is lost
  if (!row.has_fees) return without(base, 'no fees for this ASIN: no floor', ceiling);
  if (row.fees_partial) {
    return without(base, 'fees lack the referral or FBA fulfilment fee (fees_partial): no floor', ceiling);
  }
  if (row.fees_fx_missing)
    return without(base, `fees in ${row.fees_currency} without an fx rate: no floor`, ceiling);
  const landed = toRatio(row.landed_cost);
  if (!landed) return without(base, 'no landed cost (no vendor offer with a unit cost): no floor', ceiling);
  const input = decisionInput(row, s);
  return banded(
    base,
    s,
    { landed, fees: input.fees ?? {}, vat: input.vat_rate, allowance: input.returns_allowance },
    row,
  );
}

/** What the ROI view knows of a vendor offer (roi_offers), in the marketplace currency unless said. */
export interface OfferInputs {
  unit_cost: number | null;
  freight: number;
  fulfilment: number | null;
  storage: number | null;
  other: number | null;
  vat_rate: number;
  vat_registered: boolean;
  returns_allowance: number;
  flags: string[];
  /** The fees row as stored (its own currency): only their ratio, the referral rate, is used. */
  fees_referral: Amount | null;
  fees_price_basis: Amount | null;
}

const OFFER_REFUSALS: Record<string, string> = {
  fees_missing: 'no fees for this ASIN: no floor',
  fees_partial: 'fees lack the referral or FBA fulfilment fee (fees_partial): no floor',
  fx_missing: 'an fx rate is missing for the cost or the fees: no floor',
};

/** A product not listed yet: the ROI floor of its best vendor offer, no rule. */
export function guardOfOffer(o: OfferInputs, s: RepricerSettings): PriceGuard {
  const base = { min_roi: Number(s.minRoi), source: 'best_offer' as const, sku: null };
  const refused = o.flags.find((f) => OFFER_REFUSALS[f]);
  if (refused) return without(base, OFFER_REFUSALS[refused]!);
  if (o.unit_cost === null) return without(base, 'no unit cost: no floor');
  const landed = toRatio(String(Math.round((o.unit_cost + o.freight) * 1e4) / 1e4))!;
  const fees: FeeSnapshot = {
    referral: o.fees_referral,
    price_basis: o.fees_price_basis,
    fulfilment: o.fulfilment,
    storage: o.storage,
    other: o.other,
  };
  // as decisionInput(): a seller who is not registered has the VAT in landed cost, none to divide out
  return banded(
    base,
    s,
    { landed, fees, vat: o.vat_registered ? o.vat_rate : 0, allowance: o.returns_allowance },
    {},
  );
}

export const noGuard = (s: RepricerSettings, note: string): PriceGuard =>
  without({ min_roi: Number(s.minRoi), source: 'none', sku: null }, note);
