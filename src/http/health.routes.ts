import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { redisHealth } from '../platform/redis.ts';
import type { HttpDeps } from './deps.ts';

type Status = 'ok' | 'degraded' | 'down';

async function dbHealth(deps: HttpDeps): Promise<Status> {
  try {
    await Promise.race([
      sql`SELECT 1`.execute(deps.db.kysely),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000)),
    ]);
    return 'ok';
  } catch {
    return 'down';
  }
}

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('down')]),
  checks: Type.Record(Type.String(), Type.String()),
});

/** Unauthenticated probes: /health (dependencies), /ready (accepting work), /metrics (Prometheus). */
export async function healthRoutes(app: FastifyInstance, deps: HttpDeps): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        security: [],
        summary: 'Dependency health; 503 when the database is down',
        response: { 200: HealthSchema, 503: HealthSchema },
      },
    },
    async (_req, reply) => {
      const [db, storage, redis] = await Promise.all([
        dbHealth(deps),
        deps.store.check(),
        deps.redis ? redisHealth(deps.redis) : undefined,
      ]);
      const checks: Record<string, Status> = { db, storage };
      if (redis) checks.redis = redis;
      const status: Status =
        db === 'down' ? 'down' : Object.values(checks).every((c) => c === 'ok') ? 'ok' : 'degraded';
      return reply.status(db === 'down' ? 503 : 200).send({ status, checks });
    },
  );

  app.get(
    '/ready',
    { schema: { tags: ['ops'], security: [], summary: '200 once started and until shutdown begins' } },
    async (_req, reply) => {
      const ready = deps.ready();
      return reply.status(ready ? 200 : 503).send({ ready });
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['ops'], security: [], summary: 'Prometheus metrics' } },
    async (_req, reply) => {
      const text = await deps.metrics.text();
      return reply.type(deps.metrics.contentType).send(text);
    },
  );
}
