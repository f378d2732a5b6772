import type pg from 'pg';
import { readInBatches } from '../../platform/db/cursor.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import type { LoggedDecision } from './plan.ts';

/** Reading repricer_log back: the page, its CSV and the list of recent runs (SQL only). */

export type LogSort = 'time' | 'sku' | 'change';
export type Order = 'asc' | 'desc';

export interface LogFilter {
  marketplace: string;
  runId?: string;
  sku?: string;
  guard?: string;
  changed?: boolean;
  sort: LogSort;
  order: Order;
}

/** The relative change of a decision, as repricer_log_change_idx stores it. */
export const CHANGE = 'coalesce((final_price - old_price) / nullif(old_price, 0), 0)';

const flip = (o: Order) => (o === 'asc' ? 'desc' : 'asc');

/**
 * Each order is one of repricer_log's indexes read forwards or backwards (so the tie-breaks follow
 * the index: SKU A→Z lists each SKU newest first, Z→A oldest first), and ends on the unique id.
 */
function orderBy(sort: LogSort, order: Order): string {
  if (sort === 'sku') return `sku ${order}, created_at ${flip(order)}, id ${flip(order)}`;
  if (sort === 'change') return `${CHANGE} ${order}, id ${order}`;
  return `created_at ${order}, id ${order}`;
}

function whereOf(f: LogFilter): { where: string; params: unknown[] } {
  return {
    where: `WHERE marketplace = $1 AND ($2::uuid IS NULL OR run_id = $2) AND ($3::text IS NULL OR sku = $3)
    AND ($4::text IS NULL OR guards @> ARRAY[$4::text]) AND ($5::boolean IS NULL OR changed = $5)`,
    params: [f.marketplace, f.runId ?? null, f.sku ?? null, f.guard ?? null, f.changed ?? null],
  };
}

const COLUMNS = `id::int AS id, run_id, marketplace::text AS marketplace, sku, asin, currency::text AS currency,
  old_price::text, proposed::text, final_price::text, floor::text, ceiling::text, buybox::text,
  strategy, guards, changed, skipped, error, mode, reason, created_at`;

/** A repricer_log row as read back: the logged decision with its run, mode and time. */
export interface LogRow extends Omit<LoggedDecision, 'priced'> {
  id: number;
  run_id: string;
  marketplace: string;
  mode: 'dry_run' | 'apply' | 'live';
  created_at: Date;
}

/**
 * A page of decisions and how many match. The count stops at `countCap` (+1 tells "more"): counting
 * every decision of a big log on every page costs more than the page itself.
 */
export async function listLog(
  q: Queryable,
  f: LogFilter,
  page: { limit: number; offset: number; countCap: number },
): Promise<{ total: number; capped: boolean; items: LogRow[] }> {
  const { where, params } = whereOf(f);
  const [count, rows] = await Promise.all([
    q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM repricer_log ${where} LIMIT $6) m`,
      [...params, page.countCap + 1],
    ),
    q.query<LogRow>(
      `SELECT ${COLUMNS} FROM repricer_log ${where} ORDER BY ${orderBy(f.sort, f.order)} LIMIT $6 OFFSET $7`,
      [...params, page.limit, page.offset],
    ),
  ]);
  const n = count.rows[0]!.n;
  return { total: Math.min(n, page.countCap), capped: n > page.countCap, items: rows.rows };
}

/**
 * Every decision the filter matches, in the page's order, in batches read through a cursor (flat
 * memory however big the log); stopping early closes the cursor and returns the connection.
 */
export async function* streamLog(pool: pg.Pool, f: LogFilter, batch: number): AsyncGenerator<LogRow[]> {
  const { where, params } = whereOf(f);
  yield* readInBatches<LogRow>(
    pool,
    `SELECT ${COLUMNS} FROM repricer_log ${where} ORDER BY ${orderBy(f.sort, f.order)}`,
    params,
    { batch },
  );
}

export interface RunRow {
  run_id: string;
  created_at: Date;
  mode: string;
  /** `agent`: a scheduled or started repricer run (agent_runs); `manual`: POST /pricing/apply. */
  source: 'agent' | 'manual';
  status: string | null;
  decisions: number;
  changed: number;
  tripped: boolean;
}

/**
 * The newest runs, newest first: a loose index scan over repricer_log_runs_idx (one probe a run,
 * whatever the number of decisions), with the agent's own counts where it recorded them.
 */
export async function listRuns(q: Queryable, marketplace: string, limit: number): Promise<RunRow[]> {
  const { rows } = await q.query<RunRow>(
    `WITH RECURSIVE r AS (
       (SELECT created_at, run_id, 1 AS n FROM repricer_log WHERE marketplace = $1
        ORDER BY created_at DESC, run_id DESC LIMIT 1)
       UNION ALL
       SELECT x.created_at, x.run_id, r.n + 1 FROM r, LATERAL (
         SELECT l.created_at, l.run_id FROM repricer_log l
         WHERE l.marketplace = $1 AND (l.created_at, l.run_id) < (r.created_at, r.run_id)
         ORDER BY l.created_at DESC, l.run_id DESC LIMIT 1
       ) x WHERE r.n < $2
     )
     SELECT r.run_id, r.created_at, m.mode, CASE WHEN a.id IS NULL THEN 'manual' ELSE 'agent' END AS source,
            a.status,
            coalesce((a.counts->>'listings')::int, c.decisions, 0) AS decisions,
            coalesce((a.counts->>'changed')::int, c.changed, 0) AS changed,
            coalesce(a.status = 'tripped', c.tripped, false) AS tripped
     FROM r
     LEFT JOIN agent_runs a ON a.id = r.run_id AND a.agent = 'repricer'
     LEFT JOIN LATERAL (SELECT l.mode FROM repricer_log l WHERE l.run_id = r.run_id LIMIT 1) m ON true
     LEFT JOIN LATERAL (
       SELECT count(*)::int AS decisions, (count(*) FILTER (WHERE l.changed))::int AS changed,
              bool_or(l.guards @> ARRAY['breaker']) AS tripped
       FROM repricer_log l WHERE l.run_id = r.run_id AND a.id IS NULL
     ) c ON true
     ORDER BY r.created_at DESC, r.run_id DESC`,
    [marketplace, limit],
  );
  return rows;
}
