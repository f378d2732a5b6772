import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { DateTime, Decimal, Literals, Nullable, withErrors } from '../../http/schemas.ts';
import * as vat from './vat.service.ts';

const VatInfo = Type.Object({
  marketplace: Type.String(),
  rate: Type.Number({ description: "the marketplace's standard rate as a fraction: 0.19 = 19 %" }),
  rate_source: Literals(['marketplace', 'VAT_RATE'] as const),
  registered: Type.Boolean({ description: 'whether the seller is VAT-registered (keeps net prices)' }),
  reduced: Type.Array(
    Type.Object({
      scope: Literals(['category', 'asin'] as const),
      key: Type.String(),
      rate: Decimal('fraction as decimal text, e.g. "0.07"'),
      note: Nullable(Type.String()),
      updated_at: DateTime(),
    }),
  ),
});

const SaveResult = Type.Object({
  dry_run: Type.Boolean(),
  rates: Type.Integer({ description: 'entries in the request' }),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
});

// Values are validated by vat.ts, so messages name the entry and its value.
const RateBody = Type.Object(
  {
    scope: Type.String({ maxLength: 20, description: 'category or asin' }),
    key: Type.String({ maxLength: 200, description: 'the category name (any case) or the ASIN' }),
    rate: Type.Union([Type.String({ maxLength: 12 }), Type.Number()], {
      description: 'fraction: 0.07 = 7 %',
    }),
    note: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 500 })])),
  },
  { additionalProperties: false },
);

export async function vatRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/vat',
    {
      schema: {
        tags: ['roi'],
        summary: "The marketplace's VAT rate, whether the seller is registered, and reduced rates",
        response: withErrors({ 200: VatInfo }),
      },
    },
    async () => vat.listVat(deps),
  );

  app.put(
    '/vat/rates',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['roi'],
        summary: 'Set reduced VAT rates per category or ASIN (all or none); ROI is refreshed',
        body: Type.Object(
          {
            rates: Type.Array(RateBody, { minItems: 1, maxItems: 5000 }),
            dry_run: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: SaveResult }),
      },
    },
    async (req) => vat.setVatRates(deps, req.body),
  );

  app.delete(
    '/vat/rates/:scope/:key',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['roi'],
        summary: 'Remove a reduced VAT rate: the standard rate applies again',
        params: Type.Object({ scope: Type.String({ maxLength: 20 }), key: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: withErrors({
          200: Type.Object({ dry_run: Type.Boolean(), removed: Type.Integer() }),
        }),
      },
    },
    async (req) => vat.removeVatRate(deps, { ...req.params, dry_run: req.query.dry_run }),
  );
}
