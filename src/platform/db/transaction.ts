import type pg from 'pg';
import type { Db } from './pool.ts';

/**
 * Runs `fn` on one pooled connection inside a transaction: committed when `fn` resolves, rolled
 * back when it throws (the error is rethrown) or when `rollback` is set (a dry run that does the
 * real writes and undoes them).
 */
export async function withTransaction<T>(
  db: Db,
  fn: (c: pg.PoolClient) => Promise<T>,
  opts: { rollback?: boolean } = {},
): Promise<T> {
  const c = await db.pool.connect();
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query(opts.rollback ? 'ROLLBACK' : 'COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}
