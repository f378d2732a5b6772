import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import * as vat from './vat.service.ts';
import type { VatRateInput } from './vat.ts';

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

export async function vatRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  app.get(
    '/vat',
    {
      schema: {
        tags: ['roi'],
        summary: "The marketplace's VAT rate, whether the seller is registered, and reduced rates",
      },
    },
    async () => vat.listVat(deps),
  );

  app.put<{ Body: { rates: VatRateInput[]; dry_run?: boolean } }>(
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
      },
    },
    async (req) => vat.setVatRates(deps, req.body),
  );

  app.delete<{ Params: { scope: string; key: string }; Querystring: { dry_run?: boolean } }>(
    '/vat/rates/:scope/:key',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['roi'],
        summary: 'Remove a reduced VAT rate: the standard rate applies again',
        params: Type.Object({ scope: Type.String({ maxLength: 20 }), key: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      },
    },
    async (req) => vat.removeVatRate(deps, { ...req.params, dry_run: req.query.dry_run }),
  );
}
