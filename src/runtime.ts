import path from 'node:path';
import type { Redis } from 'ioredis';
import { type Cache, MemoryCache, RedisCache } from './platform/cache.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { type EmbeddedServer, ensureEmbeddedServer } from './platform/db/embedded.ts';
import { migrate } from './platform/db/migrate.ts';
import { connectDb, type Db } from './platform/db/pool.ts';
import { runningInstance } from './platform/lock.ts';
import type { Logger } from './platform/logger.ts';
import { connectRedis } from './platform/redis.ts';
import { createObjectStore } from './platform/storage/index.ts';
import type { ObjectStore } from './platform/storage/store.ts';

/** The long-lived resources every role and CLI command works with. */
export interface Runtime {
  config: Config;
  log: Logger;
  db: Db;
  dbUrl: string;
  store: ObjectStore;
  redis?: Redis;
  cache: Cache;
  clock: Clock;
  close(): Promise<void>;
}

/**
 * Opens the database (DATABASE_URL, or the embedded server under AWA_DATA_DIR: joined if already
 * running, started otherwise), applies migrations, and connects storage and Redis.
 */
export async function openRuntime(
  config: Config,
  log: Logger,
  opts: { migrate?: boolean } = {},
): Promise<Runtime> {
  let server: EmbeddedServer | undefined;
  let dbUrl = config.DATABASE_URL;
  if (!dbUrl) {
    server = await ensureEmbeddedServer({
      dir: path.join(config.dataDir, 'postgres'),
      port: config.EMBEDDED_PG_PORT,
      log,
    });
    dbUrl = server.url;
  }
  // The last one out stops the embedded server: not while an `awa start` (other than us) runs on this
  // data dir, nor while another command is connected. So nothing is left running, and nobody is cut off.
  const closeAll = async (open: Db | undefined) => {
    const starter = runningInstance(config.dataDir);
    const keep =
      (starter && starter !== process.pid) || (open ? (await otherClients(open).catch(() => 0)) > 0 : false);
    const ended = open ? clientsEnded(open.pool) : Promise.resolve();
    await open?.close();
    // pool.end() resolves before its connections have closed: stopping the server now would make them
    // fail ("idle database connection lost", logged after a command's output), so wait for them
    await ended;
    if (!server) return;
    if (keep) server.release();
    else await server.stop();
  };
  let db: Db | undefined;
  let redis: Redis | undefined;
  let store: ObjectStore;
  try {
    store = await createObjectStore(config);
    db = await connectDb(dbUrl, {
      max: config.DB_POOL_MAX,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      log,
    });
    if (opts.migrate !== false) await migrate(db.pool, { log });
    if (config.REDIS_URL) redis = await connectRedis(config.REDIS_URL);
  } catch (err) {
    await closeAll(db);
    throw err;
  }
  const openDb = db;
  const openRedis = redis;
  return {
    config,
    log,
    db: openDb,
    dbUrl,
    store,
    redis: openRedis,
    cache: openRedis ? new RedisCache(openRedis) : new MemoryCache(),
    clock: systemClock,
    close: async () => {
      openRedis?.disconnect();
      await closeAll(openDb);
    },
  };
}

/** Resolves once every connection the pool has now is closed (its `remove` event), or after 2 s. */
function clientsEnded(pool: Db['pool']): Promise<void> {
  let open = pool.totalCount;
  if (open === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pool.off('remove', onRemove);
      resolve();
    };
    const onRemove = () => {
      open -= 1;
      if (open <= 0) done();
    };
    const timer = setTimeout(done, 2000);
    pool.on('remove', onRemove);
  });
}

async function otherClients(db: Db): Promise<number> {
  // our own pool's connections are named `…:<our pid>` (see connectDb)
  const { rows } = await db.pool.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE backend_type = 'client backend' AND application_name NOT LIKE '%:' || $1`,
    [String(process.pid)],
  );
  return rows[0].n;
}
