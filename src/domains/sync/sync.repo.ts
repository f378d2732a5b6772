import type pg from 'pg';
import type { Queryable } from '../../platform/db/queryable.ts';

/** SQL of the sync domain: sync_state (watermarks) and sync_requests (reports asked of Amazon). */

export type RequestStatus = 'pending' | 'requested' | 'done' | 'loaded' | 'cancelled' | 'fatal' | 'failed';

export interface RequestRow {
  id: number;
  report_type: string;
  marketplace: string;
  window_start: Date | null;
  window_end: Date | null;
  status: RequestStatus;
  report_id: string | null;
  document_id: string | null;
  create_sent_at: Date | null;
  attempts: number;
  error: string | null;
  rows: number | null;
  load_id: number | null;
  dry_run: boolean;
  created_at: Date;
}

export interface StateRow {
  report_type: string;
  marketplace: string;
  data_from: Date | null;
  data_to: Date | null;
  last_success_at: Date | null;
  last_attempt_at: Date | null;
  next_run_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  rows_loaded: string;
  last_rows: number | null;
}

const REQUEST_COLUMNS = `id::int, report_type, marketplace, window_start, window_end, status, report_id,
  document_id, create_sent_at, attempts, error, rows, load_id::int, dry_run, created_at`;

export async function getState(q: Queryable, type: string, mp: string): Promise<StateRow | undefined> {
  const { rows } = await q.query<StateRow>(
    'SELECT * FROM sync_state WHERE report_type = $1 AND marketplace = $2',
    [type, mp],
  );
  return rows[0];
}

export async function listStates(q: Queryable): Promise<StateRow[]> {
  const { rows } = await q.query<StateRow>('SELECT * FROM sync_state ORDER BY report_type, marketplace');
  return rows;
}

/** The one outstanding report of (type, marketplace), if any. */
export async function openRequest(q: Queryable, type: string, mp: string): Promise<RequestRow | undefined> {
  const { rows } = await q.query<RequestRow>(
    `SELECT ${REQUEST_COLUMNS} FROM sync_requests
     WHERE report_type = $1 AND marketplace = $2 AND status IN ('pending', 'requested', 'done')
     ORDER BY id LIMIT 1`,
    [type, mp],
  );
  return rows[0];
}

export interface NewRequest {
  report_type: string;
  marketplace: string;
  window_start: Date | null;
  window_end: Date | null;
  status: RequestStatus;
  report_id?: string;
  document_id?: string;
  dry_run?: boolean;
  now: Date;
}

/**
 * Records a planned report. Null when the unique index refused it: another worker has one
 * outstanding for this (type, marketplace), or (listed reports) this reportId is known already.
 */
export async function insertRequest(q: Queryable, r: NewRequest): Promise<RequestRow | null> {
  const { rows } = await q.query<RequestRow>(
    `INSERT INTO sync_requests (report_type, marketplace, window_start, window_end, status, report_id,
       document_id, dry_run, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
     ON CONFLICT DO NOTHING
     RETURNING ${REQUEST_COLUMNS}`,
    [
      r.report_type,
      r.marketplace,
      r.window_start,
      r.window_end,
      r.status,
      r.report_id ?? null,
      r.document_id ?? null,
      r.dry_run ?? false,
      r.now,
    ],
  );
  return rows[0] ?? null;
}

export type RequestPatch = Partial<
  Pick<RequestRow, 'status' | 'report_id' | 'document_id' | 'create_sent_at' | 'error' | 'rows' | 'load_id'>
> & { attempt?: true; finished?: boolean };

export async function updateRequest(q: Queryable, id: number, now: Date, patch: RequestPatch): Promise<void> {
  const sets: string[] = ['updated_at = $2'];
  const values: unknown[] = [id, now];
  for (const key of [
    'status',
    'report_id',
    'document_id',
    'create_sent_at',
    'error',
    'rows',
    'load_id',
  ] as const) {
    if (patch[key] === undefined) continue;
    values.push(patch[key]);
    sets.push(`${key} = $${values.length}`);
  }
  if (patch.attempt) sets.push('attempts = attempts + 1');
  if (patch.finished) sets.push('finished_at = $2');
  await q.query(`UPDATE sync_requests SET ${sets.join(', ')} WHERE id = $1`, values);
}

/** The reportIds among `ids` already recorded (settlements: each is fetched once). */
export async function knownReportIds(q: Queryable, ids: string[]): Promise<Set<string>> {
  const { rows } = await q.query<{ report_id: string }>(
    'SELECT report_id FROM sync_requests WHERE report_id = ANY($1::text[]) AND NOT dry_run',
    [ids],
  );
  return new Set(rows.map((r) => r.report_id));
}

export interface Outcome {
  now: Date;
  nextRunAt: Date;
  /** The watermark moves to this window end (windowed types; never backwards). */
  dataTo?: Date | null;
  dataFrom?: Date | null;
  rows?: number;
  error?: string | null;
}

/** Records a run's outcome for (type, marketplace): success moves the watermark, an error keeps it. */
export async function saveOutcome(q: Queryable, type: string, mp: string, o: Outcome): Promise<void> {
  const ok = o.error == null;
  await q.query(
    `INSERT INTO sync_state AS s (report_type, marketplace, data_from, data_to, last_success_at,
       last_attempt_at, next_run_at, last_error, last_error_at, rows_loaded, last_rows)
     VALUES ($1, $2, $3, $4, CASE WHEN $8 THEN $5::timestamptz END, $5, $6, $7,
             CASE WHEN $8 THEN NULL ELSE $5::timestamptz END, coalesce($9, 0), $9)
     ON CONFLICT (report_type, marketplace) DO UPDATE SET
       data_from = coalesce(least(s.data_from, EXCLUDED.data_from), s.data_from, EXCLUDED.data_from),
       data_to = coalesce(greatest(s.data_to, EXCLUDED.data_to), s.data_to, EXCLUDED.data_to),
       last_success_at = coalesce(EXCLUDED.last_success_at, s.last_success_at),
       last_attempt_at = EXCLUDED.last_attempt_at,
       next_run_at = EXCLUDED.next_run_at,
       last_error = CASE WHEN $8 THEN NULL ELSE EXCLUDED.last_error END,
       last_error_at = coalesce(EXCLUDED.last_error_at, s.last_error_at),
       rows_loaded = s.rows_loaded + coalesce($9, 0),
       last_rows = coalesce($9, s.last_rows)`,
    [type, mp, o.dataFrom ?? null, o.dataTo ?? null, o.now, o.nextRunAt, o.error ?? null, ok, o.rows ?? null],
  );
}

export interface LastRequest {
  report_type: string;
  marketplace: string;
  report_id: string | null;
  status: RequestStatus;
  window_start: Date | null;
  window_end: Date | null;
  error: string | null;
}

/** Each (type, marketplace)'s newest real request (for status). */
export async function lastRequests(q: Queryable): Promise<LastRequest[]> {
  const { rows } = await q.query<LastRequest>(
    `SELECT DISTINCT ON (report_type, marketplace) report_type, marketplace, report_id, status,
            window_start, window_end, error
     FROM sync_requests WHERE NOT dry_run
     ORDER BY report_type, marketplace, id DESC`,
  );
  return rows;
}

/**
 * Session-level advisory lock on one (type, marketplace), held on its own connection while a worker
 * works on it: a second worker skips it, and a killed worker's lock goes with its connection.
 */
export async function tryLock(client: pg.PoolClient, type: string, mp: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    'SELECT pg_try_advisory_lock(hashtextextended($1, 16)) AS ok',
    [`sync:${type}:${mp}`],
  );
  return rows[0]!.ok;
}

export async function unlock(client: pg.PoolClient, type: string, mp: string): Promise<void> {
  await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 16))', [`sync:${type}:${mp}`]);
}
