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
  },
  { $id: 'RestockPlanLine' },
);

const PlanDetail = Type.Object({
  plan: RestockPlan,
  lines: PagedWith(PlanLine, {
    sort: Literals(['days_to_stockout', 'qty', 'line_cost', 'sku']),
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
            sort: Type.Union(
              (['days_to_stockout', 'qty', 'line_cost', 'sku'] as const).map((s) => Type.Literal(s)),
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

  await purchaseOrderRoutes(fastify, deps);
}
