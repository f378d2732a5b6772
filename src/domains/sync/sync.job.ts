import { type Static, Type } from '@sinclair/typebox';
import { AppError } from '../../platform/errors.ts';
import { perProcess } from '../../platform/jobs/clients.ts';
// payload.ts and types.ts, not the jobs index: `awa sync run` then does not load pg-boss
import { withPayload } from '../../platform/jobs/payload.ts';
import type { JobOutcome } from '../../platform/jobs/types.ts';
import { syncTypeInput } from './catalogue.ts';
import { createSyncClients, notConfigured, type SyncTuning, syncDeps } from './sync.clients.ts';
import { runSync } from './sync.service.ts';

export const SYNC_PAYLOAD = Type.Object({
  /** Report types (SP-API or short names); absent: all. */
  types: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
  marketplace: Type.Optional(Type.String()),
  /** ISO date: start the first window here. */
  since: Type.Optional(Type.String()),
  /** Also run what is not due yet (a window with nothing new is still not asked for). */
  force: Type.Optional(Type.Boolean()),
});
export type SyncPayload = Static<typeof SYNC_PAYLOAD>;

/**
 * The `sync` agent: every SYNC_CRON tick it runs each (report type, marketplace) that is due. Its
 * SP-API clients live as long as the job definition (one per process): the access token and the
 * token buckets (in Redis when configured, shared by every worker) carry over between runs.
 */
export function createSyncJob(tuning?: SyncTuning) {
  const clientsFor = perProcess((ctx) =>
    createSyncClients(ctx.deps.config, { redis: ctx.deps.redis, metrics: ctx.metrics, log: ctx.log, tuning }),
  );
  return withPayload(SYNC_PAYLOAD, {
    name: 'sync',
    description: 'Pull Amazon reports (SP-API Reports API) into the ingest, per type and marketplace',
    schedule: (config) => config.SYNC_CRON,
    // a failed report is retried by the agent itself (the next tick resumes or re-asks it)
    retry: { limit: 0, delaySeconds: 60, backoff: false },
    // a 1 GB ledger downloads and loads in minutes; a run waits up to 20 minutes for one report
    expireInSeconds: 4 * 3600,
    handler: async (ctx): Promise<JobOutcome> => {
      const why = notConfigured(ctx.deps.config);
      if (why) return { status: 'skipped', reason: why };
      const deps = syncDeps({ ...ctx.deps, log: ctx.log }, clientsFor(ctx), tuning);
      const since = ctx.data.since === undefined ? undefined : new Date(ctx.data.since);
      if (since && Number.isNaN(since.getTime()))
        throw new AppError('invalid', `since ${ctx.data.since}: not a date`, [
          { field: 'since', message: 'not a date' },
        ]);
      const result = await runSync(deps, {
        types: ctx.data.types?.map(syncTypeInput),
        marketplace: ctx.data.marketplace,
        since,
        dryRun: ctx.dryRun,
        force: ctx.data.force ?? false,
      });
      const count = (s: string) => result.runs.filter((r) => r.status === s).length;
      const counts = {
        reports_loaded: count('loaded'),
        no_data: count('no_data'),
        failed: count('failed') + count('fatal'),
        pending: count('pending'),
        rows: result.runs.reduce((n, r) => n + (r.rows ?? 0), 0),
      };
      // some reports failing is a partial run (counted, reported); all of them failing fails the run
      if (result.status === 'failed') throw new AppError('upstream', deps.errors.join('; '), result);
      return { counts, reason: deps.errors.join('; ') || undefined, result };
    },
  });
}

export const syncJob = createSyncJob();
