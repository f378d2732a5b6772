import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import type { ScoreComponent } from '../../platform/config.ts';
import { copyFields, copyRows } from '../../platform/db/copy.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Scored } from './score.ts';

export const COMPONENT_COLUMNS = ['profitability', 'demand', 'competition', 'stability', 'returns'] as const;
const STAGE_COLUMNS = [
  'marketplace',
  'asin',
  'scored_at',
  'run_id',
  'score',
  'confidence',
  ...COMPONENT_COLUMNS,
  'explanation',
] as const;

// History older than the cutoff, except rows that are still an ASIN's current score
const PRUNE_SQL = `DELETE FROM scores s WHERE s.marketplace = $1 AND s.scored_at < $2
  AND NOT EXISTS (SELECT 1 FROM scores_latest l
                  WHERE l.marketplace = s.marketplace AND l.asin = s.asin AND l.scored_at = s.scored_at)`;

export interface WriteScope {
  marketplace: string;
  scoredAt: Date;
  runId: string;
  /** A run over some ASINs replaces only their latest scores; a full run replaces all of them. */
  asins?: string[];
}

/**
 * Opens the write side of a run: one transaction, serialised per marketplace (an advisory lock), so
 * two runs never interleave their current scores. `copy` stages the rows, `commit` swaps them in.
 */
export async function openWriter(db: Db, scope: WriteScope) {
  const client: pg.PoolClient = await db.pool.connect();
  let open = true;
  const end = async (sqlText: string) => {
    if (!open) return;
    open = false;
    try {
      await client.query(sqlText);
    } finally {
      client.release();
    }
  };
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('awa:scoring:' || $1))`, [scope.marketplace]);
    await client.query(
      `CREATE TEMP TABLE score_stage ON COMMIT DROP AS SELECT ${STAGE_COLUMNS.join(', ')} FROM scores WITH NO DATA`,
    );
  } catch (err) {
    await end('ROLLBACK');
    throw err;
  }
  const at = scope.scoredAt.toISOString();
  return {
    copy: (batches: AsyncIterable<readonly Scored[]>) =>
      copyRows(client, 'score_stage', STAGE_COLUMNS, batches, (s) =>
        copyFields([
          scope.marketplace,
          s.asin,
          at,
          scope.runId,
          s.score,
          s.confidence,
          ...COMPONENT_COLUMNS.map((c) => s.components[c]),
          JSON.stringify(s.explanation),
        ]),
      ),
    /**
     * Deletes history older than `pruneBefore` (never a current score), appends the run's rows to
     * the history and makes them the current scores of the ASINs the run covered.
     */
    commit: async (pruneBefore: Date): Promise<{ written: number; pruned: number }> => {
      const pruned = await client.query(PRUNE_SQL, [scope.marketplace, pruneBefore]);
      const r = await client.query(
        `INSERT INTO scores (${STAGE_COLUMNS.join(', ')}) SELECT ${STAGE_COLUMNS.join(', ')} FROM score_stage`,
      );
      await client.query(
        'DELETE FROM scores_latest WHERE marketplace = $1 AND ($2::text[] IS NULL OR asin = ANY($2::text[]))',
        [scope.marketplace, scope.asins ?? null],
      );
      await client.query(
        `INSERT INTO scores_latest (marketplace, asin, scored_at, score, confidence)
         SELECT marketplace, asin, scored_at, score, confidence FROM score_stage`,
      );
      await end('COMMIT');
      return { written: r.rowCount ?? 0, pruned: pruned.rowCount ?? 0 };
    },
    rollback: () => end('ROLLBACK'),
  };
}

/** How many rows a run's commit would prune (see openWriter), for a dry run's report. */
export async function countPrunable(db: Db, marketplace: string, pruneBefore: Date): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    PRUNE_SQL.replace('DELETE FROM scores s', 'SELECT count(*)::int AS n FROM scores s'),
    [marketplace, pruneBefore],
  );
  return rows[0]?.n ?? 0;
}

export type ScoreSort = 'score' | 'confidence' | 'asin';
export type Order = 'asc' | 'desc';

export interface ScoreFilter {
  marketplace: string;
  scoreMin?: number;
  scoreMax?: number;
  confidenceMin?: number;
  confidenceMax?: number;
  /** Only ASINs whose best vendor offer (ROI view) is this vendor's. */
  vendorId?: number;
  /** Upper-case ASIN prefix. */
  asinPrefix?: string;
}

/** One latest score as the API shows it. */
export interface ScoreRow {
  asin: string;
  marketplace: string;
  score: number;
  confidence: number;
  scored_at: Date;
  run_id: string;
  title: string | null;
  /** The vendor of the best offer (highest ROI), as the profitability component used it. */
  vendor_id: number | null;
  vendor_name: string | null;
  components: Record<ScoreComponent, number | null>;
  explanation: Record<ScoreComponent, string>;
}

// The tie-break (asin) follows the sort's direction, so one index per sort key serves both
// directions (scanned backwards for desc): scores and confidences are never NULL.
export const ORDER_BY: Record<ScoreSort, Record<Order, string>> = {
  score: { asc: 'l.score ASC, l.asin ASC', desc: 'l.score DESC, l.asin DESC' },
  confidence: { asc: 'l.confidence ASC, l.asin ASC', desc: 'l.confidence DESC, l.asin DESC' },
  asin: { asc: 'l.asin ASC', desc: 'l.asin DESC' },
};

export function whereOf(f: ScoreFilter): RawBuilder<unknown> {
  const c: RawBuilder<unknown>[] = [sql`l.marketplace = ${f.marketplace}`];
  if (f.scoreMin !== undefined) c.push(sql`l.score >= ${f.scoreMin}`);
  if (f.scoreMax !== undefined) c.push(sql`l.score <= ${f.scoreMax}`);
  if (f.confidenceMin !== undefined) c.push(sql`l.confidence >= ${f.confidenceMin}`);
  if (f.confidenceMax !== undefined) c.push(sql`l.confidence <= ${f.confidenceMax}`);
  if (f.vendorId !== undefined) {
    c.push(
      sql`EXISTS (SELECT 1 FROM roi_offers r WHERE r.asin = l.asin AND r.best AND r.vendor_id = ${f.vendorId})`,
    );
  }
  if (f.asinPrefix !== undefined) {
    // a range the asin index serves under any collation (ASINs are A-Z/0-9, Z sorts last), LIKE exact
    c.push(
      sql`l.asin >= ${f.asinPrefix}`,
      sql`l.asin <= ${f.asinPrefix.padEnd(10, 'Z')}`,
      sql`l.asin LIKE ${`${f.asinPrefix}%`}`,
    );
  }
  return sql.join(c, sql` AND `);
}

export const ROW_COLUMNS =
  sql.raw(`s.asin, s.marketplace, s.score::float8 AS score, s.confidence::float8 AS confidence,
  s.scored_at, s.run_id, json_build_object('profitability', s.profitability::float8, 'demand', s.demand::float8,
  'competition', s.competition::float8, 'stability', s.stability::float8, 'returns', s.returns::float8) AS components,
  s.explanation, p.title, r.vendor_id::int AS vendor_id, r.vendor_name`);

// Title and the best offer's vendor, for the list (both by unique index: one row per ASIN)
export const ROW_JOINS = sql.raw(`LEFT JOIN products p ON p.asin = s.asin
  LEFT JOIN roi_offers r ON r.asin = s.asin AND r.best`);

/**
 * The page query of GET /scores (exported so a test can EXPLAIN it): the page of current scores
 * first, then each row's components and explanation from the history by primary key.
 */
export function pageQuery(f: ScoreFilter, sort: ScoreSort, order: Order, limit: number, offset: number) {
  const by = sql.raw(ORDER_BY[sort][order]);
  return sql<ScoreRow>`SELECT ${ROW_COLUMNS}
    FROM (SELECT * FROM scores_latest l WHERE ${whereOf(f)} ORDER BY ${by} LIMIT ${limit} OFFSET ${offset}) l
    JOIN scores s ON (s.marketplace, s.asin, s.scored_at) = (l.marketplace, l.asin, l.scored_at)
    ${ROW_JOINS}
    ORDER BY ${by}`;
}

export async function listPage(
  db: Db,
  f: ScoreFilter,
  sort: ScoreSort,
  order: Order,
  limit: number,
  offset: number,
): Promise<ScoreRow[]> {
  return (await pageQuery(f, sort, order, limit, offset).execute(db.kysely)).rows;
}

export async function countLatest(db: Db, f: ScoreFilter): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT count(*) AS n FROM scores_latest l WHERE ${whereOf(f)}`.execute(db.kysely);
  return rows[0]?.n ?? 0;
}

export async function latestOf(db: Db, marketplace: string, asin: string): Promise<ScoreRow | null> {
  const { rows } = await sql<ScoreRow>`SELECT ${ROW_COLUMNS} FROM scores_latest l
    JOIN scores s ON (s.marketplace, s.asin, s.scored_at) = (l.marketplace, l.asin, l.scored_at)
    ${ROW_JOINS}
    WHERE l.marketplace = ${marketplace} AND l.asin = ${asin}`.execute(db.kysely);
  return rows[0] ?? null;
}
