import type pg from 'pg';
import { readInBatches } from '../../platform/db/cursor.ts';
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
 * the iteration early (the client went away) closes the cursor and returns the connection. It takes
 * the pool: the cursor reads on a connection of its own.
 */
export async function* streamOffers(
  pool: pg.Pool,
  f: RoiFilter,
  sort: SortKey,
  order: Order,
  batch: number,
): AsyncGenerator<RoiRow[]> {
  const values: unknown[] = [];
  const text = `SELECT ${OFFER_COLUMNS}, ${SCORE_COLUMNS}
    FROM roi_offers r
    LEFT JOIN products p ON p.asin = r.asin
    ${SCORE_JOIN}
    WHERE ${whereOf(f, values)}
    ORDER BY ${ORDER_BY[sort][order]}`;
  yield* readInBatches<RoiRow>(pool, text, values, { batch });
}
