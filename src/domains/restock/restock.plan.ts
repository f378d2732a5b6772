/**
 * The restock arithmetic of SPEC §9, pure: a periodic-review order-up-to policy per SKU.
 *
 * Daily demand comes from a window of `WINDOW_DAYS` whole days ending yesterday (today's shipments
 * are not complete yet). A day counts when it is in the SKU's history (from its first sale, first
 * stock snapshot or listing date, whichever is earliest) and the SKU was in stock that day: on-hand
 * is the latest inventory snapshot carried forward day by day, and a day whose on-hand is 0 is a
 * stock-out day, left out of both the averages and σ, because selling nothing while out of stock says
 * nothing about demand. A day with sales counts whatever the snapshot says (stock arrived during the
 * day). A day without any ledger row while in stock is a day of 0 sales, not a gap to skip: the
 * ledger only has rows for days something happened. Days before the first snapshot are taken as in
 * stock (nothing says otherwise).
 */

import { roundOrderQty } from './restock.rounding.ts';

export const WINDOW_DAYS = 90;
/** Weekly plan: the review period R of the order-up-to policy. */
export const REVIEW_DAYS = 7;
/** A SKU with fewer days of history than this is new: its averages use the days there are. */
export const NEW_SKU_DAYS = 7;
/** Overstock when days of cover exceed this share of the target cover C. */
export const OVERSTOCK_FACTOR = 1.5;

export interface PlanParams {
  transitDays: number;
  coverDays: number;
  serviceLevel: number;
}

export interface DemandInput {
  /** Units sold per window day, index 0 = the oldest day, WINDOW_DAYS - 1 = yesterday. */
  units: readonly number[];
  /** Stock-out per window day (on-hand 0 by the carried-forward snapshot). */
  outOfStock: readonly boolean[];
  /** First window day of the SKU's history (0 = history covers the whole window). */
  historyStart: number;
}

export interface Demand {
  /** Velocity d = 0.5·avg7 + 0.3·avg30 + 0.2·avg90 over in-stock days. */
  d: number;
  /** Population standard deviation of daily units over every in-stock day of the history. */
  sigma: number;
  avg7: number;
  avg30: number;
  avg90: number;
  historyDays: number;
  inStockDays: number;
  totalUnits: number;
}

/**
 * Each average is taken over the in-stock days among the last 7, 30 and 90 days of the history. A
 * span without any in-stock day (e.g. out of stock all last week) takes the next longer span's
 * average: the last known selling rate, rather than 0 that would stop reordering a best seller.
 */
export function demandOf(input: DemandInput): Demand {
  const n = input.units.length;
  const start = Math.max(0, Math.min(input.historyStart, n));
  const spans = [7, 30, WINDOW_DAYS].map((k) => {
    let sum = 0;
    let days = 0;
    for (let i = Math.max(start, n - k); i < n; i++) {
      const u = input.units[i] ?? 0;
      if (input.outOfStock[i] && u === 0) continue;
      sum += u;
      days += 1;
    }
    return { sum, days };
  });
  const all = spans[2]!;
  const avg = (i: number): number => {
    for (let j = i; j < spans.length; j++) if (spans[j]!.days > 0) return spans[j]!.sum / spans[j]!.days;
    return 0;
  };
  const avg7 = avg(0);
  const avg30 = avg(1);
  const avg90 = avg(2);
  let sigma = 0;
  if (all.days > 0) {
    const mean = all.sum / all.days;
    let sq = 0;
    for (let i = start; i < n; i++) {
      const u = input.units[i] ?? 0;
      if (input.outOfStock[i] && u === 0) continue;
      sq += (u - mean) ** 2;
    }
    sigma = Math.sqrt(sq / all.days);
  }
  return {
    d: 0.5 * avg7 + 0.3 * avg30 + 0.2 * avg90,
    sigma,
    avg7,
    avg30,
    avg90,
    historyDays: n - start,
    inStockDays: all.days,
    totalUnits: all.sum,
  };
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9),
 * rounded UP to 2 decimals as safety-factor tables print it: 0.95 → 1.6449 → 1.65 (SPEC §9).
 */
export function zFor(serviceLevel: number): number {
  if (!(serviceLevel > 0 && serviceLevel < 1)) throw new RangeError('service level must be in (0, 1)');
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const p = serviceLevel;
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // the tolerance keeps an exact table value (0.5 → 0) from being pushed up by float noise
  return Math.ceil(x * 100 - 1e-7) / 100 || 0; // || 0: no -0
}

export interface SkuInput extends DemandInput {
  onHand: number;
  inbound: number;
  onOrder: number;
  /** Vendor lead time in days; null = unknown (taken as 0 and said so in the reason). */
  vendorLeadDays: number | null;
  casePack: number;
  moq: number;
  /** False when no vendor offers the SKU's ASIN: the line still says how much is needed. */
  hasVendor: boolean;
}

export interface PlanLine {
  d: number;
  sigma: number;
  leadTime: number;
  safetyStock: number;
  reorderPoint: number;
  orderUpTo: number;
  position: number;
  qty: number;
  casePack: number;
  moq: number;
  daysOfCover: number | null;
  daysToStockout: number | null;
  overstock: boolean;
  historyDays: number;
  inStockDays: number;
  reason: string;
}

const fmt = (x: number) => String(Math.round(x * 10) / 10);

/** One SKU's line; `z` is zFor(params.serviceLevel), computed once per plan. */
export function planSku(input: SkuInput, params: PlanParams, z: number): PlanLine {
  const dm = demandOf(input);
  const casePack = Math.max(1, Math.trunc(input.casePack) || 1);
  const moq = Math.max(0, Math.trunc(input.moq) || 0);
  const leadTime = (input.vendorLeadDays ?? 0) + params.transitDays;
  const horizon = leadTime + REVIEW_DAYS;
  const { d, sigma } = dm;
  const safetyStock = z * sigma * Math.sqrt(horizon);
  const reorderPoint = d * horizon + safetyStock;
  const orderUpTo = reorderPoint + d * params.coverDays;
  const position = input.onHand + input.inbound + input.onOrder;
  const stock = input.onHand + input.inbound;
  const daysOfCover = d > 0 ? stock / d : null;
  const daysToStockout = d > 0 ? position / d : null;
  // stock that does not sell at all has an unbounded cover: overstock as soon as there is any
  const overstock = d > 0 ? daysOfCover! > OVERSTOCK_FACTOR * params.coverDays : stock > 0;

  const notes: string[] = [];
  let qty = 0;
  if (d === 0) {
    notes.push(
      dm.inStockDays === 0 && dm.historyDays > 0
        ? `no in-stock day in the last ${dm.historyDays} days: no demand to plan on, nothing to order`
        : `no sales in the last ${dm.historyDays} days: nothing to order`,
    );
  } else if (position <= reorderPoint) {
    const r = roundOrderQty(orderUpTo - position, casePack, moq);
    qty = r.qty;
    const cases = casePack > 1 ? `${r.cases} cases of ${casePack}` : '';
    const how = r.raisedToMoq
      ? ` (raised to the MOQ of ${moq}${cases ? `, ${cases}` : ''})`
      : cases
        ? ` (${cases})`
        : '';
    notes.push(
      `order ${qty}${how}: position ${position} ≤ reorder point ${fmt(reorderPoint)}, up to ${fmt(orderUpTo)}`,
    );
  } else {
    notes.push(`no order: position ${position} above reorder point ${fmt(reorderPoint)}`);
  }
  if (d > 0) notes.push(`${fmt(daysToStockout!)} days to stock-out at ${fmt(d)}/day`);
  if (dm.historyDays > 0 && dm.historyDays < NEW_SKU_DAYS) {
    notes.push(
      `new SKU: demand from only ${dm.historyDays} day${dm.historyDays === 1 ? '' : 's'} of history`,
    );
  }
  if (dm.inStockDays < dm.historyDays && dm.inStockDays > 0) {
    notes.push(`${dm.historyDays - dm.inStockDays} stock-out days left out`);
  }
  if (overstock) {
    notes.push(
      d > 0
        ? `overstock: ${fmt(daysOfCover!)} days of cover (target ${params.coverDays})`
        : `overstock: ${stock} units that do not sell`,
    );
  }
  if (!input.hasVendor) notes.push('no vendor offer for this ASIN: find a supplier');
  else if (input.vendorLeadDays === null) notes.push('vendor lead time unknown: taken as 0 days');

  return {
    d,
    sigma,
    leadTime,
    safetyStock,
    reorderPoint,
    orderUpTo,
    position,
    qty,
    casePack,
    moq,
    daysOfCover,
    daysToStockout,
    overstock,
    historyDays: dm.historyDays,
    inStockDays: dm.inStockDays,
    reason: notes.join('; '),
  };
}

/** ISO 8601 week of a UTC date: '2026-W48' (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(date: Date): string {
  const t = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow); // the Thursday of this week decides its year
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Exact money with 4 decimals as a scaled bigint: quantities × unit costs summed without floats. */
export function toScaled(decimal: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(decimal.trim());
  if (!m) throw new RangeError(`not a decimal with at most 4 places: ${decimal}`);
  const v = BigInt(m[2]!) * 10_000n + BigInt((m[3] ?? '').padEnd(4, '0'));
  return m[1] ? -v : v;
}

export function fromScaled(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? '-' : ''}${a / 10_000n}.${String(a % 10_000n).padStart(4, '0')}`;
}
