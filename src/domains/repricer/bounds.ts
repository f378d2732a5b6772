/**
 * The repricer's price bounds (SPEC §8): the ROI floor with price-dependent referral and VAT, the
 * rule's min/MAP/max, and the clamp that applies them last — shared by decide() and manual prices.
 */

import { add, ceilMinor, cmp, div, mul, ONE, type Ratio, sub, toRatio } from '../../platform/money.ts';
import type { Guard } from './decide.ts';

/** A decimal amount: Postgres numeric text or a JSON number (read from its shortest decimal form). */
export type Amount = number | string;
export type Opt<T> = T | null | undefined;

export interface FeeSnapshot {
  referral?: Opt<Amount>;
  fulfilment?: Opt<Amount>;
  storage?: Opt<Amount>;
  /** Variable closing fees and the like: ROI subtracts them, so the floor pays for them too. */
  other?: Opt<Amount>;
  /** The (VAT-inclusive) price the referral fee was quoted at; referral rate = referral / price_basis. */
  price_basis?: Opt<Amount>;
}

/** Referral rate when the fee snapshot cannot tell (Amazon's most common category rate). */
export const DEFAULT_REFERRAL_RATE = '0.15';

const ZERO: Ratio = { n: 0n, d: 1n };
const abs = (r: Ratio): Ratio => (r.n < 0n ? { n: -r.n, d: r.d } : r);

/** rate = referral / price_basis from the fee snapshot; the default when unknown or absurd (≥ 100 %). */
export function referralRate(fees: FeeSnapshot | undefined): Ratio {
  const referral = toRatio(fees?.referral);
  const basis = toRatio(fees?.price_basis);
  if (referral && basis && basis.n > 0n) {
    const rate = div(abs(referral), basis);
    if (cmp(rate, ONE) < 0) return rate;
  }
  return toRatio(DEFAULT_REFERRAL_RATE)!;
}

/**
 * The gross price p at which ROI = min_roi in ROI's own terms (SPEC §6, §8): Amazon charges the
 * referral fee on the VAT-inclusive price, and a VAT-registered seller keeps p / (1 + VAT), so
 *   p / (1 + VAT) − rate · p − fulfilment − storage − other − returns allowance = landed · (1 + min_roi)
 *   p = (landed · (1 + min_roi) + fulfilment + storage + other + returns allowance) / (1 / (1 + VAT) − rate)
 * (`vat` is the rate divided out of prices: 0 off the EU/UK and for sellers not registered, whose
 * landed cost carries the VAT instead). Fees missing from the snapshot count as 0 (callers refuse to
 * price without fulfilment fees); Amazon reports fees as debits, so signs are ignored. Undefined when
 * the referral rate leaves no revenue at any price. Exact: the caller rounds it up to the minor unit.
 */
export function roiFloor(
  landed: Ratio,
  minRoi: Ratio,
  fees: FeeSnapshot | undefined,
  vat: Ratio | undefined,
  returnsAllowance: Ratio = ZERO,
): Ratio | undefined {
  const charges = [fees?.fulfilment, fees?.storage, fees?.other].map((v) => abs(toRatio(v) ?? ZERO));
  const perUnit = charges.reduce(add, returnsAllowance);
  const need = add(mul(landed, add(ONE, minRoi)), perUnit);
  const kept = vat && vat.n > 0n ? div(ONE, add(ONE, vat)) : ONE;
  const share = sub(kept, referralRate(fees));
  return share.n > 0n ? div(need, share) : undefined;
}

/**
 * Profit per unit at gross price p in the floor's own terms (the inverse of roiFloor): what the
 * seller keeps of p after VAT and the referral fee charged on p, less the per-unit charges, the
 * returns allowance and the landed cost. ROI = profit / landed; at p = roiFloor() it is min_roi.
 */
export function profitAt(
  price: Ratio,
  landed: Ratio,
  fees: FeeSnapshot | undefined,
  vat: Ratio | undefined,
  returnsAllowance: Ratio = ZERO,
): Ratio {
  const charges = [fees?.fulfilment, fees?.storage, fees?.other].map((v) => abs(toRatio(v) ?? ZERO));
  const perUnit = charges.reduce(add, returnsAllowance);
  const kept = vat && vat.n > 0n ? div(ONE, add(ONE, vat)) : ONE;
  const share = sub(kept, referralRate(fees));
  return sub(sub(mul(price, share), perUnit), landed);
}

/**
 * The ROI floor in minor units, rounded UP: rounding to nearest could land a cent below min_roi.
 * Shared by decide() and manual prices (pricing.service.ts), so both mean what ROI means.
 */
export function roiFloorMinor(
  landed: Ratio,
  minRoi: Ratio,
  fees: FeeSnapshot | undefined,
  vat: Ratio | undefined,
  returnsAllowance: Ratio | undefined,
  digits: number,
): bigint | undefined {
  const floor = roiFloor(landed, minRoi, fees, vat, returnsAllowance);
  return floor && ceilMinor(floor, digits);
}

export interface Bounds {
  /** max(ROI floor, min_price, MAP), in minor units. */
  floor: bigint;
  ceiling?: bigint;
  map?: bigint;
}

export function boundsOf(roiFloorU: bigint, minU?: bigint, mapU?: bigint, ceiling?: bigint): Bounds {
  const floor = [minU, mapU].reduce<bigint>((a, b) => (b !== undefined && b > a ? b : a), roiFloorU);
  return { floor, ceiling, map: mapU };
}

/**
 * The hard bounds, applied last (after the step limit, which they are exempt from) to the
 * repricer's target and to a user's price alike; the floor (cost, MAP) wins over the ceiling.
 */
export function clampToBounds(
  price: bigint,
  b: Bounds,
  fmt: (u: bigint) => string,
): { target: bigint; guards: Guard[]; notes: string[] } {
  let target = price;
  const guards: Guard[] = [];
  const notes: string[] = [];
  if (b.ceiling !== undefined && target > b.ceiling) {
    target = b.ceiling;
    guards.push('ceiling');
    notes.push(`capped at ceiling ${fmt(b.ceiling)}`);
  }
  if (target < b.floor) {
    target = b.floor;
    guards.push('floor');
    const isMap = b.map !== undefined && b.map === b.floor;
    if (isMap) guards.push('map');
    notes.push(`raised to ${isMap ? 'MAP' : 'floor'} ${fmt(b.floor)}`);
    if (b.ceiling !== undefined && b.ceiling < b.floor) notes.push('ceiling is below the floor');
  }
  return { target, guards, notes };
}
