import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { withErrors } from '../../http/schemas.ts';
import { SyncStatusBody } from './sync.schemas.ts';
import { syncStatus } from './sync.status.ts';

export async function syncRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/sync',
    {
      schema: {
        tags: ['agents'],
        summary:
          'Amazon reports pulled from SP-API, per report type and marketplace: last data window, last ' +
          'success, next run, last error, rows loaded, freshness',
        response: withErrors({ 200: SyncStatusBody }),
      },
    },
    async () => syncStatus(deps),
  );
}
