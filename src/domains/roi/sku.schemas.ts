import { Type } from '@sinclair/typebox';
import { DateTime, Literals, Nullable } from '../../http/schemas.ts';
import { SCORE_COMPONENTS } from '../../platform/config.ts';
import { Offer } from './roi.schemas.ts';
import { SKU_RANGES } from './sku.service.ts';

/** The response of GET /sku/{asin} (sku.service.ts), every field with its nullability. */

const NumOrNull = Nullable(Type.Number());
const StrOrNull = Nullable(Type.String());

export const Product = Type.Object({
  asin: Type.String(),
  marketplace: Type.String(),
  title: StrOrNull,
  brand: StrOrNull,
  category: StrOrNull,
  weight_kg: NumOrNull,
  length_cm: NumOrNull,
  width_cm: NumOrNull,
  height_cm: NumOrNull,
  status: Literals(['pending', 'approved', 'rejected', 'observe'] as const, {
    description: 'buying decision',
  }),
  approved_by: StrOrNull,
  approved_at: Nullable(DateTime()),
  created_at: DateTime(),
  updated_at: DateTime(),
});

export const Fees = Type.Object({
  marketplace: Type.String(),
  asin: Type.String(),
  referral: NumOrNull,
  fulfilment: NumOrNull,
  storage: NumOrNull,
  other: NumOrNull,
  currency: Type.String({ description: 'the fees as stored, in this currency (offers show them converted)' }),
  price_basis: Nullable(Type.Number({ description: 'the price the referral fee was quoted at' })),
  source: Type.String(),
  captured_at: DateTime(),
});

const BuyboxPoint = Type.Object({
  captured_at: DateTime(),
  price: Type.Number(),
  currency: Type.String(),
  source: Type.String(),
});

const Series = (description: string) =>
  Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }), { description });

const Guard = Type.Object(
  {
    floor: Nullable(Type.Number({ description: 'max(ROI floor, rule min_price, MAP)' })),
    ceiling: Nullable(Type.Number({ description: "the rule's max_price; null = none" })),
    min_roi: Type.Number({ description: 'REPRICER_MIN_ROI as a fraction: 0.15 = 15 %' }),
    source: Literals(['listing', 'best_offer', 'none'] as const, {
      description:
        "listing: the repricer's inputs and rule for `sku`; best_offer: not listed, the ROI floor of the best vendor offer",
    }),
    floor_by: Nullable(Literals(['min_roi', 'min_price', 'map'] as const)),
    roi_floor: Nullable(Type.Number({ description: 'the price at which ROI = min_roi' })),
    sku: StrOrNull,
    note: Nullable(Type.String({ description: 'why there is no floor' })),
  },
  { $id: 'PriceGuard' },
);

const PriceChange = Type.Object({
  at: DateTime(),
  sku: Type.String(),
  from: NumOrNull,
  to: Type.Number(),
  reason: Type.String(),
  guard: Nullable(Type.String({ description: 'the first guard that acted (floor, max_step, …)' })),
  mode: Literals(['dry_run', 'apply', 'live', 'manual'] as const),
  dry_run: Type.Boolean({ description: 'a decision only: the price did not change' }),
});

const Decision = Type.Object({
  id: Type.Integer(),
  run_id: Type.String(),
  sku: Type.String(),
  created_at: DateTime(),
  old_price: NumOrNull,
  proposed: NumOrNull,
  final_price: NumOrNull,
  floor: NumOrNull,
  ceiling: NumOrNull,
  buybox: NumOrNull,
  strategy: Type.String(),
  guards: Type.Array(Type.String()),
  guard: Nullable(Type.String({ description: 'the first of guards' })),
  changed: Type.Boolean(),
  skipped: Type.Boolean(),
  error: Type.Boolean(),
  mode: Literals(['dry_run', 'apply', 'live'] as const),
  reason: Type.String(),
});

const componentsOf = <T extends import('@sinclair/typebox').TSchema>(t: T) =>
  Type.Object(
    Object.fromEntries(SCORE_COMPONENTS.map((c) => [c, t])) as Record<(typeof SCORE_COMPONENTS)[number], T>,
  );

const Score = Type.Object({
  asin: Type.String(),
  marketplace: Type.String(),
  score: Type.Number({ description: 'total 0–100: weighted mean of the components that had inputs' }),
  confidence: Type.Number({ description: 'share of the weight whose inputs were known' }),
  scored_at: DateTime(),
  run_id: Type.String(),
  components: componentsOf(Nullable(Type.Number({ minimum: 0, maximum: 1 }))),
  explanation: Type.Partial(componentsOf(Type.String())),
  weights: componentsOf(Type.Number()),
});

export const SkuQuery = Type.Object(
  {
    days: Type.Union(
      SKU_RANGES.map((r) => Type.Literal(r)),
      { default: '90', description: 'the range of the series: 7, 30 or 90 days back from now, or all' },
    ),
  },
  { additionalProperties: false },
);

export const SkuDetail = Type.Object(
  {
    asin: Type.String(),
    marketplace: Type.String(),
    currency: Type.String({ description: 'the marketplace currency: every figure below unless said' }),
    range: Type.Object({
      days: Literals(SKU_RANGES),
      from: Nullable(DateTime({ description: 'null: all history' })),
      to: DateTime(),
    }),
    product: Nullable(Product),
    offers: Type.Array(Offer, {
      description: 'every vendor offer with its landed-cost breakdown, best first',
    }),
    fees: Nullable(Fees),
    buybox: Type.Array(BuyboxPoint, { description: 'buy box points in the range, oldest first' }),
    series: Type.Object(
      {
        buybox: Series('[epoch seconds, buy box price]'),
        amazon: Series("[t, Amazon's own price]: not stored yet, always empty"),
        new_fba: Series('[t, lowest new FBA price]'),
        new_fbm: Series('[t, lowest new FBM price]: not stored yet, always empty'),
        rank: Series('[t, sales rank]'),
        amazon_on_listing: Series('[t, 1 while Amazon sells on the listing, 0 when not]'),
        our_price: Series("[t, our price]: prices set (in force) and the listing's reported price"),
      },
      { description: 'time series within the range, oldest first; only what is stored' },
    ),
    skus: Type.Array(Type.String(), { description: "the seller's listings of this ASIN, active first" }),
    guard: Guard,
    price_changes: Type.Array(PriceChange, { description: 'our price changes in the range, oldest first' }),
    decisions: Type.Array(Decision, {
      description: 'the latest 20 repricer decisions of its SKUs, newest first',
    }),
    score: Nullable(Score),
  },
  { $id: 'SkuDetail' },
);
