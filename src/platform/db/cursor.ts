import type pg from 'pg';
import type { Db } from './pool.ts';

export interface CursorOptions {
  /** Rows per FETCH. */
  batch: number;
  /**
   * Plan for reading every row (cursor_tuple_fraction = 1). A cursor is planned for its first rows
   * by default (nested loops), which suits an export a client may stop early, not a full read.
   */
  readAll?: boolean;
}

/**
 * A query's rows in batches through a server-side cursor, in one read-only REPEATABLE READ
 * transaction on a connection of its own: memory stays flat however many rows match, the whole read
 * sees one snapshot (a refresh or a run committing meanwhile neither duplicates nor drops rows), and
 * stopping the iteration early (a client that went away) closes the cursor and returns the connection.
 * It takes the pool, not a Queryable: it needs a connection of its own (a repo passes its pool
 * through; a Db is still accepted from code not yet moved to that rule).
 */
export async function* readInBatches<T>(
  db: pg.Pool | Db,
  text: string,
  params: readonly unknown[],
  opts: CursorOptions,
): AsyncGenerator<T[]> {
  const batch = Math.max(1, Math.floor(opts.batch));
  const client = await ('connect' in db ? db : db.pool).connect();
  let open = false;
  let broken = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    open = true;
    if (opts.readAll) await client.query('SET LOCAL cursor_tuple_fraction = 1');
    await client.query(`DECLARE batches NO SCROLL CURSOR FOR ${text}`, params as unknown[]);
    for (;;) {
      const { rows } = await client.query<T & object>(`FETCH ${batch} FROM batches`);
      if (rows.length > 0) yield rows;
      if (rows.length < batch) break;
    }
    await client.query('COMMIT');
    open = false;
  } finally {
    // a connection that cannot even roll back is discarded, not returned to the pool
    if (open) await client.query('ROLLBACK').catch(() => (broken = true));
    client.release(broken);
  }
}
