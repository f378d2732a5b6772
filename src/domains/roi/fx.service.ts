import type { Db } from '../../platform/db/pool.ts';
import * as repo from './fx.repo.ts';

/**
 * Exchange rates belong to ROI: converting a vendor's price into the marketplace currency is a step
 * of landed cost (SPEC §6), as VAT is (vat.service.ts), and ROI's incremental update is what a new
 * rate has to reach. The repricer, restock and the settings page only read them. Today only the
 * demo data set writes rates; a rates agent would write them here too.
 */

export type { FxRate } from './fx.repo.ts';

/** Rates per (currency, day), marked with their `source`. Returns how many rows changed. */
export const recordFxRates = (db: Db, rows: repo.FxRate[], source: string) =>
  repo.upsertFx(db.pool, rows, source);
