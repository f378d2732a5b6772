import { SCORE_COMPONENTS } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { BOM, csvLine } from '../../platform/tabular/csv-export.ts';
import { type Order, type ScoreFilter, type ScoreSort, streamScores } from './scoring.repo.ts';

// rows per cursor fetch: a few hundred KB of CSV (the explanations are most of a row)
const BATCH = 1000;

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
    for await (const rows of streamScores(db.pool, f, sort, order, BATCH)) {
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
