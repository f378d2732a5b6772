import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { agentsRoutes } from '../domains/agents/agents.routes.ts';
import { alertsRoutes } from '../domains/alerts/alerts.routes.ts';
import { authRoutes } from '../domains/auth/auth.routes.ts';
import { teamRoutes } from '../domains/auth/team.routes.ts';
import { dashboardRoutes } from '../domains/dashboard/dashboard.routes.ts';
import { tasksRoutes } from '../domains/decisions/tasks.routes.ts';
import { offersRoutes } from '../domains/offers/offers.routes.ts';
import { preferencesRoutes } from '../domains/preferences/preferences.routes.ts';
import { reportsRoutes } from '../domains/reports/reports.routes.ts';
import { repricerRoutes } from '../domains/repricer/repricer.routes.ts';
import { restockRoutes } from '../domains/restock/restock.routes.ts';
import { roiRoutes } from '../domains/roi/roi.routes.ts';
import { vatRoutes } from '../domains/roi/vat.routes.ts';
import { scoringRoutes } from '../domains/scoring/scoring.routes.ts';
import { searchRoutes } from '../domains/search/search.routes.ts';
import { settingsRoutes } from '../domains/settings/settings.routes.ts';
import { syncRoutes } from '../domains/sync/sync.routes.ts';
import { vendorsRoutes } from '../domains/vendors/vendors.routes.ts';
import type { HttpDeps } from './deps.ts';
import { healthRoutes } from './health.routes.ts';
import { AuditWriter } from './plugins/audit.ts';
import { registerAuth, trustProxyOption } from './plugins/auth.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerObservability, requestId } from './plugins/observability.ts';
import { requestLogger } from './request-logger.ts';
import { registerSharedSchemas } from './schemas.ts';
import { registerWebApp } from './static.ts';

/** Every /api/v1 route plugin; a new domain adds its routes here. */
const API_ROUTES = [
  authRoutes,
  agentsRoutes,
  vendorsRoutes,
  roiRoutes,
  vatRoutes,
  reportsRoutes,
  scoringRoutes,
  repricerRoutes,
  offersRoutes,
  restockRoutes,
  searchRoutes,
  preferencesRoutes,
  dashboardRoutes,
  tasksRoutes,
  alertsRoutes,
  teamRoutes,
  settingsRoutes,
  syncRoutes,
];

/** The route plugins with multipart uploads (price lists, reports, repricer rules files). */
const UPLOAD_ROUTES = new Set([vendorsRoutes, reportsRoutes, repricerRoutes]);

/**
 * Builds the HTTP app without listening, so tests use `inject()` and `awa start` calls `listen()`.
 * Routes get their dependencies through `deps`; nothing hangs off the Fastify instance.
 */
export async function buildServer(deps: HttpDeps, opts: { api?: boolean } = {}): Promise<FastifyInstance> {
  // imported here, not at the top: CLI commands that never serve HTTP (ingest, import-prices…) then
  // do not pay ~20 MB of memory and a tenth of a second for Fastify and its plugins
  const [
    { default: Fastify, LogController },
    { registerSecurityHeaders },
    cors,
    swagger,
    swaggerUi,
    multipart,
    cookie,
  ] = await Promise.all([
    import('fastify'),
    import('./plugins/security-headers.ts'),
    import('@fastify/cors').then((m) => m.default),
    import('@fastify/swagger').then((m) => m.default),
    import('@fastify/swagger-ui').then((m) => m.default),
    import('@fastify/multipart').then((m) => m.default),
    import('@fastify/cookie').then((m) => m.default),
  ]);
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // one line per request is written by our onResponse hook (with the route template), not Fastify's two
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    genReqId: requestId,
    childLoggerFactory: requestLogger,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // X-Forwarded-For/-Proto/-Host are believed only from the proxies TRUST_PROXY names
    trustProxy: trustProxyOption(deps.config.TRUST_PROXY),
    ajv: { customOptions: { coerceTypes: 'array', useDefaults: true, removeAdditional: false } },
  });
  registerErrorHandling(app);
  registerObservability(app, deps.metrics);
  registerSecurityHeaders(app);
  // the web app's session cookie: read by plugins/auth.ts only when a request has no bearer token,
  // so no per-request parsing hook
  await app.register(cookie, { hook: false });
  // without CORS_ORIGINS no other origin is allowed: nothing to add, so no per-request hook either
  if (deps.config.CORS_ORIGINS.length) {
    await app.register(cors, {
      origin: deps.config.CORS_ORIGINS,
      exposedHeaders: ['x-request-id', 'retry-after'],
    });
  }
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'AWA API',
        version: '1',
        description: 'Operations platform for Amazon FBA wholesale sellers',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          // the web app: cookie from POST /api/v1/auth/login; writes also need X-CSRF-Token
          session: { type: 'apiKey', in: 'cookie', name: 'awa_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    // schemas with an $id (shared ones, and named objects inside responses) keep their name as the
    // component's, so the generated web client gets readable types instead of def-0, def-1…
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
  });
  registerSharedSchemas(app);
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  await healthRoutes(app, deps);
  if (opts.api === false) return app; // worker/scheduler roles: probes and metrics only

  const audit = new AuditWriter(deps.db.pool, deps.log);
  app.addHook('onClose', async () => {
    await audit.flush();
    await deps.auth.flush();
  });
  await app.register(
    async (api) => {
      await registerAuth(api, {
        config: deps.config,
        auth: deps.auth,
        clock: deps.clock,
        audit,
        redis: deps.redis,
        log: deps.log,
      });
      const limits = { fileSize: deps.config.UPLOAD_MAX_BYTES, files: 1, fields: 30, fieldSize: 64 * 1024 };
      for (const routes of API_ROUTES) {
        if (!UPLOAD_ROUTES.has(routes)) {
          await routes(api, deps);
          continue;
        }
        // uploads stream to object storage (http/upload.ts); the multipart plugin adds two hooks to
        // every request of its context, so it gets a context of its own with the routes that take files
        await api.register(async (uploads) => {
          await uploads.register(multipart, { limits });
          await routes(uploads, deps);
        });
      }
    },
    { prefix: '/api/v1' },
  );
  await registerWebApp(app, deps.webDir);
  return app;
}
