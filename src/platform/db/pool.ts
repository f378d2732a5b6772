import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AppError, messageOf } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Database } from './schema.ts';

// numeric/bigint come back as strings by default; counts (int8) are safe as JS numbers here,
// money (numeric) stays a string so nothing rounds it through a float by accident.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface Db {
  pool: pg.Pool;
  kysely: Kysely<Database>;
  close(): Promise<void>;
}

export interface DbOptions {
  max?: number;
  connectTimeoutMs?: number;
  applicationName?: string;
  log?: Logger;
}

/** host:port/db of a connection string, without credentials, for error messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/**
 * Opens a pool and proves it works. Retries until `connectTimeoutMs` has passed (a database
 * container may still be starting), then fails with a clear error instead of hanging.
 */
export async function connectDb(url: string, opts: DbOptions = {}): Promise<Db> {
  const timeout = opts.connectTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: Math.min(timeout, 5000),
    idleTimeoutMillis: 30000,
    application_name: opts.applicationName ?? `awa:${process.pid}`,
  });
  // an idle client losing its connection must not crash the process
  pool.on('error', (err) =>
    opts.log?.warn(
      { code: (err as { code?: string }).code, reason: err.message },
      'idle database connection lost',
    ),
  );
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      const c = await pool.connect();
      c.release();
      break;
    } catch (err) {
      if (Date.now() >= deadline || isPermanent(err)) {
        await pool.end().catch(() => {});
        throw new AppError(
          'unavailable',
          `cannot reach the database at ${describeUrl(url)}: ${messageOf(err)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    pool,
    kysely,
    close: async () => {
      if (closed) return;
      closed = true;
      await kysely.destroy();
      // Kysely ends the pool only if it ran a query itself; raw pool users (migrations) need this
      if (!pool.ended) await pool.end();
    },
  };
}

/** Wrong password or unknown database will not fix themselves by waiting. */
function isPermanent(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '28P01' || code === '28000' || code === '3D000' || code === 'ENOTFOUND';
}
