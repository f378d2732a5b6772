import type { Redis } from 'ioredis';
import type { Authenticator } from '../domains/auth/auth.service.ts';
import type { Cache } from '../platform/cache.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/pool.ts';
import type { JobQueue } from '../platform/jobs/index.ts';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { ObjectStore } from '../platform/storage/store.ts';

/** Everything routes may use, handed to buildServer explicitly (no globals, no decorators). */
export interface HttpDeps {
  config: Config;
  db: Db;
  store: ObjectStore;
  cache: Cache;
  redis?: Redis;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
  jobs: JobQueue;
  auth: Authenticator;
  /** The built browser app served at `/` (default: dist/web); tests point it at a fixture. */
  webDir?: string;
  /** False until start-up completes and again once shutdown begins. */
  ready: () => boolean;
}
