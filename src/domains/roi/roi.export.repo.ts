import { sql } from 'kysely';
import { readInBatches } from '../../platform/db/cursor.ts';
import type { Db } from '../../platform/db/pool.ts';
import {
  OFFER_COLUMNS,
  ORDER_BY,
  type Order,
  type RoiFilter,
  type RoiRow,
  SCORE_COLUMNS,
  SCORE_JOIN,
  type SortKey,
  whereOf,
} from './roi.repo.ts';

/**
 * Every offer a /roi filter matches, in the page query's order, as batches of `batch` rows read
 * through a server-side cursor: memory stays flat however many rows match, and the whole export
 * reads one snapshot (a refresh of the view meanwhile neither duplicates nor drops rows). Stopping
 * the iteration early (the client went away) closes the cursor and returns the connection.
 */
export async function* streamOffers(
  db: Db,
  f: RoiFilter,
  sort: SortKey,
  order: Order,
  batch: number,
): AsyncGenerator<RoiRow[]> {
  const by = sql.raw(ORDER_BY[sort][order]);
  const q = sql`SELECT ${OFFER_COLUMNS}, ${SCORE_COLUMNS}
    FROM roi_offers r
    LEFT JOIN products p ON p.asin = r.asin
    ${SCORE_JOIN}
    WHERE ${whereOf(f)}
    ORDER BY ${by}`.compile(db.kysely);
  yield* readInBatches<RoiRow>(db, q.sql, q.parameters, { batch });
}
