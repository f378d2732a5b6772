import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { HttpClient } from '../../platform/http/client.ts';
import type { Sleep } from '../../platform/http/retry.ts';
import type { Logger } from '../../platform/logger.ts';
import type { IngestDeps } from '../reports/ingest.service.ts';
import type { ReportsClient } from './reports.client.ts';
import type { SellersClient } from './sellers.client.ts';

export interface SyncClients {
  reports: ReportsClient;
  sellers: SellersClient;
  /** The pre-signed document URLs (no access token). */
  documents: HttpClient;
}

export interface SyncDeps extends SyncClients {
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
  sleep: Sleep;
  ingest: IngestDeps;
  /** Where documents are written before the ingest reads them (under the data dir). */
  workDir: string;
  /** First wait between two getReport calls (doubles up to 2 minutes). */
  pollIntervalMs: number;
  /** How long one run waits for a report; past it the report stays outstanding for the next run. */
  maxPollMs: number;
  /** After a failure the (type, marketplace) is tried again this much later (or at its schedule, if sooner). */
  retryAfterMs: number;
  signal?: AbortSignal;
  /** Error lines of this run (filled by the service): what the CLI prints and the job records. */
  errors: string[];
}

/**
 * One report's outcome in a run: loaded, no_data (CANCELLED: Amazon had nothing for the window),
 * fatal (Amazon's FATAL, its error document recorded), failed (our side or the network; retried
 * later), pending (still being generated when the run stopped waiting; the next run resumes it),
 * planned (dry run), up_to_date (not due), busy (another worker has it).
 */
export type SyncRunStatus =
  | 'loaded'
  | 'no_data'
  | 'fatal'
  | 'failed'
  | 'pending'
  | 'planned'
  | 'up_to_date'
  | 'busy';

export interface SyncRun {
  type: string;
  marketplace: string;
  status: SyncRunStatus;
  rows: number | null;
  window: { start: string; end: string } | null;
}

export interface SyncResult {
  /** success: nothing failed; partial: some failed, some did not; failed: everything attempted failed; skipped: not configured. */
  status: 'success' | 'partial' | 'failed' | 'skipped';
  runs: SyncRun[];
}
