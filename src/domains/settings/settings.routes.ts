import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { Literals, Nullable, withErrors } from '../../http/schemas.ts';
import { effectiveSettings } from './settings.service.ts';

const Setting = Type.Object(
  {
    key: Type.String({ description: 'the variable name, or a name for a database setting' }),
    label: Type.String(),
    value: Nullable(
      Type.String({ description: 'as text (fractions as 0.15); null for a secret or an unset value' }),
    ),
    unit: Literals([
      'text',
      'fraction',
      'percent',
      'days',
      'minutes',
      'hours',
      'bytes',
      'cron',
      'boolean',
    ] as const),
    source: Literals(['environment', 'default', 'database'] as const, {
      description: 'environment: set for this process; default: built in; database: changed in the app',
    }),
    variable: Nullable(Type.String({ description: 'the environment variable to set to change it' })),
    secret: Type.Boolean({ description: 'never sent: only whether it is set' }),
    configured: Type.Boolean({ description: 'has a value (for a secret: is set)' }),
    editable: Type.Boolean({ description: 'changeable in the web app (database settings)' }),
    help: Type.String(),
  },
  { $id: 'Setting' },
);

const Settings = Type.Object(
  {
    groups: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), items: Type.Array(Setting) })),
  },
  { $id: 'Settings' },
);

/** The effective configuration a seller cares about, with where each value comes from. */
export async function settingsRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/settings',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['settings'],
        summary: 'Marketplace, currency, VAT, repricer and restock settings with the source of each value',
        description: 'Secrets (API keys, passwords in URLs) are reported as set or not, never sent.',
        response: withErrors({ 200: Settings }),
      },
    },
    async () => effectiveSettings(deps),
  );
}
