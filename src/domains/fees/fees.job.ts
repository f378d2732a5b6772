import { perProcess } from '../../platform/jobs/clients.ts';
import { ASIN_LIST_PAYLOAD, distinctAsins, type JobOutcome, withPayload } from '../../platform/jobs/index.ts';
import { refreshFees } from './fees.service.ts';
import { createFeeSource, type HttpTuning } from './sources.ts';

/**
 * The `fees` agent. Its HTTP clients live as long as the job definition (one per process): the LWA
 * access token is reused across runs until it expires, and every run of this worker draws from
 * the same token bucket (in Redis when configured, so all workers share the 0.5 requests/s).
 * `tuning` is for tests and the bench (virtual time, scaled rates).
 */
export function createFeesJob(tuning?: HttpTuning) {
  const sourceFor = perProcess((ctx) => {
    const { config, redis, log } = ctx.deps;
    return createFeeSource(config, { redis, metrics: ctx.metrics, log, tuning });
  });
  return withPayload(ASIN_LIST_PAYLOAD, {
    name: 'fees',
    description: 'Refresh Amazon fees (SP-API Product Fees, or Helium10) for listed and sourced ASINs',
    schedule: (config) => config.FEES_CRON,
    retry: { limit: 2, delaySeconds: 300, backoff: true },
    // 0.5 calls/s × 20 items is 36,000 items an hour; a worker that died is noticed after 3 hours and
    // its retry skips what was already confirmed today
    expireInSeconds: 3 * 3600,
    handler: async (ctx): Promise<JobOutcome> => {
      const asins = distinctAsins(ctx.data);
      const run = await refreshFees(
        {
          db: ctx.deps.db,
          config: ctx.deps.config,
          clock: ctx.deps.clock,
          log: ctx.log,
          source: sourceFor(ctx),
        },
        { dryRun: ctx.dryRun, asins, onProgress: (p) => ctx.progress(p) },
      );
      return { status: run.status, reason: run.reason, counts: { ...run.counts }, result: run.result };
    },
  });
}

export const feesJob = createFeesJob();
