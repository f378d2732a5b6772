/**
 * Profit and ROI of a listing at a price, as the repricer counts them (bounds.ts: the terms its ROI
 * floor is solved in), so a simulated price and its floor tell one story. Pure.
 */

import { div, formatMinor, minorDigits, mul, toMinor, toRatio } from '../../platform/money.ts';
import { profitAt, roiFloorMinor } from './bounds.ts';
import type { InputRow } from './inputs.repo.ts';
import { decisionInput, type RepricerSettings } from './plan.ts';

export interface Economics {
  /** Per unit, in the marketplace currency; null when an input is missing (no guessing). */
  profit: string | null;
  /** Profit / landed cost, in percent with one decimal. */
  roi_pct: string | null;
}

const NONE: Economics = { profit: null, roi_pct: null };

export function economicsAt(row: InputRow, s: RepricerSettings, price: string | null): Economics {
  const p = toRatio(price);
  const landed = toRatio(row.landed_cost);
  // the same refusals as planListing(): without every fee the profit would be too high
  if (!p || !landed || landed.n <= 0n || !row.has_fees || row.fees_partial || row.fees_fx_missing)
    return NONE;
  const input = decisionInput(row, s);
  const profit = profitAt(
    p,
    landed,
    input.fees,
    toRatio(input.vat_rate ?? undefined),
    toRatio(input.returns_allowance ?? undefined),
  );
  const digits = minorDigits(s.currency);
  return {
    profit: formatMinor(toMinor(profit, digits), digits),
    roi_pct: formatMinor(toMinor(mul(div(profit, landed), { n: 100n, d: 1n }), 1), 1),
  };
}

/**
 * The first price, in minor units rounded up, at which a listing earns `roi` (a fraction) in ROI's
 * own terms: the repricer's ROI floor at its min ROI, a raised floor at the inbox's target. Why there
 * is none otherwise: no landed cost, or a referral fee that leaves no revenue at any price.
 */
export function priceAtRoiMinor(
  row: InputRow,
  s: RepricerSettings,
  roi: string,
): bigint | 'no_landed_cost' | 'no_revenue' {
  const landed = toRatio(row.landed_cost);
  if (!landed) return 'no_landed_cost';
  const input = decisionInput(row, s);
  const [minRoi, vat, allowance] = [roi, input.vat_rate, input.returns_allowance].map(toRatio);
  return roiFloorMinor(landed, minRoi!, input.fees, vat, allowance, minorDigits(s.currency)) ?? 'no_revenue';
}
