import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import {
  DateTime,
  Day,
  Decimal,
  Literals,
  Nullable,
  Paged,
  PagedWith,
  withErrors,
} from '../../http/schemas.ts';
import * as plans from './plans.service.ts';
import { purchaseOrderRoutes } from './purchase-orders.routes.ts';
import { ordersFromPlan } from './restock.orders.service.ts';
import { LINE_FLAGS, LINE_SORTS } from './restock.read.repo.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Page = {
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
};
const PlanId = Type.Object(
  { id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) },
  { additionalProperties: false },
);

const Count = (description?: string) => Type.Integer({ minimum: 0, description });

/** A stored plan: one per marketplace and ISO week. */
const RestockPlan = Type.Object(
  {
    id: Type.Integer(),
    marketplace: Type.String(),
    week: Type.String({ description: "ISO week, e.g. '2026-W48'" }),
    run_id: Nullable(Type.String({ format: 'uuid' })),
    params: Type.Object(
      {
        transit_days: Type.Optional(Type.Integer()),
        cover_days: Type.Optional(Type.Integer()),
        service_level: Type.Optional(Type.Number({ description: 'e.g. 0.95' })),
        z: Type.Optional(Type.Number({ description: 'the service level as a normal quantile' })),
        review_days: Type.Optional(Type.Integer()),
        window: Type.Optional(
          Type.Object({ from: Day(), to: Day() }, { description: 'the sales history used' }),
        ),
      },
      // plans saved by earlier versions named these differently: pass whatever was stored
      { additionalProperties: true, description: 'the settings the plan was computed with' },
    ),
    counts: Type.Object({
      skus: Count(),
      order_lines: Count('lines that order something'),
      units: Count(),
      no_sales: Count(),
      new_skus: Count('under a week of history'),
      overstock: Count(),
      no_vendor: Count(),
    }),
    total_units: Count(),
    total_cost: Decimal(),
    currency: Type.String(),
    csv_key: Type.String({
      description: 'object-storage key of the CSV (download: GET /restock/plans/{id}.csv)',
    }),
    created_at: DateTime(),
    updated_at: DateTime(),
  },
  { $id: 'RestockPlan' },
);

const PlanLine = Type.Object(
  {
    sku: Type.String(),
    asin: Nullable(Type.String()),
    vendor_id: Nullable(Type.Integer()),
    vendor_name: Nullable(Type.String()),
    vendor_sku: Nullable(Type.String()),
    demand: Type.Number({ description: 'units a day' }),
    sigma: Type.Number({ description: 'standard deviation of daily demand' }),
    lead_time_days: Type.Integer(),
    safety_stock: Type.Number(),
    reorder_point: Type.Number(),
    order_up_to: Type.Number(),
    on_hand: Type.Integer(),
    inbound: Type.Integer(),
    on_order: Type.Integer({ description: 'outstanding on open purchase orders' }),
    position: Type.Integer({ description: 'on hand + inbound + on order' }),
    qty: Count('units to order'),
    case_pack: Type.Integer(),
    moq: Type.Integer(),
    unit_cost: Nullable(Decimal()),
    line_cost: Nullable(Decimal()),
    days_of_cover: Nullable(Type.Number()),
    days_to_stockout: Nullable(Type.Number()),
    overstock: Type.Boolean(),
    history_days: Type.Integer(),
    in_stock_days: Type.Integer(),
    reason: Type.String(),
    flag: Literals(LINE_FLAGS, {
      description:
        'stockout: the position lasts fewer days than the lead time; below_rop: at or under the reorder ' +
        'point; ok; no_demand: no sales to plan on',
    }),
    on_order_now: Type.Integer({
      description: 'outstanding on open purchase orders now (on_order is as of the plan)',
    }),
    open_po_ids: Type.Array(Type.Integer(), { description: 'the open purchase orders holding this SKU' }),
  },
  { $id: 'RestockPlanLine' },
);

const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });

const FromPlanBody = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            sku: Type.String({ minLength: 1, maxLength: 100 }),
            qty: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: 10_000_000,
                description: "units wanted; rounded up to whole cases and the MOQ. Omit: the plan's qty",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10_000 },
      ),
    ),
    all_order_lines: Type.Optional(
      Type.Boolean({ description: 'every line the plan orders; `lines` then only change quantities' }),
    ),
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    expected_at: Type.Optional(Type.String({ format: 'date' })),
    dry_run: Type.Boolean({ default: true, description: 'default true: answer the orders, write nothing' }),
  },
  { additionalProperties: false },
);

const FromPlanLine = Type.Object({
  sku: Type.String(),
  asin: Nullable(Type.String()),
  vendor_sku: Nullable(Type.String()),
  wanted: Type.Integer({ description: 'units asked for, before rounding' }),
  qty: Type.Integer({ description: 'units ordered: whole cases, at least the MOQ' }),
  cases: Type.Integer(),
  case_pack: Type.Integer(),
  moq: Type.Integer(),
  raised_to_moq: Type.Boolean(),
  unit_cost: Nullable(Decimal()),
  line_cost: Nullable(Decimal()),
});

const FromPlan = Type.Object({
  dry_run: Type.Boolean(),
  plan_id: Type.Integer(),
  currency: Type.String(),
  count: Count('purchase orders (one per vendor)'),
  units: Count(),
  total_cost: Decimal(),
  orders: Type.Array(
    Type.Object({
      id: Nullable(Type.Integer({ description: 'null on a dry run' })),
      vendor_id: Type.Integer(),
      vendor_name: Type.String(),
      units: Count(),
      total_cost: Decimal('over the lines with a unit cost'),
      lines: Type.Array(FromPlanLine),
    }),
  ),
});

const PlanDetail = Type.Object({
  plan: RestockPlan,
  lines: PagedWith(PlanLine, {
    sort: Literals(LINE_SORTS),
    order: Literals(['asc', 'desc']),
  }),
});

/** Restock plans (SPEC §9) and, registered with them, the purchase orders the planner counts. */
export async function restockRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/restock/plans',
    {
      schema: {
        tags: ['restock'],
        summary: 'Weekly restock plans, newest first',
        querystring: Type.Object(Page, { additionalProperties: false }),
        response: withErrors({ 200: Paged(RestockPlan) }),
      },
    },
    async (req) => plans.listPlans(deps.db, req.query),
  );

  // registered before /:id so that find-my-way matches the static ".csv" suffix first
  app.get(
    '/restock/plans/:id.csv',
    {
      schema: {
        tags: ['restock'],
        summary: 'The plan as a CSV download',
        params: PlanId,
        response: withErrors({
          200: {
            description: 'the plan, one line per SKU, as an attachment',
            // streamed from object storage, so never serialised: the schema only documents it
            content: { 'text/csv': { schema: Type.Unsafe<string | Readable>(Type.String()) } },
          },
        }),
      },
    },
    async (req, reply) => {
      const csv = await plans.planCsv(deps.db, deps.store, req.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.name}"`)
        .send(csv.body);
    },
  );

  app.get(
    '/restock/plans/:id',
    {
      schema: {
        tags: ['restock'],
        summary: 'One plan with a page of its lines (default: most urgent first)',
        params: PlanId,
        querystring: Type.Object(
          {
            order_only: Type.Boolean({ default: false, description: 'only lines that order something' }),
            flag: Type.Optional(literals(LINE_FLAGS)),
            vendor_id: Type.Optional(Id),
            sort: Type.Union(
              LINE_SORTS.map((s) => Type.Literal(s)),
              { default: 'days_to_stockout' },
            ),
            order: Type.Optional(literals(['asc', 'desc'] as const)),
            ...Page,
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: PlanDetail }),
      },
    },
    async (req) => {
      const detail = await plans.planDetail(deps.db, req.params.id, req.query);
      // the repo hands the plan row as pg returns it; RestockPlan says what that row holds
      return { ...detail, plan: detail.plan as unknown as Static<typeof RestockPlan> };
    },
  );

  app.post(
    '/restock/plans/:id/purchase-orders',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['restock'],
        summary: "Place the plan's chosen lines as purchase orders, one per vendor (dry run by default)",
        description:
          'All or nothing. A quantity is rounded up to whole case packs and to at least the MOQ, as the ' +
          'planner rounds; without one the line orders what the plan suggests.',
        params: PlanId,
        body: FromPlanBody,
        response: withErrors({ 200: FromPlan, 201: FromPlan }),
      },
    },
    async (req, reply) => {
      const out = await ordersFromPlan(deps.db, req.params.id, req.body, req.principal!.name);
      if (!out.dry_run) {
        req.auditEvent = {
          event: 'purchase_orders_from_plan',
          details: { plan_id: out.plan_id, ids: out.orders.map((o) => o.id), units: out.units },
        };
      }
      return reply.code(out.dry_run ? 200 : 201).send(out);
    },
  );

  await purchaseOrderRoutes(fastify, deps);
}
