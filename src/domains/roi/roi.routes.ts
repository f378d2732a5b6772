import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { withErrors } from '../../http/schemas.ts';
import { approve } from './decisions.service.ts';
import { exportRoiCsv } from './roi.export.service.ts';
import {
  ApproveBody,
  ApproveResult,
  Asin,
  Kpi,
  RoiCount,
  RoiCountQuery,
  RoiCsvQuery,
  RoiPage,
  RoiQuery,
  ScoreItem,
  VendorRoi,
} from './roi.schemas.ts';
import * as service from './roi.service.ts';
import { SkuDetail, SkuQuery } from './sku.schemas.ts';
import { skuDetail } from './sku.service.ts';

export async function roiRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/roi',
    {
      schema: {
        tags: ['roi'],
        summary: 'Landed cost and ROI of vendor offers, filtered, sorted and paged',
        querystring: RoiQuery,
        response: withErrors({ 200: RoiPage }),
      },
    },
    async (req) => service.listRoi(deps.db, deps.cache, req.query),
  );

  app.get(
    '/roi.csv',
    {
      schema: {
        tags: ['roi'],
        summary: 'Every offer GET /roi matches (same filters and order, no paging) as a CSV download',
        description:
          'Streams the whole filtered set: a header row of the GET /roi field names, numbers unformatted ' +
          "with a '.' decimal point, times in ISO 8601, flags joined by '|', text that a spreadsheet would " +
          "run as a formula (= + - @) prefixed with '. UTF-8 with a byte order mark.",
        querystring: RoiCsvQuery,
        response: withErrors({
          200: {
            description: 'CSV (RFC 4180) as the attachment awa-roi-<YYYY-MM-DD>.csv',
            // produced while the client reads it, never serialised: the schema only documents it
            content: { 'text/csv': { schema: Type.Unsafe<string | Readable>(Type.String()) } },
          },
        }),
      },
    },
    async (req, reply) => {
      const { filename, lines } = exportRoiCsv(deps.db, req.query, deps.clock.now());
      const body = Readable.from(lines);
      body.on('error', (err) => req.log.error({ err }, 'roi csv export failed'));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(body);
    },
  );

  app.get(
    '/roi/count',
    {
      schema: {
        tags: ['roi'],
        summary: 'How many offers and distinct products a GET /roi filter matches ("select all N matching")',
        querystring: RoiCountQuery,
        response: withErrors({ 200: RoiCount }),
      },
    },
    async (req) => service.countRoi(deps.db, deps.cache, req.query),
  );

  app.post(
    '/roi/approve',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['roi'],
        summary:
          'Record a buying decision on listed ASINs or on every product a filter matches (all or none)',
        description:
          'Either `asins` (any unknown ASIN → 404, nothing changed) or `filter` + `expected_count`: when ' +
          'the filter no longer matches exactly expected_count products → 409, nothing changed. ' +
          '`dry_run` checks the same and answers would_update without writing.',
        body: ApproveBody,
        response: withErrors({ 200: ApproveResult }),
      },
    },
    async (req) => approve(deps.db, req.body, { by: req.principal!.name, now: deps.clock.now() }),
  );

  app.get(
    '/sku/:asin',
    {
      schema: {
        tags: ['roi'],
        summary:
          'One ASIN: product, every offer with its landed-cost breakdown, fees, chart series, guard band, ' +
          'price changes, repricer decisions and score',
        params: Type.Object({ asin: Asin }),
        querystring: SkuQuery,
        response: withErrors({ 200: SkuDetail }),
      },
    },
    async (req) => skuDetail(deps, req.params.asin, req.query.days),
  );

  app.post(
    '/score',
    {
      schema: {
        tags: ['roi'],
        summary: 'Best offer of each ASIN, in request order',
        body: Type.Object(
          { asins: Type.Array(Asin, { minItems: 1, maxItems: 500 }) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ items: Type.Array(ScoreItem) }) }),
      },
    },
    async (req) => service.score(deps.db, req.body.asins),
  );

  app.get(
    '/stats/kpi',
    {
      schema: {
        tags: ['roi'],
        summary: 'Headline counts, ROI of best offers, last refresh',
        response: withErrors({ 200: Kpi }),
      },
    },
    async () => service.kpi(deps.db),
  );

  app.get(
    '/stats/roi_by_vendor',
    {
      schema: {
        tags: ['roi'],
        summary: 'ROI per vendor over all its offers, best average first',
        response: withErrors({ 200: Type.Object({ items: Type.Array(VendorRoi) }) }),
      },
    },
    async () => service.roiByVendor(deps.db),
  );
}
