import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { DateTime, Literals, Nullable, PagedWith, withErrors } from '../../http/schemas.ts';
import { SCORE_COMPONENTS } from '../../platform/config.ts';
import * as service from './scoring.service.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

// Unknown parameters are refused (400): a misspelt filter must not silently return everything.
const filterFields = {
  score_min: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  score_max: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  confidence_min: Type.Optional(
    Type.Number({ minimum: 0, maximum: 1, description: 'share of the weights measured, 0–1' }),
  ),
  confidence_max: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  vendor: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'vendor id: ASINs whose best offer (highest ROI) is this vendor’s',
    }),
  ),
  asin: Type.Optional(
    Type.String({ minLength: 1, maxLength: 10, description: 'ASIN prefix (letters and digits)' }),
  ),
  sort: Type.Union(
    (['score', 'confidence', 'asin'] as const).map((s) => Type.Literal(s)),
    { default: 'score' },
  ),
  order: Type.Optional(literals(['asc', 'desc'] as const)),
};

// Unknown parameters are refused (400): a misspelt filter must not silently return everything.
const ScoresQuery = Type.Object(
  {
    ...filterFields,
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);
const ScoresCsvQuery = Type.Object(filterFields, { additionalProperties: false });

/** One ASIN's latest score: 0–100, with each component (0–1, null when unknown) explained. */
const Score = Type.Object(
  {
    asin: Type.String(),
    marketplace: Type.String(),
    score: Type.Number({ description: '0–100' }),
    confidence: Type.Number({ description: 'share of the weights measured, 0–1' }),
    scored_at: DateTime(),
    run_id: Type.String({ format: 'uuid' }),
    title: Type.Optional(Nullable(Type.String())),
    vendor_id: Type.Optional(
      Nullable(Type.Integer({ description: 'vendor of the best offer (highest ROI)' })),
    ),
    vendor_name: Type.Optional(Nullable(Type.String())),
    components: Type.Object(
      Object.fromEntries(
        SCORE_COMPONENTS.map((c) => [c, Nullable(Type.Number({ description: '0–1; null: not measured' }))]),
      ),
    ),
    explanation: Type.Object(
      Object.fromEntries(SCORE_COMPONENTS.map((c) => [c, Type.Optional(Type.String())])),
      { description: 'one line per component: the inputs and how they scored' },
    ),
  },
  { $id: 'Score' },
);

export async function scoringRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/scores',
    {
      schema: {
        tags: ['scoring'],
        summary: 'Latest score of every ASIN with its components and explanations, filtered, sorted, paged',
        description:
          'Order defaults to desc for score and confidence, asc for asin; ties break on asin in the same direction.',
        querystring: ScoresQuery,
        response: withErrors({
          200: PagedWith(Score, {
            sort: Literals(['score', 'confidence', 'asin']),
            order: Literals(['asc', 'desc']),
            weights: Type.Object(Object.fromEntries(SCORE_COMPONENTS.map((c) => [c, Type.Number()])), {
              description:
                'weights in force (sum 1): score = 100 × Σ weight × component ÷ Σ weights of the measured ' +
                'components; confidence = Σ weights of the measured components',
            }),
          }),
        }),
      },
    },
    async (req) => ({
      ...(await service.listScores(deps.db, deps.config.AWA_MARKETPLACE, req.query)),
      weights: deps.config.SCORING_WEIGHTS,
    }),
  );

  app.get(
    '/scores.csv',
    {
      schema: {
        tags: ['scoring'],
        summary: 'Every score GET /scores matches (same filters and order) as a CSV download',
        description:
          'One line per ASIN: score, confidence, each component (0–1, empty: not measured) and its reason.',
        querystring: ScoresCsvQuery,
        response: withErrors({
          200: {
            description:
              'CSV (RFC 4180, UTF-8 with a byte order mark) as the attachment awa-scores-<YYYY-MM-DD>.csv',
            content: { 'text/csv': { schema: Type.Unsafe<string | Readable>(Type.String()) } },
          },
        }),
      },
    },
    async (req, reply) => {
      const { filename, lines } = service.exportScores(
        deps.db,
        deps.config.AWA_MARKETPLACE,
        req.query,
        deps.clock.now(),
      );
      const body = Readable.from(lines);
      body.on('error', (err) => req.log.error({ err }, 'scores csv export failed'));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(body);
    },
  );
}
