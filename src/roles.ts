import type { FastifyInstance } from 'fastify';
import { Authenticator } from './domains/auth/auth.service.ts';
import { afterAgentRun } from './domains/decisions/agents.hook.ts';
import { buildServer } from './http/server.ts';
import { JOBS, schedulesFor } from './jobs/registry.ts';
import type { Config, Role } from './platform/config.ts';
import { AppError } from './platform/errors.ts';
import { JobQueue } from './platform/jobs/index.ts';
import { acquireInstanceLock } from './platform/lock.ts';
import type { Logger } from './platform/logger.ts';
import { Metrics } from './platform/metrics.ts';
import { openRuntime, type Runtime } from './runtime.ts';

export interface Running {
  url: string;
  roles: Role[];
  app: FastifyInstance;
  /** Drains HTTP, lets running jobs finish (up to SHUTDOWN_TIMEOUT_MS), then closes everything. */
  stop(): Promise<void>;
}

function registerGauges(metrics: Metrics, rt: Runtime, jobs: JobQueue): void {
  metrics.gauge('awa_db_pool_connections', 'Database pool connections by state', ['state'], (g) => {
    g.set({ state: 'total' }, rt.db.pool.totalCount);
    g.set({ state: 'idle' }, rt.db.pool.idleCount);
    g.set({ state: 'waiting' }, rt.db.pool.waitingCount);
  });
  metrics.gauge('awa_jobs', 'Background jobs by queue and state', ['queue', 'state'], async (g) => {
    g.reset();
    for (const r of await jobs.counts().catch(() => [])) g.set({ queue: r.name, state: r.state }, r.n);
  });
}

/**
 * `awa start`: every role listens on PORT for /health, /ready and /metrics; the `api` role adds
 * /api/v1 and /docs, `worker` consumes job queues, `scheduler` fires the cron schedules.
 */
export async function startRoles(config: Config, log: Logger): Promise<Running> {
  const roles = config.AWA_ROLES;
  const releaseLock = acquireInstanceLock(config.dataDir);
  let rt: Runtime | undefined;
  let jobs: JobQueue | undefined;
  let app: FastifyInstance | undefined;
  let ready = false;
  try {
    rt = await openRuntime(config, log);
    const metrics = new Metrics();
    jobs = await JobQueue.open(rt.dbUrl, JOBS, {
      worker: roles.includes('worker'),
      scheduler: roles.includes('scheduler'),
      log,
      config,
    });
    for (const j of JOBS) metrics.agent(j.name); // visible at 0 before the first run
    registerGauges(metrics, rt, jobs);
    const deps = { ...rt, metrics, jobs, auth: new Authenticator(rt.db, rt.cache), ready: () => ready };
    if (roles.includes('worker')) await jobs.work(deps, metrics, { afterRun: afterAgentRun(rt) });
    if (roles.includes('scheduler')) await jobs.syncSchedules(schedulesFor(config));
    app = await buildServer(deps, { api: roles.includes('api') });
    await app.listen({ host: config.HOST, port: config.PORT }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        throw new AppError('conflict', `port ${config.PORT} on ${config.HOST} is in use; set PORT or --port`);
      }
      throw err;
    });
  } catch (err) {
    await app?.close().catch(() => {});
    await jobs?.stop(1000).catch(() => {});
    await rt?.close().catch(() => {});
    releaseLock();
    throw err;
  }
  ready = true;
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  log.info({ url, roles, startup_ms: Math.round(process.uptime() * 1000) }, `AWA ready on ${url}`);
  const openApp = app;
  const openJobs = jobs;
  const openRt = rt;
  let stopping: Promise<void> | undefined;
  return {
    url,
    roles,
    app: openApp,
    stop: () => {
      stopping ??= (async () => {
        ready = false;
        log.info('shutting down');
        await openApp.close();
        await openJobs.stop(config.SHUTDOWN_TIMEOUT_MS);
        await openRt.close();
        releaseLock();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
