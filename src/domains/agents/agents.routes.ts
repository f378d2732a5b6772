import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import * as service from './agents.service.ts';

const PageQuery = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
};

export async function agentsRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  app.get(
    '/agents',
    { schema: { tags: ['agents'], summary: 'Defined agents and their schedules' } },
    async () => ({
      items: service.listAgents(deps.config),
    }),
  );

  app.get<{ Querystring: { agent?: string; status?: string; page: number; page_size: number } }>(
    '/agents/runs',
    {
      schema: {
        tags: ['agents'],
        summary: 'Recent agent runs, newest first',
        querystring: Type.Object({
          agent: Type.Optional(Type.String({ maxLength: 64 })),
          status: Type.Optional(
            Type.Union(['running', 'success', 'failed', 'skipped', 'tripped'].map((s) => Type.Literal(s))),
          ),
          ...PageQuery,
        }),
      },
    },
    async (req) => service.recentRuns(deps.db, req.query),
  );

  app.post<{ Params: { name: string }; Body: { dry_run?: boolean } | undefined }>(
    '/agents/:name/run',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['agents'],
        summary: 'Queue one run of an agent now',
        params: Type.Object({ name: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,63}$' }) }),
        body: Type.Optional(
          Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        ),
      },
    },
    async (req, reply) => {
      const out = await service.enqueueAgent(deps.jobs, req.params.name, req.body?.dry_run ?? false);
      return reply.status(202).send(out);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'State of a background job and the runs it produced',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      },
    },
    async (req) => service.jobStatus(deps.jobs, deps.db, req.params.id),
  );
}
