import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { DateTime, Day, Decimal, Literals, Nullable, Paged, withErrors } from '../../http/schemas.ts';
import { currencyOf } from '../../platform/amazon/marketplaces.ts';
import { AppError } from '../../platform/errors.ts';
import * as service from './purchase-orders.service.ts';

const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
const PoId = Type.Object({ id: Id }, { additionalProperties: false });
const Sku = Type.String({ minLength: 1, maxLength: 100 });
const Qty = Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'whole units, > 0' });
const STATUSES = ['open', 'received', 'cancelled'] as const;

const CreateBody = Type.Object(
  {
    vendor_id: Id,
    marketplace: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    expected_at: Type.Optional(Type.String({ format: 'date' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          asin: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{10}$' })),
          qty: Qty,
          unit_cost: Type.Optional(
            Type.Union([Type.String({ maxLength: 20 }), Type.Number({ minimum: 0 })], {
              description: 'per unit, in the marketplace currency; a string keeps it exact',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 2000 },
    ),
    dry_run: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const ReceiveBody = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(Type.Object({ sku: Sku, qty: Qty }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 2000,
        description: 'quantities received now; omit to receive everything outstanding',
      }),
    ),
    dry_run: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const PoFields = {
  id: Type.Integer(),
  vendor_id: Type.Integer(),
  vendor_name: Type.String(),
  vendor_currency: Nullable(Type.String({ description: "the vendor's invoice currency, when set" })),
  marketplace: Type.String(),
  status: Literals(STATUSES),
  reference: Nullable(Type.String()),
  expected_at: Nullable(Day()),
  note: Nullable(Type.String()),
  created_by: Type.String(),
  created_at: DateTime(),
  updated_at: DateTime(),
  received_at: Nullable(DateTime()),
  cancelled_at: Nullable(DateTime()),
};

const PoLine = Type.Object(
  {
    sku: Type.String(),
    asin: Nullable(Type.String()),
    qty: Type.Integer({ description: 'ordered' }),
    unit_cost: Nullable(Decimal('per unit, marketplace currency')),
    received_qty: Type.Integer(),
  },
  { $id: 'PurchaseOrderLine' },
);

const Money = (what: string) => Nullable(Decimal(what));

const PoDetailLine = Type.Object(
  {
    sku: Type.String(),
    asin: Nullable(Type.String()),
    qty: Type.Integer({ description: 'ordered' }),
    received_qty: Type.Integer(),
    unit_cost: Money('per unit, marketplace currency'),
    line_cost: Money('qty × unit_cost, marketplace currency'),
    unit_cost_vendor: Money("per unit, the vendor's currency at fx_rate"),
    line_cost_vendor: Money("the vendor's currency at fx_rate"),
  },
  { $id: 'PurchaseOrderDetailLine' },
);

const PurchaseOrder = Type.Object(
  {
    ...PoFields,
    vendor_currency: Type.String({ description: "the vendor's currency (the marketplace's when unset)" }),
    currency: Type.String({ description: 'the marketplace currency' }),
    fx_rate: Nullable(
      Decimal('marketplace-currency units per 1 vendor-currency unit, the latest; null: no rate known'),
    ),
    fx_as_of: Nullable(Day()),
    units: Type.Integer(),
    received_units: Type.Integer(),
    total_cost: Decimal('over the lines with a unit cost, marketplace currency'),
    total_cost_vendor: Money("the vendor's currency; null without a rate"),
    received_cost: Decimal('received units × unit cost, marketplace currency'),
    lines_without_cost: Type.Integer(),
    lines: Type.Array(PoDetailLine),
  },
  { $id: 'PurchaseOrder', description: 'a purchase order with its lines and money in both currencies' },
);

const PoSummary = Type.Object(
  {
    ...PoFields,
    line_count: Type.Integer(),
    units: Nullable(Type.Integer({ description: 'units ordered' })),
    received_units: Nullable(Type.Integer()),
    total_cost: Nullable(Decimal('sum of qty × unit_cost over the lines that have a cost')),
  },
  { $id: 'PurchaseOrderSummary' },
);

/** A change's answer: the order as it is (dry run: as it would be) after the change. */
const Changed = <T extends Record<string, TSchema>>(extra: T) =>
  Type.Object({ dry_run: Type.Boolean(), ...extra, ...PoFields, lines: Type.Array(PoLine) });

const Created = Type.Object({
  dry_run: Type.Boolean(),
  ...PoFields,
  id: Nullable(Type.Integer({ description: 'null on a dry run: nothing was stored' })),
  lines: Type.Array(PoLine),
});

const Filter = {
  status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
  vendor_id: Type.Optional(Id),
};

/** `{}`, `{dry_run}` or no body at all: cancelling needs nothing else. */
function dryRunOf(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  const extra = typeof body === 'object' ? Object.keys(body).filter((k) => k !== 'dry_run') : ['body'];
  const dry = (body as { dry_run?: unknown }).dry_run;
  if (extra.length > 0 || (dry !== undefined && typeof dry !== 'boolean')) {
    throw new AppError('invalid', 'body must be {} or {"dry_run": true|false}', [
      { field: extra[0] ?? 'dry_run', message: 'not allowed' },
    ]);
  }
  return dry === true;
}

export async function purchaseOrderRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const sdeps = { db: deps.db, clock: deps.clock };
  const marketCurrency = (m: string) => currencyOf(m, deps.config) ?? deps.config.AWA_CURRENCY;

  app.post(
    '/purchase-orders',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['restock'],
        summary: 'Place a purchase order with a vendor (dry_run supported)',
        body: CreateBody,
        response: withErrors({ 200: Created, 201: Created }),
      },
    },
    async (req, reply) => {
      const po = await service.createPo(sdeps, req.body, req.principal!.name, deps.config.AWA_MARKETPLACE);
      if (!po.dry_run) req.auditEvent = { event: 'purchase_order_created', details: { id: po.id } };
      return reply.code(po.dry_run ? 200 : 201).send(po);
    },
  );

  app.get(
    '/purchase-orders',
    {
      schema: {
        tags: ['restock'],
        summary: 'Purchase orders, newest first',
        querystring: Type.Object(
          {
            ...Filter,
            page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
            page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Paged(PoSummary) }),
      },
    },
    async (req) => service.listPurchaseOrders(sdeps, req.query),
  );

  // registered before /:id so that the static ".csv" route wins
  app.get(
    '/purchase-orders.csv',
    {
      schema: {
        tags: ['restock'],
        summary: 'Every purchase order the filter matches (no paging), newest first, as a CSV download',
        querystring: Type.Object(Filter, { additionalProperties: false }),
        response: withErrors({
          200: {
            description: 'CSV (RFC 4180, UTF-8 with a byte order mark), one row per order',
            content: { 'text/csv': { schema: Type.String() } },
          },
        }),
      },
    },
    async (req, reply) => {
      const csv = await service.purchaseOrdersCsv(sdeps, req.query, marketCurrency);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.filename}"`)
        .send(csv.body);
    },
  );

  app.get(
    '/purchase-orders/:id',
    {
      schema: {
        tags: ['restock'],
        summary: 'One purchase order with its lines',
        params: PoId,
        response: withErrors({ 200: PurchaseOrder }),
      },
    },
    async (req) => service.getPurchaseOrder(sdeps, req.params.id, marketCurrency),
  );

  app.post(
    '/purchase-orders/:id/receive',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['restock'],
        summary: 'Record a delivery (all outstanding, or per-line quantities); complete → received',
        params: PoId,
        body: ReceiveBody,
        response: withErrors({
          200: Changed({
            received: Type.Array(Type.Object({ sku: Type.String(), qty: Type.Integer() }), {
              description: 'the quantities received by this request',
            }),
          }),
        }),
      },
    },
    async (req) => {
      const out = await service.receivePo(sdeps, req.params.id, req.body);
      if (!out.dry_run) {
        req.auditEvent = {
          event: 'purchase_order_received',
          details: { id: out.id, received: out.received, status: out.status },
        };
      }
      return out;
    },
  );

  app.post(
    '/purchase-orders/:id/cancel',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['restock'],
        summary: 'Cancel an open purchase order (dry_run supported)',
        params: PoId,
        response: withErrors({ 200: Changed({}) }),
      },
    },
    async (req) => {
      const out = await service.cancelPo(sdeps, req.params.id, { dry_run: dryRunOf(req.body) });
      if (!out.dry_run) req.auditEvent = { event: 'purchase_order_cancelled', details: { id: out.id } };
      return out;
    },
  );
}
