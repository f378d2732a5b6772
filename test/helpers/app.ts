import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { Authenticator, createToken } from '../../src/domains/auth/auth.service.ts';
import type { HttpDeps } from '../../src/http/deps.ts';
import { buildServer } from '../../src/http/server.ts';
import { JOBS } from '../../src/jobs/registry.ts';
import { type Cache, MemoryCache, RedisCache } from '../../src/platform/cache.ts';
import { type Clock, systemClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { JobQueue } from '../../src/platform/jobs/index.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { connectRedis } from '../../src/platform/redis.ts';
import { FsObjectStore, type ObjectStore } from '../../src/platform/storage/index.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  deps: HttpDeps;
  tdb: TestDatabase;
  /** Creates a token with that role and returns its Authorization header value. */
  bearer(role: 'viewer' | 'ops' | 'admin', name?: string): Promise<string>;
  close(): Promise<void>;
}

let seq = 0;

/** The real HTTP app on a fresh database; only the listening socket is skipped (inject()). */
export async function createTestApp(
  opts: {
    env?: Record<string, string>;
    redisUrl?: string;
    tdb?: TestDatabase;
    /** Storage shared with another app (a second API replica); default: a fresh local directory. */
    store?: ObjectStore;
    clock?: Clock;
    /** The built web app to serve at `/` (default: none, so `/` answers the "not built" page). */
    webDir?: string;
  } = {},
): Promise<TestApp> {
  const tdb = opts.tdb ?? (await createTestDatabase());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'awa-app-'));
  const config = loadConfig({
    AWA_DATA_DIR: dir,
    DATABASE_URL: tdb.url,
    REDIS_URL: opts.redisUrl,
    ...opts.env,
  });
  let redis: Redis | undefined;
  let cache: Cache = new MemoryCache();
  if (opts.redisUrl) {
    redis = await connectRedis(opts.redisUrl);
    cache = new RedisCache(redis);
  }
  const jobs = await JobQueue.open(tdb.url, JOBS, { worker: false, scheduler: false, log: silentLogger });
  const deps: HttpDeps = {
    config,
    db: tdb.db,
    store: opts.store ?? new FsObjectStore(path.join(dir, 'objects')),
    cache,
    redis,
    metrics: new Metrics(),
    log: silentLogger,
    clock: opts.clock ?? systemClock,
    jobs,
    auth: new Authenticator(tdb.db, cache),
    webDir: opts.webDir ?? path.join(dir, 'web'),
    ready: () => true,
  };
  const app = await buildServer(deps);
  return {
    app,
    deps,
    tdb,
    bearer: async (role, name) => {
      seq += 1;
      const t = await createToken(tdb.db, { role, name: name ?? `${role}-${process.pid}-${seq}` });
      return `Bearer ${t.token}`;
    },
    close: async () => {
      await app.close();
      await jobs.stop(1000);
      redis?.disconnect();
      if (!opts.tdb) await tdb.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
