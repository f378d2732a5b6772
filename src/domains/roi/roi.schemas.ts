import { type TProperties, Type } from '@sinclair/typebox';
import { DateTime, Literals, Nullable } from '../../http/schemas.ts';
import { FLAGS, SORT_KEYS, STATUS_FILTERS } from './roi.repo.ts';
import { DECISIONS } from './roi.service.ts';

/**
 * HTTP shapes of the ROI routes. The OpenAPI document and the browser client's types are generated
 * from these, so every column is listed with its nullability: a column missing here would be dropped
 * from responses by the serializer. Enums in responses are Literals (a string enum): a value the
 * list does not know yet must not make a response fail.
 */

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Num = Type.Number();
const NumOrNull = Nullable(Type.Number());
const Str = Type.String();
const StrOrNull = Nullable(Type.String());
const Time = DateTime();
const TimeOrNull = Nullable(DateTime());

export const Asin = Type.String({ pattern: '^[A-Z0-9]{10}$', description: '10 characters, A-Z and 0-9' });

const Flag = Literals(FLAGS);

/** The filters GET /roi, /roi.csv, /roi/count and a bulk approval share. */
export const RoiFilterProps = {
  roi_min: Type.Optional(Type.Number({ minimum: -1e6, maximum: 1e6, description: 'ROI % at least' })),
  roi_max: Type.Optional(Type.Number({ minimum: -1e6, maximum: 1e6 })),
  margin_min: Type.Optional(
    Type.Number({ minimum: -1e6, maximum: 1e6, description: 'margin % (profit / net price) at least' }),
  ),
  margin_max: Type.Optional(Type.Number({ minimum: -1e6, maximum: 1e6 })),
  vendor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'vendor id or name' })),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  search: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'substring of ASIN, SKU, title or brand' }),
  ),
  flags: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: `any of ${FLAGS.join(', ')}, comma-separated` }),
  ),
  status: Type.Optional(
    Type.Union(
      STATUS_FILTERS.map((s) => Type.Literal(s)),
      { description: 'the buying decision; none = not decided yet' },
    ),
  ),
  best_only: Type.Boolean({ default: true, description: 'one row per ASIN: its best offer' }),
};

const SortProps = {
  sort: Type.Union(
    SORT_KEYS.map((s) => Type.Literal(s)),
    { default: 'roi' },
  ),
  order: Type.Optional(literals(['asc', 'desc'] as const)),
};

// Unknown parameters are refused (400) rather than ignored: a misspelt filter must not silently
// return everything.
export const RoiQuery = Type.Object(
  {
    ...RoiFilterProps,
    ...SortProps,
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);
export const RoiCsvQuery = Type.Object({ ...RoiFilterProps, ...SortProps }, { additionalProperties: false });
export const RoiCountQuery = Type.Object(RoiFilterProps, { additionalProperties: false });

/** One vendor offer with its landed-cost breakdown, in the marketplace currency unless named. */
export const OfferProps = {
  vendor_id: Type.Integer(),
  vendor_name: Str,
  vendor_country: StrOrNull,
  sku: Type.String({ description: "the vendor's item code" }),
  asin: Str,
  asin_source: Literals(['vendor', 'barcode'] as const),
  barcode: StrOrNull,
  title: StrOrNull,
  brand: StrOrNull,
  category: StrOrNull,
  product_status: Nullable(
    Type.String({ description: 'pending, approved, rejected or observe; null without a product record' }),
  ),
  marketplace: Str,
  currency: Str,
  cost: Type.Number({ description: 'vendor cost per unit, in cost_currency' }),
  cost_currency: Str,
  pack_size: Type.Integer(),
  cost_fx_rate: NumOrNull,
  unit_cost: Nullable(Type.Number({ description: 'cost × fx (+ VAT when not registered)' })),
  weight_kg: NumOrNull,
  lane: StrOrNull,
  eur_per_kg: NumOrNull,
  freight_fx_rate: NumOrNull,
  freight: Type.Number({ description: 'weight × rate per kg × fx; 0 with a flag when unknown' }),
  referral: NumOrNull,
  fulfilment: NumOrNull,
  storage: NumOrNull,
  other: NumOrNull,
  fees_currency: StrOrNull,
  fees_fx_rate: NumOrNull,
  fees: Nullable(Type.Number({ description: 'referral + fulfilment + storage + other' })),
  fba: Type.Boolean(),
  buybox_price: Nullable(Type.Number({ description: 'in buybox_currency, VAT included' })),
  buybox_currency: StrOrNull,
  buybox_fx_rate: NumOrNull,
  buybox_at: TimeOrNull,
  vat_rate: Num,
  vat_source: Type.String({ description: 'asin, category or marketplace' }),
  vat_registered: Type.Boolean(),
  price: Nullable(
    Type.Number({ description: 'buy box in the marketplace currency, net of VAT if registered' }),
  ),
  returns_allowance: Num,
  profit: NumOrNull,
  roi_pct: Nullable(Type.Number({ description: 'null when any flag is set' })),
  margin_pct: NumOrNull,
  flags: Type.Array(Flag),
  best: Type.Boolean({ description: "the ASIN's best offer (highest ROI)" }),
  computed_at: Time,
};
export const Offer = Type.Object(OfferProps, { $id: 'RoiOffer' });

export const RoiRow = Type.Object(
  {
    ...OfferProps,
    score: Nullable(Type.Number({ description: "the ASIN's current score 0–100" })),
    score_confidence: NumOrNull,
    scored_at: TimeOrNull,
  },
  { $id: 'RoiRow' },
);

/** Column order of GET /roi.csv: every RoiRow field, as named in JSON. */
export const CSV_COLUMNS = Object.keys(RoiRow.properties) as (keyof typeof RoiRow.properties)[];

export const RoiPage = Type.Object({
  total: Type.Integer({ description: 'offers matching' }),
  page: Type.Integer(),
  page_size: Type.Integer(),
  sort: Literals(SORT_KEYS),
  order: Literals(['asc', 'desc'] as const),
  items: Type.Array(RoiRow),
});

export const RoiCount = Type.Object({
  total: Type.Integer({ description: 'offers matching (as GET /roi total)' }),
  asins: Type.Integer({
    description:
      'distinct products (ASINs with a product record) matching: what a bulk approval by filter changes',
  }),
});

// One object rather than a union of the two forms: a union's validation errors cannot say which
// form was meant; the service checks that exactly one of `asins` and `filter` is given.
export const ApproveBody = Type.Object(
  {
    asins: Type.Optional(Type.Array(Asin, { minItems: 1, maxItems: 1000, description: 'these products' })),
    filter: Type.Optional(
      Type.Object(
        { ...RoiFilterProps, best_only: Type.Optional(Type.Boolean({ description: 'default true' })) },
        {
          additionalProperties: false,
          description: 'or every product the GET /roi filter matches (its parameters as an object)',
        },
      ),
    ),
    expected_count: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'with filter: the number of products the user confirmed (GET /roi/count asins)',
      }),
    ),
    status: Type.Optional(literals(DECISIONS)),
    dry_run: Type.Optional(Type.Boolean({ description: 'default false: count, change nothing' })),
  },
  { additionalProperties: false },
);

export const ApproveResult = Type.Union([
  Type.Object({ dry_run: Type.Literal(true), would_update: Type.Integer() }),
  Type.Object({ dry_run: Type.Literal(false), updated: Type.Integer() }),
]);

export const ScoreItem = Type.Union([
  Type.Object({ status: Type.Literal('ok'), ...OfferProps }),
  Type.Object({ status: Type.Literal('not_found'), asin: Str }),
]);

export const Kpi = Type.Object({
  products: Type.Integer(),
  offers: Type.Integer(),
  vendors: Type.Integer(),
  asins: Type.Integer({ description: 'ASINs with at least one offer' }),
  asins_roi_30: Type.Integer({ description: 'ASINs whose best offer has ROI ≥ 30 %' }),
  flagged_offers: Type.Integer(),
  flagged: Type.Object(Object.fromEntries(FLAGS.map((f) => [f, Type.Integer()])) as TProperties),
  avg_roi: NumOrNull,
  median_roi: NumOrNull,
  last_refresh_at: TimeOrNull,
  last_refresh_ms: Nullable(Type.Integer()),
});

export const VendorRoi = Type.Object(
  {
    vendor_id: Type.Integer(),
    vendor_name: Str,
    offers: Type.Integer(),
    asins: Type.Integer(),
    avg_roi: NumOrNull,
    median_roi: NumOrNull,
    share_roi_30: Type.Number({ description: 'share of offers with ROI ≥ 30 %, 0–1' }),
    flagged: Type.Integer(),
  },
  { $id: 'VendorRoi' },
);
