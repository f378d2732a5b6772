/** Response schemas of the repricer routes: what rules.service and pricing.service return. */
import { Type } from '@sinclair/typebox';
import { DateTime, Decimal, Literals, Nullable } from '../../http/schemas.ts';
import type { Guard } from './decide.ts';
import { STRATEGIES } from './rules.ts';

/** Every guard the repricer can report (decide.ts), as the API documents them. */
export const GUARDS = [
  'floor',
  'ceiling',
  'map',
  'max_step',
  'winning',
  'price_war',
  'stock_low',
  'overstock',
  'no_buybox',
  'breaker',
] as const;
// The items of /pricing/* are a union (ok | error): the serialiser validates a union member whole,
// enum included, so a guard missing here would turn the answer into a 500. This stops the typecheck
// when decide.ts learns a guard this list lacks.
const _everyGuardListed: [Exclude<Guard, (typeof GUARDS)[number]>] extends [never] ? true : never = true;
const Guards = Type.Array(Literals(GUARDS), { description: 'the guards that shaped the price' });
const Price = (description: string) => Nullable(Decimal(description));

export const RepricerRule = Type.Object(
  {
    marketplace: Type.String(),
    sku: Type.String(),
    min_price: Price('lowest price allowed; null: the ROI floor alone'),
    max_price: Price('highest price allowed'),
    map_price: Price('minimum advertised price'),
    strategy: Literals(STRATEGIES),
    step: Price('beat_buybox undercut; null: one minor unit'),
    enabled: Type.Boolean(),
    updated_at: DateTime(),
    updated_by: Nullable(Type.String()),
  },
  { $id: 'RepricerRule' },
);

export const RulesSaved = Type.Object({
  dry_run: Type.Boolean(),
  rules: Type.Integer({ description: 'rules in the request' }),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
});

/** What a decision says, in the log and in a simulation. */
const Decision = {
  sku: Type.String(),
  asin: Nullable(Type.String()),
  currency: Type.String(),
  old_price: Price('the price in force'),
  proposed: Price("the strategy's target before any guard"),
  final_price: Price('the price after the guards'),
  floor: Price('the lowest price allowed (ROI floor, min_price, MAP)'),
  ceiling: Price('max_price'),
  buybox: Price('the buy box price seen'),
  strategy: Type.String({ description: `${STRATEGIES.join(', ')} (or manual)` }),
  guards: Guards,
  changed: Type.Boolean(),
  skipped: Type.Boolean(),
  error: Type.Boolean({ description: 'the inputs could not be priced (reason says why)' }),
  reason: Type.String(),
};

/** One repricer_log row. */
export const LoggedDecision = Type.Object(
  {
    id: Type.Integer(),
    run_id: Type.String({ format: 'uuid' }),
    marketplace: Type.String(),
    ...Decision,
    mode: Literals(['dry_run', 'apply', 'live']),
    created_at: DateTime(),
  },
  { $id: 'RepricerDecision' },
);

/** A per-item failure (unknown SKU, no price possible): the other items still get their answer. */
export const ItemError = Type.Object(
  { status: Literals(['error']), sku: Type.String(), error: Type.String() },
  { $id: 'PricingItemError' },
);

export const Simulated = Type.Object(
  {
    status: Literals(['ok']),
    ...Decision,
    profit: Price(
      'profit per unit at the final price: net of VAT, referral at that price, fees, returns allowance and landed cost; null without fees or landed cost',
    ),
    roi_pct: Nullable(Decimal('ROI at the final price, percent (profit / landed cost)')),
  },
  { $id: 'SimulatedDecision' },
);

/** A recent repricer run (the agent's, or a POST /pricing/apply). */
export const RepricerRun = Type.Object(
  {
    run_id: Type.String({ format: 'uuid' }),
    created_at: DateTime(),
    mode: Type.Union([Literals(['dry_run', 'apply', 'live']), Type.Null()]),
    source: Literals(['agent', 'manual'], {
      description: 'agent: a repricer run; manual: POST /pricing/apply',
    }),
    status: Nullable(Type.String({ description: "the agent run's status (success, tripped, failed…)" })),
    decisions: Type.Integer(),
    changed: Type.Integer(),
    tripped: Type.Boolean({ description: 'the circuit breaker stopped the run: nothing was applied' }),
  },
  { $id: 'RepricerRun' },
);

/** What the repricer runs with (read-only here; set by the environment). */
export const RepricerSettings = Type.Object({
  marketplace: Type.String(),
  currency: Type.String(),
  mode: Literals(['dry_run', 'apply', 'live'], { description: 'REPRICER_MODE: what scheduled runs do' }),
  min_roi: Type.Number({ description: 'REPRICER_MIN_ROI, a fraction (0.15 = 15 %)' }),
  max_step_pct: Type.Number({ description: 'REPRICER_MAX_STEP_PCT, percent per run' }),
  breaker_pct: Type.Number({ description: 'REPRICER_BREAKER_PCT, percent of listings' }),
  live_apply_max: Type.Integer({ description: 'items per POST /pricing/apply in live mode' }),
});

const AppliedItem = Type.Object(
  {
    status: Literals(['ok']),
    sku: Type.String(),
    old: Price('the price in force'),
    new: Price('the price set'),
    changed: Type.Boolean(),
    guards: Guards,
    reason: Type.String(),
    floor: Price('the lowest price allowed'),
    ceiling: Price('the highest price allowed'),
    submission_status: Type.Optional(
      Literals(['accepted', 'rejected', 'failed', 'not_submitted'], {
        description: 'REPRICER_MODE=live only: what Amazon answered',
      }),
    ),
  },
  { $id: 'AppliedPrice' },
);

export const Applied = Type.Object({
  dry_run: Type.Boolean(),
  mode: Literals(['dry_run', 'apply', 'live'], {
    description: 'dry_run: nothing set; apply: our price book; live: also sent to Amazon',
  }),
  run_id: Type.String({ format: 'uuid', description: 'the decisions are in GET /repricer/log?run_id=' }),
  changed: Type.Integer({ description: 'items whose price changes' }),
  written: Type.Integer({ description: 'price updates recorded (0 on a dry run)' }),
  submission: Type.Optional(
    Type.Object(
      {
        submitted: Type.Integer(),
        accepted: Type.Integer(),
        rejected: Type.Integer(),
        failed: Type.Integer(),
      },
      { description: 'REPRICER_MODE=live only: the submissions to Amazon' },
    ),
  ),
  items: Type.Array(Type.Union([AppliedItem, ItemError])),
});
