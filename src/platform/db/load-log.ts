import type { Queryable } from './queryable.ts';
import type { Tables } from './tables.gen.ts';

/**
 * The run-once guard of every file load (SPEC §2 `load_log`): one row per (source, content hash).
 * Written inside the load's own transaction, so a load that fails or is rolled back leaves no row
 * behind that would make a later real load look done.
 */
export interface LoadRow extends Pick<Tables['load_log'], 'started_at'> {
  id: number;
  status: 'pending' | 'success' | 'failed' | 'skipped';
  meta: Record<string, unknown>;
  /** No later successful load of the same source exists (a snapshot source's current content). */
  latest: boolean;
}

export async function findLoad(q: Queryable, source: string, key: string): Promise<LoadRow | undefined> {
  const { rows } = await q.query<LoadRow>(
    `SELECT id::int AS id, status, meta, started_at,
       NOT EXISTS (SELECT 1 FROM load_log n WHERE n.source = l.source AND n.status = 'success'
                     AND n.started_at > l.started_at) AS latest
     FROM load_log l WHERE source = $1 AND idempotency_key = $2`,
    [source, key],
  );
  return rows[0];
}

/**
 * Serialises loads of one file from one source until the transaction ends: a second load of it
 * waits here, then finds the first in load_log. Taken before anything is looked up, so `lock` names
 * what is known before the transaction (a vendor's name, not its id, which may not exist yet).
 */
export async function lockLoad(q: Queryable, lock: string, key: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${lock}:${key}`]);
}

export interface LoadRecord {
  source: string;
  key: string;
  status: LoadRow['status'];
  meta: unknown;
  durationMs?: number;
  rowsInserted?: number;
}

/** Inserts or overwrites the load's row (a forced re-load keeps its id) and returns the id. */
export async function saveLoad(q: Queryable, l: LoadRecord): Promise<number> {
  const done = l.status !== 'pending';
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO load_log (source, idempotency_key, status, meta, finished_at, duration_ms, rows_inserted)
     VALUES ($1, $2, $3, $4, CASE WHEN $7 THEN now() END, $5, $6)
     ON CONFLICT (source, idempotency_key) DO UPDATE SET status = EXCLUDED.status, meta = EXCLUDED.meta,
       started_at = CASE WHEN $7 THEN load_log.started_at ELSE now() END, finished_at = EXCLUDED.finished_at,
       duration_ms = EXCLUDED.duration_ms, rows_inserted = EXCLUDED.rows_inserted
     RETURNING id::int AS id`,
    [
      l.source,
      l.key,
      l.status,
      JSON.stringify(l.meta),
      l.durationMs === undefined ? null : Math.round(l.durationMs),
      l.rowsInserted ?? null,
      done,
    ],
  );
  return rows[0]!.id;
}
