import { Type } from '@sinclair/typebox';
import { DateTime, Literals, Nullable } from '../../http/schemas.ts';
import { VENDOR_SORTS } from './vendors.repo.ts';
import { STALE_PRICE_LIST_DAYS } from './vendors.service.ts';

const Sort = Type.Union(
  VENDOR_SORTS.map((s) => Type.Literal(s)),
  { default: 'name' },
);
const Order = Type.Union([Type.Literal('asc'), Type.Literal('desc')]);

/** The filters GET /vendors and GET /vendors.csv share. Unknown parameters are refused (400). */
const filterFields = {
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'part of the name' })),
  country: Type.Optional(Type.String({ minLength: 2, maxLength: 2, description: 'ISO 3166-1 alpha-2' })),
  currency: Type.Optional(Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217' })),
  stale: Type.Optional(
    Type.Boolean({
      description: `true: only vendors whose last price list is older than ${STALE_PRICE_LIST_DAYS} days (or who have none); false: the others`,
    }),
  ),
  sort: Sort,
  order: Type.Optional(Order),
};

export const VendorsQuery = Type.Object(
  {
    ...filterFields,
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    page_size: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 200, description: 'without it: every matching vendor (pickers)' }),
    ),
  },
  { additionalProperties: false },
);

export const VendorsCsvQuery = Type.Object(filterFields, { additionalProperties: false });

export const Vendor = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    email: Nullable(Type.String()),
    country: Nullable(Type.String({ description: 'ISO 3166-1 alpha-2: picks the freight lane ROI uses' })),
    currency: Nullable(
      Type.String({ description: 'ISO 4217: the currency of a price list from this vendor that names none' }),
    ),
    lead_time_days: Nullable(
      Type.Integer({ description: 'default lead time: for items whose price list gives none' }),
    ),
    moq: Nullable(
      Type.Integer({ description: 'default MOQ in units: for items whose price list gives none' }),
    ),
    offers: Type.Integer({ description: 'current prices (SKUs) of this vendor' }),
    last_import_at: Nullable(DateTime()),
    last_price_list_id: Nullable(Type.Integer()),
    last_price_list_file: Nullable(Type.String()),
    price_list_age_days: Nullable(Type.Integer({ description: 'whole days since the last price list' })),
    stale: Type.Boolean({
      description: `no price list, or the last is older than ${STALE_PRICE_LIST_DAYS} days (SPEC §10)`,
    }),
    updated_at: DateTime(),
  },
  { $id: 'Vendor' },
);

export const VendorsPage = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  page_size: Type.Integer({ minimum: 0 }),
  sort: Literals(VENDOR_SORTS),
  order: Literals(['asc', 'desc']),
  stale_after_days: Type.Integer(),
  items: Type.Array(Vendor),
});

// null first: with type coercion on, a null would otherwise be coerced to 0 or "" by the first branch
const NullableInt = Type.Union([Type.Null(), Type.Integer()]);

// Ranges and codes are checked by the service, so a refusal names the field, the value and why.
export const VendorPatch = Type.Object(
  {
    country: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 10 })])),
    currency: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 10 })])),
    lead_time_days: Type.Optional(NullableInt),
    moq: Type.Optional(NullableInt),
    email: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 320 })])),
    dry_run: Type.Boolean({
      default: true,
      description: 'default true: report what would change, save nothing',
    }),
  },
  { additionalProperties: false },
);

const Value = Nullable(Type.Union([Type.String(), Type.Integer()]));

export const VendorUpdate = Type.Object({
  dry_run: Type.Boolean(),
  vendor: Vendor,
  changes: Type.Array(Type.Object({ field: Type.String(), from: Value, to: Value })),
  effects: Type.Array(
    Type.Object({
      field: Type.String(),
      what: Literals(['roi', 'restock', 'import']),
      count: Type.Integer({ description: 'items (vendor prices) affected' }),
      message: Type.String({ description: 'what the change does, in one line' }),
    }),
  ),
  roi_recomputed: Type.Boolean({ description: 'ROI was recomputed (a saved country change)' }),
});
