import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { upsertRates } from './logistics.repo.ts';
import type { RateRow } from './validate.ts';

/**
 * Freight lanes from a caller that already holds valid rows (the demo data set), not a rate card
 * file: the same upsert the card loader uses (logistics.service.ts), in one transaction, with no
 * load record (there is no snapshot to record). Returns how many lanes were inserted or changed.
 */
export function recordRates(db: Db, rows: RateRow[], source: string): Promise<number> {
  return withTransaction(db, (c) => upsertRates(c, rows, source));
}
