import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
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

/** Restock plans (SPEC §9) and, registered with them, the purchase orders the planner counts. */
export async function restockRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  app.get<{ Querystring: { page: number; page_size: number } }>(
    '/restock/plans',
    {
      schema: {
        tags: ['restock'],
        summary: 'Weekly restock plans, newest first',
        querystring: Type.Object(Page, { additionalProperties: false }),
      },
    },
    async (req) => plans.listPlans(deps.db, req.query),
  );

  // registered before /:id so that find-my-way matches the static ".csv" suffix first
  app.get<{ Params: { id: number } }>(
    '/restock/plans/:id.csv',
    {
      schema: { tags: ['restock'], summary: 'The plan as a CSV download', params: PlanId },
    },
    async (req, reply) => {
      const csv = await plans.planCsv(deps.db, deps.store, req.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.name}"`)
        .send(csv.body);
    },
  );

  app.get<{ Params: { id: number }; Querystring: plans.PlanQuery }>(
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
      },
    },
    async (req) => plans.planDetail(deps.db, req.params.id, req.query),
  );

  await purchaseOrderRoutes(app, deps);
}
