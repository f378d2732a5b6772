import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { DateTime, Day, Nullable, withErrors } from '../../http/schemas.ts';
import { Kpi, VendorRoi } from '../roi/roi.schemas.ts';
import { dashboard, RECENT_FILES, TOP_RETURNS, TOP_VENDORS } from './dashboard.service.ts';

const ReturnFigures = {
  returns: Type.Integer(),
  units_returned: Type.Integer(),
  refund_amount: Nullable(Type.Number()),
  reimbursed_amount: Nullable(Type.Number()),
  units_sold: Type.Integer(),
  return_rate: Nullable(Type.Number({ description: 'units returned / units sold' })),
};

const Returns = Type.Object(
  {
    window: Type.Object({ from: Day(), to: Day() }),
    summary: Type.Object({ asins: Type.Integer(), ...ReturnFigures }),
    total: Type.Integer(),
    page: Type.Integer(),
    page_size: Type.Integer(),
    items: Type.Array(
      Type.Object({
        asin: Type.String(),
        title: Nullable(Type.String()),
        ...ReturnFigures,
        top_reason: Nullable(Type.String()),
      }),
    ),
  },
  { description: `as GET /stats/returns (trailing 90 days, top ${TOP_RETURNS} by units returned)` },
);

const Dashboard = Type.Object({
  kpi: Type.Object(Kpi.properties, { description: 'as GET /stats/kpi' }),
  roi_by_vendor: Type.Object(
    { items: Type.Array(VendorRoi) },
    { description: `as GET /stats/roi_by_vendor, the top ${TOP_VENDORS}` },
  ),
  returns: Returns,
  imports: Type.Array(
    Type.Object({
      id: Type.Integer(),
      vendor_id: Type.Integer(),
      vendor: Type.String(),
      file: Type.String(),
      rows: Type.Integer(),
      status: Type.String({ description: 'success, partial, failed or skipped' }),
      at: DateTime(),
    }),
    { description: `the last ${RECENT_FILES} price-list imports, newest first` },
  ),
  loads: Type.Array(
    Type.Object({
      id: Type.Integer(),
      type: Type.String(),
      file: Nullable(Type.String()),
      rows: Nullable(Type.Integer()),
      status: Type.String({ description: 'pending, success, failed or skipped' }),
      at: DateTime({ description: 'when the load started' }),
    }),
    { description: `the last ${RECENT_FILES} Amazon report loads, newest first` },
  ),
  agents: Type.Array(
    Type.Object({
      name: Type.String(),
      schedule: Nullable(Type.String({ description: 'cron (UTC); null: on demand only' })),
      last_status: Nullable(Type.String({ description: 'running, success, failed, skipped or tripped' })),
      last_run_at: Nullable(DateTime()),
      last_error: Nullable(Type.String()),
      last_success_at: Nullable(DateTime({ description: 'the last successful run that was not a dry run' })),
      failed: Type.Boolean({ description: 'the last run failed' }),
      overdue: Type.Boolean({
        description: "scheduled, and no successful run within twice the schedule's interval",
      }),
      next_due_at: Nullable(DateTime()),
    }),
  ),
});

export async function dashboardRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/dashboard',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'The dashboard in one request: KPIs, ROI by vendor, returns, recent files, agent health',
        response: withErrors({ 200: Dashboard }),
      },
    },
    async () => dashboard(deps),
  );
}
