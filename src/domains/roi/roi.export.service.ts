import type { Db } from '../../platform/db/pool.ts';
import { BOM, csvLine } from '../../platform/tabular/csv-export.ts';
import { streamOffers } from './roi.export.repo.ts';
import type { Order, SortKey } from './roi.repo.ts';
import { CSV_COLUMNS } from './roi.schemas.ts';
import { orderOf, type RoiFilterParams, toFilter } from './roi.service.ts';

/** GET /roi.csv: the whole filtered set as CSV, in the order GET /roi pages it. */

export interface RoiCsvQuery extends RoiFilterParams {
  sort: SortKey;
  order?: Order;
}

// rows per cursor fetch: ~1 MB of CSV at a time; a batch is also the unit the client waits for
export const EXPORT_BATCH = 2000;

export function exportFileName(now: Date): string {
  return `awa-roi-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * The filter is checked before anything is read, so bad parameters are a 400, not a broken download.
 * The body is produced as the client reads it (constant memory, no cap on rows): a header of the
 * JSON field names, then one line per offer.
 */
export function exportRoiCsv(db: Db, q: RoiCsvQuery, now: Date, batch = EXPORT_BATCH) {
  const filter = toFilter(q);
  const order = orderOf(q.sort, q.order);
  async function* lines(): AsyncGenerator<string> {
    yield BOM + csvLine(CSV_COLUMNS);
    for await (const rows of streamOffers(db.pool, filter, q.sort, order, batch)) {
      yield rows.map((r) => csvLine(CSV_COLUMNS.map((c) => r[c]))).join('');
    }
  }
  return { filename: exportFileName(now), lines: lines() };
}
