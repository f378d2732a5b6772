import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
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

const Level = Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('down')]);
const HealthSchema = Type.Object(
  {
    status: Level,
    checks: Type.Object(
      { db: Level, storage: Level, redis: Type.Optional(Level) },
      { description: 'redis only when REDIS_URL is set' },
    ),
  },
  { $id: 'Health' },
);
const ReadySchema = Type.Object({ ready: Type.Boolean() });

/** Unauthenticated probes: /health (dependencies), /ready (accepting work), /metrics (Prometheus). */
export async function healthRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
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
      const checks: { db: Status; storage: Status; redis?: Status } = { db, storage };
      if (redis) checks.redis = redis;
      const status: Status =
        db === 'down' ? 'down' : Object.values(checks).every((c) => c === 'ok') ? 'ok' : 'degraded';
      return reply.status(db === 'down' ? 503 : 200).send({ status, checks });
    },
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['ops'],
        security: [],
        summary: '200 once started and until shutdown begins, else 503',
        response: { 200: ReadySchema, 503: ReadySchema },
      },
    },
    async (_req, reply) => {
      const ready = deps.ready();
      return reply.status(ready ? 200 : 503).send({ ready });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['ops'],
        security: [],
        summary: 'Prometheus metrics',
        response: {
          200: {
            description: 'the Prometheus text exposition format',
            content: { 'text/plain': { schema: Type.String() } },
          },
        },
      },
    },
    async (_req, reply) => {
      const text = await deps.metrics.text();
      return reply.type(deps.metrics.contentType).send(text);
    },
  );
}
