import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import * as service from './roi.service.ts';

const Asin = Type.String({ pattern: service.ASIN_PATTERN, description: '10 characters, A-Z and 0-9' });
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

// Unknown parameters are refused (400) rather than ignored: a misspelt filter must not silently
// return everything.
const RoiQuery = Type.Object(
  {
    roi_min: Type.Optional(Type.Number({ minimum: -1e6, maximum: 1e6 })),
    roi_max: Type.Optional(Type.Number({ minimum: -1e6, maximum: 1e6 })),
    vendor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'vendor id or name' })),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    search: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'substring of ASIN, SKU, title or brand' }),
    ),
    flags: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: `any of ${service.FLAGS.join(', ')}` }),
    ),
    best_only: Type.Boolean({ default: true, description: 'one row per ASIN: its best offer' }),
    sort: Type.Union(
      (['roi', 'margin', 'asin', 'vendor'] as const).map((s) => Type.Literal(s)),
      { default: 'roi' },
    ),
    order: Type.Optional(literals(['asc', 'desc'] as const)),
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export async function roiRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  app.get<{ Querystring: service.RoiQuery }>(
    '/roi',
    {
      schema: {
        tags: ['roi'],
        summary: 'Landed cost and ROI of vendor offers, filtered, sorted and paged',
        querystring: RoiQuery,
      },
    },
    async (req) => service.listRoi(deps.db, deps.cache, req.query),
  );

  app.post<{ Body: { asins: string[]; status?: service.Decision } }>(
    '/roi/approve',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['roi'],
        summary: 'Record a buying decision on products (all or none)',
        body: Type.Object(
          {
            asins: Type.Array(Asin, { minItems: 1, maxItems: 1000 }),
            status: Type.Optional(literals(service.DECISIONS)),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) =>
      service.approve(deps.db, req.body.asins, req.body.status ?? 'approved', req.principal!.name),
  );

  app.get<{ Params: { asin: string } }>(
    '/sku/:asin',
    {
      schema: {
        tags: ['roi'],
        summary:
          'One ASIN: product, every offer with its ROI breakdown, fees, 90 days of buy box, latest score',
        params: Type.Object({ asin: Asin }),
      },
    },
    async (req) =>
      service.skuDetail(
        deps.db,
        { marketplace: deps.config.AWA_MARKETPLACE, now: deps.clock.now() },
        req.params.asin,
      ),
  );

  app.post<{ Body: { asins: string[] } }>(
    '/score',
    {
      schema: {
        tags: ['roi'],
        summary: 'Best offer of each ASIN, in request order',
        body: Type.Object(
          { asins: Type.Array(Asin, { minItems: 1, maxItems: 500 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => service.score(deps.db, req.body.asins),
  );

  app.get(
    '/stats/kpi',
    { schema: { tags: ['roi'], summary: 'Headline counts, ROI of best offers, last refresh' } },
    async () => service.kpi(deps.db),
  );

  app.get(
    '/stats/roi_by_vendor',
    { schema: { tags: ['roi'], summary: 'ROI per vendor over all its offers, best average first' } },
    async () => service.roiByVendor(deps.db),
  );
}
