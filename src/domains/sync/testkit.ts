import {
  type FakeReports,
  type FakeReportsOptions,
  fakeReportsEnv,
  startFakeReports,
} from '../../../test/fakes/spapi-reports.ts';
import type { TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { type FakeTime, fakeTime } from '../../../test/helpers/http.ts';
import type { JobDeps } from '../../platform/jobs/types.ts';
import { createSyncClients, type SyncTuning, syncDeps } from './sync.clients.ts';
import type { SyncDeps } from './sync.types.ts';

/**
 * Test and bench support for the sync agent (not used by the application): the Reports API fake on
 * virtual time, and a worker (its own SP-API clients and token buckets, as a process has) against it.
 */

export interface SyncWorld {
  time: FakeTime;
  api: FakeReports;
  jobDeps: JobDeps;
  /** A new worker: its own clients (LWA token, buckets), the same database. */
  worker(tuning?: SyncTuning): SyncDeps;
}

export async function syncWorld(
  tdb: TestDatabase,
  o: { fake?: FakeReportsOptions; env?: Record<string, string>; start?: string } = {},
): Promise<SyncWorld> {
  const time = fakeTime(Date.parse(o.start ?? '2026-11-28T10:00:00Z'));
  const api = await startFakeReports({ now: time.nowMs, ...o.fake });
  const jobDeps = testJobDeps(tdb, { env: { ...fakeReportsEnv(api), ...o.env }, clock: time.clock });
  return {
    time,
    api,
    jobDeps,
    worker: (tuning = {}) => {
      const t: SyncTuning = {
        clock: time.clock,
        sleep: time.sleep,
        random: () => 0.5,
        pollIntervalMs: 30_000,
        ...tuning,
      };
      return syncDeps(jobDeps, createSyncClients(jobDeps.config, { tuning: t }), t);
    },
  };
}

export const count = async (tdb: TestDatabase, table: string, where = 'true'): Promise<number> =>
  Number((await tdb.db.pool.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)).rows[0].n);
