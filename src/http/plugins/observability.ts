import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from '../../platform/metrics.ts';
import type { RequestLog } from '../request-logger.ts';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// probes and scrapes log their request line at debug, not info
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics']);

/** Honour a caller's X-Request-ID when it is sane (it ends up in logs), otherwise mint one. */
export function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}

/** The route template (`/api/v1/jobs/:id`), never the raw URL, keeps metric cardinality bounded. */
export function routeLabel(req: FastifyRequest): string {
  return req.routeOptions.url ?? 'unmatched';
}

/**
 * X-Request-ID on every answer; per request, the HTTP metrics and one log line (our own, with the
 * route template, instead of Fastify's two). The hooks are synchronous: an async hook costs a
 * promise and a microtask turn per request for work that never waits.
 */
export function registerObservability(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = routeLabel(req);
    metrics.http.record(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const level = QUIET_ROUTES.has(route) ? 'debug' : 'info';
    // the line is built only when it will be written (LOG_LEVEL=warn skips it)
    if ((req.log as RequestLog).isLevelEnabled(level)) {
      req.log[level](
        {
          method: req.method,
          url: req.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request',
      );
    }
    done();
  });
}
