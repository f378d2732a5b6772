/**
 * The repricer's price bounds (SPEC §8): the ROI floor with price-dependent referral and VAT, the
 * rule's min/MAP/max, and the clamp that applies them last — shared by decide() and manual prices.
 */
import type { Guard } from './decide.ts';
import { add, cmp, div, mul, ONE, type Ratio, sub, toRatio } from './money.ts';

/** A decimal amount: Postgres numeric text or a JSON number (read from its shortest decimal form). */
export type Amount = number | string;
export type Opt<T> = T | null | undefined;

export interface FeeSnapshot {
  referral?: Opt<Amount>;
  fulfilment?: Opt<Amount>;
  storage?: Opt<Amount>;
  /** The price the referral fee was quoted at; referral rate = referral / price_basis. */
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
 * Price at which ROI = min_roi once price-dependent referral is paid:
 * (landed × (1 + min_roi) + fulfilment + storage) / (1 − referral_rate), × (1 + VAT) when VAT applies.
 * Fees missing from the snapshot count as 0; Amazon reports fees as debits, so signs are ignored.
 */
export function roiFloor(
  landed: Ratio,
  minRoi: Ratio,
  fees: FeeSnapshot | undefined,
  vat: Ratio | undefined,
): Ratio {
  const fulfilment = abs(toRatio(fees?.fulfilment) ?? ZERO);
  const storage = abs(toRatio(fees?.storage) ?? ZERO);
  const cost = add(add(mul(landed, add(ONE, minRoi)), fulfilment), storage);
  const net = div(cost, sub(ONE, referralRate(fees)));
  return vat && vat.n > 0n ? mul(net, add(ONE, vat)) : net;
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
