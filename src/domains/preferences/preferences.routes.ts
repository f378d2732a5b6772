import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { DateTime, withErrors } from '../../http/schemas.ts';
import * as service from './preferences.service.ts';

const MinRoi = Type.Number({
  minimum: -100,
  maximum: 10_000,
  description: 'ROI % from which a figure counts as good',
});
const MinProfit = Type.Number({
  minimum: -1_000_000,
  maximum: 1_000_000,
  description: 'profit per unit (marketplace currency) from which a figure counts as good',
});
// `nullable`, not a union with null: with type coercion on, a union would turn a 0 into null (which
// is valid) instead of refusing it
const MaxRank = Type.Unsafe<number | null>({
  type: 'integer',
  nullable: true,
  minimum: 1,
  maximum: 100_000_000,
  description: 'null: any rank',
});
const Locale = Type.Unsafe<string | null>({
  type: 'string',
  nullable: true,
  minLength: 2,
  maxLength: 35,
  description: "BCP 47 tag such as de-DE; null: the browser's",
});

const Preferences = Type.Object(
  { min_roi_pct: MinRoi, min_profit: MinProfit, max_sales_rank: MaxRank, locale: Locale },
  { $id: 'UserPreferences' },
);

const Page = Type.String({
  pattern: '^[a-z][a-z0-9_-]{0,39}$',
  description: 'the page the view belongs to, e.g. roi',
});

const View = Type.Object(
  {
    id: Type.Integer(),
    page: Type.String(),
    name: Type.String(),
    params: Type.String({ description: "the page's URL query string, without '?'" }),
    created_at: DateTime(),
  },
  { $id: 'SavedView' },
);

export async function preferencesRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/me/preferences',
    {
      schema: {
        tags: ['preferences'],
        summary: 'My thresholds (minimum ROI, minimum profit, maximum sales rank) and locale',
        response: withErrors({ 200: Preferences }),
      },
    },
    async (req) => service.getPreferences(deps, req.principal!.name),
  );

  // viewer is enough: these are the person's own settings, not business data
  app.put(
    '/me/preferences',
    {
      schema: {
        tags: ['preferences'],
        summary: 'Save my thresholds and locale; a field left out keeps its value',
        body: Type.Partial(Type.Object(Preferences.properties), { additionalProperties: false }),
        response: withErrors({ 200: Preferences }),
      },
    },
    async (req) => service.putPreferences(deps, req.principal!.name, req.body),
  );

  app.get(
    '/views',
    {
      schema: {
        tags: ['preferences'],
        summary: 'My saved views (of one page, or all), by page and name',
        querystring: Type.Object({ page: Type.Optional(Page) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ items: Type.Array(View) }) }),
      },
    },
    async (req) => service.listViews(deps, req.principal!.name, req.query.page),
  );

  app.post(
    '/views',
    {
      schema: {
        tags: ['preferences'],
        summary: "Save a page's filters, sort and columns under a name (unique per page)",
        body: Type.Object(
          {
            page: Page,
            name: Type.String({ minLength: 1, maxLength: 60 }),
            params: Type.String({ maxLength: 2000, description: "the page's URL query string" }),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 201: View }),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.createView(deps, req.principal!.name, req.body)),
  );

  app.delete(
    '/views/:id',
    {
      schema: {
        tags: ['preferences'],
        summary: 'Delete one of my saved views',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }),
        response: withErrors({ 204: Type.Null({ description: 'deleted' }) }),
      },
    },
    async (req, reply) => {
      await service.deleteView(deps, req.principal!.name, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
