import type pg from 'pg';
import type { ScoreComponent } from '../../platform/config.ts';
import { copyFields, copyRows } from '../../platform/db/copy.ts';
import { readInBatches } from '../../platform/db/cursor.ts';
import { param, type Queryable, type QueryText } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';
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
 * The write side of a run, in the caller's transaction: serialised per marketplace (an advisory
 * lock), so two runs never interleave their current scores; the rows are staged in a temp table.
 */
export async function beginWrite(q: Queryable, scope: WriteScope): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext('awa:scoring:' || $1))`, [scope.marketplace]);
  await q.query(
    `CREATE TEMP TABLE score_stage ON COMMIT DROP AS SELECT ${STAGE_COLUMNS.join(', ')} FROM scores WITH NO DATA`,
  );
}

/** COPYs a run's scores into the stage (beginWrite), on the transaction's client. */
export function stageScores(
  client: pg.PoolClient,
  scope: WriteScope,
  batches: AsyncIterable<readonly Scored[]>,
): Promise<number> {
  const at = scope.scoredAt.toISOString();
  return copyRows(client, 'score_stage', STAGE_COLUMNS, batches, (s) =>
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
  );
}

/**
 * Deletes history older than `pruneBefore` (never a current score), appends the staged rows to the
 * history and makes them the current scores of the ASINs the run covered.
 */
export async function swapInStaged(
  q: Queryable,
  scope: WriteScope,
  pruneBefore: Date,
): Promise<{ written: number; pruned: number }> {
  const pruned = await q.query(PRUNE_SQL, [scope.marketplace, pruneBefore]);
  const r = await q.query(
    `INSERT INTO scores (${STAGE_COLUMNS.join(', ')}) SELECT ${STAGE_COLUMNS.join(', ')} FROM score_stage`,
  );
  await q.query(
    'DELETE FROM scores_latest WHERE marketplace = $1 AND ($2::text[] IS NULL OR asin = ANY($2::text[]))',
    [scope.marketplace, scope.asins ?? null],
  );
  await q.query(
    `INSERT INTO scores_latest (marketplace, asin, scored_at, score, confidence)
     SELECT marketplace, asin, scored_at, score, confidence FROM score_stage`,
  );
  return { written: r.rowCount ?? 0, pruned: pruned.rowCount ?? 0 };
}

/** How many rows a run's commit would prune (see openWriter), for a dry run's report. */
export async function countPrunable(q: Queryable, marketplace: string, pruneBefore: Date): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
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

/** One latest score as the API shows it: the scores row, with its figures read as float8. */
export interface ScoreRow extends Pick<Tables['scores'], 'asin' | 'marketplace' | 'scored_at' | 'run_id'> {
  score: number;
  confidence: number;
  title: Tables['products']['title'];
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

/** The WHERE of the current scores (`l`) a filter matches; its values are appended to `params`. */
export function whereOf(f: ScoreFilter, params: unknown[]): string {
  const p = (v: unknown) => param(params, v);
  const c = [`l.marketplace = ${p(f.marketplace)}`];
  if (f.scoreMin !== undefined) c.push(`l.score >= ${p(f.scoreMin)}`);
  if (f.scoreMax !== undefined) c.push(`l.score <= ${p(f.scoreMax)}`);
  if (f.confidenceMin !== undefined) c.push(`l.confidence >= ${p(f.confidenceMin)}`);
  if (f.confidenceMax !== undefined) c.push(`l.confidence <= ${p(f.confidenceMax)}`);
  if (f.vendorId !== undefined) {
    c.push(
      `EXISTS (SELECT 1 FROM roi_offers r WHERE r.asin = l.asin AND r.best AND r.vendor_id = ${p(f.vendorId)})`,
    );
  }
  if (f.asinPrefix !== undefined) {
    // a range the asin index serves under any collation (ASINs are A-Z/0-9, Z sorts last), LIKE exact
    c.push(
      `l.asin >= ${p(f.asinPrefix)}`,
      `l.asin <= ${p(f.asinPrefix.padEnd(10, 'Z'))}`,
      `l.asin LIKE ${p(`${f.asinPrefix}%`)}`,
    );
  }
  return c.join(' AND ');
}

const ROW_COLUMNS = `s.asin, s.marketplace, s.score::float8 AS score, s.confidence::float8 AS confidence,
  s.scored_at, s.run_id, json_build_object('profitability', s.profitability::float8, 'demand', s.demand::float8,
  'competition', s.competition::float8, 'stability', s.stability::float8, 'returns', s.returns::float8) AS components,
  s.explanation, p.title, r.vendor_id::int AS vendor_id, r.vendor_name`;

// Title and the best offer's vendor, for the list (both by unique index: one row per ASIN)
const ROW_JOINS = `LEFT JOIN products p ON p.asin = s.asin
  LEFT JOIN roi_offers r ON r.asin = s.asin AND r.best`;

/**
 * The page query of GET /scores (exported so a test can EXPLAIN it): the page of current scores
 * first, then each row's components and explanation from the history by primary key.
 */
export function pageQuery(
  f: ScoreFilter,
  sort: ScoreSort,
  order: Order,
  limit: number,
  offset: number,
): QueryText {
  const values: unknown[] = [];
  const by = ORDER_BY[sort][order];
  const where = whereOf(f, values);
  const text = `SELECT ${ROW_COLUMNS}
    FROM (SELECT * FROM scores_latest l WHERE ${where} ORDER BY ${by}
          LIMIT ${param(values, limit)} OFFSET ${param(values, offset)}) l
    JOIN scores s ON (s.marketplace, s.asin, s.scored_at) = (l.marketplace, l.asin, l.scored_at)
    ${ROW_JOINS}
    ORDER BY ${by}`;
  return { text, values };
}

export async function listPage(
  q: Queryable,
  f: ScoreFilter,
  sort: ScoreSort,
  order: Order,
  limit: number,
  offset: number,
): Promise<ScoreRow[]> {
  const { text, values } = pageQuery(f, sort, order, limit, offset);
  return (await q.query<ScoreRow>(text, values)).rows;
}

export async function countLatest(q: Queryable, f: ScoreFilter): Promise<number> {
  const values: unknown[] = [];
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM scores_latest l WHERE ${whereOf(f, values)}`,
    values,
  );
  return rows[0]?.n ?? 0;
}

export async function latestOf(q: Queryable, marketplace: string, asin: string): Promise<ScoreRow | null> {
  const { rows } = await q.query<ScoreRow>(
    `SELECT ${ROW_COLUMNS} FROM scores_latest l
     JOIN scores s ON (s.marketplace, s.asin, s.scored_at) = (l.marketplace, l.asin, l.scored_at)
     ${ROW_JOINS}
     WHERE l.marketplace = $1 AND l.asin = $2`,
    [marketplace, asin],
  );
  return rows[0] ?? null;
}

/**
 * Every current score a filter matches, in the page query's order, read through a server-side
 * cursor in one snapshot (its own connection, hence the pool): memory stays flat however many ASINs
 * are scored, and a scoring run that commits meanwhile neither duplicates nor drops rows.
 */
export async function* streamScores(
  pool: pg.Pool,
  f: ScoreFilter,
  sort: ScoreSort,
  order: Order,
  batch: number,
): AsyncGenerator<ScoreRow[]> {
  const values: unknown[] = [];
  const text = `SELECT ${ROW_COLUMNS} FROM scores_latest l
    JOIN scores s ON (s.marketplace, s.asin, s.scored_at) = (l.marketplace, l.asin, l.scored_at)
    ${ROW_JOINS}
    WHERE ${whereOf(f, values)} ORDER BY ${ORDER_BY[sort][order]}`;
  yield* readInBatches<ScoreRow>(pool, text, values, { batch });
}
