/**
 * The repricer's pure decision (SPEC §8): one listing's inputs in, one priced (or skipped) decision
 * out. No I/O, no clock, no randomness — the run wiring (DB, jobs, routes) lives elsewhere. Money is
 * read into exact rationals and handled in integer minor units (see money.ts); prices come back as
 * decimal text (`'10.12'`, JPY `'1500'`) the way Postgres `numeric` stores them.
 */
import { AppError } from '../../platform/errors.ts';
import {
  add,
  ceilMinor,
  cmp,
  floorMinor,
  formatMinor,
  fromMinor,
  minorDigits,
  mul,
  ONE,
  type Ratio,
  sub,
  toMinor,
  toRatio,
} from '../../platform/money.ts';
import {
  type Amount,
  boundsOf,
  clampToBounds,
  DEFAULT_REFERRAL_RATE,
  type FeeSnapshot,
  type Opt,
  roiFloorMinor,
} from './bounds.ts';

export type Strategy = 'match_buybox' | 'beat_buybox' | 'min_roi' | 'hold';
export type Guard =
  | 'floor'
  | 'ceiling'
  | 'map'
  | 'max_step'
  | 'winning'
  | 'price_war'
  | 'stock_low'
  | 'overstock'
  | 'no_buybox';
export type { Amount } from './bounds.ts';

export interface DecisionInput {
  sku: string;
  asin: string;
  /** ISO 4217; sets the minor unit (2 digits, JPY 0). */
  currency: string;
  current_price: Opt<Amount>;
  /** Unit cost + freight, in the marketplace currency. Missing → the listing is skipped. */
  landed_cost: Opt<Amount>;
  fees?: FeeSnapshot;
  /** Refunds net of reimbursements per unit sold (ROI's returns allowance), marketplace currency. */
  returns_allowance?: Opt<Amount>;
  /**
   * The VAT rate divided out of prices for revenue: > 0 for a VAT-registered seller on a marketplace
   * whose prices include VAT; 0 otherwise (a seller who is not registered has the VAT in landed cost).
   */
  vat_rate?: Opt<Amount>;
  rule: {
    min_price?: Opt<Amount>;
    max_price?: Opt<Amount>;
    map_price?: Opt<Amount>;
    strategy?: Opt<Strategy>;
    /** beat_buybox undercut; default one minor unit (0.01). */
    step?: Opt<Amount>;
    enabled?: Opt<boolean>;
  };
  settings?: { min_roi?: Opt<Amount>; max_step_pct?: Opt<Amount> };
  market: { buybox_price?: Opt<Amount>; we_hold_buybox: boolean; buybox_drops_24h: number };
  stock?: { days_of_cover?: Opt<number>; lead_time_days?: Opt<number>; target_cover_days?: Opt<number> };
}

interface DecisionBase {
  sku: string;
  asin: string;
  currency: string;
  strategy: Strategy;
  guards: Guard[];
  ceiling: string | null;
  reason: string;
}

export interface PricedDecision extends DecisionBase {
  skipped: false;
  old_price: string;
  /** The strategy's target before any guard. */
  proposed: string;
  final: string;
  changed: boolean;
  floor: string;
}

export interface SkippedDecision extends DecisionBase {
  skipped: true;
  old_price: string | null;
  proposed: null;
  /** Unchanged: the old price (null when there was none). */
  final: string | null;
  changed: false;
  floor: null;
}

export type Decision = PricedDecision | SkippedDecision;

export const DEFAULTS = {
  strategy: 'beat_buybox' as Strategy,
  referralRate: DEFAULT_REFERRAL_RATE,
  minRoi: '0.15',
  maxStepPct: '0.10',
  priceWarDrops: 3,
  breakerPct: 0.2,
  breakerDrop: '0.2',
} as const;

const STRATEGIES: readonly Strategy[] = ['match_buybox', 'beat_buybox', 'min_roi', 'hold'];

function invalid(input: DecisionInput, message: string): never {
  throw new AppError('invalid', `repricer rule for ${input.sku}: ${message}`, { sku: input.sku });
}

/** Reads an optional amount; present-but-unreadable is a bad rule, not a missing value. */
function opt(input: DecisionInput, value: Opt<Amount>, name: string): Ratio | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const r = toRatio(value);
  if (!r) invalid(input, `${name} is not a number (${String(value)})`);
  return r;
}

function skip(input: DecisionInput, strategy: Strategy, reason: string, oldPrice: string | null): Decision {
  return {
    sku: input.sku,
    asin: input.asin,
    currency: input.currency,
    skipped: true,
    strategy,
    guards: [],
    old_price: oldPrice,
    proposed: null,
    final: oldPrice,
    changed: false,
    floor: null,
    ceiling: null,
    reason,
  };
}

export function decide(input: DecisionInput): Decision {
  const currency = input.currency;
  if (!/^[A-Z]{3}$/.test(currency)) invalid(input, `currency must be an ISO 4217 code (${currency})`);
  const digits = minorDigits(currency);
  const fmt = (u: bigint) => formatMinor(u, digits);
  const strategy = input.rule.strategy ?? DEFAULTS.strategy;
  if (!STRATEGIES.includes(strategy)) invalid(input, `unknown strategy ${String(strategy)}`);

  // Rule validation first: an invalid rule is an error even for a listing we would skip.
  const minP = opt(input, input.rule.min_price, 'min_price');
  const maxP = opt(input, input.rule.max_price, 'max_price');
  const mapP = opt(input, input.rule.map_price, 'map_price');
  for (const [name, v] of [
    ['min_price', minP],
    ['max_price', maxP],
    ['map_price', mapP],
  ] as const) {
    if (v && v.n < 0n) invalid(input, `${name} is negative`);
  }
  if (minP && maxP && cmp(minP, maxP) > 0) {
    invalid(input, `min_price ${String(input.rule.min_price)} > max_price ${String(input.rule.max_price)}`);
  }
  const stepIn = opt(input, input.rule.step, 'step');
  if (stepIn && stepIn.n <= 0n) invalid(input, 'step must be > 0');
  const minRoi = opt(input, input.settings?.min_roi, 'min_roi') ?? toRatio(DEFAULTS.minRoi)!;
  if (cmp(minRoi, { n: -1n, d: 1n }) <= 0) invalid(input, 'min_roi must be > -1');
  const maxStep = opt(input, input.settings?.max_step_pct, 'max_step_pct') ?? toRatio(DEFAULTS.maxStepPct)!;
  if (maxStep.n <= 0n) invalid(input, 'max_step_pct must be > 0');
  const vat = opt(input, input.vat_rate, 'vat_rate');
  if (vat && vat.n < 0n) invalid(input, 'vat_rate is negative');
  const allowance = opt(input, input.returns_allowance, 'returns_allowance');
  if (allowance && allowance.n < 0n) invalid(input, 'returns_allowance is negative');

  const current = toRatio(input.current_price);
  const cur = current ? toMinor(current, digits) : undefined;
  const oldText = cur !== undefined && cur > 0n ? fmt(cur) : null;
  if (input.rule.enabled === false) return skip(input, strategy, 'rule disabled', oldText);
  if (cur === undefined || cur <= 0n) return skip(input, strategy, 'no current price', oldText);
  const landed = toRatio(input.landed_cost);
  if (!landed) return skip(input, strategy, 'no landed cost', oldText);
  if (landed.n < 0n) return skip(input, strategy, 'landed cost is negative', oldText);

  const floorRoi = roiFloorMinor(landed, minRoi, input.fees, vat, allowance, digits);
  if (floorRoi === undefined) {
    return skip(input, strategy, 'the referral fee leaves no revenue at any price: no ROI floor', oldText);
  }
  const mapU = mapP ? toMinor(mapP, digits) : undefined;
  const bounds = boundsOf(
    floorRoi,
    minP ? toMinor(minP, digits) : undefined,
    mapU,
    maxP && toMinor(maxP, digits),
  );
  const { floor, ceiling } = bounds;
  const step = stepIn ? toMinor(stepIn, digits) || 1n : 1n;

  // A non-positive buy box is a feed glitch, not a price: treat it as no buy box.
  const bbRatio = toRatio(input.market.buybox_price);
  const bbRaw = bbRatio ? toMinor(bbRatio, digits) : undefined;
  const bb = bbRaw !== undefined && bbRaw > 0n ? bbRaw : undefined;

  const guards: Guard[] = [];
  const notes: string[] = [];
  let target: bigint;
  let why: string;
  if (strategy === 'hold') [target, why] = [cur, 'hold'];
  else if (strategy === 'min_roi') [target, why] = [floor, `min_roi floor ${fmt(floor)}`];
  else if (bb === undefined) {
    [target, why] = [cur, `${strategy}: no buy box, keeping current`];
    guards.push('no_buybox');
  } else if (strategy === 'match_buybox') [target, why] = [bb, `match buy box ${fmt(bb)}`];
  else [target, why] = [bb - step, `beat buy box ${fmt(bb)} by ${fmt(step)}`];
  const proposed = target;

  const hold = (g: Guard, note: string) => {
    target = cur;
    guards.push(g);
    notes.push(note);
  };
  const winning = input.market.we_hold_buybox && (bb === undefined || cur <= bb);
  if (winning && target < cur) hold('winning', 'we hold the buy box, not lowering');

  const { days_of_cover: cover, lead_time_days: lead, target_cover_days: aim } = input.stock ?? {};
  const stockLow = cover != null && lead != null && cover < lead;
  const overstock = cover != null && aim != null && aim > 0 && cover * 2 > aim * 3;
  // cover is a ratio (units ÷ units a day): the reason shows it to one decimal, as a person reads it
  if (stockLow && target < cur)
    hold('stock_low', `cover ${Math.round(cover * 10) / 10}d < lead time ${lead}d, not lowering`);

  const drops = input.market.buybox_drops_24h;
  if (drops >= DEFAULTS.priceWarDrops && target < cur && target <= floor && cur > floor) {
    if (overstock) {
      guards.push('overstock');
      notes.push(`price war (${drops} drops/24h) but overstocked, following to floor`);
    } else hold('price_war', `price war (${drops} buy box drops/24h), holding`);
  }

  // Bounds are rounded towards the current price so the limit is never overshot by rounding.
  const lo = ceilMinor(mul(fromMinor(cur, digits), sub(ONE, maxStep)), digits);
  const hi = floorMinor(mul(fromMinor(cur, digits), add(ONE, maxStep)), digits);
  if (target < lo || target > hi) {
    target = target < lo ? lo : hi;
    guards.push('max_step');
    notes.push(`limited to ±${formatPct(maxStep)} per run`);
  }

  const clamped = clampToBounds(target, bounds, fmt);
  target = clamped.target;
  guards.push(...clamped.guards);
  notes.push(...clamped.notes);

  const changed = target !== cur;
  const move = changed ? `${fmt(cur)} → ${fmt(target)}` : `unchanged at ${fmt(cur)}`;
  return {
    sku: input.sku,
    asin: input.asin,
    currency,
    skipped: false,
    strategy,
    guards,
    old_price: fmt(cur),
    proposed: fmt(proposed),
    final: fmt(target),
    changed,
    floor: fmt(floor),
    ceiling: ceiling === undefined ? null : fmt(ceiling),
    reason: [why, ...notes].join('; ') + `: ${move}`,
  };
}

function formatPct(r: Ratio): string {
  return `${formatMinor(toMinor(mul(r, { n: 100n, d: 1n }), 1), 1).replace(/\.0$/, '')}%`;
}

/**
 * Circuit breaker (the 1-penny-glitch failure mode): true when more than `breakerPct` of the priced
 * decisions would drop by more than 20 %. Skipped listings are not part of the run's price changes.
 */
/** A drop of more than 20 % from the old price: what the circuit breaker counts. */
export function isBigDrop(d: PricedDecision): boolean {
  const old = toRatio(d.old_price)!;
  return cmp(sub(old, toRatio(d.final)!), mul(old, toRatio(DEFAULTS.breakerDrop)!)) > 0;
}

export function breakerTripped(
  decisions: readonly Decision[],
  breakerPct: number = DEFAULTS.breakerPct,
): boolean {
  const priced = decisions.filter((d): d is PricedDecision => !d.skipped);
  if (priced.length === 0) return false;
  const drops = priced.filter(isBigDrop).length;
  const pct = toRatio(breakerPct);
  if (!pct) throw new AppError('invalid', `breaker percentage is not a number (${breakerPct})`);
  return cmp({ n: BigInt(drops), d: 1n }, mul({ n: BigInt(priced.length), d: 1n }, pct)) > 0;
}
