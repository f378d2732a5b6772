import type { Db } from '../../platform/db/pool.ts';
import { BOM, csvLine } from '../../platform/tabular/csv-export.ts';
import * as repo from './history.repo.ts';

/** The repricer log as the web page and the CSV read it: filtered, sorted, paged; recent runs. */

export interface LogQuery {
  run_id?: string;
  sku?: string;
  guard?: string;
  changed?: boolean;
  sort?: repo.LogSort;
  order?: repo.Order;
}

/** Past this many matching decisions the page says "10,000+" instead of counting them all. */
export const COUNT_CAP = 10_000;

function filterOf(marketplace: string, q: LogQuery): repo.LogFilter {
  const sort = q.sort ?? 'time';
  return {
    marketplace,
    runId: q.run_id,
    sku: q.sku,
    guard: q.guard,
    changed: q.changed,
    sort,
    order: q.order ?? (sort === 'sku' ? 'asc' : sort === 'change' ? 'asc' : 'desc'),
  };
}

export async function listLog(
  db: Db,
  marketplace: string,
  q: LogQuery & { page: number; page_size: number },
) {
  const r = await repo.listLog(db.pool, filterOf(marketplace, q), {
    limit: q.page_size,
    offset: (q.page - 1) * q.page_size,
    countCap: COUNT_CAP,
  });
  return { total: r.total, total_capped: r.capped, page: q.page, page_size: q.page_size, items: r.items };
}

export async function listRuns(db: Db, marketplace: string, limit: number) {
  return { items: await repo.listRuns(db.pool, marketplace, limit) };
}

export const LOG_CSV_COLUMNS = [
  'created_at',
  'run_id',
  'mode',
  'sku',
  'asin',
  'currency',
  'old_price',
  'proposed',
  'final_price',
  'floor',
  'ceiling',
  'buybox',
  'strategy',
  'guards',
  'changed',
  'skipped',
  'error',
  'reason',
] as const;

/** GET /repricer/log.csv: every decision the filter matches, in the page's order, streamed. */
export function exportLog(db: Db, marketplace: string, q: LogQuery, now: Date, batch = 2000) {
  const filter = filterOf(marketplace, q);
  async function* lines(): AsyncGenerator<string> {
    yield `${BOM}${csvLine(LOG_CSV_COLUMNS)}`;
    for await (const rows of repo.streamLog(db.pool, filter, batch)) {
      yield rows.map((r) => csvLine(LOG_CSV_COLUMNS.map((c) => r[c]))).join('');
    }
  }
  return { filename: `awa-repricer-log-${now.toISOString().slice(0, 10)}.csv`, lines: lines() };
}

/** GET /repricer/rules.csv: the rules as the import reads them back (same header, same values). */
export const RULE_CSV_COLUMNS = [
  'sku',
  'min_price',
  'max_price',
  'map_price',
  'strategy',
  'step',
  'enabled',
  'marketplace',
] as const;

export function rulesCsv(rules: readonly Record<(typeof RULE_CSV_COLUMNS)[number], unknown>[]): string {
  return `${BOM}${csvLine(RULE_CSV_COLUMNS)}${rules.map((r) => csvLine(RULE_CSV_COLUMNS.map((c) => r[c]))).join('')}`;
}
