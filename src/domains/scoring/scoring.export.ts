import { sql } from 'kysely';
import { SCORE_COMPONENTS } from '../../platform/config.ts';
import { readInBatches } from '../../platform/db/cursor.ts';
import type { Db } from '../../platform/db/pool.ts';
import { BOM, csvLine } from '../../platform/tabular/csv-export.ts';
import {
  ORDER_BY,
  type Order,
  ROW_COLUMNS,
  ROW_JOINS,
  type ScoreFilter,
  type ScoreRow,
  type ScoreSort,
  whereOf,
} from './scoring.repo.ts';

// rows per cursor fetch: a few hundred KB of CSV (the explanations are most of a row)
const BATCH = 1000;

/**
 * Every current score a filter matches, in the page query's order, read through a server-side
 * cursor in one snapshot: memory stays flat however many ASINs are scored, and a scoring run that
 * commits meanwhile neither duplicates nor drops rows.
 */
async function* streamScores(
  db: Db,
  f: ScoreFilter,
  sort: ScoreSort,
  order: Order,
): AsyncGenerator<ScoreRow[]> {
  const by = sql.raw(ORDER_BY[sort][order]);
  const q = sql`SELECT ${ROW_COLUMNS} FROM scores_latest l
    JOIN scores s ON (s.marketplace, s.asin, s.scored_at) = (l.marketplace, l.asin, l.scored_at)
    ${ROW_JOINS}
    WHERE ${whereOf(f)} ORDER BY ${by}`.compile(db.kysely);
  yield* readInBatches<ScoreRow>(db, q.sql, q.parameters, { batch: BATCH });
}

export const CSV_COLUMNS = [
  'asin',
  'title',
  'vendor_name',
  'score',
  'confidence',
  ...SCORE_COMPONENTS,
  ...SCORE_COMPONENTS.map((c) => `${c}_why`),
  'scored_at',
] as const;

/** GET /scores.csv: one line per ASIN, every component with its value and its one-line reason. */
export function scoresCsv(db: Db, f: ScoreFilter, sort: ScoreSort, order: Order, now: Date) {
  async function* lines(): AsyncGenerator<string> {
    yield BOM + csvLine(CSV_COLUMNS);
    for await (const rows of streamScores(db, f, sort, order)) {
      yield rows
        .map((r) =>
          csvLine([
            r.asin,
            r.title,
            r.vendor_name,
            r.score,
            r.confidence,
            ...SCORE_COMPONENTS.map((c) => r.components[c]),
            ...SCORE_COMPONENTS.map((c) => r.explanation[c] ?? ''),
            r.scored_at,
          ]),
        )
        .join('');
    }
  }
  return { filename: `awa-scores-${now.toISOString().slice(0, 10)}.csv`, lines: lines() };
}
