import type { IngestDeps } from '../../src/domains/reports/ingest.service.ts';
import { type Clock, fixedClock } from '../../src/platform/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import type { TestDatabase } from './db.ts';

/** The report ingest's dependencies on a test database: a fixed clock and a 50 MiB XLSX guard. */
export function ingestTestDeps(
  tdb: TestDatabase,
  o: { clock?: Clock; defaultMarketplace?: string; afterIngest?: IngestDeps['afterIngest'] } = {},
): IngestDeps {
  return {
    db: tdb.db,
    clock: o.clock ?? fixedClock('2026-11-28T12:00:00Z'),
    log: silentLogger,
    defaultMarketplace: o.defaultMarketplace ?? 'US',
    maxXlsxUncompressedBytes: 50 << 20,
    ...(o.afterIngest ? { afterIngest: o.afterIngest } : {}),
  };
}
