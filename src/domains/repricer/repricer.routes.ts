import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { Paged, PagedWith, withErrors } from '../../http/schemas.ts';
import * as applying from './apply.service.ts';
import * as history from './history.service.ts';
import { lazySubmitter } from './listings.client.ts';
import * as pricing from './pricing.service.ts';
import { repricerPageRoutes } from './repricer.page.routes.ts';
import {
  Applied,
  GUARDS,
  ItemError,
  LoggedDecision,
  RepricerRule,
  RulesSaved,
  Simulated,
} from './repricer.schemas.ts';
import * as rules from './rules.service.ts';
import { STRATEGIES } from './rules.ts';
import type { SubmitCounts } from './submit.ts';

const Sku = Type.String({ minLength: 1, maxLength: 200 });
// Order matters with type coercion on: a null tried against `number` would become 0, and '30.00'
// against `number` would become 30 (messages then show other values than the user sent).
const Money = Type.Union([Type.Null(), Type.String({ maxLength: 32 }), Type.Number()]);
const Page = {
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
};

const RulesQuery = Type.Object(
  {
    sku: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'SKU prefix' })),
    enabled: Type.Optional(Type.Boolean()),
    ...Page,
  },
  { additionalProperties: false },
);

// Values are validated by rules.ts (shared with the file import), so messages name the SKU and values.
const RuleBody = Type.Object(
  {
    sku: Sku,
    marketplace: Type.Optional(Type.String({ maxLength: 2 })),
    min_price: Type.Optional(Money),
    max_price: Type.Optional(Money),
    map_price: Type.Optional(Money),
    strategy: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 40 })])),
    step: Type.Optional(Money),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const LogQuery = Type.Object(
  {
    run_id: Type.Optional(Type.String({ format: 'uuid' })),
    sku: Type.Optional(Sku),
    guard: Type.Optional(Type.Union(GUARDS.map((g) => Type.Literal(g)))),
    changed: Type.Optional(Type.Boolean()),
    sort: Type.Optional(
      Type.Union([Type.Literal('time'), Type.Literal('sku'), Type.Literal('change')], {
        description:
          'time (default, newest first), sku (A→Z) or change (relative price change, biggest drop first)',
      }),
    ),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  },
  { additionalProperties: false },
);
const LogPageQuery = Type.Object({ ...LogQuery.properties, ...Page }, { additionalProperties: false });

export async function repricerRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const marketplace = deps.config.AWA_MARKETPLACE;
  // live mode: one submitter per server (LWA token and the Redis-shared 5/s bucket the agent uses too)
  const pricingDeps: pricing.PricingDeps = { ...deps, submitter: lazySubmitter(deps.config, deps) };

  app.get(
    '/repricer/rules',
    {
      schema: {
        tags: ['repricer'],
        summary: 'Repricer rules of the marketplace, by SKU (prefix filter), paged',
        querystring: RulesQuery,
        response: withErrors({ 200: Paged(RepricerRule) }),
      },
    },
    async (req) => rules.listRules(deps.db, marketplace, req.query),
  );

  app.put(
    '/repricer/rules',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['repricer'],
        summary: `Create or replace rules (all or none); strategy one of ${STRATEGIES.join(', ')}`,
        body: Type.Object(
          {
            rules: Type.Array(RuleBody, { minItems: 1, maxItems: 5000 }),
            dry_run: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: RulesSaved }),
      },
    },
    async (req) =>
      rules.putRules(deps.db, {
        rules: req.body.rules,
        dry_run: req.body.dry_run,
        by: req.principal!.name,
        marketplace,
      }),
  );

  app.get(
    '/repricer/log',
    {
      schema: {
        tags: ['repricer'],
        summary: 'Repricer decisions by run, SKU, guard hit or changed; sorted by time, SKU or change',
        querystring: LogPageQuery,
        response: withErrors({
          200: PagedWith(LoggedDecision, {
            total_capped: Type.Boolean({
              description: `more than ${history.COUNT_CAP} match: total is that cap, not the count`,
            }),
          }),
        }),
      },
    },
    async (req) => history.listLog(deps.db, marketplace, req.query),
  );

  app.post(
    '/pricing/simulate',
    {
      schema: {
        tags: ['repricer'],
        summary: 'What the repricer would decide for these SKUs now (writes nothing)',
        body: Type.Object(
          { skus: Type.Array(Sku, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Type.Object({ items: Type.Array(Type.Union([Simulated, ItemError])) }) }),
      },
    },
    async (req) => pricing.simulate(deps, req.body.skus),
  );

  app.post(
    '/pricing/apply',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['repricer'],
        summary: 'Set prices (clamped to floor/ceiling) or apply the repricer decision, per SKU',
        body: Type.Object(
          {
            items: Type.Array(
              Type.Object(
                {
                  sku: Sku,
                  // > 0 is checked by the service (OpenAPI 3.0 has no numeric exclusiveMinimum)
                  price: Type.Optional(
                    Type.Union([
                      Type.Number({ minimum: 0, description: 'must be > 0' }),
                      Type.String({ maxLength: 32, description: 'a decimal > 0' }),
                    ]),
                  ),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 1000 },
            ),
            dry_run: Type.Optional(Type.Boolean()),
            mode: Type.Optional(
              Type.Union([Type.Literal('dry_run'), Type.Literal('apply'), Type.Literal('live')], {
                description:
                  'dry_run: decide and log only; apply: set in our price book; live: also send to Amazon (REPRICER_MODE=live). Default: dry_run when dry_run is true, else apply (live when REPRICER_MODE is live)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Applied }),
      },
    },
    async (req) => {
      const out = await applying.apply(pricingDeps, {
        items: req.body.items,
        dry_run: req.body.dry_run,
        mode: req.body.mode,
        actor: req.principal!.name,
      });
      req.auditEvent = {
        event: 'repricer_apply',
        details: { mode: out.mode, run_id: out.run_id, items: req.body.items.length, changed: out.changed },
      };
      // the service keeps submitAll's counts in a plain record
      return out as Omit<typeof out, 'submission'> & { submission?: SubmitCounts };
    },
  );

  await repricerPageRoutes(app, deps, { logQuery: LogQuery, rulesQuery: RulesQuery, page: Page });
}
