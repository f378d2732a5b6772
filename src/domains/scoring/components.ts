import type { ScoreComponent } from '../../platform/config.ts';

/**
 * The SKU score's mappings (SPEC §7): each turns one measured input into a component in [0, 1].
 * Pure functions: the scoring run gathers the inputs in SQL and maps them here, so these are the
 * only definition of the formulas. Scores are rankings, not money: floats are fine.
 */

export type Weights = Record<ScoreComponent, number>;
export type Components = Record<ScoreComponent, number | null>;

export const clamp01 = (x: number): number => (Number.isNaN(x) ? 0 : Math.min(1, Math.max(0, x)));
/** Components are stored with 4 decimals, scores with 2: the score is computed from the stored components. */
export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** ROI of the best offer: 0 % (or a loss) → 0, 100 % or more → 1, linear between. */
export function profitability(roiPct: number): number {
  return clamp01(roiPct / 100);
}

/**
 * Own sales velocity (units/day), log-scaled like the sales-rank mapping (a fixed step per factor
 * of 10): (1 + log10(v)) / 2, so 0.1/day (3 a month) or less → 0, 1/day → 0.5, 10/day or more → 1.
 * Sales follow a long tail: the step from 1 to 2 a day matters as much as from 5 to 10.
 */
export function demandFromVelocity(unitsPerDay: number): number {
  return unitsPerDay <= 0 ? 0 : clamp01((1 + Math.log10(unitsPerDay)) / 2);
}

/** Sales rank: 1 − log10(rank)/6, so rank 1 → 1, 1,000 → 0.5, 1,000,000 or worse → 0. */
export function demandFromRank(rank: number): number {
  return clamp01(1 - Math.log10(Math.max(1, rank)) / 6);
}

/**
 * Amazon on the listing → 0 (it wins the buy box most of the time); otherwise 1 / (1 + offers/5):
 * no competing FBA offer → 1, 5 → 0.5, 15 → 0.25. A share of the buy box roughly falls like
 * 1/(n + 1); the /5 keeps a handful of competitors from looking hopeless.
 */
export function competition(amazonOnListing: boolean | null, offers: number | null): number | null {
  if (amazonOnListing === true) return 0;
  if (offers === null) return null;
  return clamp01(1 / (1 + Math.max(0, offers) / 5));
}

/** Price stability: 1 − coefficient of variation of the buy box, clamped. */
export function stability(cv: number): number {
  return clamp01(1 - cv);
}

/** Returns risk: 1 − 5 × return rate, clamped, so a 20 % return rate or more → 0. */
export function returnsRisk(returnRate: number): number {
  return clamp01(1 - 5 * returnRate);
}

export interface PricePoint {
  at: Date;
  price: number;
}

/**
 * Time-weighted coefficient of variation of a price series over (since, now]: each point's price
 * holds until the next point (the last until `now`), and the point in force at `since` counts from
 * `since`. Keepa records a point only when the price changes, so weighting by points would let a
 * one-hour dip count as much as a month at one price. Null with fewer than 2 points.
 */
export function timeWeightedCv(points: readonly PricePoint[], since: Date, now: Date): number | null {
  const sorted = [...points].filter((p) => p.at <= now).sort((a, b) => a.at.getTime() - b.at.getTime());
  const before = sorted.filter((p) => p.at <= since).at(-1);
  const inside = sorted.filter((p) => p.at > since);
  const used = before ? [{ at: since, price: before.price }, ...inside] : inside;
  if (used.length < 2) return null;
  let span = 0;
  let sum = 0;
  let sumSq = 0;
  used.forEach((p, i) => {
    const w = ((used[i + 1]?.at ?? now).getTime() - p.at.getTime()) / 1000;
    span += w;
    sum += w * p.price;
    sumSq += w * p.price * p.price;
  });
  return cvOf(sum / span, sumSq / span);
}

/** CV from a weighted mean and weighted mean of squares (what the SQL aggregates return). */
export function cvOf(mean: number, meanOfSquares: number): number | null {
  if (!(mean > 0)) return null;
  return Math.sqrt(Math.max(0, meanOfSquares - mean * mean)) / mean;
}

export interface Combined {
  /** 0–100, 2 decimals. */
  score: number;
  /** Sum of the weights of the components that had inputs (1 = all). */
  confidence: number;
}

/**
 * Weighted mean of the components that had inputs, renormalised by their weights, so a missing
 * input neither counts as 0 nor as perfect; `confidence` says how much of the weight was measured.
 * Null when no component had inputs.
 */
export function combine(components: Components, weights: Weights): Combined | null {
  let w = 0;
  let sum = 0;
  for (const [name, value] of Object.entries(components) as [ScoreComponent, number | null][]) {
    if (value === null) continue;
    w += weights[name];
    sum += weights[name] * value;
  }
  if (w <= 0) return null;
  return { score: round((100 * sum) / w, 2), confidence: round(w, 4) };
}
