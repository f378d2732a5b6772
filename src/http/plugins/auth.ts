import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { type Authenticator, hasRole, type Principal, type Role } from '../../domains/auth/auth.service.ts';
import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditWriter } from './audit.ts';
import { routeLabel } from './observability.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Least role allowed to call the route; every /api/v1 route needs at least `viewer`. */
    role?: Role;
  }
}

export interface AuthDeps {
  config: Config;
  auth: Authenticator;
  audit: AuditWriter;
  redis?: Redis;
}

/**
 * Guards an encapsulated context (the /api/v1 routes): bearer token → principal → role check, then
 * a per-role rate limit keyed by token (Redis-backed when configured, so replicas share the count),
 * and an audit row for every authenticated request.
 */
export async function registerAuth(app: FastifyInstance, deps: AuthDeps): Promise<void> {
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw new AppError('unauthorized', 'missing bearer token: send Authorization: Bearer <token>');
    const p = await deps.auth.authenticate(m[1]!);
    if (!p) throw new AppError('unauthorized', 'invalid or revoked token');
    req.principal = p;
    const need = req.routeOptions.config?.role ?? 'viewer';
    if (!hasRole(p.role, need)) {
      throw new AppError('forbidden', `this action needs the ${need} role; your token has ${p.role}`);
    }
  });

  const limits: Record<Role, number> = {
    viewer: deps.config.RATE_LIMIT_PER_MINUTE_VIEWER,
    ops: deps.config.RATE_LIMIT_PER_MINUTE_OPS,
    admin: deps.config.RATE_LIMIT_PER_MINUTE_ADMIN,
  };
  const { default: rateLimit } = await import('@fastify/rate-limit');
  await app.register(rateLimit, {
    hook: 'onRequest',
    timeWindow: 60_000,
    max: (req) => limits[req.principal?.role ?? 'viewer'],
    keyGenerator: (req) => `tok:${req.principal?.id ?? req.ip}`,
    redis: deps.redis,
    nameSpace: 'awa:rl:',
    skipOnError: true, // a Redis outage must not take the API down with it
    errorResponseBuilder: (_req, ctx) =>
      new AppError(
        'rate_limited',
        `rate limit of ${ctx.max} requests per minute exceeded; retry in ${ctx.after}`,
      ),
  });

  app.addHook('onResponse', async (req, reply) => {
    if (!req.principal) return;
    deps.audit.add({
      actor: req.principal.name,
      role: req.principal.role,
      method: req.method,
      route: routeLabel(req),
      status: reply.statusCode,
      latency_ms: Math.round(reply.elapsedTime * 100) / 100,
      request_id: req.id,
      ip: req.ip,
    });
  });
}
